-- Why: organisations sign their people in through their own OpenID Connect provider (most through
-- Microsoft Entra ID). Each provider belongs to one organisation and may sign in only addresses of
-- the domains listed for it. A person is known to a provider by the provider's issuer and its
-- stable identifier for them (Entra's `oid`, otherwise `sub`), never by email alone.

CREATE TABLE identity_providers (
    id              BLOB PRIMARY KEY NOT NULL,
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    issuer          TEXT NOT NULL UNIQUE,
    client_id       TEXT NOT NULL,
    client_secret   TEXT,
    -- Lower-case domains separated by single spaces.
    email_domains   TEXT NOT NULL CHECK (email_domains <> ''),
    updated_at      INTEGER NOT NULL
);
CREATE INDEX identity_providers_by_organisation ON identity_providers (organisation_id);

CREATE TABLE person_identities (
    issuer          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    person_id       BLOB NOT NULL REFERENCES people (id),
    tenant_id       TEXT,
    created_at      INTEGER NOT NULL,
    last_sign_in_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX person_identities_by_person ON person_identities (person_id);
