-- Every campaign tag on posts with its first and last publication (UTC).
SELECT p.campaign, MIN(p.published_at) AS first_at, MAX(p.published_at) AS last_at,
       COUNT(*) AS posts
FROM post AS p
WHERE p.campaign IS NOT NULL AND p.campaign <> ''
GROUP BY p.campaign
ORDER BY MIN(p.published_at)
