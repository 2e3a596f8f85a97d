-- Why: organisations provision their people and units from their identity provider (Microsoft
-- Entra ID and others) over SCIM 2.0 (RFC 7643/7644).
-- - The provider knows a person or a unit by its own id (externalId, such as Entra's objectId):
--   kept per organisation, unique within it.
-- - It sends given and family names apart; hubnet keeps them so that a change of one of them
--   alone still yields the right full name.
-- - A person the provider deletes is deactivated and hidden from SCIM (scim_deleted_at), not
--   erased: their bookings stay part of the organisation's history.
-- - Each organisation has at most one SCIM bearer token; only its SHA-256 is kept.

ALTER TABLE people ADD COLUMN external_id TEXT;
ALTER TABLE people ADD COLUMN given_name TEXT;
ALTER TABLE people ADD COLUMN family_name TEXT;
ALTER TABLE people ADD COLUMN scim_deleted_at INTEGER;
CREATE UNIQUE INDEX people_external_id ON people (organisation_id, external_id) WHERE external_id IS NOT NULL;

ALTER TABLE units ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX units_external_id ON units (organisation_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE scim_tokens (
    organisation_id BLOB PRIMARY KEY NOT NULL REFERENCES organisations (id),
    token_hash      BLOB NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL
);
