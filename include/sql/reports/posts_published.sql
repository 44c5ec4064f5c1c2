-- Posts published in [:start, :end) (UTC bounds of Bogotá days), without retweets and sponsored
-- dark posts (not the account's publications), with their latest lifetime
-- snapshot up to :day_end (NULL metrics when no snapshot was loaded yet).
WITH e AS (
  SELECT post_id, day, reach, views, reactions, comments, shares, saves, clicks, video_views,
         ROW_NUMBER() OVER (PARTITION BY post_id ORDER BY day DESC) AS rn
  FROM post_daily
  WHERE day <= :day_end
)
SELECT p.post_id, p.account_id, a.network, a.handle, a.display_name, p.published_at, p.kind,
       p.campaign, e.day AS snapshot_day, e.reach, e.views, e.reactions, e.comments, e.shares,
       e.saves, e.clicks, e.video_views
FROM post AS p
JOIN account AS a ON a.account_id = p.account_id
LEFT JOIN e ON e.post_id = p.post_id AND e.rn = 1
WHERE p.published_at >= :start AND p.published_at < :end
  AND COALESCE(p.kind, '') NOT IN ('repost', 'dark_post')  -- not the account's publications
ORDER BY p.published_at, p.post_id
