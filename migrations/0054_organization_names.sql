-- Each watched organization's name as GET /admin/v1/orgs last gave it: after a restart, views
-- name the organization by it before that list answers again (key-expiry warnings and the
-- digest owed at start are made first), and while it does not answer.
CREATE TABLE organization_names (
  org_id              TEXT    PRIMARY KEY,
  name                TEXT    NOT NULL,
  learned_at          INTEGER NOT NULL
) STRICT;
