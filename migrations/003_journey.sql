-- 003 the statutory journey of a child: contacts, referrals (the child's episode of need),
-- assessments, strategy discussions, section 47 enquiries, child protection conferences and
-- plans, child in need plans, early help, looked-after episodes, missing episodes, visits, case
-- notes and allocation history. Codes are the DfE's (CIN census, SSDA903); the lists live in
-- src/domain/ and are checked there, so a code list change is not a migration.
-- Every table carries la_id and, where it is about a child, person_id: visibility of a record
-- follows visibility of its person (src/access/visibility.ts).

-- Chronology entries link back to the record they summarise.
alter table chronology_entry add column subject_type text, add column subject_id uuid;

-- Allocation history: who allocated, and why an allocation ended (SSDA903 SW_REASON).
alter table allocation add column allocated_by uuid references app_user (id),
  add column end_reason text;

-- A contact: information about one or more children received by the front door. It needs a
-- decision within 1 working day; a decision of assessment or strategy discussion makes it a
-- referral and opens each child's episode of need (decision 0010).
create table contact (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  received_on date not null,
  source text not null,
  referrer text not null default '' check (length(referrer) <= 200),
  reasons text not null check (length(reasons) between 1 and 5000),
  decision_due_on date not null,
  decision text check (decision in ('no_further_action', 'early_help', 'assessment',
    'strategy_discussion')),
  decision_reason text,
  decided_on date,
  decided_by uuid references app_user (id),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  version integer not null default 1,
  check ((decision is null) = (decided_by is null) and (decision is null) = (decided_on is null)),
  check (decided_on is null or decided_on >= received_on)
);
create index contact_undecided on contact (la_id, decision_due_on) where decision is null;
comment on column contact.referrer is 'Personal data: who made the contact.';
comment on column contact.reasons is 'Personal data: the concerns reported about the children.';
comment on column contact.decision_reason is 'Personal data: why the decision was made.';

-- The children a contact concerns; referral_id is the episode the decision opened or joined.
create table contact_child (
  contact_id uuid not null references contact (id),
  person_id uuid not null references person (id),
  la_id uuid not null references local_authority (id),
  referral_id uuid,
  primary key (contact_id, person_id)
);
create index contact_child_person on contact_child (person_id);

-- A referral: one child's episode of need (CIN census CINdetails), from referral to closure.
-- A child has at most one open episode.
create table referral (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  contact_id uuid references contact (id),
  referral_date date not null,
  source text not null,
  primary_need text,
  closed_on date,
  closure_reason text,
  opened_by uuid not null references app_user (id),
  closed_by uuid references app_user (id),
  version integer not null default 1,
  check ((closed_on is null) = (closure_reason is null)),
  check (closed_on is null or closed_on >= referral_date)
);
create index referral_person on referral (person_id, referral_date);
create unique index referral_one_open on referral (person_id) where closed_on is null;
create index referral_la_date on referral (la_id, referral_date);
alter table contact_child add foreign key (referral_id) references referral (id);

-- Child and family assessment: due 45 working days from the referral; a manager authorises it.
create table assessment (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  referral_id uuid not null references referral (id),
  person_id uuid not null references person (id),
  started_on date not null,
  due_on date not null,
  submitted_on date,
  factors text[] not null default '{}',
  outcome text check (outcome in ('no_further_action', 'early_help', 'cin_plan',
    'strategy_discussion', 'looked_after')),
  analysis text not null default '' check (length(analysis) <= 20000),
  authorised_on date,
  authorised_by uuid references app_user (id),
  recorded_by uuid not null references app_user (id),
  version integer not null default 1,
  check (authorised_on is null or (submitted_on is not null and authorised_on >= started_on)),
  check (submitted_on is null or submitted_on >= started_on)
);
create index assessment_referral on assessment (referral_id);
create index assessment_person on assessment (person_id);
create index assessment_open on assessment (la_id, due_on) where authorised_on is null;
comment on column assessment.analysis is 'Personal data: the analysis of the child''s needs.';
comment on column assessment.factors is 'Special category data: CIN census factors identified.';

create table strategy_discussion (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  referral_id uuid not null references referral (id),
  person_id uuid not null references person (id),
  held_on date not null,
  concerns text not null check (length(concerns) between 1 and 5000),
  outcome text not null check (outcome in ('s47', 'no_s47')),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index strategy_discussion_person on strategy_discussion (person_id, held_on);
comment on column strategy_discussion.concerns is 'Personal data: the concerns discussed.';

-- Who took part, by agency; all 3 statutory partners means LA, police and health each attended.
create table strategy_attendee (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  strategy_discussion_id uuid not null references strategy_discussion (id),
  agency_kind text not null,
  name text not null check (length(name) between 1 and 200),
  role text not null default ''
);
create index strategy_attendee_discussion on strategy_attendee (strategy_discussion_id);
comment on column strategy_attendee.name is 'Personal data: attendee name.';

create table s47_enquiry (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  referral_id uuid not null references referral (id),
  person_id uuid not null references person (id),
  strategy_discussion_id uuid not null unique references strategy_discussion (id),
  started_on date not null,
  icpc_due_on date not null,
  completed_on date,
  outcome text check (outcome in ('icpc', 'no_icpc')),
  findings text not null default '',
  recorded_by uuid not null references app_user (id),
  version integer not null default 1,
  check ((completed_on is null) = (outcome is null)),
  check (completed_on is null or completed_on >= started_on)
);
create index s47_enquiry_person on s47_enquiry (person_id);
create index s47_enquiry_icpc_due on s47_enquiry (la_id, icpc_due_on) where outcome is null or outcome = 'icpc';
comment on column s47_enquiry.findings is 'Personal data: what the enquiry found.';

-- A child protection conference: initial (after an S47) or review (of a CP plan).
create table cp_conference (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  referral_id uuid not null references referral (id),
  person_id uuid not null references person (id),
  kind text not null check (kind in ('initial', 'review')),
  s47_enquiry_id uuid references s47_enquiry (id),
  cp_plan_id uuid,
  held_on date not null,
  due_on date not null,
  decision text not null check (decision in ('plan', 'no_plan', 'continue', 'end')),
  category text,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check ((kind = 'initial') = (s47_enquiry_id is not null)),
  check (kind = 'initial' and decision in ('plan', 'no_plan')
    or kind = 'review' and decision in ('continue', 'end') and cp_plan_id is not null)
);
create index cp_conference_person on cp_conference (person_id, held_on);
create unique index cp_conference_one_icpc on cp_conference (s47_enquiry_id) where kind = 'initial';

create table cp_plan (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  referral_id uuid not null references referral (id),
  person_id uuid not null references person (id),
  icpc_id uuid not null unique references cp_conference (id),
  start_date date not null,
  initial_category text not null,
  latest_category text not null,
  next_review_due date,
  end_date date,
  end_reason text,
  version integer not null default 1,
  check ((end_date is null) = (end_reason is null)),
  check (end_date is null or end_date >= start_date)
);
create unique index cp_plan_one_open on cp_plan (person_id) where end_date is null;
create index cp_plan_review_due on cp_plan (la_id, next_review_due) where end_date is null;
alter table cp_conference add foreign key (cp_plan_id) references cp_plan (id);

create table core_group (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  cp_plan_id uuid not null references cp_plan (id),
  person_id uuid not null references person (id),
  held_on date not null,
  recorded_by uuid not null references app_user (id)
);
create index core_group_plan on core_group (cp_plan_id, held_on);

create table cin_plan (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  referral_id uuid not null references referral (id),
  person_id uuid not null references person (id),
  start_date date not null,
  end_date date,
  version integer not null default 1,
  check (end_date is null or end_date >= start_date)
);
create unique index cin_plan_one_open on cin_plan (person_id) where end_date is null;

-- Early help: below the statutory threshold. Step-down comes from a closed referral; step-up
-- ends the episode with 'stepped_up' and a new contact.
create table early_help_episode (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  contact_id uuid references contact (id),
  stepped_down_from uuid references referral (id),
  start_date date not null,
  end_date date,
  end_reason text check (end_reason in ('needs_met', 'stepped_up', 'disengaged', 'moved_away',
    'other')),
  recorded_by uuid not null references app_user (id),
  version integer not null default 1,
  check ((end_date is null) = (end_reason is null)),
  check (end_date is null or end_date >= start_date)
);
create unique index early_help_one_open on early_help_episode (person_id) where end_date is null;

-- Looked after (SSDA903 Episodes): a new row for each change of legal status or placement.
create table cla_episode (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  referral_id uuid references referral (id),
  start_date date not null,
  reason_new_episode text not null,
  legal_status text not null,
  placement_type text not null,
  placement_provider text,
  placement_postcode text check (placement_postcode is null or length(placement_postcode) <= 8),
  end_date date,
  reason_ceased text,
  recorded_by uuid not null references app_user (id),
  version integer not null default 1,
  check ((end_date is null) = (reason_ceased is null)),
  check (end_date is null or end_date >= start_date)
);
create index cla_episode_person on cla_episode (person_id, start_date);
create unique index cla_episode_one_open on cla_episode (person_id) where end_date is null;
comment on column cla_episode.placement_postcode is 'Personal data: where the child lives.';

create table cla_review (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  held_on date not null,
  due_on date not null,
  participation text not null,
  recorded_by uuid not null references app_user (id)
);
create index cla_review_person on cla_review (person_id, held_on);

-- Missing (M) or away without authorisation (A); a return interview is offered within 72 hours.
create table missing_episode (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  kind text not null check (kind in ('M', 'A')),
  started_at timestamptz not null,
  ended_at timestamptz,
  where_found text not null default '',
  interview_offered_at timestamptz,
  interview_accepted boolean,
  interview_held_at timestamptz,
  child_said text not null default '',
  recorded_by uuid not null references app_user (id),
  version integer not null default 1,
  check (ended_at is null or ended_at >= started_at),
  check (interview_offered_at is null or ended_at is not null)
);
create index missing_episode_person on missing_episode (person_id, started_at);
create index missing_episode_interview_due on missing_episode (la_id, ended_at)
  where ended_at is not null and interview_offered_at is null;
comment on column missing_episode.where_found is 'Personal data: where the child was found.';
comment on column missing_episode.child_said is 'Personal data: what the child said, in their words.';

-- How often statutory visits are due, in working days, per plan type; code defaults apply
-- where an LA has set none (src/domain/visits.ts).
create table visit_frequency (
  la_id uuid not null references local_authority (id),
  plan_type text not null check (plan_type in ('cp', 'cin', 'cla')),
  working_days integer not null check (working_days between 1 and 130),
  primary key (la_id, plan_type)
);

create table visit (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  visited_on date not null,
  plan_type text check (plan_type in ('cp', 'cin', 'cla')),
  seen boolean not null,
  seen_alone boolean not null,
  child_views text not null default '' check (length(child_views) <= 10000),
  note text not null default '' check (length(note) <= 20000),
  visitor_id uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check (seen or not seen_alone)
);
create index visit_person on visit (person_id, visited_on);
comment on column visit.child_views is 'Personal data: the child''s views in their own words.';
comment on column visit.note is 'Personal data: what was seen and done on the visit.';

create table case_note (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  occurred_on date not null,
  note text not null check (length(note) between 1 and 20000),
  author_id uuid not null references app_user (id),
  organisation_id uuid not null references organisation (id),
  recorded_at timestamptz not null default now()
);
create index case_note_person on case_note (person_id, occurred_on);
comment on column case_note.note is 'Personal data: the case note.';
