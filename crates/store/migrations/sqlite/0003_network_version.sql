-- Why: servers keep the network's sites and spaces in memory for searches (availability,
-- nearby). Every change to sites, their access lists, floors or spaces bumps one counter; each
-- server reads it at most once a second and drops its copy when it has moved, so a change made
-- through another server reaches every search within a second. Bookings never read the copy.

CREATE TABLE network_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO network_version (id, version) VALUES (1, 0);

CREATE TRIGGER sites_bump_insert AFTER INSERT ON sites BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER sites_bump_update AFTER UPDATE ON sites BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER sites_bump_delete AFTER DELETE ON sites BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER site_access_bump_insert AFTER INSERT ON site_access BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER site_access_bump_update AFTER UPDATE ON site_access BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER site_access_bump_delete AFTER DELETE ON site_access BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER floors_bump_insert AFTER INSERT ON floors BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER floors_bump_update AFTER UPDATE ON floors BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER floors_bump_delete AFTER DELETE ON floors BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER spaces_bump_insert AFTER INSERT ON spaces BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER spaces_bump_update AFTER UPDATE ON spaces BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER spaces_bump_delete AFTER DELETE ON spaces BEGIN UPDATE network_version SET version = version + 1; END;
