import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/schema.ts";

/**
 * The demo council's child population (decision 0033), so its rates per 10,000 and its
 * disproportionality can be shown. A real council configures published estimates; the demo's
 * are synthetic: its generated residents under 18 by age band, sex and ethnicity, each group
 * scaled up tenfold, because the generator makes mostly the families known to services.
 */
export async function seedDemoChildPopulation(
  db: Kysely<DB>,
  laId: string,
  today: string,
): Promise<void> {
  await sql`insert into child_population (la_id, age_band, sex, ethnicity, children, source)
    select ${laId}, band, sex, ethnicity, count(*)::int * 10, 'Synthetic demo population'
    from (select p.sex, p.ethnicity, case
        when ${today}::date < p.date_of_birth + interval '1 year' then 'under_1'
        when ${today}::date < p.date_of_birth + interval '5 years' then '1_4'
        when ${today}::date < p.date_of_birth + interval '10 years' then '5_9'
        when ${today}::date < p.date_of_birth + interval '16 years' then '10_15'
        else '16_17' end as band
      from person p where p.la_id = ${laId} and p.sex in ('1', '2')
        and length(p.ethnicity) = 4 and p.date_of_birth <= ${today}::date
        and ${today}::date < p.date_of_birth + interval '18 years') children
    group by band, sex, ethnicity
    on conflict do nothing`.execute(db);
}
