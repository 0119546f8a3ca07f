-- 005 Contextual and Complex Safeguarding: exploitation screening, safety plans, persons of
-- concern, places, peer groups and the associations between them (decision 0014). Code lists
-- live in src/domain/exploitation.ts. Associations are intelligence, never fact: each carries
-- its source agency, a grading and whether it is corroborated. What an actor may see of the
-- network is decided in src/access/network.ts.

-- An exploitation screening of one child: the indicators seen, the harm types considered, the
-- level they compute and the practitioner's judgement (which may differ, with a reason).
create table exploitation_screening (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  screened_on date not null,
  indicators text[] not null,
  harm_types text[] not null,
  computed_level text not null check (computed_level in ('none', 'low', 'medium', 'high')),
  judged_level text not null check (judged_level in ('none', 'low', 'medium', 'high')),
  judgement_reason text,
  notes text not null default '',
  recorded_by uuid not null references app_user (id),
  organisation_id uuid not null references organisation (id),
  recorded_at timestamptz not null default now(),
  check (judged_level = computed_level or judgement_reason is not null)
);
create index exploitation_screening_person on exploitation_screening (person_id, screened_on);
comment on column exploitation_screening.notes is 'Personal data: what the practitioner saw.';

-- A safety plan written with the young person, in their words; each change is a new version.
create table safety_plan (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  version_no integer not null check (version_no >= 1),
  in_their_words text not null,
  trusted_adults text not null,
  safe_places text not null,
  what_to_do_if text not null,
  agreed_on date,
  agreed_with_young_person boolean not null,
  review_on date not null,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  unique (person_id, version_no)
);
comment on column safety_plan.in_their_words is 'Personal data: the young person''s own words.';

-- Adults and young people not open to the LA: intelligence records, not case records.
create table person_of_concern (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  name text not null check (length(name) between 1 and 200),
  aliases text not null default '',
  age_band text not null check (age_band in ('under_18', '18_24', '25_plus', 'unknown')),
  description text not null default '',
  risk_level text not null default 'unknown' check (risk_level in ('unknown', 'low', 'medium',
    'high')),
  source_organisation_id uuid not null references organisation (id),
  share_with_partners boolean not null default false,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  version integer not null default 1
);
comment on column person_of_concern.name is 'Personal data: intelligence about a person.';

-- Places and spaces. Coordinates are WGS84; an online platform has none.
create table location (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  name text not null check (length(name) between 1 and 200),
  kind text not null,
  ward text not null default '',
  latitude numeric(8, 5) check (latitude between -90 and 90),
  longitude numeric(8, 5) check (longitude between -180 and 180),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check ((latitude is null) = (longitude is null))
);

create table peer_group (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  name text not null check (length(name) between 1 and 200),
  description text not null default '',
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);

-- An association of a child with another child, a person of concern, a place or a group.
create table association (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  child_id uuid not null references person (id),
  other_child_id uuid references person (id),
  person_of_concern_id uuid references person_of_concern (id),
  location_id uuid references location (id),
  peer_group_id uuid references peer_group (id),
  first_seen_on date not null,
  last_seen_on date,
  source_organisation_id uuid not null references organisation (id),
  -- 3x5x2-style grading: the source (1 reliable, 2 untested, 3 not reliable) and the
  -- information (A known directly ... E suspected false).
  source_grading text not null check (source_grading in ('1', '2', '3')),
  information_grading text not null check (information_grading in ('A', 'B', 'C', 'D', 'E')),
  corroborated boolean not null default false,
  share_with_partners boolean not null default false,
  notes text not null default '',
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check (num_nonnulls(other_child_id, person_of_concern_id, location_id, peer_group_id) = 1),
  check (other_child_id is null or other_child_id <> child_id),
  check (last_seen_on is null or last_seen_on >= first_seen_on)
);
create index association_child on association (child_id);
create index association_other_child on association (other_child_id) where other_child_id is not null;
create index association_poc on association (person_of_concern_id)
  where person_of_concern_id is not null;
create index association_location on association (location_id) where location_id is not null;
create index association_group on association (peer_group_id) where peer_group_id is not null;
comment on column association.notes is 'Personal data: intelligence about the association.';

-- Raised when a new association links a child to a high-risk person, for the allocated workers.
create table network_alert (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  association_id uuid not null references association (id),
  person_id uuid not null references person (id),
  message text not null,
  raised_at timestamptz not null default now(),
  acknowledged_by uuid references app_user (id),
  acknowledged_at timestamptz,
  check ((acknowledged_by is null) = (acknowledged_at is null))
);
create index network_alert_open on network_alert (person_id) where acknowledged_at is null;
