/**
 * The SSDA903's OC3 table (care leavers' activity and accommodation around their 17th to 21st
 * birthdays), built from the records for a collection year (decision 0038). A pure function:
 * the caller reads the young people (src/modules/care-leavers/oc3-read.ts).
 *
 * In the table: a young person whose 17th, 18th, 19th, 20th or 21st birthday falls in the year
 * (DfE rule 391), who is a relevant or former relevant care leaver on that birthday, by the
 * looked-after history or as recorded (care by another council is not in Trellis' episodes),
 * and who was not looked after on it (rules 1007 and 1016: not asked of a 17- or 18-year-old
 * still looked after on the birthday; from 19 no one is). The birthday's latest keeping-in-touch
 * contact gives IN_TOUCH, ACTIV and ACCOM: "0" for activity and accommodation when not in
 * touch, blank after a death or a return home (rule 344). With no contact recorded the row is
 * blank, so rule 131 reports it and the adviser records the contact: nothing is made up.
 */
import {
  birthday,
  deriveStatus,
  KEEP_IN_TOUCH_AGES,
  lookedAfterOn,
  notAskedValue,
  type CareEpisode,
  type CareLeaverStatus,
  type InTouchCode,
} from "../care-leavers.ts";
import { collectionPeriod, dfeDate, tableColumns, type Row, type Ssda903Year } from "./model.ts";

export interface Oc3Contact {
  contactOn: string;
  birthdayAge: number;
  inTouch: InTouchCode;
  activity: string | null;
  accommodation: string | null;
}

export interface Oc3YoungPerson {
  /** The LA's child id, as the return's CHILD. */
  child: string;
  /** yyyy-mm-dd. */
  dob: string;
  episodes: readonly CareEpisode[];
  /** Recorded statuses, each from its date. */
  statuses: readonly { status: CareLeaverStatus; effectiveOn: string }[];
  contacts: readonly Oc3Contact[];
}

/** The recorded status in effect on a date (the latest from on or before it). */
function recordedOn(person: Oc3YoungPerson, on: string): CareLeaverStatus | null {
  const inEffect = person.statuses
    .filter((s) => s.effectiveOn <= on)
    .sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn));
  return inEffect.at(-1)?.status ?? null;
}

const LEFT_CARE: readonly (CareLeaverStatus | null)[] = ["relevant", "former_relevant"];

/** The birthday (17th to 21st) of the year the young person is in the table for, if any. */
export function oc3Birthday(
  person: Oc3YoungPerson,
  year: Ssda903Year,
): { age: number; on: string } | undefined {
  const { start, end } = collectionPeriod(year);
  for (const age of KEEP_IN_TOUCH_AGES) {
    const on = birthday(person.dob, age);
    if (on < start || on > end) continue;
    if (lookedAfterOn(person.episodes, on)) return undefined;
    const derived = deriveStatus(person.dob, person.episodes, on).status;
    const recorded = recordedOn(person, on);
    return LEFT_CARE.includes(derived) || LEFT_CARE.includes(recorded) ? { age, on } : undefined;
  }
  return undefined;
}

function row(values: Record<string, string>): Row {
  return Object.fromEntries(tableColumns.OC3.map((c) => [c, values[c] ?? ""]));
}

/** The OC3 rows for the year, one per young person in it, in CHILD order. */
export function buildOc3(year: Ssda903Year, people: readonly Oc3YoungPerson[]): Row[] {
  const rows: Row[] = [];
  for (const person of people) {
    const day = oc3Birthday(person, year);
    if (!day) continue;
    const contact = person.contacts
      .filter((c) => c.birthdayAge === day.age)
      .sort((a, b) => a.contactOn.localeCompare(b.contactOn))
      .at(-1);
    const base = { CHILD: person.child, DOB: dfeDate(person.dob) };
    if (!contact) {
      rows.push(row(base));
      continue;
    }
    const notAsked = notAskedValue(contact.inTouch);
    rows.push(
      row({
        ...base,
        IN_TOUCH: contact.inTouch,
        ACTIV: contact.inTouch === "YES" ? (contact.activity ?? "") : notAsked,
        ACCOM: contact.inTouch === "YES" ? (contact.accommodation ?? "") : notAsked,
      }),
    );
  }
  return rows.sort((a, b) => (a.CHILD ?? "").localeCompare(b.CHILD ?? ""));
}
