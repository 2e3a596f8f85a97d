-- Why: failures counted per email alone let one address try one password against many accounts
-- (password spraying). Each failure now also keeps the client's IP address, when known, so that
-- too many from one address in a short time are refused too. Old rows have none.

ALTER TABLE sign_in_failures ADD COLUMN address text;
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at) WHERE address IS NOT NULL;
