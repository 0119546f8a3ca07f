/** Recording a core group meeting on a child protection plan. */
import type { Actor } from "../../access/actor.ts";
import { formatDate } from "../../domain/dates.ts";
import { coreGroupProblems, firstCoreGroupDue } from "../../domain/protection-rules.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { completeWork } from "../work/service.ts";
import { failOn, type Form } from "./form-support.ts";
import { planToRecordOn } from "./queries.ts";

export async function saveCoreGroup(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  planId: string,
  form: Form,
  today: string,
): Promise<{ id: string; first: boolean }> {
  const plan = await planToRecordOn(db, person.id, planId);
  if (!plan) throw notFound("Child protection plan");
  const reader = new FormReader(form);
  const heldOn = reader.date("heldOn", "the date of the core group meeting", { required: true });
  if (heldOn) {
    failOn(
      reader,
      coreGroupProblems({
        plan: { startDate: plan.start_date, endDate: plan.end_date },
        heldOn,
        today,
      }),
    );
  }
  reader.done();
  if (!heldOn) throw new Error("unreachable: the form was checked");

  const earlier = await db
    .selectFrom("core_group")
    .select("id")
    .where("cp_plan_id", "=", plan.id)
    .executeTakeFirst();
  const meeting = await db
    .insertInto("core_group")
    .values({
      la_id: person.la_id,
      cp_plan_id: plan.id,
      person_id: person.id,
      held_on: heldOn,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const due = firstCoreGroupDue(plan.start_date);
  const first = !earlier;
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: heldOn,
    kind: "core_group",
    summary: first
      ? `First core group meeting of the child protection plan (due by ${formatDate(due)})`
      : "Core group meeting of the child protection plan",
    subject: { type: "core_group", id: meeting.id },
  });
  await completeWork(db, actor, {
    personId: person.id,
    kinds: ["core_group"],
    subject: { type: "core_group", id: meeting.id },
    doneOn: heldOn,
  });
  return { id: meeting.id, first };
}
