-- 006 Contextual safeguarding, second part: incidents at places, contexts (a peer group, a
-- place or a school) as subjects with an assessment, a plan of partner actions and reviews,
-- and multi-agency panels (MACE, MASP) with agendas of children and contexts (decision 0014).

-- Something that happened: anti-social behaviour, knife crime, a sighting, an arrest, a child
-- found while missing. Intelligence like an association: source agency and sharing.
create table incident (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  kind text not null check (kind in ('asb', 'knife_crime', 'sighting', 'arrest',
    'found_missing', 'other')),
  occurred_on date not null,
  location_id uuid references location (id),
  description text not null default '',
  source_organisation_id uuid not null references organisation (id),
  share_with_partners boolean not null default false,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index incident_location on incident (location_id, occurred_on);
create index incident_la_occurred on incident (la_id, occurred_on);
comment on column incident.description is 'Personal data: what happened.';

-- Who an incident involved: children and persons of concern.
create table incident_subject (
  id uuid primary key default gen_random_uuid(),
  incident_id uuid not null references incident (id),
  person_id uuid references person (id),
  person_of_concern_id uuid references person_of_concern (id),
  check (num_nonnulls(person_id, person_of_concern_id) = 1)
);
create index incident_subject_person on incident_subject (person_id) where person_id is not null;
create index incident_subject_incident on incident_subject (incident_id);

-- A context referred as a subject in its own right: a peer group, a place or a school.
create table context_case (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  kind text not null check (kind in ('peer_group', 'location', 'school')),
  peer_group_id uuid references peer_group (id),
  location_id uuid references location (id),
  school_organisation_id uuid references organisation (id),
  referred_on date not null,
  referral_reason text not null check (length(referral_reason) between 1 and 5000),
  referred_by uuid not null references app_user (id),
  assessment text not null default '',
  assessed_on date,
  assessed_by uuid references app_user (id),
  closed_on date,
  version integer not null default 1,
  recorded_at timestamptz not null default now(),
  check (num_nonnulls(peer_group_id, location_id, school_organisation_id) = 1),
  check ((kind = 'peer_group') = (peer_group_id is not null)),
  check ((kind = 'location') = (location_id is not null)),
  check ((kind = 'school') = (school_organisation_id is not null)),
  check (assessed_on is null or assessed_on >= referred_on),
  check (closed_on is null or closed_on >= referred_on)
);

-- The context plan: partner actions (detached youth work at a park, guardianship with local
-- businesses, work in a school), each owned by an agency.
create table context_action (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  context_id uuid not null references context_case (id),
  action text not null check (length(action) between 1 and 2000),
  owner_organisation_id uuid not null references organisation (id),
  due_on date not null,
  progress text not null default 'not_started' check (progress in ('not_started',
    'in_progress', 'done', 'stopped')),
  progress_note text not null default '',
  version integer not null default 1,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);

create table context_review (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  context_id uuid not null references context_case (id),
  reviewed_on date not null,
  summary text not null check (length(summary) between 1 and 10000),
  next_review_on date,
  reviewed_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check (next_review_on is null or next_review_on > reviewed_on)
);

-- Multi-agency panels and their meetings.
create table panel (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  kind text not null check (kind in ('mace', 'masp')),
  name text not null check (length(name) between 1 and 200),
  unique (la_id, name)
);

create table panel_meeting (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  panel_id uuid not null references panel (id),
  meets_on date not null,
  chair text not null default '',
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  version integer not null default 1
);
create index panel_meeting_date on panel_meeting (la_id, meets_on);

create table panel_attendee (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references panel_meeting (id),
  organisation_id uuid not null references organisation (id),
  name text not null check (length(name) between 1 and 200)
);

-- An agenda item: a child or a context.
create table panel_agenda_item (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  meeting_id uuid not null references panel_meeting (id),
  person_id uuid references person (id),
  context_id uuid references context_case (id),
  reason text not null check (length(reason) between 1 and 2000),
  added_by uuid not null references app_user (id),
  added_at timestamptz not null default now(),
  check (num_nonnulls(person_id, context_id) = 1)
);
create index panel_agenda_person on panel_agenda_item (person_id) where person_id is not null;
create unique index panel_agenda_once_person on panel_agenda_item (meeting_id, person_id)
  where person_id is not null;
create unique index panel_agenda_once_context on panel_agenda_item (meeting_id, context_id)
  where context_id is not null;

create table panel_decision (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  agenda_item_id uuid not null references panel_agenda_item (id),
  decision text not null check (length(decision) between 1 and 5000),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);

create table panel_action (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  agenda_item_id uuid not null references panel_agenda_item (id),
  action text not null check (length(action) between 1 and 2000),
  owner_organisation_id uuid not null references organisation (id),
  due_on date not null,
  done_on date,
  version integer not null default 1,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
