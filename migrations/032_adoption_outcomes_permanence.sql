-- 032 The SSDA903 tables Trellis did not hold (issue 17, decision 0042): outcomes for children
-- looked after 12 months at 31 March (OC2), adoption (AD1), the decisions that a child should be
-- placed for adoption (PlacedAdoption) and the permanence before this period of care (PrevPerm).
-- Each save adds a row: the latest is the one in force, the earlier ones the history. No table
-- has a "one per person" unique rule, so a merge moves every row (decision 0024).

-- OC2: one collection year's outcomes. A yes/no is 1/0 as the DfE codes it; null is not known
-- or not asked (for example convictions under 10, the health check from 5).
create table cla_outcomes (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  collection_year text not null check (collection_year ~ '^\d{4}-\d{2}$'),
  sdq_score integer check (sdq_score between 0 and 40),
  sdq_reason text check (sdq_reason in ('SDQ1', 'SDQ2', 'SDQ3', 'SDQ4', 'SDQ5')),
  convicted boolean,
  health_check boolean,
  immunisations boolean,
  teeth_check boolean,
  health_assessment boolean,
  substance_misuse boolean,
  intervention_received boolean,
  intervention_offered boolean,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check (sdq_score is null or sdq_reason is null)
);
create index cla_outcomes_person on cla_outcomes (person_id, collection_year, recorded_at desc);
comment on table cla_outcomes is 'Personal data: health, offending and substance misuse of a looked-after child.';

-- AD1: the adoption. best_interest_on is DATE_INT; placement_order_on and adopted_on are kept
-- to check the sequence and for the chronology (the return takes them from the episodes).
create table adoption (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  best_interest_on date not null,
  placement_order_on date,
  matched_on date,
  foster_care boolean,
  number_of_adopters integer check (number_of_adopters in (1, 2)),
  sex_of_adopters text check (sex_of_adopters in ('M1', 'F1', 'MM', 'FF', 'MF')),
  legal_status_of_adopters text
    check (legal_status_of_adopters in ('L0', 'L11', 'L12', 'L2', 'L3', 'L4')),
  adopted_on date,
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check (matched_on is null or matched_on >= best_interest_on),
  check (adopted_on is null or (matched_on is not null and adopted_on >= matched_on))
);
create index adoption_person on adoption (person_id, recorded_at desc);
comment on table adoption is 'Personal data: a child''s adoption and their adopters.';

-- PlacedAdoption: each decision that the child should be placed for adoption (DATE_PLACED),
-- when the child was placed, and the decision that they should no longer be (and why).
create table adoption_decision (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  decided_on date not null,
  placed_on date,
  ceased_on date,
  ceased_reason text check (ceased_reason in ('RD1', 'RD2', 'RD3', 'RD4')),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (placed_on is null or placed_on >= decided_on),
  check (ceased_on is null or ceased_on >= decided_on),
  check ((ceased_on is null) = (ceased_reason is null))
);
create index adoption_decision_person on adoption_decision (person_id, decided_on);
comment on table adoption_decision is 'Personal data: the decision that a child should be placed for adoption.';

-- PrevPerm: the permanence the child had before this period of care. The date may be known
-- only to the month or the year (the return writes zz for an unknown day or month).
create table previous_permanence (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  person_id uuid not null references person (id),
  prev_perm text not null check (prev_perm in ('P1', 'P2', 'P3', 'P4', 'Z1')),
  la_perm text check (la_perm ~ '^\d{3}$'),
  perm_year integer check (perm_year between 1900 and 2100),
  perm_month integer check (perm_month between 1 and 12),
  perm_day integer check (perm_day between 1 and 31),
  recorded_by uuid not null references app_user (id),
  recorded_at timestamptz not null default now(),
  check (perm_month is null or perm_year is not null),
  check (perm_day is null or perm_month is not null),
  check (prev_perm <> 'Z1' or (la_perm is null and perm_year is null))
);
create index previous_permanence_person on previous_permanence (person_id, recorded_at desc);
comment on table previous_permanence is 'Personal data: an order the child had before this period of care.';
