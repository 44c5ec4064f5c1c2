-- Per post: its latest lifetime snapshot up to :day_end and its latest snapshot before
-- :day_start. Post metrics are cumulative (reference: networks.md), so the period's value is
-- end - base (base is missing for posts first seen in the period: counts from 0).
-- Only posts with a snapshot inside [:day_start, :day_end] come back.
WITH e AS (
  SELECT post_id, day, reach, views, reactions, comments, shares, saves, clicks, video_views,
         ROW_NUMBER() OVER (PARTITION BY post_id ORDER BY day DESC) AS rn
  FROM post_daily
  WHERE day <= :day_end
),
b AS (
  SELECT post_id, day, reach, views, reactions, comments, shares, saves, clicks, video_views,
         ROW_NUMBER() OVER (PARTITION BY post_id ORDER BY day DESC) AS rn
  FROM post_daily
  WHERE day < :day_start
)
SELECT p.post_id, p.account_id, a.network, a.handle, a.display_name, p.published_at, p.kind,
       p.text, p.permalink, p.campaign,
       e.day AS end_day, e.reach AS end_reach, e.views AS end_views,
       e.reactions AS end_reactions, e.comments AS end_comments, e.shares AS end_shares,
       e.saves AS end_saves, e.clicks AS end_clicks, e.video_views AS end_video_views,
       b.day AS base_day, b.reach AS base_reach, b.views AS base_views,
       b.reactions AS base_reactions, b.comments AS base_comments, b.shares AS base_shares,
       b.saves AS base_saves, b.clicks AS base_clicks, b.video_views AS base_video_views
FROM e
JOIN post AS p ON p.post_id = e.post_id
JOIN account AS a ON a.account_id = p.account_id
LEFT JOIN b ON b.post_id = e.post_id AND b.rn = 1
WHERE e.rn = 1 AND e.day >= :day_start
ORDER BY p.published_at, p.post_id
