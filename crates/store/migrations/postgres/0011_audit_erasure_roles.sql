-- Why: data protection and follow-up (issue 5).
--
-- 1. Two read-only roles scoped to an organisation: `analyst` (aggregate follow-up) and `hr`
--    (people's profiles and aggregate follow-up). The role and scope CHECKs of role_grants must
--    name them: the unnamed CHECKs of 0001 are replaced by named ones.
-- 2. The audit log: administrative changes and every read of someone else's personal data by an
--    admin or HR. Append-only: a trigger refuses to change or remove an entry. An entry names
--    its actor by id (or, for the command line and other non-people, by a label) and never holds
--    personal data beyond ids, so erasing a person leaves nothing of them in it.
-- 3. Erasure: `people.erased_at`. An erased person's record keeps only what statistics need
--    (organisation, unit, language) under a placeholder name and address, and can no longer be
--    changed: a person erased stays erased.

DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'role_grants'::regclass AND contype = 'c' LOOP
        EXECUTE format('ALTER TABLE role_grants DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
ALTER TABLE role_grants
    ADD CONSTRAINT role_grants_role CHECK (role IN ('site_host', 'org_admin', 'platform_admin', 'analyst', 'hr')),
    ADD CONSTRAINT role_grants_site_scope CHECK ((role = 'site_host') = (site_id IS NOT NULL)),
    ADD CONSTRAINT role_grants_organisation_scope
        CHECK ((role IN ('org_admin', 'analyst', 'hr')) = (organisation_id IS NOT NULL));

CREATE TABLE audit_log (
    id              uuid PRIMARY KEY,
    -- Whose records were touched or read.
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    at              timestamptz NOT NULL,
    -- A person, or a label for what is not one ("command line").
    actor_id        uuid REFERENCES people (id),
    actor_label     text CHECK (length(actor_label) BETWEEN 1 AND 100),
    action          text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    subject_kind    text NOT NULL,
    subject_id      uuid,
    detail          jsonb NOT NULL CHECK (jsonb_typeof(detail) = 'object'),
    CHECK ((actor_id IS NULL) <> (actor_label IS NULL))
);
-- Ids are time-ordered (UUIDv7): newest first is descending id.
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, id);
CREATE INDEX audit_log_by_action ON audit_log (organisation_id, action, id);

CREATE FUNCTION refuse_audit_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log_is_append_only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_log_change();

ALTER TABLE people ADD COLUMN erased_at timestamptz;
CREATE FUNCTION refuse_erased_person_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'person_erased';
END $$;
CREATE TRIGGER people_erased_stay_erased BEFORE UPDATE ON people
    FOR EACH ROW WHEN (OLD.erased_at IS NOT NULL) EXECUTE FUNCTION refuse_erased_person_change();
