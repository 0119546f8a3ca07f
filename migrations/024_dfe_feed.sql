-- 024 The DfE's daily children's social care feed, sent (issue 12 part 6, decision 0034).
-- What was last accepted for each child (so a run sends only what changed, and purges what
-- went), and every run and every send, with what the receiver answered.

-- The last document the DfE accepted for a child. No foreign key to person: a record that is
-- deleted must still be purged at the DfE, so its row outlives it.
create table dfe_feed_child (
  la_id uuid not null references local_authority (id),
  person_id uuid not null,
  la_child_id text not null,
  -- SHA-256 of the child's document as built (without purges); null once purged.
  document_hash text,
  -- The ids of the episodes and items that document held, as kind:id, so an item that is gone
  -- by the next run (deleted, entered in error, moved by a merge) is sent with purge.
  items text[] not null default '{}',
  sent_at timestamptz not null,
  purged_at timestamptz,
  primary key (la_id, person_id)
);
comment on column dfe_feed_child.la_child_id is 'Personal data: the LA child id sent to the DfE.';

create table dfe_feed_run (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  -- Null when the command line (the daily job) ran it.
  started_by uuid references app_user (id),
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  endpoint text not null,
  children integer not null default 0,
  unchanged integer not null default 0,
  sent integer not null default 0,
  rejected integer not null default 0,
  failed integer not null default 0,
  purged integer not null default 0,
  invalid integer not null default 0,
  -- Why the run stopped early (no token), in plain words; null when it went through.
  problem text
);
create index dfe_feed_run_la on dfe_feed_run (la_id, started_at desc);

-- One document sent (or refused before sending, as invalid) in a run.
create table dfe_feed_send (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references dfe_feed_run (id),
  la_id uuid not null references local_authority (id),
  person_id uuid not null,
  la_child_id text not null,
  purge boolean not null,
  status text not null check (status in ('accepted', 'rejected', 'failed', 'invalid')),
  attempts integer not null,
  http_status integer,
  document_hash text not null,
  -- What went wrong, in plain words (the receiver's status, a network error, schema problems).
  problem text,
  started_at timestamptz not null,
  finished_at timestamptz not null
);
create index dfe_feed_send_run on dfe_feed_send (run_id);
create index dfe_feed_send_person on dfe_feed_send (la_id, person_id, finished_at desc);
comment on column dfe_feed_send.la_child_id is 'Personal data: the LA child id sent to the DfE.';
