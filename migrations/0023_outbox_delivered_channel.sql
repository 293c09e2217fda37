-- The alert channel's last post Slack took, found without reading every delivered message: the
-- bot asks it on each pass while a post to the channel fails (alerts are held back once the
-- channel has taken nothing for a minute).

CREATE INDEX outbox_delivered_channel ON outbox (delivered_channel, delivered_at)
  WHERE state = 'delivered';
