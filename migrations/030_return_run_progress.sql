-- 030 A return's run shows its progress (issue 12 item 7, decision 0040). A run of the CIN
-- census or the SSDA903 now starts in the background: its row is written at once as running,
-- the run writes its stage and counts as it goes (at most every quarter of a second, with a
-- heartbeat so a run left behind by a process that died can be told apart), and ends done or
-- failed with the reason. Runs kept before this migration were all finished.

alter table return_run add column status text not null default 'done'
  check (status in ('running', 'done', 'failed'));
alter table return_run add column stage text;
alter table return_run add column progress_done integer check (progress_done >= 0);
alter table return_run add column progress_total integer check (progress_total >= 0);
alter table return_run add column progress_unit text;
alter table return_run add column progress_at timestamptz;
alter table return_run add column started_at timestamptz;
alter table return_run add column finished_at timestamptz;
alter table return_run add column error text;
update return_run set started_at = generated_at, finished_at = generated_at;
alter table return_run alter column started_at set not null;
alter table return_run alter column started_at set default now();

-- One running run per council, return and year: a second start joins it (run-lock.ts).
create unique index return_run_one_running on return_run (la_id, return_kind, collection_year)
  where status = 'running';

comment on column return_run.stage is 'What the run is doing now, in plain words (no personal data).';
comment on column return_run.progress_at is 'The run''s last sign of life: a running run silent for a minute is marked failed.';
comment on column return_run.error is 'Why a failed run failed (no personal data).';
