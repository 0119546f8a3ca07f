-- 002: indexes for the visibility checks in src/access/visibility.ts, which match allocations
-- that are open or end in the future (the 001 partial indexes only covered end_date is null).
drop index allocation_person;
drop index allocation_worker;
drop index allocation_team;
create index allocation_person on allocation (person_id, end_date);
create index allocation_worker on allocation (worker_id, end_date);
create index allocation_team on allocation (team_id, end_date);
create index record_share_person on record_share (person_id, organisation_id) where revoked_at is null;
create index break_glass_person on break_glass (person_id, user_id, expires_at);
