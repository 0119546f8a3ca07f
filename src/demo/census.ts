/**
 * The census details of the demo council's children (issue 12): disability codes for every
 * child in the latest CIN census, and UPNs whose LA code is a real one (the fictional council's
 * code, 999, is not, and rule 1530 would fail every UPN). A handful of deliberate gaps make the
 * return tell a story a performance officer can follow in the browser: two children with no
 * disability recorded and one with no ethnicity (errors the officer corrects from the report).
 * The queries (an S47 with no assessment, "no factors" with a closure reason) come from the
 * journeys themselves.
 */
import { sql } from "kysely";
import { collectionYears, censusPeriod, type CollectionYear } from "../domain/cin-census/model.ts";
import { upnCheckLetter } from "../domain/identifiers.ts";
import { generateCinCensus } from "../modules/returns/cin-generate.ts";
import type { Db } from "../platform/database.ts";

/** An English LA code (West Sussex) for the demo's UPNs: synthetic children, a real format. */
const UPN_LA_CODE = "938";
/** The disability codes the demo uses, in turn, for one child in three; the rest have NONE. */
const CODES = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "AUT"];
const BATCH = 5000;

/** The latest collection year whose reference date has passed (the return being made now). */
export function demoCensusYear(today: string): CollectionYear {
  const passed = collectionYears.filter((y) => censusPeriod(y).referenceDate <= today);
  return passed.at(-1) ?? collectionYears[0];
}

export async function writeDemoCensusDetails(db: Db, laId: string, today: string): Promise<void> {
  const people = await db
    .selectFrom("person")
    .select(["id", "upn"])
    .where("la_id", "=", laId)
    .where("upn", "like", "_999%")
    .execute();
  for (let i = 0; i < people.length; i += BATCH) {
    const values = people.slice(i, i + BATCH).map((p) => {
      const body = `${UPN_LA_CODE}${(p.upn ?? "").slice(4)}`;
      return sql`(${p.id}::uuid, ${`${upnCheckLetter(body)}${body}`})`;
    });
    await sql`update person p set upn = v.upn from (values ${sql.join(values)}) as v(id, upn)
      where p.id = v.id`.execute(db);
  }
  const { census, personByChildId } = await generateCinCensus(
    db,
    laId,
    demoCensusYear(today),
    new Date(`${today}T12:00:00Z`),
  );
  const ids = census.children.flatMap((c) => {
    const id = personByChildId.get(c.ChildIdentifiers.LAchildID ?? "");
    return id ? [id] : [];
  });
  // The gaps go to records the performance officer may open (not restricted ones).
  const restricted = new Set(
    (
      await db
        .selectFrom("person")
        .select("id")
        .where("la_id", "=", laId)
        .where("restricted", "=", true)
        .execute()
    ).map((p) => p.id),
  );
  const open = ids.filter((id) => !restricted.has(id));
  // The deliberate gaps: the 3rd and 7th open records have no disability, the 5th no
  // ethnicity.
  const gaps = new Set([open[2], open[6]]);
  const rows = ids
    .filter((id) => !gaps.has(id))
    .map((id, i) => ({
      person_id: id,
      la_id: laId,
      code: i % 3 === 1 ? (CODES[Math.floor(i / 3) % CODES.length] ?? "NONE") : "NONE",
    }));
  for (let i = 0; i < rows.length; i += BATCH) {
    await db
      .insertInto("person_disability")
      .values(rows.slice(i, i + BATCH))
      .execute();
  }
  const noEthnicity = open[4];
  if (noEthnicity) {
    await db.updateTable("person").set({ ethnicity: null }).where("id", "=", noEthnicity).execute();
  }
}
