-- 013 the next piece of work a decision creates (decision 0020), and allocations that end
-- (decision 0021).

-- A piece of work a manager's decision implies ("hold a strategy discussion", "arrange the
-- initial conference"), for a worker or, with no worker, on the team's unallocated queue. It
-- is done when the record it asks for is made (done_subject_*), or cancelled when the case
-- closes. An open item on a team's queue gives the team's practitioners sight of the child.
create table work_item (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  kind text not null check (kind in ('strategy_discussion', 'assessment', 'early_help',
    'feedback_to_referrer', 'icpc', 'core_group', 'cin_plan', 'plan_or_close', 'close_case',
    'looked_after')),
  team_id uuid not null references team (id),
  worker_id uuid references app_user (id),
  due_on date not null,
  source_type text not null,
  source_id uuid not null,
  created_on date not null,
  created_by uuid not null references app_user (id),
  created_at timestamptz not null default now(),
  done_on date,
  done_by uuid references app_user (id),
  done_subject_type text,
  done_subject_id uuid,
  cancelled_reason text check (cancelled_reason in ('case_closed')),
  version integer not null default 1,
  check (done_on is null or cancelled_reason is null)
);
create index work_item_open_person on work_item (person_id) where done_on is null
  and cancelled_reason is null;
create index work_item_open_worker on work_item (worker_id) where done_on is null
  and cancelled_reason is null;
create index work_item_open_team on work_item (team_id) where done_on is null
  and cancelled_reason is null;
comment on table work_item is 'Work a decision created about a child: who holds it, when it is due, and the record that did it.';

-- How soon a strategy discussion is due after the decision to hold one, in working days: the
-- next working day unless the council sets otherwise (Working Together 2023 says "immediately"
-- where there is risk of significant harm; councils count it differently).
alter table local_authority add column strategy_discussion_working_days integer not null
  default 1 check (strategy_discussion_working_days between 0 and 10);

-- Why an allocation ended, beyond the SSDA903 reason for a change of social worker:
-- reallocated (end_reason holds the SW_REASON code), case_closed (closing the case ended it),
-- or ended (a worker or manager ended it with a note). And who ended it.
alter table allocation add column end_kind text
    check (end_kind in ('reallocated', 'case_closed', 'ended')),
  add column end_note text check (length(end_note) <= 2000),
  add column ended_by uuid references app_user (id),
  add check (end_kind is null or end_date is not null);
comment on column allocation.end_note is 'Personal data: why the allocation was ended, in the words of whoever ended it.';

update allocation set end_kind = 'reallocated' where end_date is not null and end_reason is not null;
update allocation set end_kind = 'ended' where end_date is not null and end_kind is null;

-- Existing data: a child whose cases are all closed (at least one referral, none open) keeps
-- no open allocation that began on or before the last closure. Each such allocation ends on
-- the day the case closed, as closing now does. Allocations begun after the last closure, of
-- adults and of children never referred are left as they are.
update allocation a set end_date = last.closed_on, end_kind = 'case_closed'
from (select r.person_id, max(r.closed_on) as closed_on from referral r
  group by r.person_id having bool_and(r.closed_on is not null)) last
where a.person_id = last.person_id and a.end_date is null and a.start_date <= last.closed_on;
create index allocation_closed_person on allocation (person_id, team_id)
  where end_kind = 'case_closed';
