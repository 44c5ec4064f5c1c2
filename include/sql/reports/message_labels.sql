-- Inbound (not own) messages created in [:start, :end) (UTC) with their latest label: the
-- message_label row with the latest classified_at (then the highest model_version).
-- Unlabelled messages come back with NULL labels. No texts or authors: counts only.
WITH m AS (
  SELECT message_id, account_id, network, kind, created_at
  FROM message
  WHERE created_at >= :start AND created_at < :end
    AND (is_own IS NULL OR NOT is_own)
),
l AS (
  SELECT ml.message_id, ml.sentiment, ml.sentiment_score, ml.pqrs_type, ml.model_version,
         ROW_NUMBER() OVER (PARTITION BY ml.message_id
                            ORDER BY ml.classified_at DESC, ml.model_version DESC) AS rn
  FROM message_label AS ml
  JOIN m ON m.message_id = ml.message_id
)
SELECT m.message_id, m.account_id, m.network, m.kind, m.created_at, l.sentiment,
       l.sentiment_score, l.pqrs_type, l.model_version
FROM m
LEFT JOIN l ON l.message_id = m.message_id AND l.rn = 1
ORDER BY m.created_at, m.message_id
