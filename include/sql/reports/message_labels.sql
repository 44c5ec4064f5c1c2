-- Inbound (not own) messages created in [:start, :end) (UTC) with their latest label: the
-- message_label row with the latest classified_at (then the highest model_version).
-- Unlabelled messages come back with NULL labels. No texts or authors: counts only.
-- The latest label is picked per message through the (message_id, model_version) key
-- (one indexed lookup each), not with a window over every label of the month.
WITH m AS (
  SELECT message_id, account_id, network, kind, created_at
  FROM message
  WHERE created_at >= :start AND created_at < :end
    AND (is_own IS NULL OR NOT is_own)
)
SELECT m.message_id, m.account_id, m.network, m.kind, m.created_at, l.sentiment,
       l.sentiment_score, l.pqrs_type, l.model_version
FROM m
LEFT JOIN message_label AS l ON l.message_id = m.message_id
  AND l.model_version = (SELECT ml.model_version FROM message_label AS ml
                         WHERE ml.message_id = m.message_id
                         ORDER BY ml.classified_at DESC, ml.model_version DESC LIMIT 1)
ORDER BY m.created_at, m.message_id
