-- Why: data protection and follow-up (issue 5).
--
-- 1. Two read-only roles scoped to an organisation: `analyst` (aggregate follow-up) and `hr`
--    (people's profiles and aggregate follow-up). The role and scope CHECKs of role_grants must
--    name them; SQLite cannot change a CHECK, so the small table is rebuilt (with its index and
--    the triggers of 0004 that tell servers to forget their copy of who may do what).
-- 2. The audit log: administrative changes and every read of someone else's personal data by an
--    admin or HR. Append-only: the triggers refuse to change or remove an entry. An entry names
--    its actor by id (or, for the command line and other non-people, by a label) and never holds
--    personal data beyond ids, so erasing a person leaves nothing of them in it.
-- 3. Erasure: `people.erased_at`. An erased person's record keeps only what statistics need
--    (organisation, unit, language) under a placeholder name and address, and can no longer be
--    changed: a person erased stays erased.

CREATE TABLE role_grants_new (
    person_id       BLOB NOT NULL REFERENCES people (id),
    role            TEXT NOT NULL CHECK (role IN ('site_host', 'org_admin', 'platform_admin', 'analyst', 'hr')),
    site_id         BLOB REFERENCES sites (id),
    organisation_id BLOB REFERENCES organisations (id),
    CHECK ((role = 'site_host') = (site_id IS NOT NULL)),
    CHECK ((role IN ('org_admin', 'analyst', 'hr')) = (organisation_id IS NOT NULL))
);
INSERT INTO role_grants_new (person_id, role, site_id, organisation_id)
    SELECT person_id, role, site_id, organisation_id FROM role_grants;
DROP TABLE role_grants;
ALTER TABLE role_grants_new RENAME TO role_grants;
CREATE UNIQUE INDEX role_grants_unique ON role_grants (person_id, role, ifnull(site_id, x''), ifnull(organisation_id, x''));
CREATE TRIGGER role_grants_bump_insert AFTER INSERT ON role_grants BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER role_grants_bump_update AFTER UPDATE ON role_grants BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER role_grants_bump_delete AFTER DELETE ON role_grants BEGIN UPDATE network_version SET version = version + 1; END;

CREATE TABLE audit_log (
    id              BLOB PRIMARY KEY NOT NULL,
    -- Whose records were touched or read.
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    at              INTEGER NOT NULL,
    -- A person, or a label for what is not one ("command line").
    actor_id        BLOB REFERENCES people (id),
    actor_label     TEXT CHECK (length(actor_label) BETWEEN 1 AND 100),
    action          TEXT NOT NULL CHECK (action GLOB '[a-z]*.[a-z]*'),
    subject_kind    TEXT NOT NULL,
    subject_id      BLOB,
    detail          TEXT NOT NULL CHECK (json_valid(detail) AND json_type(detail) = 'object'),
    CHECK ((actor_id IS NULL) <> (actor_label IS NULL))
);
-- Ids are time-ordered (UUIDv7): newest first is descending id.
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, id);
CREATE INDEX audit_log_by_action ON audit_log (organisation_id, action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END;

ALTER TABLE people ADD COLUMN erased_at INTEGER;
CREATE TRIGGER people_erased_stay_erased BEFORE UPDATE ON people
    WHEN OLD.erased_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'person_erased'); END;
