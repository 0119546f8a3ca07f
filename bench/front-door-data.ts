/**
 * The front-door benchmark's scratch database (`trellis_bench_front_door`): the large demo LA
 * (ten years of journeys, so "My work" has realistic caseloads), topped up with generate_series
 * to 1,000,000 people, with addresses, NHS numbers (valid check digits, the 999 test range) and
 * UPNs. Kept and reused while GENERATOR matches; the owner migrates, as in the audit suite.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { generateDemo, demoPassword } from "../src/demo/generate.ts";
import { hashPassword } from "../src/modules/auth/passwords.ts";
import { openServer } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";
import { createRoles, defaultRoles, grantRoles } from "../src/platform/roles.ts";

export const DATABASE = "trellis_bench_front_door";
/** Change when the generated data changes, so the scratch database is made again. */
export const GENERATOR = "large demo, seed 1; topped up to 1,000,000 people; v2";
export const PEOPLE = 1_000_000;

export function urlFor(base: string, database: string, user?: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

/**
 * People beyond the demo, made in SQL: names drawn from the demo's own given and family names
 * with a skew (common names are common), so many people share a name, as in a real LA; dates
 * of birth over 90 years; two or three people to an address.
 */
export const TOP_UP = (count: number) => `
select setseed(0.22);
-- In a fixed but unalphabetical order, so the common names are not all those starting with A.
create temporary table bench_names as
  select (select array_agg(n order by md5(n)) from (select distinct given_name n from person) g) as given,
    (select array_agg(n order by md5(n)) from (select distinct family_name n from person) f) as family;
create temporary table bench_new as
  select g,
    b.given[1 + floor(power(random(), 1.5) * array_length(b.given, 1))::int] as given_name,
    b.family[1 + floor(power(random(), 1.5) * array_length(b.family, 1))::int] as family_name,
    (current_date - (random() * 90 * 365.25)::int) as date_of_birth,
    (case when random() < 0.5 then '1' else '2' end) as sex,
    random() < 0.85 as has_nhs
  from generate_series(1, ${String(count)}) g cross join bench_names b;
-- NHS numbers: 999 then six digits then the modulus 11 check digit (10 means no number).
create temporary table bench_nhs as
  select g, stem, (11 - (
      (substr(stem,1,1)::int*10 + substr(stem,2,1)::int*9 + substr(stem,3,1)::int*8 +
       substr(stem,4,1)::int*7 + substr(stem,5,1)::int*6 + substr(stem,6,1)::int*5 +
       substr(stem,7,1)::int*4 + substr(stem,8,1)::int*3 + substr(stem,9,1)::int*2) % 11)) % 11 as check_digit
  from (select g, '999' || lpad(((g::bigint * 7919) % 1000000)::text, 6, '0') as stem from bench_new) s;
insert into person (la_id, given_name, family_name, date_of_birth, sex, ethnicity, nhs_number, upn)
select (select id from local_authority order by code limit 1), n.given_name, n.family_name,
  n.date_of_birth, n.sex, 'WBRI',
  case when n.has_nhs and h.check_digit < 10 and e.nhs_number is null
    then h.stem || h.check_digit end,
  case when n.date_of_birth > current_date - 19 * 365 then
    'B' || lpad(n.g::text, 11, '0') || chr(65 + (n.g % 26)) end
from bench_new n join bench_nhs h using (g)
left join (select nhs_number from person where nhs_number is not null) e
  on e.nhs_number = h.stem || h.check_digit;
create temporary table bench_addr as
  select g, gen_random_uuid() as id from generate_series(1, ${String(Math.ceil(count / 2.5))}) g;
insert into address (id, la_id, line1, town, postcode)
select id, (select id from local_authority order by code limit 1),
  (1 + g % 180)::text || ' ' || (array['Mill','Church','Station','Park','Victoria','Albert','Moor','Bridge','Chapel','Green','Castle','Manor','Queen','King','High','Hill','Brook','Cross'])[1 + g % 18]
    || ' ' || (array['Street','Road','Lane','Avenue','Close','Way','Terrace','Grove'])[1 + (g / 18) % 8],
  (array['Northmoor','Eastfold','Westby','Sudbury Moor','Hallam'])[1 + g % 5],
  'NM' || (1 + g % 9)::text || ' ' || (1 + (g / 9) % 9)::text
    || chr(65 + (g / 81) % 26) || chr(65 + (g / 2106) % 26)
from bench_addr;
insert into person_address (person_id, address_id, la_id, start_date)
select p.id, a.id, p.la_id, greatest(p.date_of_birth, date '2010-01-01')
from (select id, la_id, date_of_birth, row_number() over (order by id) as r
      from person p where not exists (select 1 from person_address pa where pa.person_id = p.id)) p
join bench_addr a on a.g = 1 + ((p.r * 2) / 5);
`;

/** The scratch database, generated unless its GENERATOR matches. */
export async function prepareFrontDoorDatabase(
  adminUrl: string,
  emit: (metric: string, value: number, unit: string) => void,
): Promise<void> {
  const admin = openServer(adminUrl, 1);
  await createRoles(admin, defaultRoles);
  const exists = await sql<{ n: number }>`
    select count(*)::int as n from pg_database where datname = ${DATABASE}`.execute(admin.db);
  let current = false;
  if ((exists.rows[0]?.n ?? 0) > 0) {
    const probe = openServer(urlFor(adminUrl, DATABASE), 1);
    const marker = await sql<{ generator: string }>`select generator from bench_generator`
      .execute(probe.db)
      .catch(() => ({ rows: [] }));
    await probe.close();
    current = marker.rows[0]?.generator === GENERATOR;
  }
  if (!current) {
    // The probe's connection ends a moment after close; dropping it under the pool is an error.
    for (let i = 0; i < 100; i += 1) {
      const left = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where datname = ${DATABASE}`.execute(
        admin.db,
      );
      if ((left.rows[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.exec(`drop database if exists ${DATABASE} with (force)`);
    await admin.exec(`create database ${DATABASE} owner ${defaultRoles.owner}`);
  }
  await admin.close();
  const dbAdmin = openServer(urlFor(adminUrl, DATABASE), 1);
  await grantRoles(dbAdmin, defaultRoles);
  await dbAdmin.close();
  const owner = openServer(urlFor(adminUrl, DATABASE, defaultRoles.owner), 4);
  try {
    await migrate(owner);
    if (current) {
      console.error(`Reusing ${DATABASE} (${GENERATOR}).`);
      return;
    }
    const started = performance.now();
    // As the superuser, so the bulk load may skip foreign key checks (journeys-sink.ts).
    const superuser = openServer(urlFor(adminUrl, DATABASE), 4);
    try {
      await generateDemo(superuser.db, {
        size: "large",
        seed: 1,
        passwordHash: await hashPassword(demoPassword),
        today: new Date().toISOString().slice(0, 10),
      });
      emit("large_demo_generation_s", (performance.now() - started) / 1000, "s");
      const have = await sql<{ n: number }>`select count(*)::int as n from person`.execute(
        superuser.db,
      );
      const missing = PEOPLE - (have.rows[0]?.n ?? 0);
      if (missing > 0) await superuser.exec(TOP_UP(missing));
    } finally {
      await superuser.close();
    }
    await owner.exec(`
      create table bench_generator (generator text not null);
      insert into bench_generator values ('${GENERATOR}');
      analyze;`);
    const seconds = (performance.now() - started) / 1000;
    emit("generation_s", seconds, "s");
    console.error(`Generated ${DATABASE} in ${seconds.toFixed(0)} s.`);
  } finally {
    await owner.close();
  }
}
