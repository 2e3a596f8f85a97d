-- Why: servers also keep who-may-do-what in memory (the person and roles behind an API token),
-- and read spaces and sites for the booking rules from their copy of the network. So the
-- counter of 0003 now also moves when a token is revoked or removed, a person changes (is
-- deactivated, moves to another organisation) or a role is granted or taken away: every server
-- forgets its copy within a second of such a change, the server that made it at once.

CREATE TRIGGER api_tokens_bump_update AFTER UPDATE ON api_tokens BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER api_tokens_bump_delete AFTER DELETE ON api_tokens BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER people_bump_update AFTER UPDATE ON people BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER people_bump_delete AFTER DELETE ON people BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER role_grants_bump_insert AFTER INSERT ON role_grants BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER role_grants_bump_update AFTER UPDATE ON role_grants BEGIN UPDATE network_version SET version = version + 1; END;
CREATE TRIGGER role_grants_bump_delete AFTER DELETE ON role_grants BEGIN UPDATE network_version SET version = version + 1; END;
