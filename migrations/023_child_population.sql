-- 023 The council's child population, for rates per 10,000 children and disproportionality
-- (decision 0033). Configured per council from published estimates (ONS mid-year estimates by
-- age band and sex, Census 2021 for ethnicity); never counted from the records, which hold
-- only the children known to services. Aggregate figures: no child is named.
create table child_population (
  la_id uuid not null references local_authority (id),
  age_band text not null check (age_band in ('under_1', '1_4', '5_9', '10_15', '16_17')),
  sex text not null check (sex in ('1', '2')),
  ethnicity text not null check (length(ethnicity) between 4 and 4),
  children integer not null check (children >= 0),
  source text not null check (length(source) between 1 and 300),
  primary key (la_id, age_band, sex, ethnicity)
);
