-- 031 The KPI engine keeps the figures it computed and knows when they are out of date
-- (issue 13, decision 0041). Every statement writing to a table a measure reads notes its
-- transaction and the table in kpi_change (one row per transaction and table). A kept figure records
-- the snapshot it was computed from; it is still current for a reader exactly when every
-- change the reader can see was already visible in that snapshot. Writers never wait on one
-- another: each inserts its own transaction's row (nothing is updated, no row is shared).

create table kpi_change (
  xid xid8 not null,
  -- The table written: a figure is out of date only when a table its statement reads changed.
  source text not null,
  noted_at timestamptz not null default now(),
  primary key (xid, source)
);
comment on table kpi_change is 'No personal data: the transactions that wrote to the tables the KPI measures read.';

-- Changes below the watermark were pruned; a figure whose snapshot began below it is no longer
-- checkable, so it is recomputed (decision 0041).
create table kpi_change_watermark (
  only_row boolean primary key default true check (only_row),
  watermark xid8 not null
);
insert into kpi_change_watermark (watermark) values ('0'::xid8);

create table kpi_figure (
  id bigint generated always as identity primary key,
  -- A hash of the one statement that counts this measure, period, scope and breakdown.
  key text not null,
  la_id uuid not null references local_authority (id),
  -- The snapshot the counts were taken in (or an earlier one: never a later one).
  snapshot pg_snapshot not null,
  -- The tables its statement reads (kept-figures.ts takes them from the statement itself).
  sources text[] not null,
  -- The counts as compact JSON text (kept-figures.ts): read whole, never queried inside.
  cells text not null,
  computed_at timestamptz not null default now()
);
-- Not unique: two readers may keep the same figure at once without either waiting (0041).
create index kpi_figure_key on kpi_figure (key, computed_at desc);
comment on table kpi_figure is 'Counts by month and group (team, worker, age band...) before suppression; names no child.';

create function kpi_note_change() returns trigger language plpgsql as $$
begin
  insert into kpi_change (xid, source) values (pg_current_xact_id(), tg_table_name)
  on conflict do nothing;
  return null;
end $$;

do $$
declare
  source text;
begin
  foreach source in array array[
    'person', 'team', 'app_user', 'allocation', 'referral', 'contact', 'contact_child',
    'assessment', 'strategy_discussion', 'strategy_attendee', 's47_enquiry', 'cp_conference',
    'cp_plan', 'cla_episode', 'visit', 'missing_episode', 'child_population'
  ] loop
    execute format(
      'create trigger %I after insert or update or delete or truncate on %I
         for each statement execute function kpi_note_change()',
      source || '_kpi_change', source);
  end loop;
end $$;

-- A figure that must be counted looks up each row's allocation and primary need on its date
-- (engine.ts): these answer both from the index alone, the latest first.
create index allocation_person_start on allocation (person_id, start_date desc)
  include (end_date, team_id, worker_id);
create index referral_person_need on referral (person_id, referral_date) include (primary_need);
