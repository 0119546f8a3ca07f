/**
 * The national-scale dataset of issue 13's benchmark: 150 synthetic councils, about 6 million
 * referrals over ten years, made by SQL alone (generate_series and INSERT ... SELECT) in its
 * own database on the PostgreSQL server. It holds enough of the records the KPI measures read
 * for every measure to have rows: children, referrals and allocations over the ten years;
 * contacts, assessments, strategy discussions, enquiries, conferences, plans, care episodes,
 * visits and missing episodes over the last three years (the measures read at most two).
 * Generating it takes minutes, so it is kept and reused while GENERATOR is unchanged.
 * Everything in it is made up: no name, date or code is anyone's.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { openServer, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";
import { benchAdminUrl, withDatabase } from "./large-demo.ts";

const DATABASE = "trellis_bench_national";
/** Change this whenever the SQL below changes: the database is then made again. */
export const COUNCILS = Number(process.env.BENCH_NATIONAL_COUNCILS ?? 150);
const GENERATOR = `national v1: ${String(COUNCILS)} councils, 25,000 children each`;
const CHILDREN = 25_000;
const TEAMS = 8;
const WORKERS = 40;

/** The tables the generator fills. */
const LOADED = [
  "person",
  "referral",
  "allocation",
  "contact",
  "contact_child",
  "assessment",
  "strategy_discussion",
  "strategy_attendee",
  "s47_enquiry",
  "cp_conference",
  "cp_plan",
  "cla_episode",
  "visit",
  "missing_episode",
];

/**
 * The generating SQL, run as the server's superuser in one session. Foreign keys are not
 * checked while loading (session_replication_role = replica): the ids are made consistent
 * by construction from the staging table of referrals.
 */
export const generation = `
set session_replication_role = replica;
set work_mem = '256MB';
set maintenance_work_mem = '512MB';
set synchronous_commit = off;

-- Indexes are built once after loading, which is many times quicker than row by row; those
-- backing a constraint (primary keys, unique constraints) stay.
create unlogged table gen_index as select i.indexname, i.indexdef from pg_indexes i
where i.schemaname = 'public' and i.tablename in (${LOADED.map((t) => `'${t}'`).join(", ")})
  and not exists (select 1 from pg_constraint c
    where c.conindid = ('public.' || quote_ident(i.indexname))::regclass);
do $$ declare i record; begin
  for i in select indexname from gen_index loop execute 'drop index ' || quote_ident(i.indexname); end loop;
end $$;

insert into local_authority (id, code, name)
select md5('la' || k)::uuid, 'N' || lpad(k::text, 3, '0'), 'National council ' || k || ' (fictional)'
from generate_series(1, ${COUNCILS}) k;

insert into organisation (id, la_id, name, kind)
select md5('org' || k)::uuid, md5('la' || k)::uuid, 'Council ' || k || ' children''s services',
  'la_childrens_services'
from generate_series(1, ${COUNCILS}) k;

insert into team (id, la_id, organisation_id, name, kind, locality)
select md5('team' || k || '-' || t)::uuid, md5('la' || k)::uuid, md5('org' || k)::uuid,
  'Family Safeguarding Team ' || t, 'family_safeguarding', 'Locality ' || (t % 3 + 1)
from generate_series(1, ${COUNCILS}) k cross join generate_series(0, ${TEAMS - 1}) t;

insert into app_user (id, la_id, organisation_id, email, display_name, role)
select md5('user' || k || '-' || w)::uuid, md5('la' || k)::uuid, md5('org' || k)::uuid,
  'worker' || w || '.council' || k || '@national.example', 'Worker ' || k || '-' || w,
  'social_worker'
from generate_series(1, ${COUNCILS}) k cross join generate_series(0, ${WORKERS - 1}) w;

insert into person (id, la_id, given_name, family_name, date_of_birth, sex, ethnicity, la_child_id)
select md5('p' || k || '-' || n)::uuid, md5('la' || k)::uuid, 'Child', 'National ' || n,
  date '2008-01-01' + (random() * 6800)::int,
  case when random() < 0.5 then '1' else '2' end,
  (array['WBRI','WBRI','WBRI','WBRI','WOTH','MWBC','AIND','APKN','BCRB','BAFR'])[1 + (random() * 9)::int],
  'N' || lpad(n::text, 7, '0')
from generate_series(1, ${COUNCILS}) k cross join generate_series(1, ${CHILDREN}) n;

-- Each child's referrals: a first one, and for three in five a second after the first closed.
create unlogged table gen_referral as
select md5('r' || s.k || '-' || s.n || '-' || x.j)::uuid as id, s.k, s.n, x.j,
  md5('la' || s.k)::uuid as la_id, md5('p' || s.k || '-' || s.n)::uuid as person_id,
  x.referral_date, case when x.closed_on <= current_date then x.closed_on end as closed_on,
  x.last, s.w, md5('user' || s.k || '-' || s.w)::uuid as worker_id,
  md5('team' || s.k || '-' || (s.w % ${TEAMS}))::uuid as team_id
from (
  select k, n, (random() * ${WORKERS - 1})::int as w,
    current_date - 3650 + (random() * 3640)::int as d1,
    30 + (random() * 700)::int as gap, 20 + (random() * 300)::int as dur1,
    20 + (random() * 300)::int as dur2, random() < 0.6 as again
  from generate_series(1, ${COUNCILS}) k cross join generate_series(1, ${CHILDREN}) n
) s
cross join lateral (values
  (1, s.d1, s.d1 + case when s.again and s.d1 + s.gap < current_date then least(s.dur1, s.gap)
    else s.dur1 end, not (s.again and s.d1 + s.gap < current_date)),
  (2, s.d1 + s.gap, s.d1 + s.gap + s.dur2, true)
) x(j, referral_date, closed_on, last)
where x.j = 1 or (s.again and s.d1 + s.gap < current_date);

insert into referral (id, la_id, person_id, referral_date, source, primary_need, opened_by,
  closed_on, closure_reason)
select g.id, g.la_id, g.person_id, g.referral_date, '1A',
  'N' || (1 + (random() * 8)::int), g.worker_id, g.closed_on,
  case when g.closed_on is not null then 'RC1' end
from gen_referral g;

-- One allocation per referral; one in six reallocated halfway to another worker.
insert into allocation (la_id, person_id, worker_id, team_id, start_date, end_date, end_kind)
select g.la_id, g.person_id, g.worker_id, g.team_id, g.referral_date,
  case when g.id::text < '2' then g.referral_date + (coalesce(g.closed_on, current_date) - g.referral_date) / 2
    else g.closed_on end,
  case when g.id::text < '2' then 'reallocated' when g.closed_on is not null then 'case_closed' end
from gen_referral g;
insert into allocation (la_id, person_id, worker_id, team_id, start_date, end_date, end_kind)
select g.la_id, g.person_id, md5('user' || g.k || '-' || ((g.w + 7) % ${WORKERS}))::uuid,
  md5('team' || g.k || '-' || (((g.w + 7) % ${WORKERS}) % ${TEAMS}))::uuid,
  g.referral_date + (coalesce(g.closed_on, current_date) - g.referral_date) / 2 + 1, g.closed_on,
  case when g.closed_on is not null then 'case_closed' end
from gen_referral g where g.id::text < '2'
  and g.referral_date + (coalesce(g.closed_on, current_date) - g.referral_date) / 2 + 1 <= coalesce(g.closed_on, current_date);

-- The last three years: contacts (each referral's, and half as many more that were not).
create unlogged table gen_recent as select * from gen_referral
where referral_date >= current_date - 1095;

insert into contact (id, la_id, received_on, source, reasons, decision_due_on, recorded_by,
  decision, decided_by, decided_on)
select md5('c' || g.id)::uuid, g.la_id, g.referral_date, '1A', 'Synthetic concern',
  g.referral_date + 1, g.worker_id, 'assessment', g.worker_id,
  g.referral_date + (random() * 2)::int
from gen_recent g;
insert into contact_child (contact_id, person_id, la_id, referral_id)
select md5('c' || g.id)::uuid, g.person_id, g.la_id, g.id from gen_recent g;
insert into contact (id, la_id, received_on, source, reasons, decision_due_on, recorded_by,
  decision, decided_by, decided_on)
select md5('c2' || g.id)::uuid, g.la_id, g.referral_date - 20, '1A', 'Synthetic concern',
  g.referral_date - 19, g.worker_id, 'no_further_action', g.worker_id,
  g.referral_date - 20 + (random() * 2)::int
from gen_recent g where g.id::text < '8';
insert into contact_child (contact_id, person_id, la_id)
select md5('c2' || g.id)::uuid, g.person_id, g.la_id from gen_recent g where g.id::text < '8';

-- Assessments for three referrals in five.
insert into assessment (la_id, referral_id, person_id, started_on, due_on, submitted_on,
  authorised_on, outcome, factors, recorded_by)
select g.la_id, g.id, g.person_id, g.referral_date, g.referral_date + 63,
  g.referral_date + a.took, g.referral_date + a.took + 2,
  (array['no_further_action','early_help','cin_plan','strategy_discussion'])[1 + (random() * 3)::int],
  case (random() * 3)::int when 0 then array['1B','3B'] when 1 then array['4B','21']
    when 2 then array['3B','4B'] else array['2B','9A'] end,
  g.worker_id
from gen_recent g cross join lateral (select 10 + (random() * 70)::int as took) a
where random() < 0.6 and g.referral_date + a.took + 2 <= current_date;

-- Strategy discussions for one in eight of the children's latest referrals, with partners;
-- then enquiries, initial conferences and plans.
create unlogged table gen_strategy as
select md5('sd' || g.id)::uuid as sd_id, g.*, random() as roll from gen_recent g
where g.last and random() < 0.125 and g.referral_date + 40 <= current_date;

`;

/** The rest: the child protection journey, care, visits, missing episodes, population. */
export const generation2 = `
insert into strategy_discussion (id, la_id, referral_id, person_id, held_on, concerns, outcome,
  recorded_by)
select s.sd_id, s.la_id, s.id, s.person_id,
  s.referral_date + 1, 'Synthetic concern',
  case when s.roll < 0.8 then 's47' else 'no_s47' end, s.worker_id
from gen_strategy s;

insert into strategy_attendee (la_id, strategy_discussion_id, agency_kind, name)
select s.la_id, s.sd_id, a.kind, 'Synthetic attendee'
from gen_strategy s cross join lateral (values ('la_childrens_services', true),
  ('police', random() < 0.9), ('health', random() < 0.7)) a(kind, present)
where a.present;

insert into s47_enquiry (id, la_id, referral_id, person_id, strategy_discussion_id, started_on,
  icpc_due_on, completed_on, outcome, recorded_by)
select md5('s47' || s.sd_id)::uuid, s.la_id, s.id,
  s.person_id, s.sd_id, s.referral_date + 1, s.referral_date + 22, s.referral_date + 12,
  case when s.roll < 0.5 then 'icpc' else 'no_icpc' end, s.worker_id
from gen_strategy s where s.roll < 0.8;

insert into cp_conference (id, la_id, referral_id, person_id, kind, held_on, due_on, decision,
  s47_enquiry_id, recorded_by)
select md5('icpc' || s.sd_id)::uuid, s.la_id, s.id,
  s.person_id, 'initial', s.referral_date + 15 + (random() * 14)::int, s.referral_date + 22,
  case when s.roll < 0.4 then 'plan' else 'no_plan' end, md5('s47' || s.sd_id)::uuid, s.worker_id
from gen_strategy s where s.roll < 0.5;

insert into cp_plan (id, la_id, referral_id, person_id, icpc_id, start_date, initial_category,
  latest_category, end_date, end_reason)
select md5('plan' || s.sd_id)::uuid, s.la_id, s.id,
  s.person_id, md5('icpc' || s.sd_id)::uuid, c.held_on, 'NEG', 'NEG',
  case when c.held_on + p.days <= current_date then c.held_on + p.days end,
  case when c.held_on + p.days <= current_date then 'no_longer_at_risk' end
from gen_strategy s join cp_conference c on c.id = md5('icpc' || s.sd_id)::uuid
cross join lateral (select 90 + (random() * 800)::int as days) p
where s.roll < 0.4;

-- Periods of care for one in twenty of the children's latest referrals.
insert into cla_episode (la_id, person_id, start_date, reason_new_episode, legal_status,
  placement_type, recorded_by, end_date, reason_ceased)
select g.la_id, g.person_id, g.referral_date + e.after, 'S', 'C2', 'U1', g.worker_id,
  case when g.referral_date + e.after + e.days <= current_date then g.referral_date + e.after + e.days end,
  case when g.referral_date + e.after + e.days <= current_date
    then (array['E4A','E13','E11','E12','E41'])[1 + (random() * 4)::int] end
from gen_recent g cross join lateral (select 30 + (random() * 170)::int as after,
  100 + (random() * 1400)::int as days) e
where g.last and random() < 0.05 and g.referral_date + e.after <= current_date;

-- Visits over the last two years: CP visits about every 12 days, looked-after every 35.
insert into visit (la_id, person_id, visited_on, plan_type, seen, seen_alone, visitor_id)
select c.la_id, c.person_id, d::date, 'cp', random() < 0.95, false, md5('user1-0')::uuid
from cp_plan c join local_authority la on la.id = c.la_id and la.code like 'N%'
cross join lateral generate_series(greatest(c.start_date, current_date - 730),
  coalesce(c.end_date, current_date), interval '12 days') d;
insert into visit (la_id, person_id, visited_on, plan_type, seen, seen_alone, visitor_id)
select e.la_id, e.person_id, d::date, 'cla', random() < 0.95, false, md5('user1-0')::uuid
from cla_episode e join local_authority la on la.id = e.la_id and la.code like 'N%'
cross join lateral generate_series(greatest(e.start_date, current_date - 730),
  coalesce(e.end_date, current_date), interval '35 days') d;

-- Missing episodes for one child in thirty of those referred lately, one to three each.
insert into missing_episode (la_id, person_id, kind, started_at, ended_at, interview_held_at,
  recorded_by)
select g.la_id, g.person_id, 'M', m.started, m.started + interval '20 hours',
  m.started + interval '20 hours' + (random() * 120)::int * interval '1 hour', g.worker_id
from gen_recent g cross join lateral generate_series(1, 1 + (random() * 2)::int) i
cross join lateral (select (g.referral_date + (random() * 300)::int)::timestamptz
  + interval '18 hours' as started) m
where g.last and g.id::text < '08' and m.started + interval '150 hours' < now();

insert into child_population (la_id, age_band, sex, ethnicity, children, source)
select la.id, b.age_band, s.sex, e.ethnicity, 1500, 'Synthetic, for the benchmark'
from local_authority la
cross join (values ('under_1'), ('1_4'), ('5_9'), ('10_15'), ('16_17')) b(age_band)
cross join (values ('1'), ('2')) s(sex)
cross join (values ('WBRI'), ('WOTH'), ('MWBC'), ('AIND'), ('APKN'), ('BCRB'), ('BAFR'))
  e(ethnicity)
where la.code like 'N%'
on conflict do nothing;

do $$ declare i record; begin
  for i in select indexdef from gen_index loop execute i.indexdef; end loop;
end $$;
drop table gen_index;
drop table gen_strategy;
drop table gen_recent;
drop table gen_referral;
set session_replication_role = origin;
`;

/** Opens the national database, generating it first when it is missing or out of date. */
export async function nationalDatabase(adminUrl = benchAdminUrl()): Promise<Database> {
  const admin = openServer(adminUrl, 1);
  const exists = await sql<{ n: number }>`
    select count(*)::int as n from pg_database where datname = ${DATABASE}`.execute(admin.db);
  let current = false;
  if ((exists.rows[0]?.n ?? 0) > 0) {
    const probe = openServer(withDatabase(adminUrl, DATABASE), 1);
    const marker = await sql<{ generator: string }>`select generator from bench_generator`
      .execute(probe.db)
      .catch(() => ({ rows: [] as { generator: string }[] }));
    await probe.close();
    current = marker.rows[0]?.generator === GENERATOR;
  }
  if (!current) {
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE}`);
  }
  await admin.close();
  const database = openServer(withDatabase(adminUrl, DATABASE), 4);
  await migrate(database);
  if (current) {
    console.error(`Reusing ${DATABASE} (${GENERATOR}).`);
    return database;
  }
  const started = performance.now();
  await database.exec(generation);
  await database.exec(generation2);
  await database.exec(`
    analyze;
    create table bench_generator (generator text not null);
    insert into bench_generator values ('${GENERATOR}');`);
  console.error(
    `Generated ${DATABASE} in ${((performance.now() - started) / 1000).toFixed(0)} s (${GENERATOR}).`,
  );
  return database;
}
