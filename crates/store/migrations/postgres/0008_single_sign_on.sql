-- Why: organisations sign their people in through their own OpenID Connect provider (most through
-- Microsoft Entra ID). Each provider belongs to one organisation and may sign in only addresses of
-- the domains listed for it. A person is known to a provider by the provider's issuer and its
-- stable identifier for them (Entra's `oid`, otherwise `sub`), never by email alone.

CREATE TABLE identity_providers (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name            text NOT NULL,
    issuer          text NOT NULL UNIQUE,
    client_id       text NOT NULL,
    client_secret   text,
    -- Lower-case domains separated by single spaces.
    email_domains   text NOT NULL CHECK (email_domains <> ''),
    updated_at      timestamptz NOT NULL
);
CREATE INDEX identity_providers_by_organisation ON identity_providers (organisation_id);

CREATE TABLE person_identities (
    issuer          text NOT NULL,
    subject         text NOT NULL,
    person_id       uuid NOT NULL REFERENCES people (id),
    tenant_id       text,
    created_at      timestamptz NOT NULL,
    last_sign_in_at timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX person_identities_by_person ON person_identities (person_id);
