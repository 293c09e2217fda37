-- A "Not me" alert raised before 0037 counted its person's calls of its period stored up to its
-- last call, by person: an API token's calls naming their e-mail alone too, and, said in the App
-- Home by a release that kept no `accounts`, those of every account of the person. 0037 linked only
-- the calls of its accounts' ids, those stored after it too. Such alerts are recorded here: once
-- handled, each holds what it counted by that rule (see store/held-calls.ts), not its links. Those
-- raised since 0037 are linked to the calls they count when raised.
CREATE TABLE not_me_counted_by_person (
  alert_id INTEGER PRIMARY KEY REFERENCES alerts (id),
  org_id TEXT NOT NULL
);

INSERT INTO not_me_counted_by_person (alert_id, org_id)
SELECT id, org_id FROM alerts
WHERE rule_id = 'mcp-not-me'
  AND created_at < (SELECT unixepoch(applied_at, 'subsec') * 1000 FROM schema_migrations WHERE version = 37);
