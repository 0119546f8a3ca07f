-- Indexes for the KPI engine (issue 13). Its cohorts look up a child's earlier plans and
-- referrals, and the items open at each month end: without these, each lookup scanned the
-- table. "Open at a date" queries also bound the end date from below (closed after the period
-- began), which the (la_id, end) indexes answer.
create index if not exists cp_plan_person on cp_plan (person_id, start_date);
create index if not exists cp_plan_la_start on cp_plan (la_id, start_date);
create index if not exists cp_plan_la_end on cp_plan (la_id, end_date);
create index if not exists referral_la_closed on referral (la_id, closed_on);
create index if not exists cla_episode_la_start on cla_episode (la_id, start_date);
create index if not exists cla_episode_la_end on cla_episode (la_id, end_date);
create index if not exists allocation_la_end on allocation (la_id, end_date);
create index if not exists assessment_la_authorised on assessment (la_id, authorised_on);
create index if not exists assessment_la_submitted on assessment (la_id, submitted_on);
