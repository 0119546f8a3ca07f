/**
 * What is due in child protection, for other modules: the work tray (ICPCs, review
 * conferences and first core groups coming due) and case closure (an episode cannot close
 * while a CP plan or a section 47 enquiry is open).
 */
import { sql } from "kysely";
import { firstCoreGroupDue } from "../../domain/protection-rules.ts";
import { isOverdue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";

export interface ProtectionDue {
  personId: string;
  kind: "icpc" | "cp_review" | "core_group";
  dueOn: string;
  overdue: boolean;
}

/** An initial conference is still needed for the S47 aliased `s`. */
const awaitingIcpc = sql<boolean>`(s.outcome is null or s.outcome = 'icpc')
  and not exists (select 1 from cp_conference c where c.s47_enquiry_id = s.id and c.kind = 'initial')`;

/**
 * For the given children of the LA (already checked visible by the caller): each S47 awaiting
 * its ICPC, each open plan's next review, and each open plan's first core group while none has
 * met. Two queries however many children; soonest first.
 */
export async function protectionDue(
  db: Db,
  laId: string,
  personIds: readonly string[],
  today: string,
): Promise<ProtectionDue[]> {
  if (personIds.length === 0) return [];
  const ids = sql`any(${[...personIds]}::uuid[])`;
  const enquiries = await db
    .selectFrom("s47_enquiry as s")
    .select(["s.person_id", "s.icpc_due_on"])
    .where("s.la_id", "=", laId)
    .where(sql<boolean>`s.person_id = ${ids}`)
    .where(awaitingIcpc)
    .execute();
  const plans = await db
    .selectFrom("cp_plan as p")
    .select([
      "p.person_id",
      "p.start_date",
      "p.next_review_due",
      sql<boolean>`exists (select 1 from core_group g where g.cp_plan_id = p.id)`.as(
        "core_group_met",
      ),
    ])
    .where("p.la_id", "=", laId)
    .where(sql<boolean>`p.person_id = ${ids}`)
    .where("p.end_date", "is", null)
    .execute();

  const due = (personId: string, kind: ProtectionDue["kind"], dueOn: string): ProtectionDue => ({
    personId,
    kind,
    dueOn,
    overdue: isOverdue(dueOn, today),
  });
  const items: ProtectionDue[] = enquiries.map((s) => due(s.person_id, "icpc", s.icpc_due_on));
  for (const plan of plans) {
    if (plan.next_review_due) items.push(due(plan.person_id, "cp_review", plan.next_review_due));
    if (!plan.core_group_met) {
      items.push(due(plan.person_id, "core_group", firstCoreGroupDue(plan.start_date)));
    }
  }
  return items.sort(
    (a, b) => a.dueOn.localeCompare(b.dueOn) || a.personId.localeCompare(b.personId),
  );
}

/**
 * Whether the child has an open CP plan, or a section 47 enquiry still in progress (no
 * outcome yet, or an ICPC needed and not yet held). Either stops the episode closing.
 */
export async function openProtection(
  db: Db,
  personId: string,
): Promise<{ openPlan: boolean; openS47: boolean }> {
  const row = await db
    .selectNoFrom([
      sql<boolean>`exists (select 1 from cp_plan p
        where p.person_id = ${personId} and p.end_date is null)`.as("open_plan"),
      sql<boolean>`exists (select 1 from s47_enquiry s
        where s.person_id = ${personId} and ${awaitingIcpc})`.as("open_s47"),
    ])
    .executeTakeFirstOrThrow();
  return { openPlan: row.open_plan, openS47: row.open_s47 };
}
