-- Why: servers keep the network's sites and spaces in memory for searches (availability,
-- nearby). Every change to sites, their access lists, floors or spaces bumps one counter; each
-- server reads it at most once a second and drops its copy when it has moved, so a change made
-- through another server reaches every search within a second. Bookings never read the copy.

CREATE TABLE network_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO network_version (id, version) VALUES (1, 0);

CREATE FUNCTION bump_network_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE network_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER sites_bump AFTER INSERT OR UPDATE OR DELETE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
CREATE TRIGGER site_access_bump AFTER INSERT OR UPDATE OR DELETE ON site_access
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
CREATE TRIGGER floors_bump AFTER INSERT OR UPDATE OR DELETE ON floors
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
CREATE TRIGGER spaces_bump AFTER INSERT OR UPDATE OR DELETE ON spaces
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
