-- Daily account statistics for Bogotá days [:day_start, :day_end] joined with the account
-- (one row per account-day). Metrics a network does not offer stay NULL.
SELECT d.account_id, a.network, a.handle, a.display_name, d.day, d.followers,
       d.followers_gained, d.followers_lost, d.followers_derived, d.reach, d.views,
       d.engagements, d.profile_visits, d.video_views, d.posts_published, d.source
FROM account_daily AS d
JOIN account AS a ON a.account_id = d.account_id
WHERE d.day >= :day_start AND d.day <= :day_end
ORDER BY a.network, d.account_id, d.day
