-- Why: each organisation sets rules for which workplaces its people should use (issue 6). A
-- policy is data: a list of rules from a fixed vocabulary (the domain checks them), kept as
-- versions so that who changed what, and from when it applies, stays known. Rules can name role
-- tags ("cross-sector coordinator") that an organisation's admins give to people.

CREATE TABLE policy_versions (
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    -- YYYY-MM-DD
    valid_from      TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- A JSON array of rules, as the domain writes it.
    rules           TEXT NOT NULL CHECK (json_valid(rules) AND json_type(rules) = 'array'),
    changed_by      BLOB REFERENCES people (id),
    changed_at      INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, version)
);
CREATE INDEX policy_versions_in_force ON policy_versions (organisation_id, valid_from, version);

CREATE TABLE person_role_tags (
    person_id BLOB NOT NULL REFERENCES people (id),
    tag       TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 100),
    PRIMARY KEY (person_id, tag)
);
