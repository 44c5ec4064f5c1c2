-- Citizens messages (not the entity own) created in the [start, end) window, with the latest label.
SELECT m.message_id, m.account_id, m.network, m.kind, m.created_at, m.responded_at,
       m.text, m.permalink, l.sentiment, l.sentiment_score
FROM message AS m
LEFT JOIN (
    SELECT ml.message_id, ml.sentiment, ml.sentiment_score,
           ROW_NUMBER() OVER (PARTITION BY ml.message_id ORDER BY ml.classified_at DESC,
                              ml.model_version DESC) AS rn
    FROM message_label AS ml
) AS l ON l.message_id = m.message_id AND l.rn = 1
WHERE m.created_at >= :start AND m.created_at < :end
  AND (m.is_own IS NULL OR m.is_own = FALSE)
