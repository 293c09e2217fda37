-- /healthz says when the receiver last took a batch (export_positions.delivered_at), but not which
-- receiver: after EXPORT_URL changed, the new one was shown with the old one's last delivery.
-- Each position now keeps the receiver it was delivered to: the fingerprint of EXPORT_URL and
-- EXPORT_SECRET the export's stop keeps (never the URL, whose path may hold a token). NULL: a
-- position recorded before any delivery, or by an earlier release.
ALTER TABLE export_positions ADD COLUMN delivered_to TEXT;
