-- 025 Kept SSDA903 runs on /returns (issue 17, decision 0037). A run of the 903 keeps one CSV
-- per table it made, the stored run of the previous year its rules compared with, and, for
-- each failure, the table and the record (an episode, a review, a missing period, an
-- allocation) the failing row came from, so the report links to where it is fixed.

alter table return_run drop constraint return_run_return_kind_check;
alter table return_run add constraint return_run_return_kind_check
  check (return_kind in ('cin', '903'));
alter table return_run add column files jsonb;
alter table return_run add column previous_run_id uuid references return_run (id);
comment on column return_run.files is 'Personal data: the 903 return''s tables as CSV text, by table name.';

alter table return_failure add column table_name text;
alter table return_failure add column record_id uuid;
comment on column return_failure.record_id is 'The record (episode, review, missing period, allocation) the failing row came from.';
