-- Personal baselines, kept as events are stored (in the same transaction, a few upserts per
-- batch), so rules ask them by primary key instead of scanning a person's history.
--
-- person_scopes: where each person has made MCP tool calls, and when first and last. A scope is
-- '*' (anywhere), 'site:<host>', 'product:<name>', 'space:<host>/<KEY>' or 'project:<host>/<KEY>'.
-- Rows go with the retention when a scope was last touched before it.
CREATE TABLE person_scopes (
  org                 INTEGER NOT NULL,              -- strings.ref of the organization id
  user_id             INTEGER NOT NULL,              -- strings.ref of the person
  scope               TEXT    NOT NULL,
  first_seq           INTEGER NOT NULL,              -- event_rows.seq of the first call into it
  first_time          INTEGER NOT NULL,              -- its time (epoch ms)
  last_time           INTEGER NOT NULL,
  PRIMARY KEY (org, user_id, scope)
) STRICT, WITHOUT ROWID;

-- person_hours: each person's MCP tool calls per clock hour, for the last 15 days only (older
-- hours are not written, and are pruned with the retention pass).
CREATE TABLE person_hours (
  org                 INTEGER NOT NULL,
  user_id             INTEGER NOT NULL,
  hour                INTEGER NOT NULL,              -- epoch ms / 3 600 000
  calls               INTEGER NOT NULL,
  PRIMARY KEY (org, user_id, hour)
) STRICT, WITHOUT ROWID;
