-- Inbound messages created in [start, end) (UTC): the interactions and screening funnel of
-- the PQRS report. `screened` is 1 when the message has at least one classifier label.
SELECT m.message_id, m.network, m.kind, m.created_at, m.responded_at,
       CASE WHEN EXISTS (SELECT 1 FROM message_label AS ml WHERE ml.message_id = m.message_id)
            THEN 1 ELSE 0 END AS screened
FROM message AS m
WHERE m.created_at >= :start AND m.created_at < :end
  AND (m.is_own IS NULL OR NOT m.is_own)
