/**
 * The demo's group supervision: about every four weeks from the Workbook's opening.
 */
import type { Insertable } from "kysely";
import { isWorkingDay } from "../domain/working-days.ts";
import type { DB } from "../platform/schema.ts";
import { workingTime } from "./journeys-calendar.ts";
import { fillText, SUPERVISION } from "./family-safeguarding-text.ts";
import {
  chron,
  practitionersOf,
  textValues,
  type FsContext,
  type FsFamily,
} from "./family-safeguarding-world.ts";
import { dateOf } from "./journeys-calendar.ts";
import { toDay } from "./random.ts";

/** The working day on or before `day`: sessions are not booked on weekends or bank holidays. */
function workingDayOnOrBefore(day: number): number {
  let working = day;
  while (!isWorkingDay(dateOf(working))) working--;
  return working;
}

/**
 * Group supervision about every four weeks from the opening, each booked within four weeks of
 * the last: attendees, the discussion, the manager's decisions and owned actions. The last
 * session's actions are still open; the next session is booked, except for a family whose
 * supervision is overdue (its last session more than four weeks ago and none booked).
 * Returns the number of sessions held.
 */
export function groupSupervision(ctx: FsContext, f: FsFamily, intervalDays: number): number {
  const { rng, today } = ctx;
  const values = textValues(f);
  const attendees = practitionersOf(f);
  const owners = attendees.filter((u) => u !== f.manager && u !== f.support);
  // An overdue family's sessions stopped more than a month ago (intervalDays + 5 at least).
  const lastHeld = f.supervisionOverdue ? today - intervalDays - 5 : today - 1;
  let previous = f.opened;
  let held = 0;
  let actionsOf: Insertable<DB["supervision_action"]>[] = [];
  for (;;) {
    const scheduled = workingDayOnOrBefore(previous + intervalDays - rng.int(0, 3));
    const booked = workingTime(rng, Math.min(previous, today - 1));
    const id = ctx.id();
    if (scheduled > lastHeld) {
      if (!f.supervisionOverdue) {
        ctx.rows.group_supervision.push({
          id,
          la_id: ctx.laId,
          workbook_id: f.workbookId,
          scheduled_for: dateOf(scheduled),
          held_on: null,
          hypothesis: "",
          what_changed: "",
          risk_analysis: "",
          discussion_recorded_by: null,
          version: 1,
          created_by: f.support.id,
          created_at: booked,
        });
      }
      break;
    }
    // The previous session's actions were done by their due dates; the last one's stay open.
    for (const row of actionsOf) {
      const due = toDay(row.due_on);
      // At least two days after the session that set it (its due date is a week or more on).
      row.completed_on = dateOf(Math.min(due - rng.int(0, 5), scheduled, today - 1));
      row.completed_by = row.owner_user_id;
      row.version = 2;
    }
    ctx.rows.group_supervision.push({
      id,
      la_id: ctx.laId,
      workbook_id: f.workbookId,
      scheduled_for: dateOf(scheduled),
      held_on: dateOf(scheduled),
      hypothesis: fillText(rng.pick(SUPERVISION.hypothesis), values),
      what_changed: fillText(rng.pick(SUPERVISION.changed), values),
      risk_analysis: fillText(rng.pick(SUPERVISION.risk), values),
      discussion_recorded_by: f.support.id,
      version: 2,
      created_by: f.support.id,
      created_at: booked,
    });
    for (const user of attendees) {
      ctx.rows.group_supervision_attendee.push({ supervision_id: id, user_id: user.id });
    }
    const subject = { type: "group_supervision", id };
    chron(ctx, f, scheduled, "group_supervision", "Group supervision held", f.support, subject);
    const decisions = rng.int(1, 2);
    for (let d = 0; d < decisions; d++) {
      ctx.rows.supervision_decision.push({
        id: ctx.id(),
        la_id: ctx.laId,
        supervision_id: id,
        decision: SUPERVISION.decisions[(held + d) % SUPERVISION.decisions.length] ?? "",
        decided_by: f.manager.id,
        recorded_at: workingTime(rng, scheduled),
      });
      const summary = "Decision recorded at group supervision";
      chron(ctx, f, scheduled, "supervision_decision", summary, f.manager, subject);
    }
    actionsOf = [];
    const actions = rng.int(1, 2);
    for (let a = 0; a < actions; a++) {
      const owner = owners.length > 0 ? rng.pick(owners) : f.lead;
      const row = {
        id: ctx.id(),
        la_id: ctx.laId,
        supervision_id: id,
        action: fillText(rng.pick(SUPERVISION.actions), values),
        owner_user_id: owner.id,
        due_on: dateOf(scheduled + rng.int(7, 21)),
        completed_on: null as string | null,
        completed_by: null as string | null,
        version: 1,
        recorded_by: f.support.id,
        recorded_at: workingTime(rng, scheduled),
      };
      actionsOf.push(row);
      ctx.rows.supervision_action.push(row);
    }
    held++;
    previous = scheduled;
  }
  return held;
}
