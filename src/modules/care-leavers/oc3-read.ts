/**
 * The council's care leavers for the SSDA903's OC3 table in a collection year (decision 0038),
 * read set-based (four statements whatever the number of young people) and built by the pure
 * `buildOc3` (src/domain/ssda903/oc3.ts). For src/modules/returns/ssda903-generate.ts to call:
 * the young people it returns who are not in the year's Header (no episode in the year) need a
 * Header row there too, with MOTHER blank (DfE rules INT06 and 628).
 */
import { sql } from "kysely";
import { isCode } from "../../domain/code-list.ts";
import { careLeaverStatuses, inTouchCodes } from "../../domain/care-leavers.ts";
import { buildOc3, type Oc3Contact, type Oc3YoungPerson } from "../../domain/ssda903/oc3.ts";
import { collectionPeriod, type Row, type Ssda903Year } from "../../domain/ssda903/model.ts";
import type { Db } from "../../platform/database.ts";

export interface GeneratedOc3 {
  rows: Row[];
  /** CHILD to person id, for the young people with a row. */
  personByChildId: Map<string, string>;
}

const years = (iso: string, n: number) =>
  `${String(Number(iso.slice(0, 4)) + n).padStart(4, "0")}${iso.slice(4)}`;

/** Young people of the council (not merged away) who may have a 17th to 21st birthday in it. */
export async function oc3YoungPeople(
  db: Db,
  laId: string,
  year: Ssda903Year,
): Promise<(Oc3YoungPerson & { personId: string })[]> {
  const { start, end } = collectionPeriod(year);
  const people = await db
    .selectFrom("person as p")
    .select(["p.id", "p.la_child_id", "p.date_of_birth"])
    .where("p.la_id", "=", laId)
    .where("p.merged_into", "is", null)
    .where("p.la_child_id", "is not", null)
    .where("p.date_of_birth", ">=", years(start, -21))
    .where("p.date_of_birth", "<=", years(end, -17))
    .where(
      sql<boolean>`(exists (select 1 from cla_episode e where e.person_id = p.id)
        or exists (select 1 from care_leaver_status s where s.person_id = p.id))`,
    )
    .orderBy("p.la_child_id")
    .execute();
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const inScope = sql<boolean>`person_id = any(${ids}::uuid[])`;
  const [episodes, statuses, contacts] = await Promise.all([
    db
      .selectFrom("cla_episode")
      .select(["person_id", "start_date", "end_date", "legal_status", "reason_ceased"])
      .where(inScope)
      .orderBy("start_date")
      .execute(),
    db
      .selectFrom("care_leaver_status")
      .select(["person_id", "status", "effective_on"])
      .where(inScope)
      .execute(),
    db
      .selectFrom("care_leaver_contact")
      .select(["person_id", "contact_on", "birthday_age", "in_touch", "activity", "accommodation"])
      .where(inScope)
      .execute(),
  ]);
  const byPerson = <T extends { person_id: string }>(list: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const item of list) map.set(item.person_id, [...(map.get(item.person_id) ?? []), item]);
    return map;
  };
  const episodesOf = byPerson(episodes);
  const statusesOf = byPerson(statuses);
  const contactsOf = byPerson(contacts);
  return people.flatMap((p) => {
    if (!p.la_child_id || !p.date_of_birth) return [];
    return [
      {
        personId: p.id,
        child: p.la_child_id,
        dob: p.date_of_birth,
        episodes: (episodesOf.get(p.id) ?? []).map((e) => ({
          startDate: e.start_date,
          endDate: e.end_date,
          legalStatus: e.legal_status,
          reasonCeased: e.reason_ceased,
        })),
        statuses: (statusesOf.get(p.id) ?? []).flatMap((s) =>
          isCode(careLeaverStatuses, s.status)
            ? [{ status: s.status, effectiveOn: s.effective_on }]
            : [],
        ),
        contacts: (contactsOf.get(p.id) ?? []).flatMap((c): Oc3Contact[] =>
          isCode(inTouchCodes, c.in_touch)
            ? [
                {
                  contactOn: c.contact_on,
                  birthdayAge: c.birthday_age,
                  inTouch: c.in_touch,
                  activity: c.activity,
                  accommodation: c.accommodation,
                },
              ]
            : [],
        ),
      },
    ];
  });
}

/** The OC3 table for the year, for the lead to wire into generate903. */
export async function generateOc3(db: Db, laId: string, year: Ssda903Year): Promise<GeneratedOc3> {
  const people = await oc3YoungPeople(db, laId, year);
  const rows = buildOc3(year, people);
  const personOf = new Map(people.map((p) => [p.child, p.personId]));
  const personByChildId = new Map<string, string>();
  for (const row of rows) {
    const child = row.CHILD ?? "";
    const personId = personOf.get(child);
    if (personId) personByChildId.set(child, personId);
  }
  return { rows, personByChildId };
}
