-- The outbox: every message the app writes to Slack, queued in the database before it is sent and
-- claimed with a lease while it is sent, so that the running bot and a command of the CLI never
-- send the same one and a crash neither loses nor repeats one. See src/slack/outbox/.
CREATE TABLE outbox (
  id                INTEGER PRIMARY KEY,
  key               TEXT    NOT NULL UNIQUE,       -- idempotency key: a message is queued once
  org_id            TEXT,                          -- the organization it is about, if any
  kind              TEXT    NOT NULL,              -- alert, alert-update, alert-reply, summary, ask, …
  ref               TEXT,                          -- what it is about (alert:org:id, digest:id), for look-ups
  method            TEXT    NOT NULL,              -- chat.postMessage | chat.update | files.upload
  destination       TEXT    NOT NULL,              -- what is paced: a channel id (or user:U…) and the kind of call
  channel           TEXT,                          -- the channel; for a direct message, once opened
  user_id           TEXT,                          -- the person a direct message goes to
  parent_id         INTEGER,                       -- the item whose message this replies to or updates
  target_ts         TEXT,                          -- or that message's ts when it is not an item
  payload           TEXT    NOT NULL,              -- JSON: what is sent (rendered when queued)
  file              BLOB,                          -- the bytes of a file upload
  data              TEXT,                          -- JSON: what the producer needs once it is sent
  priority          INTEGER NOT NULL,              -- lower first
  state             TEXT    NOT NULL DEFAULT 'pending', -- pending | claimed | delivered | failed | dropped
  owner             TEXT,                          -- the process holding the claim
  lease_until       INTEGER,                       -- the claim expires then
  nonces            TEXT    NOT NULL DEFAULT '[]', -- JSON: the random nonce sent with each attempt
  first_claimed_at  INTEGER,
  uncertain         INTEGER NOT NULL DEFAULT 0,    -- an attempt may have reached Slack: look it up first
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  deadline          INTEGER,                       -- transient failures give up after this
  last_error        TEXT,
  delivered_channel TEXT,
  delivered_ts      TEXT,
  delivered_at      INTEGER,
  failure           TEXT,                          -- why it was failed or dropped
  settled_at        INTEGER,                       -- when it was delivered, failed or dropped
  created_at        INTEGER NOT NULL
);

CREATE INDEX outbox_state ON outbox (state, priority, id);
CREATE INDEX outbox_ref ON outbox (ref, kind);
CREATE INDEX outbox_parent ON outbox (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX outbox_settled ON outbox (state, settled_at);

-- A 429 pauses a Web API method for the whole workspace (every organization, every process), a
-- setup error (not_in_channel, invalid_auth, …) for a minute at a time until a call works.
CREATE TABLE slack_pauses (
  method            TEXT    PRIMARY KEY,
  until             INTEGER NOT NULL,
  reason            TEXT    NOT NULL,              -- ratelimited, or Slack's error code
  set_at            INTEGER NOT NULL
);

-- About one message a second per channel (or person), per kind of call, across processes.
CREATE TABLE slack_pace (
  destination       TEXT    PRIMARY KEY,
  next_at           INTEGER NOT NULL
) WITHOUT ROWID;
