/**
 * What the demo's Family Safeguarding generator shares: its rows, the stream and ids, a family
 * under work (its Workbook, adults and practitioners), and the chronology entry each piece of
 * work adds to the children's records, as the pages themselves would.
 */
import type { Insertable } from "kysely";
import type { ChronologyKind } from "../domain/chronology.ts";
import type { DB } from "../platform/schema.ts";
import { workingTime } from "./journeys-calendar.ts";
import type { DemoFamily, DemoPerson } from "./families.ts";
import type { MeasureRows } from "./family-safeguarding-measures.ts";
import type { Need } from "./family-safeguarding-text.ts";
import { dateOf } from "./journeys-calendar.ts";
import { toDay, type Random } from "./random.ts";
import type { Organisations, TeamInfo, UserInfo } from "./staff.ts";

type Rows<T extends keyof DB> = Insertable<DB[T]>[];

export interface FamilySafeguardingRows extends MeasureRows {
  allocation: Rows<"allocation">;
  chronology_entry: Rows<"chronology_entry">;
  workbook: Rows<"workbook">;
  workbook_section: Rows<"workbook_section">;
  workbook_section_revision: Rows<"workbook_section_revision">;
  sos_map: Rows<"sos_map">;
  sos_scaling: Rows<"sos_scaling">;
  family_plan: Rows<"family_plan">;
  family_plan_goal: Rows<"family_plan_goal">;
  family_plan_action: Rows<"family_plan_action">;
  group_supervision: Rows<"group_supervision">;
  group_supervision_attendee: Rows<"group_supervision_attendee">;
  supervision_decision: Rows<"supervision_decision">;
  supervision_action: Rows<"supervision_action">;
  family_group_conference: Rows<"family_group_conference">;
}

export interface FsContext {
  rng: Random;
  id: () => string;
  laId: string;
  today: number;
  orgs: Organisations;
  rows: FamilySafeguardingRows;
}

/** An adult of the family and what they work on, with whom, from when. */
export interface AdultWork {
  person: DemoPerson;
  need: Need | null;
  specialist: UserInfo | null;
  /** The day their specialist's allocation began (the Workbook's opening day without one). */
  from: number;
}

export interface FsFamily {
  family: DemoFamily;
  team: TeamInfo;
  workbookId: string;
  opened: number;
  children: DemoPerson[];
  adults: AdultWork[];
  lead: UserInfo;
  manager: UserInfo;
  support: UserInfo;
  practitioner: UserInfo | null;
  /** The latest group supervision was more than the interval ago, and none is booked. */
  supervisionOverdue: boolean;
  conference: boolean;
}

/** Placeholders every text of the family may use. */
export function textValues(f: FsFamily): Record<string, string> {
  const names = f.children.map((c) => c.givenName);
  const children =
    names.length <= 1
      ? (names[0] ?? "")
      : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
  return {
    main: f.adults[0]?.person.givenName ?? "their carer",
    children,
    child: names[0] ?? "",
  };
}

/** Everyone who works with the family: the group supervision's attendees. */
export function practitionersOf(f: FsFamily): UserInfo[] {
  const all = [f.lead, f.manager, f.support, f.practitioner, ...f.adults.map((a) => a.specialist)];
  return [...new Set(all.filter((u): u is UserInfo => u !== null))];
}

/** The entry on each child's chronology (children not yet born that day are left out). */
export function chron(
  ctx: FsContext,
  f: FsFamily,
  day: number,
  kind: ChronologyKind,
  summary: string,
  by: UserInfo,
  subject: { type: string; id: string },
): void {
  for (const child of f.children) {
    if (toDay(child.dateOfBirth) > day) continue;
    ctx.rows.chronology_entry.push({
      id: ctx.id(),
      la_id: ctx.laId,
      person_id: child.id,
      occurred_on: dateOf(day),
      kind,
      summary,
      organisation_id: by.team.organisationId,
      recorded_by: by.id,
      recorded_at: workingTime(ctx.rng, day),
      subject_type: subject.type,
      subject_id: subject.id,
    });
  }
}

/** Days of repeated work from `first`, at least `gap` apart, before today, at most `max`. */
export function spaced(
  rng: Random,
  first: number,
  today: number,
  gap: [number, number],
  max: number,
) {
  const days = [first];
  while (days.length < max) {
    const last = days[days.length - 1] ?? first;
    let next = last + rng.int(gap[0], gap[1]);
    // A second one where there is room: a map or plan is revisited within weeks.
    if (next >= today && days.length === 1 && today - 1 - last >= 14) {
      next = last + rng.int(14, today - 1 - last);
    }
    if (next >= today) break;
    days.push(next);
  }
  return days;
}
