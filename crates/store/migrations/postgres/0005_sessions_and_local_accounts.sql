-- Why: the web app signs people in with a cookie. A session is a random secret in that cookie,
-- stored only as its SHA-256 (like an API token), that expires, and that carries the secret every
-- form of the session must send back (protection against cross-site request forgery).
-- Small installs and break-glass admins sign in with a local account: an argon2 hash of the
-- person's password.

CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    person_id  uuid NOT NULL REFERENCES people (id),
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_by_person ON sessions (person_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE local_accounts (
    person_id     uuid PRIMARY KEY REFERENCES people (id),
    password_hash text NOT NULL,
    updated_at    timestamptz NOT NULL
);
