-- The outbox's waiting items in the order they are claimed, with what decides whether each can go
-- now (its kind, method, person, destination, due time, parent): a claim passes over the items a
-- paused method or a paced destination holds back without reading their rows, so what waits
-- holds back nothing ranked after it, at the cost of the waiting items alone.

CREATE INDEX outbox_pending ON outbox (priority, id, method, user_id, kind, destination,
  next_attempt_at, parent_id) WHERE state = 'pending';
