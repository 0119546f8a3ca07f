/**
 * Signs of Safety maps and Family Group Conferences for the demo's families with Workbooks.
 */
import { workingTime } from "./journeys-calendar.ts";
import { FGC, fillText, SOS } from "./family-safeguarding-text.ts";
import {
  chron,
  spaced,
  textValues,
  type FsContext,
  type FsFamily,
} from "./family-safeguarding-world.ts";
import { dateOf } from "./journeys-calendar.ts";

/** Signs of Safety maps: 2 or 3 dated versions, scaled by the family and the practitioners. */
export function sosMaps(ctx: FsContext, f: FsFamily): number {
  const { rng } = ctx;
  const values = textValues(f);
  const first = Math.min(f.opened + rng.int(5, 14), ctx.today - 1);
  const days = spaced(rng, first, ctx.today, [42, 70], 3);
  const eldest = f.children[0];
  const family = f.adults.map((a) => `${a.person.givenName} (${a.person.role.replace("_", "-")})`);
  if (eldest && eldest.age >= 8) family.push(`${eldest.givenName} (child)`);
  const partner =
    eldest && eldest.age >= 5 ? "Designated safeguarding lead (school)" : "Health visitor";
  const workers = [f.lead, ...f.adults.flatMap((a) => (a.specialist ? [a.specialist] : []))];
  const professionals = [
    ...[...new Set(workers)].map((u) => `${u.displayName} (${u.jobTitle.toLowerCase()})`),
    partner,
  ];
  let familyScore = rng.int(4, 6);
  let workerScore = rng.int(2, 4);
  days.forEach((day, i) => {
    const id = ctx.id();
    const progress = i === 0 ? "" : ` ${SOS.progress[(i - 1) % SOS.progress.length] ?? ""}`;
    ctx.rows.sos_map.push({
      id,
      la_id: ctx.laId,
      workbook_id: f.workbookId,
      version_no: i + 1,
      mapped_on: dateOf(day),
      worries: fillText(SOS.worries, values),
      working_well: fillText(SOS.workingWell, values) + progress,
      needs_to_happen: fillText(SOS.needsToHappen, values),
      danger_statement: fillText(SOS.danger, values),
      safety_statement: fillText(SOS.safety, values),
      recorded_by: f.lead.id,
      recorded_at: workingTime(rng, day),
    });
    const scalings: [string, boolean, number][] = [
      ...family.map((p): [string, boolean, number] => [p, true, familyScore]),
      ...professionals.map((p): [string, boolean, number] => [p, false, workerScore]),
    ];
    scalings.forEach(([participant, isFamily, score], position) => {
      ctx.rows.sos_scaling.push({
        id: ctx.id(),
        la_id: ctx.laId,
        map_id: id,
        position: position + 1,
        participant,
        is_family: isFamily,
        score: Math.min(10, score + rng.int(0, 1)),
      });
    });
    chron(ctx, f, day, "sos_map", `Signs of Safety map, version ${String(i + 1)}`, f.lead, {
      type: "sos_map",
      id,
    });
    familyScore = Math.min(9, familyScore + rng.int(1, 2));
    workerScore = Math.min(8, workerScore + rng.int(1, 2));
  });
  return days.length;
}

const COORDINATORS = ["Sam Whitfield", "Jo Kendal", "Alex Moreno", "Nadia Farouk"] as const;

/** A Family Group Conference: referred a few weeks in, held with the family's plan agreed. */
export function familyGroupConference(ctx: FsContext, f: FsFamily): void {
  const { rng, today } = ctx;
  const values = textValues(f);
  let referred = f.opened + rng.int(14, 35);
  if (referred > today - 22) referred = Math.min(f.opened + 7, today - 2);
  const held = Math.min(referred + rng.int(21, 35), today - 1);
  if (held < referred) return;
  const id = ctx.id();
  ctx.rows.family_group_conference.push({
    id,
    la_id: ctx.laId,
    workbook_id: f.workbookId,
    referred_on: dateOf(referred),
    reason: FGC.reason,
    coordinator: `${rng.pick(COORDINATORS)}, Family Group Conference coordinator`,
    network_invited: fillText(FGC.network, values),
    held_on: dateOf(held),
    plan_agreed: true,
    family_plan: fillText(FGC.plan, values),
    review_on: dateOf(held + rng.int(60, 90)),
    referred_by: f.lead.id,
    version: 2,
    updated_at: workingTime(rng, held),
  });
  const subject = { type: "family_group_conference", id };
  chron(
    ctx,
    f,
    referred,
    "fgc_referred",
    "Referred for a Family Group Conference",
    f.lead,
    subject,
  );
  chron(
    ctx,
    f,
    held,
    "fgc_held",
    "Family Group Conference held: the family agreed a plan",
    f.lead,
    subject,
  );
}
