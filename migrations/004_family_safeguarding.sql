-- 004 Family Safeguarding: multi-disciplinary teams, the whole-family Workbook with scored
-- measures, Signs of Safety maps, the whole-family plan, group supervision and Family Group
-- Conferences (decision 0013). Code lists live in src/domain/family-safeguarding.ts.
-- Everything hangs off a family's Workbook; what a person may see of it follows visibility of
-- the people it is about (src/access/family.ts).

-- Each member's role in a multi-disciplinary team (Blackpool's team composition).
alter table team_member add column practice_role text;

-- What a share covers beyond the record itself: mental health and substance misuse are special
-- category data and reach a partner only when the share says so, on its recorded basis.
alter table record_share add column includes_health boolean not null default false;

-- One Workbook per family: the assessment every discipline writes into.
create table workbook (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  family_id uuid not null unique references family (id),
  opened_on date not null,
  opened_by uuid not null references app_user (id),
  supervision_interval_weeks integer not null default 4
    check (supervision_interval_weeks between 1 and 26),
  version integer not null default 1,
  created_at timestamptz not null default now()
);

-- A section about one person from one discipline: the current text and its revisions.
create table workbook_section (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  workbook_id uuid not null references workbook (id),
  person_id uuid not null references person (id),
  discipline text not null check (discipline in ('child', 'parent', 'domestic_abuse',
    'substance_misuse', 'mental_health')),
  body text not null check (length(body) between 1 and 50000),
  version integer not null default 1,
  updated_by uuid not null references app_user (id),
  updated_at timestamptz not null default now(),
  unique (workbook_id, discipline, person_id)
);
comment on column workbook_section.body is 'Personal data: the assessment text.';

create table workbook_section_revision (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  section_id uuid not null references workbook_section (id),
  version integer not null,
  body text not null,
  written_by uuid not null references app_user (id),
  organisation_id uuid not null references organisation (id),
  written_at timestamptz not null default now(),
  unique (section_id, version)
);
comment on column workbook_section_revision.body is 'Personal data: an earlier text.';

-- A council's own measures, validated by src/domain/instruments/instrument.ts when added.
create table measure_instrument (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  code text not null,
  version text not null,
  discipline text not null check (discipline in ('domestic_abuse', 'substance_misuse',
    'mental_health', 'general')),
  definition jsonb not null,
  active boolean not null default true,
  added_by uuid not null references app_user (id),
  added_at timestamptz not null default now(),
  unique (la_id, code, version)
);

-- One scoring of a measure for one person; repeated over time to show change.
create table measure_result (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  workbook_id uuid not null references workbook (id),
  person_id uuid not null references person (id),
  instrument_code text not null,
  instrument_version text not null,
  discipline text not null check (discipline in ('domestic_abuse', 'substance_misuse',
    'mental_health', 'general')),
  administered_on date not null,
  answers jsonb not null,
  total integer not null,
  computed_level text not null,
  judged_level text not null,
  judgement_reason text,
  -- Readiness to change is scaled per goal.
  goal text check (goal is null or length(goal) between 1 and 500),
  recorded_by uuid not null references app_user (id),
  organisation_id uuid not null references organisation (id),
  recorded_at timestamptz not null default now(),
  check ((judged_level = computed_level) or judgement_reason is not null)
);
create index measure_result_person on measure_result (workbook_id, person_id, instrument_code,
  administered_on);
comment on column measure_result.answers is 'Personal data: the answers given.';

-- An alert raised by a single answer (e.g. PHQ-9 item 9) for the family's allocated workers.
create table measure_alert (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  measure_result_id uuid not null references measure_result (id),
  workbook_id uuid not null references workbook (id),
  person_id uuid not null references person (id),
  code text not null,
  message text not null,
  raised_at timestamptz not null default now(),
  acknowledged_by uuid references app_user (id),
  acknowledged_at timestamptz,
  acknowledgement text,
  check ((acknowledged_by is null) = (acknowledged_at is null))
);
create index measure_alert_open on measure_alert (workbook_id) where acknowledged_at is null;

-- Signs of Safety map: each save is a new dated version; earlier versions stay as they were.
create table sos_map (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  workbook_id uuid not null references workbook (id),
  version_no integer not null check (version_no >= 1),
  mapped_on date not null,
  worries text not null,
  working_well text not null,
  needs_to_happen text not null,
  danger_statement text not null,
  safety_statement text not null,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  unique (workbook_id, version_no)
);

-- Scaling 0-10 by each participant, the family included.
create table sos_scaling (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  map_id uuid not null references sos_map (id),
  position integer not null,
  participant text not null check (length(participant) between 1 and 200),
  is_family boolean not null,
  score integer not null check (score between 0 and 10),
  unique (map_id, position)
);

-- The whole-family plan: one per Workbook, with goals per family member and owned actions.
create table family_plan (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  workbook_id uuid not null unique references workbook (id),
  child_views text not null default '',
  parent_views text not null default '',
  consent text not null default 'not_asked' check (consent in ('given', 'declined',
    'not_asked')),
  consent_given_by text,
  consent_recorded_on date,
  version integer not null default 1,
  updated_by uuid not null references app_user (id),
  updated_at timestamptz not null default now(),
  check ((consent = 'not_asked') = (consent_recorded_on is null))
);
comment on column family_plan.child_views is 'Personal data: the children''s views, in their words.';

create table family_plan_goal (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  plan_id uuid not null references family_plan (id),
  person_id uuid not null references person (id),
  goal text not null check (length(goal) between 1 and 2000),
  created_by uuid not null references app_user (id),
  created_at timestamptz not null default now()
);

create table family_plan_action (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  goal_id uuid not null references family_plan_goal (id),
  action text not null check (length(action) between 1 and 2000),
  owner_user_id uuid references app_user (id),
  owner_organisation_id uuid references organisation (id),
  due_on date not null,
  progress text not null default 'not_started' check (progress in ('not_started',
    'in_progress', 'done', 'stopped')),
  progress_note text not null default '',
  version integer not null default 1,
  updated_by uuid not null references app_user (id),
  updated_at timestamptz not null default now(),
  check (owner_user_id is not null or owner_organisation_id is not null)
);

-- Group supervision of one family: business support records the discussion, the team manager
-- the decisions; actions carry into the next session until done.
create table group_supervision (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  workbook_id uuid not null references workbook (id),
  scheduled_for date not null,
  held_on date,
  hypothesis text not null default '',
  what_changed text not null default '',
  risk_analysis text not null default '',
  discussion_recorded_by uuid references app_user (id),
  version integer not null default 1,
  created_by uuid not null references app_user (id),
  created_at timestamptz not null default now()
);
create index group_supervision_workbook on group_supervision (workbook_id, scheduled_for);

create table group_supervision_attendee (
  supervision_id uuid not null references group_supervision (id),
  user_id uuid not null references app_user (id),
  primary key (supervision_id, user_id)
);

create table supervision_decision (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  supervision_id uuid not null references group_supervision (id),
  decision text not null check (length(decision) between 1 and 5000),
  decided_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);

create table supervision_action (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  supervision_id uuid not null references group_supervision (id),
  action text not null check (length(action) between 1 and 2000),
  owner_user_id uuid not null references app_user (id),
  due_on date not null,
  completed_on date,
  completed_by uuid references app_user (id),
  version integer not null default 1,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index supervision_action_owner on supervision_action (owner_user_id)
  where completed_on is null;

-- A Family Group Conference (Leeds Family Valued): referral, the family network, the plan.
create table family_group_conference (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  workbook_id uuid not null references workbook (id),
  referred_on date not null,
  reason text not null check (length(reason) between 1 and 5000),
  coordinator text not null check (length(coordinator) between 1 and 200),
  network_invited text not null default '',
  network_attended text not null default '',
  held_on date,
  plan_agreed boolean,
  family_plan text not null default '',
  review_on date,
  referred_by uuid not null references app_user (id),
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  check (held_on is null or held_on >= referred_on),
  check ((held_on is null) = (plan_agreed is null)),
  check (review_on is null or held_on is not null)
);
