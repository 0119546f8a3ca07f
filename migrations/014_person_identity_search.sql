-- 014: finding the same person (decision 0022). Phonetic keys for names, indexes for search by
-- identifier, date of birth and postcode, and the possible duplicates routed to the front door.
create extension if not exists fuzzystrmatch;

-- Double Metaphone of each name ("Sara" and "Sarah" are SR, "Lewis" and "Louis" LS): stored and
-- indexed, kept by PostgreSQL on every write, so a phonetic match is an index probe.
alter table person
  add column given_key text generated always as (dmetaphone(given_name)) stored,
  add column family_key text generated always as (dmetaphone(family_name)) stored;
-- The blocks search draws candidates from (src/modules/people/matching.ts): each is small
-- even for the commonest names.
create index person_phonetic on person (la_id, family_key, given_key);
create index person_family_key_initial on person (la_id, family_key, (left(lower(given_name), 1)));
create index person_given_key_initial on person (la_id, given_key, (left(lower(family_name), 1)));
create index person_name_prefixes on person (la_id, (left(lower(given_name), 2)), (left(lower(family_name), 2)));
create index person_nhs_number_lookup on person (la_id, nhs_number) where nhs_number is not null;
create index person_upn_lookup on person (la_id, upn) where upn is not null;
comment on column person.given_key is 'Personal data (derived): Double Metaphone key of the given name, for search.';
comment on column person.family_key is 'Personal data (derived): Double Metaphone key of the family name, for search.';

-- Postcodes are compared without spaces or case ("nm12ab" finds "NM1 2AB").
create index address_postcode_key on address (la_id, (upper(replace(postcode, ' ', ''))));
create index address_line1_trgm on address using gin (lower(line1) gin_trgm_ops);
create index person_address_current on person_address (address_id, person_id) where end_date is null;

-- A new record that may be someone already on Trellis whose record the person adding it could
-- not see: the front door checks each (decision 0022).
create table possible_duplicate (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  candidate_id uuid not null references person (id),
  score integer not null check (score between 0 and 100),
  reasons text[] not null,
  flagged_by uuid not null references app_user (id),
  flagged_at timestamptz not null default now(),
  resolved_by uuid references app_user (id),
  resolved_at timestamptz,
  resolution text check (resolution in ('different_people', 'same_person')),
  check ((resolved_at is null) = (resolution is null)),
  unique (person_id, candidate_id)
);
create index possible_duplicate_open on possible_duplicate (la_id, flagged_at) where resolved_at is null;
create index possible_duplicate_candidate on possible_duplicate (candidate_id);
comment on table possible_duplicate is 'A new person record that may duplicate an existing one the recorder could not see; checked by the front door.';
comment on column possible_duplicate.reasons is 'Which details matched (nhs_number, upn, name, date_of_birth, postcode, address); never the values.';
