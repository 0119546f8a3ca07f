/** Recording the outcome of a section 47 enquiry: an initial conference is needed, or not. */
import type { Actor } from "../../access/actor.ts";
import { s47CompletionProblems, s47Outcomes } from "../../domain/protection-rules.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { recordEvent } from "../chronology/record.ts";
import { nextStepDue } from "../../domain/timescales.ts";
import { createWork } from "../work/service.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { failOn, orderErrors, staleEdit, type Form } from "./form-support.ts";
import { s47ToRecordOn } from "./queries.ts";

export const S47_FORM_WHAT = "section 47 enquiry";

export async function saveS47Completion(
  db: Db,
  actor: Actor,
  person: VisiblePerson,
  s47Id: string,
  form: Form,
  today: string,
): Promise<{ outcome: "icpc" | "no_icpc" }> {
  const reader = new FormReader(form);
  const version = reader.version();
  const s47 = await s47ToRecordOn(db, person.id, s47Id);
  if (!s47) throw notFound("Section 47 enquiry");
  if (s47.version !== version) throw staleEdit(S47_FORM_WHAT);
  const completedOn = reader.date("completedOn", "the date the enquiry was completed", {
    required: true,
  });
  const outcome = reader.code("outcome", s47Outcomes, "the outcome of the enquiry", {
    required: true,
  });
  const findings = reader.text("findings", "what the enquiry found", { required: true, max: 5000 });
  failOn(
    reader,
    s47CompletionProblems({
      startedOn: s47.started_on,
      completedOn,
      today,
      alreadyCompleted: s47.outcome !== null,
    }),
  );
  orderErrors(reader, ["completedOn-day", "outcome", "findings"]);
  reader.done();
  if (!completedOn || !outcome) throw new Error("unreachable: the form was checked");

  const updated = await db
    .updateTable("s47_enquiry")
    .set({ completed_on: completedOn, outcome, findings, version: version + 1 })
    .where("id", "=", s47.id)
    .where("version", "=", version)
    .returning("id")
    .executeTakeFirst();
  if (!updated) throw staleEdit(S47_FORM_WHAT);
  await recordEvent(db, actor, {
    personId: person.id,
    occurredOn: completedOn,
    kind: "s47_completed",
    summary:
      outcome === "icpc"
        ? "Section 47 enquiry completed: an initial child protection conference is needed"
        : "Section 47 enquiry completed: no initial child protection conference",
    subject: { type: "s47_enquiry", id: s47.id },
  });
  // The next step the outcome implies (decision 0020): arrange the ICPC by its due date, or
  // decide between a child in need plan and closing the case.
  await createWork(db, actor, {
    personId: person.id,
    kind: outcome === "icpc" ? "icpc" : "plan_or_close",
    dueOn: outcome === "icpc" ? s47.icpc_due_on : nextStepDue(completedOn),
    createdOn: completedOn,
    source: { type: "s47_enquiry", id: s47.id },
  });
  return { outcome };
}
