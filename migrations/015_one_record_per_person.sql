-- One record per person (issue 15; decisions 0023 and 0024): the NHS number is unique within a
-- council, a child without one carries the recorded exception of the consistent identifier
-- (Children Act 2004 s16LC), and two records of one person can be merged, and the merge undone.

-- An existing database may already hold one NHS number on several records. The migration must
-- not fail (a council cannot be stopped from upgrading) and must lose nothing: the oldest
-- record keeps the number; on the others it moves to nhs_number_duplicate, and the front
-- door's list of children without a consistent identifier shows them to resolve (decision 0023).
alter table person add column nhs_number_duplicate text
  check (nhs_number_duplicate ~ '^[0-9]{10}$');
comment on column person.nhs_number_duplicate is 'Personal data: an NHS number this record held that an older record of the council also held; kept for the front door to resolve (decision 0023).';

update person p
set nhs_number_duplicate = p.nhs_number, nhs_number = null
where p.nhs_number is not null
  and exists (select 1 from person q
    where q.la_id = p.la_id and q.nhs_number = p.nhs_number
      and (q.created_at, q.id) < (p.created_at, p.id));

create unique index person_nhs_number_unique on person (la_id, nhs_number)
  where nhs_number is not null;

-- The consistent identifier's exceptions (s16LC): recorded as data when a child has no NHS
-- number, with a note saying why.
alter table person add column nhs_number_exception text
  check (nhs_number_exception in ('unlikely_to_help', 'more_detrimental', 'unknown_delay'));
alter table person add column nhs_number_exception_note text not null default ''
  check (length(nhs_number_exception_note) <= 2000);
alter table person add constraint person_nhs_number_or_exception
  check (nhs_number is null or nhs_number_exception is null);
comment on column person.nhs_number_exception is 'Personal data: why a child''s record does not carry the NHS number (Children Act 2004 s16LC exceptions).';
comment on column person.nhs_number_exception_note is 'Personal data: the practitioner''s note on the consistent identifier exception.';

-- A merged-away record points at the record it was merged into; it is out of every list,
-- search and caseload, and its URL redirects there (decision 0024).
alter table person add column merged_into uuid references person (id);
alter table person add constraint person_not_merged_into_itself check (merged_into <> id);
create index person_merged_into on person (merged_into) where merged_into is not null;
create index person_missing_identifier on person (la_id, date_of_birth)
  where nhs_number is null and nhs_number_exception is null and merged_into is null;

-- Each merge, with what moved, so that undo restores exactly that (decision 0024).
create table person_merge (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  survivor_id uuid not null references person (id),
  merged_id uuid not null references person (id),
  reason text not null check (length(reason) between 1 and 2000),
  merged_by uuid not null references app_user (id),
  merged_at timestamptz not null,
  -- { "<table>.<column>": { "moved": [<keys>], "dropped": [<rows as json>] } }
  moved jsonb not null,
  -- The two person rows' identifiers before the merge (survivor and merged-away).
  before jsonb not null,
  undone_by uuid references app_user (id),
  undone_at timestamptz,
  check (survivor_id <> merged_id),
  check ((undone_by is null) = (undone_at is null))
);
-- A record is merged away at most once at a time: the second of two concurrent merges fails.
create unique index person_merge_live on person_merge (merged_id) where undone_at is null;
create index person_merge_survivor on person_merge (survivor_id);
comment on column person_merge.reason is 'Personal data: why the manager judged the two records to be one person.';
comment on column person_merge.moved is 'Personal data: the keys of the rows moved to the surviving record, and any rows set aside, for undo.';
comment on column person_merge.before is 'Personal data: both records'' identifiers (NHS number, UPN, exception) before the merge.';
