-- 009 emergency access review (decision 0016): who reviews a manager's own emergency access
-- (a head of service), the review's outcome, and emergency-access searches kept for review.

-- A head of service is a team manager the administrator marks as such: they review team
-- managers' emergency access and see every grant of a case role by an administrator.
alter table app_user add column head_of_service boolean not null default false;
alter table app_user add constraint app_user_head_of_service_is_manager
  check (not head_of_service or role = 'team_manager');

alter table break_glass add column review_outcome text
  check (review_outcome in ('justified', 'not_justified', 'referred_to_ig'));
comment on column break_glass.review_note is
  'Personal data: the reviewer''s note on whether emergency access was justified.';

-- Each emergency-access search, with its reason: a search that opened nothing is reviewed too.
-- The words searched for are not kept (decision 0004); who appeared is in the audit row.
create table break_glass_search (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  user_id uuid not null references app_user (id),
  reason text not null check (length(reason) between 10 and 1000),
  results integer not null,
  searched_at timestamptz not null,
  reviewed_by uuid references app_user (id),
  reviewed_at timestamptz,
  review_outcome text check (review_outcome in ('justified', 'not_justified', 'referred_to_ig')),
  review_note text
);
create index break_glass_search_unreviewed on break_glass_search (la_id) where reviewed_at is null;
create index break_glass_search_user on break_glass_search (user_id, searched_at);
comment on column break_glass_search.reason is 'Personal data: why emergency access was needed.';
comment on column break_glass_search.review_note is
  'Personal data: the reviewer''s note on whether the search was justified.';
