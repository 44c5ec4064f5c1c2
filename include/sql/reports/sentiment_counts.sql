-- Inbound messages created in [start, end) (UTC) counted by the sentiment of their latest
-- label ('sin_clasificar' when unlabelled): the monthly trend without loading every row.
WITH m AS (
  SELECT message_id
  FROM message
  WHERE created_at >= :start AND created_at < :end
    AND (is_own IS NULL OR NOT is_own)
),
l AS (
  SELECT ml.message_id, ml.sentiment,
         ROW_NUMBER() OVER (PARTITION BY ml.message_id
                            ORDER BY ml.classified_at DESC, ml.model_version DESC) AS rn
  FROM message_label AS ml
  JOIN m ON m.message_id = ml.message_id
)
SELECT COALESCE(l.sentiment, 'sin_clasificar') AS sentiment, COUNT(*) AS n
FROM m
LEFT JOIN l ON l.message_id = m.message_id AND l.rn = 1
GROUP BY COALESCE(l.sentiment, 'sin_clasificar')
