/**
 * Chronology entries for allocated children: how the case came in (contact, referral) and what
 * has happened since (visits, case notes, strategy discussions, missing episodes). Summaries
 * are short invented sentences.
 */
import type { Insertable } from "kysely";
import type { DB } from "../platform/schema.ts";
import type { DemoPerson } from "./families.ts";
import { fromDay, type Random } from "./random.ts";
import type { Organisations, UserInfo } from "./staff.ts";

/** Entries per allocated child (brief: 2 to 6). */
const MIN_ENTRIES = 2;
const MAX_ENTRIES = 6;

type Source = "police" | "health" | "education" | "housing" | "voluntary" | "youth_justice" | "la";

/** ASSUMPTION: who made the first contact, roughly like the CIN census referral sources. */
const FAMILY_SOURCES: readonly (readonly [Source, number])[] = [
  ["police", 30],
  ["health", 15],
  ["education", 20],
  ["housing", 4],
  ["voluntary", 6],
  ["youth_justice", 2],
  ["la", 23],
];
/** ASSUMPTION: exploitation concerns come mostly from police, schools and youth justice. */
const EXPLOITATION_SOURCES: readonly (readonly [Source, number])[] = [
  ["police", 45],
  ["education", 20],
  ["youth_justice", 15],
  ["health", 5],
  ["la", 15],
];

const CONTACTS: Record<Source, readonly string[]> = {
  police: [
    "Police notification: domestic incident at the family home; {child} was present.",
    "Police attended a report of shouting at the address; {child} seen and unhurt.",
    "Police welfare check after a neighbour's call; home conditions very poor.",
  ],
  health: [
    "Health visitor raised concerns about home conditions and missed appointments.",
    "Emergency department contact: {child} seen with an injury; explanation unclear.",
    "GP shared concerns about {carer}'s mental health and the care of {child}.",
  ],
  education: [
    "School raised concerns about {child}'s attendance and presentation.",
    "{child} told a teacher there is a lot of arguing at home.",
    "School reported {child} arriving hungry and in unwashed clothes.",
  ],
  housing: ["Housing officer reported concerns after a home inspection."],
  voluntary: ["Women's Aid shared concerns following a disclosure by {carer}."],
  youth_justice: ["Youth Justice Service raised concerns about {child}'s associations."],
  la: [
    "Early help worker asked for a step-up to children's social care.",
    "Anonymous call from a relative worried about {child}.",
  ],
};

const EXPLOITATION_CONTACTS: Record<Source, readonly string[]> = {
  ...CONTACTS,
  police: [
    "Police found {child} in a car with older males out of area late at night.",
    "{child} stopped by police in another town carrying cash and two phones.",
    "Police intelligence links {child} to a county line operating from the town centre.",
  ],
  education: [
    "School concerned that {child} has new expensive clothes and is often missing from lessons.",
  ],
  youth_justice: ["Youth Justice Service worried that {child} is being groomed to carry drugs."],
  la: ["Missing-from-home worker raised repeated missing episodes for {child}."],
};

const REFERRALS = [
  "Contact progressed to referral; child and family assessment started.",
  "Referral accepted by the MASH; allocated for assessment.",
  "Referral accepted after checks with police and health.",
];

type Kind = "visit" | "case_note" | "strategy_discussion" | "missing_episode";

const LATER: Record<Kind, readonly string[]> = {
  visit: [
    "Home visit: saw {child} alone in their room; {child} said things at home are calmer.",
    "Unannounced visit; no answer at the door. Card left and {carer} phoned later.",
    "Visit at school: {child} talked about friendships and what makes a good day.",
    "Home visit with the domestic abuse practitioner; safety plan reviewed with {carer}.",
  ],
  case_note: [
    "Phone call with {carer} about school attendance; agreed to meet the school together.",
    "Case discussed in group supervision; actions agreed on the family plan.",
    "Checked with the GP: immunisations now up to date.",
    "Spoke with {carer} about progress with the recovery worker.",
  ],
  strategy_discussion: [
    "Strategy discussion with police and health; agreed a section 47 enquiry.",
    "Strategy discussion held; threshold for section 47 not met, continue as child in need.",
  ],
  missing_episode: [
    "{child} reported missing overnight and returned the next morning; return home interview offered.",
    "{child} missing for six hours, found by police in another town; return home interview completed.",
  ],
};

const FAMILY_KINDS: readonly (readonly [Kind, number])[] = [
  ["visit", 5],
  ["case_note", 4],
  ["strategy_discussion", 1],
];
const EXPLOITATION_KINDS: readonly (readonly [Kind, number])[] = [
  ["visit", 4],
  ["case_note", 3],
  ["missing_episode", 2],
  ["strategy_discussion", 1],
];

export interface ChronologyContext {
  rng: Random;
  laId: string;
  today: number;
  orgs: Organisations;
  frontDoorWorkers: readonly UserInfo[];
  rows: Insertable<DB["chronology_entry"]>[];
}

/** A time during the working day of `day`. */
export function workingTime(rng: Random, day: number): Date {
  const hour = String(rng.int(9, 17)).padStart(2, "0");
  const minute = String(rng.int(0, 59)).padStart(2, "0");
  return new Date(`${fromDay(day)}T${hour}:${minute}:00Z`);
}

export function addChronology(
  ctx: ChronologyContext,
  child: DemoPerson,
  worker: UserInfo,
  startDay: number,
  exploitation: boolean,
  carer: "mum" | "dad",
): void {
  const { rng, orgs } = ctx;
  const say = (template: string) =>
    template.replaceAll("{child}", child.givenName).replaceAll("{carer}", carer);
  const add = (day: number, kind: string, summary: string, org: string, by: UserInfo) => {
    ctx.rows.push({
      id: rng.uuid(),
      la_id: ctx.laId,
      person_id: child.id,
      occurred_on: fromDay(day),
      kind,
      summary: say(summary),
      organisation_id: org,
      recorded_by: by.id,
      recorded_at: workingTime(rng, day),
    });
  };
  const count = rng.int(MIN_ENTRIES, MAX_ENTRIES);
  const source = rng.weighted(exploitation ? EXPLOITATION_SOURCES : FAMILY_SOURCES);
  const sourceOrg: Record<Source, string> = {
    police: orgs.partner.police,
    health: orgs.partner.health,
    education: child.age >= 11 ? orgs.partner.secondary : orgs.partner.primary,
    housing: orgs.partner.housing,
    voluntary: orgs.partner.womensAid,
    youth_justice: orgs.partner.youthJustice,
    la: orgs.la,
  };
  const contactDay = Math.max(startDay - rng.int(2, 30), startDay - 60);
  const frontDoor = rng.pick(ctx.frontDoorWorkers);
  const contacts = (exploitation ? EXPLOITATION_CONTACTS : CONTACTS)[source];
  add(contactDay, "contact", rng.pick(contacts), sourceOrg[source], frontDoor);
  let remaining = count - 1;
  if (count >= 3) {
    add(contactDay + rng.int(0, 1), "referral", rng.pick(REFERRALS), orgs.la, frontDoor);
    remaining--;
  }
  const days: number[] = [];
  for (let i = 0; i < remaining; i++) days.push(rng.int(startDay, ctx.today - 1));
  days.sort((a, b) => a - b);
  for (const day of days) {
    const kind = rng.weighted(exploitation ? EXPLOITATION_KINDS : FAMILY_KINDS);
    add(day, kind, rng.pick(LATER[kind]), orgs.la, worker);
  }
}
