/**
 * Reading panels as the actor may see them. Meetings follow `panelMeetingVisible`; every read
 * of an agenda item composes `agendaItemVisible` (src/access/panels.ts), so an item the actor
 * may not see is left out of the query itself and never counted.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import {
  agendaItemVisible,
  panelContextVisible,
  panelMeetingVisible,
} from "../../access/panels.ts";
import { visiblePersonIds } from "../../access/visibility.ts";
import { formatDate, todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";

export const panelKinds = [
  { code: "mace", label: "MACE (multi-agency child exploitation)" },
  { code: "masp", label: "MASP (multi-agency sexual exploitation and missing)" },
] as const;
export type PanelKind = (typeof panelKinds)[number]["code"];

export const kindLabel = (code: string): string =>
  panelKinds.find((k) => k.code === code)?.label ?? code;

/** Days either side of a meeting within which another panel's agenda is flagged. */
export const CROSS_PANEL_DAYS = 28;
const RECENT_MEETINGS = 3;
const CHOICES_MAX = 500;

export interface Choice {
  id: string;
  name: string;
}

/** The LA's panels, each with its next meeting and its most recent ones. */
export async function panelsOf(db: Db, actor: Actor, now: Date) {
  const today = todayIn(now);
  const panels = await db
    .selectFrom("panel as p")
    .select(["p.id", "p.kind", "p.name"])
    .where(panelMeetingVisible(actor, "p"))
    .orderBy("p.name")
    .execute();
  const meetings = await db
    .selectFrom("panel_meeting as m")
    .select(["m.id", "m.panel_id", "m.meets_on", "m.chair"])
    .where(panelMeetingVisible(actor, "m"))
    .orderBy("m.meets_on")
    .execute();
  return panels.map((p) => {
    const own = meetings.filter((m) => m.panel_id === p.id);
    return {
      ...p,
      kindLabel: kindLabel(p.kind),
      next: own.find((m) => m.meets_on >= today),
      recent: own
        .filter((m) => m.meets_on < today)
        .reverse()
        .slice(0, RECENT_MEETINGS),
    };
  });
}

export async function findPanel(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom("panel as p")
    .select(["p.id", "p.kind", "p.name", "p.la_id"])
    .where("p.id", "=", id)
    .where(panelMeetingVisible(actor, "p"))
    .executeTakeFirst();
}

export async function findMeeting(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom("panel_meeting as m")
    .innerJoin("panel as p", "p.id", "m.panel_id")
    .select(["m.id", "m.la_id", "m.panel_id", "m.meets_on", "m.chair", "m.version"])
    .select(["p.name as panel_name", "p.kind as panel_kind"])
    .where("m.id", "=", id)
    .where(panelMeetingVisible(actor, "m"))
    .executeTakeFirst();
}

export async function attendeesOf(db: Db, meetingId: string) {
  return db
    .selectFrom("panel_attendee as a")
    .innerJoin("organisation as o", "o.id", "a.organisation_id")
    .select(["a.id", "a.name", "o.name as agency"])
    .where("a.meeting_id", "=", meetingId)
    .orderBy("o.name")
    .orderBy("a.name")
    .execute();
}

/** A context's label from its group, place or school. */
const contextLabel = sql<string>`case cc.kind
  when 'peer_group' then 'Peer group: ' || cg.name
  when 'location' then 'Place: ' || cl.name
  else 'School: ' || cs.name end`;

export interface AgendaItemView {
  id: string;
  meetingId: string;
  person: { id: string; name: string } | null;
  context: { id: string; label: string } | null;
  reason: string;
  alsoOn: { panelName: string; meetsOn: string; meetingId: string }[];
  decisions: { id: string; decision: string; recordedBy: string }[];
  actions: {
    id: string;
    action: string;
    agency: string;
    dueOn: string;
    doneOn: string | null;
    version: number;
  }[];
}

/**
 * The agenda items the actor may see, with decisions, actions and (for children) the other
 * panels whose agenda the child is on within CROSS_PANEL_DAYS of the item's meeting.
 */
export async function visibleAgenda(
  db: Db,
  actor: Actor,
  now: Date,
  filter: { meetingId: string } | { itemId: string } | { personId: string },
): Promise<(AgendaItemView & { meetsOn: string; panelName: string })[]> {
  let query = db
    .selectFrom("panel_agenda_item as i")
    .innerJoin("panel_meeting as m", "m.id", "i.meeting_id")
    .innerJoin("panel as p", "p.id", "m.panel_id")
    .leftJoin("person as c", "c.id", "i.person_id")
    .leftJoin("context_case as cc", "cc.id", "i.context_id")
    .leftJoin("peer_group as cg", "cg.id", "cc.peer_group_id")
    .leftJoin("location as cl", "cl.id", "cc.location_id")
    .leftJoin("organisation as cs", "cs.id", "cc.school_organisation_id")
    .select([
      "i.id",
      "i.meeting_id",
      "i.person_id",
      "i.context_id",
      "i.reason",
      "m.meets_on",
      "m.panel_id",
      "p.name as panel_name",
      sql<string | null>`c.given_name || ' ' || c.family_name`.as("child_name"),
      contextLabel.as("context_label"),
    ])
    .where(agendaItemVisible(actor, now, "i"));
  if ("meetingId" in filter) query = query.where("i.meeting_id", "=", filter.meetingId);
  else if ("itemId" in filter) query = query.where("i.id", "=", filter.itemId);
  else query = query.where("i.person_id", "=", filter.personId);
  const items = await query
    .orderBy("m.meets_on", "desc")
    .orderBy("i.added_at")
    .orderBy("i.id")
    .execute();
  if (items.length === 0) return [];
  const ids = items.map((i) => i.id);
  const decisions = await db
    .selectFrom("panel_decision as d")
    .innerJoin("app_user as u", "u.id", "d.recorded_by")
    .select(["d.id", "d.agenda_item_id", "d.decision", "u.display_name"])
    .where("d.agenda_item_id", "in", ids)
    .orderBy("d.recorded_at")
    .execute();
  const actions = await db
    .selectFrom("panel_action as a")
    .innerJoin("organisation as o", "o.id", "a.owner_organisation_id")
    .select(["a.id", "a.agenda_item_id", "a.action", "o.name", "a.due_on", "a.done_on"])
    .select("a.version")
    .where("a.agenda_item_id", "in", ids)
    .orderBy("a.due_on")
    .orderBy("a.recorded_at")
    .execute();
  // The same child on another panel's agenda near this meeting. Every meeting of the LA is
  // visible to panel.view holders, and the child is visible (the item is), so nothing here
  // reaches beyond what the actor may see.
  const personIds = items.flatMap((i) => (i.person_id ? [i.person_id] : []));
  const nearby =
    personIds.length === 0
      ? []
      : await db
          .selectFrom("panel_agenda_item as o")
          .innerJoin("panel_meeting as om", "om.id", "o.meeting_id")
          .innerJoin("panel as op", "op.id", "om.panel_id")
          .select(["o.person_id", "om.id as meeting_id", "om.panel_id", "om.meets_on"])
          .select("op.name")
          .where("o.person_id", "in", personIds)
          .where("o.la_id", "=", actor.laId)
          .orderBy("om.meets_on")
          .execute();
  return items.map((i) => ({
    id: i.id,
    meetingId: i.meeting_id,
    meetsOn: i.meets_on,
    panelName: i.panel_name,
    person: i.person_id ? { id: i.person_id, name: i.child_name ?? "" } : null,
    context: i.context_id ? { id: i.context_id, label: i.context_label } : null,
    reason: i.reason,
    alsoOn: nearby
      .filter(
        (n) =>
          n.person_id === i.person_id &&
          n.panel_id !== i.panel_id &&
          Math.abs(daysBetween(n.meets_on, i.meets_on)) <= CROSS_PANEL_DAYS,
      )
      .map((n) => ({ panelName: n.name, meetsOn: n.meets_on, meetingId: n.meeting_id })),
    decisions: decisions
      .filter((d) => d.agenda_item_id === i.id)
      .map((d) => ({ id: d.id, decision: d.decision, recordedBy: d.display_name })),
    actions: actions
      .filter((a) => a.agenda_item_id === i.id)
      .map((a) => ({
        id: a.id,
        action: a.action,
        agency: a.name,
        dueOn: a.due_on,
        doneOn: a.done_on,
        version: a.version,
      })),
  }));
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

/** The LA's organisations: attendees' agencies and action owners. */
export async function agencyChoices(db: Db, actor: Actor): Promise<Choice[]> {
  return db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", actor.laId)
    .orderBy("name")
    .execute();
}

/** Children (under 18 or of unknown age) the actor may see: who may be put on an agenda. */
export async function agendaChildChoices(db: Db, actor: Actor, now: Date): Promise<Choice[]> {
  const today = todayIn(now);
  return db
    .selectFrom("person as p")
    .select([
      "p.id",
      sql<string>`p.given_name || ' ' || p.family_name || coalesce(' (born ' || to_char(p.date_of_birth, 'FMDD FMMonth YYYY') || ')', '')`.as(
        "name",
      ),
    ])
    .where("p.la_id", "=", actor.laId)
    .where(sql<boolean>`p.id in (${visiblePersonIds(actor, now)})`)
    .where(
      sql<boolean>`(p.date_of_birth is null or p.date_of_birth > ${today}::date - interval '18 years')`,
    )
    .orderBy("p.family_name")
    .orderBy("p.given_name")
    .limit(CHOICES_MAX)
    .execute();
}

/** Open contexts of the LA that the actor may put on an agenda, labelled by their subject. */
export async function agendaContextChoices(db: Db, actor: Actor, now: Date): Promise<Choice[]> {
  return db
    .selectFrom("context_case as cc")
    .leftJoin("peer_group as cg", "cg.id", "cc.peer_group_id")
    .leftJoin("location as cl", "cl.id", "cc.location_id")
    .leftJoin("organisation as cs", "cs.id", "cc.school_organisation_id")
    .select(["cc.id", contextLabel.as("name")])
    .where("cc.closed_on", "is", null)
    .where(panelContextVisible(actor, now, "cc"))
    .orderBy("name")
    .limit(CHOICES_MAX)
    .execute();
}

/** Meetings from today on, soonest first: where a child may be added from their record. */
export async function upcomingMeetingChoices(db: Db, actor: Actor, now: Date): Promise<Choice[]> {
  const rows = await db
    .selectFrom("panel_meeting as m")
    .innerJoin("panel as p", "p.id", "m.panel_id")
    .select(["m.id", "m.meets_on", "p.name"])
    .where("m.meets_on", ">=", todayIn(now))
    .where(panelMeetingVisible(actor, "m"))
    .orderBy("m.meets_on")
    .orderBy("p.name")
    .limit(CHOICES_MAX)
    .execute();
  return rows.map((r) => ({ id: r.id, name: `${r.name}, ${formatDate(r.meets_on)}` }));
}
