-- 029 Care leavers (issue 17 parts 1 and 5, decision 0038): a young person's care leaver
-- status over time, their personal adviser, the pathway plan and its reviews, and the
-- keeping-in-touch contacts around the 17th to 21st birthdays the SSDA903's OC3 table returns.
-- No table has a "one per person" unique rule: a merge moves every row (decision 0024), and
-- "the current one" is the latest, or the one not ended.

-- The status as recorded, from a date: the latest row is the status now.
create table care_leaver_status (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  status text not null check (status in ('eligible', 'relevant', 'former_relevant')),
  effective_on date not null,
  -- What the looked-after history gave when it was recorded (null: not a care leaver on it).
  derived_status text check (derived_status in ('eligible', 'relevant', 'former_relevant')),
  -- Why the recorded status differs from the derived one; '' when it does not.
  reason text not null default '' check (length(reason) <= 2000),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index care_leaver_status_person on care_leaver_status (person_id, effective_on desc);
comment on column care_leaver_status.status is 'Personal data: the young person''s care leaver status.';
comment on column care_leaver_status.reason is 'Personal data: why the status differs from the looked-after history.';

-- A personal adviser's appointment (s23B/s23CZB Children Act 1989); open while end_date is null.
create table personal_adviser (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  adviser_id uuid not null references app_user (id),
  start_date date not null,
  end_date date,
  recorded_by uuid not null references app_user (id),
  check (end_date is null or end_date >= start_date)
);
create index personal_adviser_person on personal_adviser (person_id, start_date desc);
create index personal_adviser_open on personal_adviser (adviser_id) where end_date is null;

-- The pathway plan (s23E; reg. 6 Care Leavers (England) Regulations 2010) and its reviews (reg. 7).
create table pathway_plan (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  agreed_on date not null,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index pathway_plan_person on pathway_plan (person_id, agreed_on desc);

create table pathway_plan_review (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  pathway_plan_id uuid not null references pathway_plan (id),
  held_on date not null,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now()
);
create index pathway_plan_review_person on pathway_plan_review (person_id, held_on desc);

-- A keeping-in-touch contact around a birthday (OC3): the council's contact date, whether in
-- touch, and (when in touch) the main activity and the accommodation, in the DfE's codes.
create table care_leaver_contact (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  contact_on date not null,
  birthday_age integer not null check (birthday_age between 17 and 21),
  in_touch text not null check (in_touch in ('YES', 'NO', 'REFU', 'NREQ', 'RHOM', 'DIED')),
  activity text check (activity is null or length(activity) <= 2),
  accommodation text check (accommodation is null or length(accommodation) <= 2),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check ((in_touch = 'YES') = (activity is not null and accommodation is not null))
);
create index care_leaver_contact_person on care_leaver_contact (person_id, contact_on desc);
comment on column care_leaver_contact.in_touch is 'Personal data: whether the council is in touch with the young person.';
comment on column care_leaver_contact.activity is 'Personal data: the young person''s education, training or employment.';
comment on column care_leaver_contact.accommodation is 'Personal data: the kind of place the young person lives and whether it is suitable.';
