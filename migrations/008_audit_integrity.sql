-- The audit log without a global lock, and sealed outside the request (decision 0017).
-- Requests insert rows numbered by a sequence and stamped with their transaction's id; a single
-- background sealer appends finished rows to audit_seal, the hash chain, in gap-free positions.
-- The chain's head is signed outside the database (src/audit/checkpoints.ts).

create sequence audit_log_seq;
select setval('audit_log_seq', coalesce((select max(seq) from audit_log), 0) + 1, false);
alter table audit_log alter column seq set default nextval('audit_log_seq');
alter sequence audit_log_seq owned by audit_log.seq;

-- Rows written before this migration are already chained; '3' (the first normal xid) keeps them
-- below every window the sealer will take.
alter table audit_log add column xid xid8 not null default '3';
alter table audit_log alter column xid set default pg_current_xact_id();
create index audit_log_xid on audit_log (xid, seq);
comment on column audit_log.xid is 'The writing transaction, so the sealer takes only finished ones.';

-- The chain: position n holds audit row seq, the previous position's hash and its own hash over
-- the row's content. sealed_below is the sealer's horizon when it appended the entry: every
-- transaction below it had finished, so the next run starts there.
create table audit_seal (
  position bigint primary key,
  seq bigint not null unique,
  prev_hash text not null,
  hash text not null,
  sealed_below xid8 not null,
  sealed_at timestamptz not null default now()
);
insert into audit_seal (position, seq, prev_hash, hash, sealed_below)
  select seq, seq, prev_hash, hash, pg_snapshot_xmin(pg_current_snapshot()) from audit_log
  order by seq;

alter table audit_log disable trigger audit_log_no_update_delete;
alter table audit_log drop column prev_hash, drop column hash;
alter table audit_log enable trigger audit_log_no_update_delete;
drop table audit_chain_head;

create trigger audit_seal_no_update_delete before update or delete on audit_seal
  for each row execute function audit_log_append_only();
create trigger audit_seal_no_truncate before truncate on audit_seal
  for each statement execute function audit_log_append_only();

-- Which log this is, so its signed checkpoints can be found and cannot be mistaken for another
-- database's.
create table audit_log_identity (
  id uuid primary key default gen_random_uuid(),
  created_at timestamptz not null default now()
);
insert into audit_log_identity default values;

-- Whatever default privileges gave other roles on these tables (src/platform/roles.ts grants
-- the runtime role DML on new tables), the audit tables take only INSERT and SELECT.
do $$
declare r record;
begin
  for r in
    select distinct grantee from information_schema.role_table_grants
    where table_schema = current_schema()
      and table_name in ('audit_log', 'audit_seal', 'audit_log_identity')
      and grantee <> current_user
  loop
    execute format(
      'revoke update, delete, truncate, references, trigger on audit_log, audit_seal, audit_log_identity from %I',
      r.grantee);
    execute format('revoke insert on audit_log_identity from %I', r.grantee);
  end loop;
end $$;
revoke update, delete, truncate, references, trigger on audit_log, audit_seal, audit_log_identity
  from public;
