-- Inbound messages created in [start, end) (UTC) counted by the sentiment of their latest
-- label ('sin_clasificar' when unlabelled): the monthly trend without loading every row.
-- The latest label is picked per message through the (message_id, model_version) key
-- (one indexed lookup each), not with a window over every label of the month.
WITH m AS (
  SELECT message_id
  FROM message
  WHERE created_at >= :start AND created_at < :end
    AND (is_own IS NULL OR NOT is_own)
)
SELECT COALESCE(l.sentiment, 'sin_clasificar') AS sentiment, COUNT(*) AS n
FROM m
LEFT JOIN message_label AS l ON l.message_id = m.message_id
  AND l.model_version = (SELECT ml.model_version FROM message_label AS ml
                         WHERE ml.message_id = m.message_id
                         ORDER BY ml.classified_at DESC, ml.model_version DESC LIMIT 1)
GROUP BY COALESCE(l.sentiment, 'sin_clasificar')
