-- 001 foundation: tenancy, organisations, users, sessions, people, families, relationships,
-- allocation, sharing, restriction, break-glass, chronology and the append-only audit log.
-- Every case-data table carries la_id, the owning local authority (see docs/ARCHITECTURE.md).

create extension if not exists pg_trgm;

create table local_authority (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,
  name text not null,
  created_at timestamptz not null default now()
);

create table organisation (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  name text not null,
  kind text not null check (kind in ('la_childrens_services', 'police', 'health', 'education',
    'youth_justice', 'housing', 'voluntary')),
  unique (la_id, name)
);

create table team (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  organisation_id uuid not null references organisation (id),
  name text not null,
  kind text not null check (kind in ('family_safeguarding', 'complex_safeguarding', 'front_door',
    'children_in_care', 'business_support', 'performance', 'partner', 'administration')),
  locality text,
  unique (la_id, name)
);

create table app_user (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  organisation_id uuid not null references organisation (id),
  email text not null,
  display_name text not null,
  role text not null check (role in ('social_worker', 'team_manager', 'adult_specialist',
    'business_support', 'partner_practitioner', 'performance_analyst', 'system_admin')),
  job_title text not null default '',
  password_hash text,
  oidc_issuer text,
  oidc_subject text,
  failed_sign_ins integer not null default 0,
  last_failed_sign_in_at timestamptz,
  locked_until timestamptz,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  unique (oidc_issuer, oidc_subject)
);
create unique index app_user_email on app_user (lower(email));
comment on column app_user.email is 'Personal data: staff work email address.';
comment on column app_user.display_name is 'Personal data: staff name.';
comment on column app_user.password_hash is 'Secret: argon2id hash; never logged or shown.';
comment on column app_user.oidc_subject is 'Personal data: identity provider subject for the user.';

create table team_member (
  team_id uuid not null references team (id),
  user_id uuid not null references app_user (id),
  primary key (team_id, user_id)
);
create index team_member_user on team_member (user_id);

create table user_session (
  id text primary key,
  user_id uuid not null references app_user (id),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  ended_at timestamptz
);
comment on column user_session.id is 'Secret: SHA-256 of the session cookie value.';

create table person (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  given_name text not null check (length(given_name) between 1 and 100),
  family_name text not null check (length(family_name) between 1 and 100),
  other_names text not null default '',
  date_of_birth date,
  date_of_death date,
  sex text check (sex in ('1', '2', '0', '9')),
  ethnicity text,
  nhs_number text check (nhs_number ~ '^[0-9]{10}$'),
  upn text check (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$'),
  restricted boolean not null default false,
  search_name text generated always as (lower(given_name || ' ' || family_name)) stored,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index person_la on person (la_id);
create index person_search_name_trgm on person using gin (search_name gin_trgm_ops);
create index person_family_name_trgm on person using gin (lower(family_name) gin_trgm_ops);
create index person_dob on person (la_id, date_of_birth);
comment on column person.given_name is 'Personal data: given name.';
comment on column person.family_name is 'Personal data: family name.';
comment on column person.other_names is 'Personal data: other names and aliases.';
comment on column person.date_of_birth is 'Personal data: date of birth.';
comment on column person.date_of_death is 'Personal data: date of death.';
comment on column person.sex is 'Personal data: CIN census gender code (0 not known, 1 male, 2 female, 9 not stated).';
comment on column person.ethnicity is 'Special category data: DfE ethnicity code.';
comment on column person.nhs_number is 'Personal data: NHS number (modulus 11 checked).';
comment on column person.upn is 'Personal data: unique pupil number (check letter validated).';
comment on column person.search_name is 'Personal data: lower-case name for trigram search.';

create table address (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  line1 text not null,
  line2 text not null default '',
  town text not null,
  postcode text not null,
  -- A confidential address (e.g. a refuge) is shown only to those who may see the record of
  -- every person living there; see src/access/.
  confidential boolean not null default false
);
comment on column address.line1 is 'Personal data: address.';
comment on column address.line2 is 'Personal data: address.';
comment on column address.town is 'Personal data: address.';
comment on column address.postcode is 'Personal data: postcode.';

-- Where a person lives, over time; the people at one address now form a household.
create table person_address (
  person_id uuid not null references person (id),
  address_id uuid not null references address (id),
  la_id uuid not null references local_authority (id),
  start_date date not null,
  end_date date,
  primary key (person_id, address_id, start_date)
);
create index person_address_address on person_address (address_id);

create table family (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  name text not null,
  created_at timestamptz not null default now()
);
comment on column family.name is 'Personal data: family name used as the group label.';

create table family_member (
  family_id uuid not null references family (id),
  person_id uuid not null references person (id),
  la_id uuid not null references local_authority (id),
  primary key (family_id, person_id)
);
create index family_member_person on family_member (person_id);

-- "person_id is <kind> of related_person_id"; the inverse is derived in src/domain/.
create table relationship (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  related_person_id uuid not null references person (id),
  kind text not null check (kind in ('parent', 'step_parent', 'foster_carer', 'kinship_carer',
    'grandparent', 'sibling', 'half_sibling', 'partner', 'ex_partner', 'aunt_or_uncle', 'other')),
  parental_responsibility boolean not null default false,
  start_date date,
  end_date date,
  check (person_id <> related_person_id)
);
create index relationship_person on relationship (person_id);
create index relationship_related on relationship (related_person_id);

-- A practitioner allocated to a person, within a team. Visibility flows from here.
create table allocation (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  worker_id uuid not null references app_user (id),
  team_id uuid not null references team (id),
  start_date date not null,
  end_date date
);
create index allocation_person on allocation (person_id) where end_date is null;
create index allocation_worker on allocation (worker_id) where end_date is null;
create index allocation_team on allocation (team_id) where end_date is null;

-- A person's record shared with a partner organisation on a recorded lawful basis.
create table record_share (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  organisation_id uuid not null references organisation (id),
  lawful_basis text not null,
  purpose text not null check (length(purpose) >= 5),
  shared_by uuid not null references app_user (id),
  shared_at timestamptz not null default now(),
  expires_on date,
  revoked_at timestamptz
);
create index record_share_org on record_share (organisation_id, person_id) where revoked_at is null;

-- Named users who may see a restricted record; nobody else can.
create table restricted_access (
  person_id uuid not null references person (id),
  user_id uuid not null references app_user (id),
  la_id uuid not null references local_authority (id),
  granted_by uuid not null references app_user (id),
  granted_at timestamptz not null default now(),
  primary key (person_id, user_id)
);

create table break_glass (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  user_id uuid not null references app_user (id),
  person_id uuid not null references person (id),
  reason text not null check (length(reason) >= 10),
  started_at timestamptz not null,
  expires_at timestamptz not null,
  reviewed_by uuid references app_user (id),
  reviewed_at timestamptz,
  review_note text
);
create index break_glass_user on break_glass (user_id, person_id, expires_at);
create index break_glass_unreviewed on break_glass (la_id) where reviewed_at is null;
comment on column break_glass.reason is 'Personal data: why emergency access was needed.';

create table chronology_entry (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  occurred_on date not null,
  kind text not null,
  summary text not null,
  organisation_id uuid not null references organisation (id),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index chronology_person on chronology_entry (person_id, occurred_on desc);
comment on column chronology_entry.summary is 'Personal data: what happened to the person.';

-- The audit log: append-only (trigger below), hash-chained (src/audit/). The chain head holds
-- the last sequence number and hash; writers lock it, so sequence numbers have no gaps.
create table audit_log (
  seq bigint primary key,
  occurred_at timestamptz not null,
  la_id uuid,
  actor_user_id uuid,
  actor_organisation_id uuid,
  action text not null,
  outcome text not null check (outcome in ('allowed', 'denied', 'failed')),
  person_ids uuid[] not null default '{}',
  subject_type text,
  subject_id text,
  summary jsonb not null default '{}',
  prev_hash text not null,
  hash text not null
);
create index audit_log_person_ids on audit_log using gin (person_ids);
create index audit_log_actor on audit_log (actor_user_id, occurred_at);
comment on column audit_log.person_ids is 'Personal data: whose records were read or changed.';
comment on column audit_log.summary is 'Curated summary of the operation; never the payload.';

create table audit_chain_head (
  id boolean primary key default true check (id),
  seq bigint not null,
  hash text not null
);
insert into audit_chain_head (id, seq, hash) values (true, 0, repeat('0', 64));

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op;
end;
$$;
create trigger audit_log_no_update_delete before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
revoke update, delete, truncate on audit_log from public;
