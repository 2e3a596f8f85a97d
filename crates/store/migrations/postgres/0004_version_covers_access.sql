-- Why: servers also keep who-may-do-what in memory (the person and roles behind an API token),
-- and read spaces and sites for the booking rules from their copy of the network. So the
-- counter of 0003 now also moves when a token is revoked or removed, a person changes (is
-- deactivated, moves to another organisation) or a role is granted or taken away: every server
-- forgets its copy within a second of such a change, the server that made it at once.

CREATE TRIGGER api_tokens_bump AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
CREATE TRIGGER people_bump AFTER UPDATE OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
CREATE TRIGGER role_grants_bump AFTER INSERT OR UPDATE OR DELETE ON role_grants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version();
