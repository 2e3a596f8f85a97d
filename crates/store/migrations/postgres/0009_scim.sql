-- Why: organisations provision their people and units from their identity provider (Microsoft
-- Entra ID and others) over SCIM 2.0 (RFC 7643/7644).
-- - The provider knows a person or a unit by its own id (externalId, such as Entra's objectId):
--   kept per organisation, unique within it.
-- - It sends given and family names apart; hubnet keeps them so that a change of one of them
--   alone still yields the right full name.
-- - A person the provider deletes is deactivated and hidden from SCIM (scim_deleted_at), not
--   erased: their bookings stay part of the organisation's history.
-- - Each organisation has at most one SCIM bearer token; only its SHA-256 is kept.

ALTER TABLE people
    ADD COLUMN external_id text,
    ADD COLUMN given_name text,
    ADD COLUMN family_name text,
    ADD COLUMN scim_deleted_at timestamptz;
CREATE UNIQUE INDEX people_external_id ON people (organisation_id, external_id) WHERE external_id IS NOT NULL;

ALTER TABLE units ADD COLUMN external_id text;
CREATE UNIQUE INDEX units_external_id ON units (organisation_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE scim_tokens (
    organisation_id uuid PRIMARY KEY REFERENCES organisations (id),
    token_hash      bytea NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL
);
