-- Why: passwords can be guessed. Failed sign-ins are counted per account (by email, whether or not
-- it exists) so that too many in a short time are refused before any password is checked, on
-- every server alike.

CREATE TABLE sign_in_failures (
    email text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
