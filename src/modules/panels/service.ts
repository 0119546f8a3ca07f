/**
 * Writing to a panel: panels, meetings, attendees, agenda items, decisions and actions. Each
 * function validates the whole form first (FormReader names every wrong field) and is called
 * inside `saveForm`, so a refused save writes nothing.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import { todayIn } from "../../domain/dates.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { isUuid, type RouteContext } from "../../platform/routes.ts";
import { recordEvent } from "../chronology/record.ts";
import { findVisiblePerson } from "../people/queries.ts";
import { agencyChoices, agendaContextChoices, panelKinds, type Choice } from "./queries.ts";

type Form = Record<string, unknown>;
const NAME_MAX = 200;
const REASON_MAX = 2000;
const DECISION_MAX = 5000;
const ACTION_MAX = 2000;

/** An id chosen from a list of choices; anything else is refused naming the field. */
function chosen(f: FormReader, name: string, choices: Choice[], label: string): string | null {
  const value = f.raw(name);
  if (!value) f.fail(name, `Select ${label}`);
  else if (!choices.some((c) => c.id === value)) f.fail(name, `Select ${label} from the list`);
  else return value;
  return null;
}

function must<T>(value: T | null): T {
  if (value === null) throw new Error("validated form lost a value");
  return value;
}

export async function createPanel(ctx: RouteContext, actor: Actor, form: Form): Promise<string> {
  const f = new FormReader(form);
  const kind = f.code("kind", panelKinds, "the kind of panel", { required: true });
  const name = f.text("name", "the panel's name", { required: true, max: NAME_MAX });
  if (name) {
    const taken = await ctx.db
      .selectFrom("panel")
      .select("id")
      .where("la_id", "=", actor.laId)
      .where(sql<boolean>`lower(name) = lower(${name})`)
      .executeTakeFirst();
    if (taken) f.fail("name", "A panel with this name already exists: choose another name");
  }
  f.done();
  const saved = await ctx.db
    .insertInto("panel")
    .values({ la_id: actor.laId, kind: must(kind), name })
    .returning("id")
    .executeTakeFirstOrThrow();
  return saved.id;
}

export async function scheduleMeeting(
  ctx: RouteContext,
  actor: Actor,
  panelId: string,
  form: Form,
): Promise<string> {
  const f = new FormReader(form);
  const meetsOn = f.date("meetsOn", "the meeting date", { required: true });
  const chair = f.text("chair", "the chair's name", { required: true, max: NAME_MAX });
  f.done();
  const saved = await ctx.db
    .insertInto("panel_meeting")
    .values({
      la_id: actor.laId,
      panel_id: panelId,
      meets_on: must(meetsOn),
      chair,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return saved.id;
}

export async function addAttendee(
  ctx: RouteContext,
  actor: Actor,
  meetingId: string,
  form: Form,
): Promise<void> {
  const f = new FormReader(form);
  const organisationId = chosen(
    f,
    "organisationId",
    await agencyChoices(ctx.db, actor),
    "the agency",
  );
  const name = f.text("attendeeName", "the attendee's name", { required: true, max: NAME_MAX });
  f.done();
  await ctx.db
    .insertInto("panel_attendee")
    .values({ meeting_id: meetingId, organisation_id: must(organisationId), name })
    .execute();
}

/**
 * Puts a child or a context on a meeting's agenda. A child must be one the actor may see and
 * add to (not through emergency access alone), and may be on a meeting's agenda only once; the
 * child's chronology says, neutrally, that they are on a panel's agenda.
 */
export async function addToAgenda(
  ctx: RouteContext,
  actor: Actor,
  meeting: { id: string; meets_on: string },
  subject: { personId: string } | { contextId: string },
  form: Form,
  reasonField: string,
): Promise<{ itemId: string; personId: string | null }> {
  const f = new FormReader(form);
  let personId: string | null = null;
  let contextId: string | null = null;
  if ("personId" in subject) {
    const field = "personId";
    const person = isUuid(subject.personId)
      ? await findVisiblePerson(ctx.db, actor, subject.personId, ctx.now)
      : undefined;
    if (!subject.personId) f.fail(field, "Select a child");
    else if (!person || !mayAddToRecord(person.via_break_glass)) {
      // One message whether the child is unknown or out of sight: nothing is revealed.
      f.fail(field, "Select a child from the list of children you may see");
    } else {
      const already = await ctx.db
        .selectFrom("panel_agenda_item")
        .select("id")
        .where("meeting_id", "=", meeting.id)
        .where("person_id", "=", person.id)
        .executeTakeFirst();
      if (already) f.fail(field, "This child is already on this meeting's agenda");
      else personId = person.id;
    }
  } else {
    contextId = chosen(
      f,
      "contextId",
      await agendaContextChoices(ctx.db, actor, ctx.now),
      "a context",
    );
    if (contextId) {
      const already = await ctx.db
        .selectFrom("panel_agenda_item")
        .select("id")
        .where("meeting_id", "=", meeting.id)
        .where("context_id", "=", contextId)
        .executeTakeFirst();
      if (already) f.fail("contextId", "This context is already on this meeting's agenda");
    }
  }
  const reason = f.text(reasonField, "the reason for the referral to the panel", {
    required: true,
    max: REASON_MAX,
  });
  f.done();
  const saved = await ctx.db
    .insertInto("panel_agenda_item")
    .values({
      la_id: actor.laId,
      meeting_id: meeting.id,
      person_id: personId,
      context_id: contextId,
      reason,
      added_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (personId) {
    // Neutral wording, and no panel decisions: partners read the chronology too.
    await recordEvent(ctx.db, actor, {
      personId,
      occurredOn: todayIn(ctx.now),
      kind: "panel_agenda",
      summary: "On the agenda of a multi-agency panel",
      subject: { type: "panel_agenda_item", id: saved.id },
    });
  }
  return { itemId: saved.id, personId };
}

export async function addDecision(
  ctx: RouteContext,
  actor: Actor,
  itemId: string,
  form: Form,
): Promise<void> {
  const f = new FormReader(form);
  const decision = f.text("decision", "the decision", { required: true, max: DECISION_MAX });
  f.done();
  await ctx.db
    .insertInto("panel_decision")
    .values({ la_id: actor.laId, agenda_item_id: itemId, decision, recorded_by: actor.userId })
    .execute();
}

export async function addAction(
  ctx: RouteContext,
  actor: Actor,
  itemId: string,
  form: Form,
): Promise<void> {
  const f = new FormReader(form);
  const action = f.text("action", "the action", { required: true, max: ACTION_MAX });
  const owner = chosen(f, "ownerId", await agencyChoices(ctx.db, actor), "the agency that owns it");
  const dueOn = f.date("dueOn", "the due date", {
    required: true,
    notBefore: { date: todayIn(ctx.now), what: "today" },
  });
  f.done();
  await ctx.db
    .insertInto("panel_action")
    .values({
      la_id: actor.laId,
      agenda_item_id: itemId,
      action,
      owner_organisation_id: must(owner),
      due_on: must(dueOn),
      recorded_by: actor.userId,
    })
    .execute();
}

/** Marks an action done today; refused as a conflict if it changed since the form was loaded. */
export async function markActionDone(
  ctx: RouteContext,
  actionId: string,
  form: Form,
): Promise<void> {
  const version = new FormReader(form).version();
  const updated = await ctx.db
    .updateTable("panel_action")
    .set({ done_on: todayIn(ctx.now), version: sql<number>`version + 1` })
    .where("id", "=", actionId)
    .where("version", "=", version)
    .where("done_on", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone else changed this action while you were looking at it. Nothing was saved: check the action and try again.",
    );
  }
}
