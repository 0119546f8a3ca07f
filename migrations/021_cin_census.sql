-- 021 The Children in Need census produced from the records (issue 12, decision 0031).
-- What a child's record needs for the census that it did not hold, and the kept runs of a
-- statutory return with their files, reports and the answers given to queries.

-- The LA child id the council sends the DfE: stable, one per person, never reused.
create sequence person_la_child_id_seq;
alter table person add column la_child_id text;
update person set la_child_id = 'C' || lpad(nextval('person_la_child_id_seq')::text, 7, '0');
alter table person alter column la_child_id set default
  'C' || lpad(nextval('person_la_child_id_seq')::text, 7, '0');
alter table person alter column la_child_id set not null;
create unique index person_la_child_id on person (la_id, la_child_id);
comment on column person.la_child_id is 'Personal data: the LA child id sent in statutory returns.';

alter table person add column upn_unknown text
  check (upn_unknown in ('UN1', 'UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'));
alter table person add column former_upn text check (former_upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$');
alter table person add column expected_birth_date date;
comment on column person.upn_unknown is 'Why the child has no UPN (census unknownupntype).';
comment on column person.former_upn is 'Personal data: a UPN the child held before.';
comment on column person.expected_birth_date is 'Personal data: when an unborn child is due.';

create table person_disability (
  person_id uuid not null references person (id),
  la_id uuid not null references local_authority (id),
  code text not null check (code in ('NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR',
    'VIS', 'BEH', 'CON', 'AUT', 'DDA')),
  primary key (person_id, code)
);
comment on table person_disability is 'Personal data: the census disability codes recorded for a person.';

-- One run of a return: the file made, the validation report, and who made it.
create table return_run (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  return_kind text not null check (return_kind in ('cin')),
  collection_year text not null check (collection_year ~ '^[0-9]{4}-[0-9]{2}$'),
  generated_by uuid not null references app_user (id),
  generated_at timestamptz not null default now(),
  children integer not null,
  errors integer not null,
  queries integer not null,
  schema_valid boolean not null,
  schema_errors jsonb not null default '[]',
  file_xml text not null
);
create index return_run_la on return_run (la_id, return_kind, collection_year, generated_at desc);
comment on table return_run is 'Personal data: a statutory return as generated, with its file.';

-- Each rule failure of a run, naming the child (person_id) where the record is Trellis's.
create table return_failure (
  run_id uuid not null references return_run (id),
  la_id uuid not null references local_authority (id),
  position integer not null,
  rule text not null,
  severity text not null check (severity in ('error', 'query')),
  person_id uuid references person (id),
  la_child_id text,
  field text not null,
  value text,
  crashed text,
  primary key (run_id, position)
);
create index return_failure_person on return_failure (la_id, person_id);
comment on table return_failure is 'Personal data: which child fails which census rule in a run.';

-- A performance officer's answer to a query, carried to the same child and rule in later runs.
create table return_query_answer (
  la_id uuid not null references local_authority (id),
  return_kind text not null,
  rule text not null,
  la_child_id text not null,
  reason text not null check (length(reason) between 1 and 1000),
  answered_by uuid not null references app_user (id),
  answered_at timestamptz not null default now(),
  run_id uuid not null references return_run (id),
  primary key (la_id, return_kind, rule, la_child_id)
);
comment on table return_query_answer is 'Personal data: why a child''s census query is right as it is.';
