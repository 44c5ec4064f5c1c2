-- Inbound messages created in [start, end) (UTC) with their latest label (the label row
-- with the latest classified_at, then the highest model_version). The entity's own messages
-- are left out: they are not citizens' sentiment. Unlabelled messages come back with NULLs.
-- The latest label is picked per message through the (message_id, model_version) key
-- (one indexed lookup each), not with a window over every label of the month.
WITH m AS (
  SELECT message_id, network, account_id, kind, created_at, author_key, author_handle, text,
         permalink
  FROM message
  WHERE created_at >= :start AND created_at < :end
    AND (is_own IS NULL OR NOT is_own)
)
SELECT m.message_id, m.network, m.account_id, m.kind, m.created_at, m.author_key,
       m.author_handle, m.text, m.permalink, l.sentiment, l.sentiment_score, l.pqrs_type, l.model_version
FROM m
LEFT JOIN message_label AS l ON l.message_id = m.message_id
  AND l.model_version = (SELECT ml.model_version FROM message_label AS ml
                         WHERE ml.message_id = m.message_id
                         ORDER BY ml.classified_at DESC, ml.model_version DESC LIMIT 1)
ORDER BY m.created_at, m.message_id
