-- The posts of one campaign with their latest lifetime snapshot up to the closing day
-- (post metrics are cumulative: the snapshot is the post's total at that day).
SELECT p.post_id, p.account_id, a.network, a.handle, p.published_at, p.kind, p.text,
       p.permalink, d.day AS snapshot_day, d.reach, d.views, d.reactions, d.comments,
       d.shares, d.saves, d.clicks, d.video_views
FROM post AS p
JOIN account AS a ON a.account_id = p.account_id
LEFT JOIN post_daily AS d ON d.post_id = p.post_id
  AND d.day = (SELECT MAX(d2.day) FROM post_daily AS d2
               WHERE d2.post_id = p.post_id AND d2.day <= :until)
WHERE p.campaign = :campaign
ORDER BY p.published_at, p.post_id
