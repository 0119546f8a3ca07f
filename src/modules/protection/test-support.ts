/**
 * Test set-up for the protection module: opens a child's episode of need directly (contact,
 * contact_child and referral rows), standing in for the front door, which another module owns.
 */
import { dateFields } from "../../../test/support/forms.ts";
import type { Client } from "../../../test/support/http.ts";
import type { World } from "../../../test/support/world.ts";
import { referralDecisionDue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";

/** Opens an episode of need for the child from `referralDate`; returns the referral id. */
export async function openEpisode(
  db: Db,
  world: World,
  personId: string,
  referralDate: string,
): Promise<string> {
  const contact = await db
    .insertInto("contact")
    .values({
      la_id: world.laId,
      received_on: referralDate,
      source: "2A",
      reasons: "Synthetic test contact: school raised concerns",
      decision_due_on: referralDecisionDue(referralDate),
      decision: "strategy_discussion",
      decided_on: referralDate,
      decided_by: world.users.tmA.id,
      recorded_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const referral = await db
    .insertInto("referral")
    .values({
      la_id: world.laId,
      person_id: personId,
      contact_id: contact.id,
      referral_date: referralDate,
      source: "2A",
      primary_need: "N1",
      opened_by: world.users.tmA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("contact_child")
    .values({
      contact_id: contact.id,
      person_id: personId,
      la_id: world.laId,
      referral_id: referral.id,
    })
    .execute();
  return referral.id;
}

export { dateFields };

/** A strategy discussion form with all three statutory partners and a section 47 outcome. */
export function strategyForm(
  heldOn: string,
  more: Record<string, string> = {},
): Record<string, string> {
  return {
    ...dateFields("heldOn", heldOn),
    concerns: "Synthetic: unexplained bruising reported by school",
    "attendee-0-agency": "la_childrens_services",
    "attendee-0-name": "Sam Testworker",
    "attendee-0-role": "Social worker",
    "attendee-1-agency": "police",
    "attendee-1-name": "PC Alex Testcase",
    "attendee-1-role": "",
    "attendee-2-agency": "health",
    "attendee-2-name": "Dr Robin Example",
    "attendee-2-role": "Named doctor",
    outcome: "s47",
    ...more,
  };
}

/** Counts of the child's protection rows, to show a refused save left nothing behind. */
export async function protectionCounts(db: Db, personId: string) {
  const count = async (
    table: "strategy_discussion" | "s47_enquiry" | "cp_conference" | "cp_plan" | "core_group",
  ) =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("person_id", "=", personId)
        .executeTakeFirstOrThrow()
    ).n;
  const attendees = await db
    .selectFrom("strategy_attendee as a")
    .innerJoin("strategy_discussion as d", "d.id", "a.strategy_discussion_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("d.person_id", "=", personId)
    .executeTakeFirstOrThrow();
  const chronology = await db
    .selectFrom("chronology_entry")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("person_id", "=", personId)
    .executeTakeFirstOrThrow();
  return {
    discussions: await count("strategy_discussion"),
    attendees: attendees.n,
    s47s: await count("s47_enquiry"),
    conferences: await count("cp_conference"),
    plans: await count("cp_plan"),
    coreGroups: await count("core_group"),
    chronology: chronology.n,
  };
}

/** The values of every summary-list row with this key on a page, as plain trimmed text. */
export function summaryValues(body: string, key: string): string[] {
  const row = new RegExp(`${key}\\s*</dt>\\s*<dd[^>]*>([\\s\\S]*?)</dd>`, "g");
  return [...body.matchAll(row)].map((m) =>
    (m[1] ?? "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/**
 * Takes the child (with an open episode) through a strategy discussion, a section 47 enquiry
 * and an ICPC on the same day, through the routes, so that they have an open plan.
 */
export async function putOnPlan(
  client: Client,
  db: Db,
  personId: string,
  on: string,
): Promise<{ s47Id: string; planId: string }> {
  const ok = (response: { statusCode: number }) => {
    if (response.statusCode !== 303)
      throw new Error(`expected 303, got ${String(response.statusCode)}`);
  };
  ok(await client.post(`/people/${personId}/strategy-discussions`, strategyForm(on)));
  const s47 = await db
    .selectFrom("s47_enquiry")
    .select("id")
    .where("person_id", "=", personId)
    .where("outcome", "is", null)
    .executeTakeFirstOrThrow();
  ok(
    await client.post(`/people/${personId}/s47/${s47.id}/complete`, {
      ...dateFields("completedOn", on),
      outcome: "icpc",
      findings: "Synthetic findings",
      version: "1",
    }),
  );
  ok(
    await client.post(`/people/${personId}/conferences`, {
      s47Id: s47.id,
      ...dateFields("heldOn", on),
      decision: "plan",
      category: "NEG",
    }),
  );
  const plan = await db
    .selectFrom("cp_plan")
    .select("id")
    .where("person_id", "=", personId)
    .where("end_date", "is", null)
    .executeTakeFirstOrThrow();
  return { s47Id: s47.id, planId: plan.id };
}
