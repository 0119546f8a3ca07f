/**
 * What each discipline writes in the demo's Workbooks: a section for each child, and for each
 * adult as a parent and in their specialist's discipline, each version kept as a revision; and
 * the adults' measures, repeated over time by the practitioners who work with them.
 */
import type { WorkbookDiscipline } from "../domain/family-safeguarding.ts";
import { workingTime } from "./journeys-calendar.ts";
import type { DemoPerson } from "./families.ts";
import {
  INSTRUMENTS,
  measureDays,
  measureSeries,
  TRENDS,
  type MeasureContext,
} from "./family-safeguarding-measures.ts";
import {
  CHILD_SECTION,
  fillText,
  NEED_GOAL,
  PARENT_SECTION,
  SPECIALIST_SECTION,
  type Need,
} from "./family-safeguarding-text.ts";
import type { FsContext, FsFamily } from "./family-safeguarding-world.ts";
import type { UserInfo } from "./staff.ts";

/** ASSUMPTION: share of the large sample's adults whose mood scores worsen. */
const LARGE_WORSENING_RATE = 0.1;

const NEED_DISCIPLINE: Record<Need, WorkbookDiscipline> = {
  da_victim: "domestic_abuse",
  da_harm: "domestic_abuse",
  substance: "substance_misuse",
  mental_health: "mental_health",
};

/** One Workbook section, 1 to 3 versions, each kept as a revision. */
function section(
  ctx: FsContext,
  f: FsFamily,
  person: DemoPerson,
  discipline: WorkbookDiscipline,
  texts: { base: string; updates: readonly string[] },
  writers: readonly UserInfo[],
  from: number,
): void {
  const { rng, today } = ctx;
  const id = ctx.id();
  const versions = rng.int(1, 1 + texts.updates.length);
  let day = Math.min(from + rng.int(3, 20), today - 1);
  let body = texts.base;
  let writer = writers[0] ?? f.lead;
  let written = workingTime(rng, day);
  let version = 0;
  for (let v = 1; v <= versions; v++) {
    if (v > 1) {
      const next = day + rng.int(20, 50);
      if (next >= today) break;
      day = next;
      body = `${body}\n\n${texts.updates[v - 2] ?? ""}`;
      writer = writers[(v - 1) % writers.length] ?? writer;
      written = workingTime(rng, day);
    }
    ctx.rows.workbook_section_revision.push({
      id: ctx.id(),
      la_id: ctx.laId,
      section_id: id,
      version: v,
      body,
      written_by: writer.id,
      organisation_id: writer.team.organisationId,
      written_at: written,
    });
    version = v;
  }
  ctx.rows.workbook_section.push({
    id,
    la_id: ctx.laId,
    workbook_id: f.workbookId,
    person_id: person.id,
    discipline,
    body,
    version,
    updated_by: writer.id,
    updated_at: written,
  });
}

/** A section for each child, and for each adult as a parent and in their specialist's discipline. */
export function sections(ctx: FsContext, f: FsFamily): void {
  const { rng } = ctx;
  const main = f.adults[0]?.person.givenName ?? "their carer";
  const childWriters = f.practitioner ? [f.lead, f.practitioner] : [f.lead];
  for (const child of f.children) {
    const values = { child: child.givenName, age: String(child.age), main };
    const set = child.age < 5 ? CHILD_SECTION.young : CHILD_SECTION.older;
    section(
      ctx,
      f,
      child,
      "child",
      {
        base: fillText(rng.pick(set), values),
        updates: CHILD_SECTION.updates.map((u) => fillText(u, values)),
      },
      childWriters,
      f.opened,
    );
  }
  for (const adult of f.adults) {
    const values = { adult: adult.person.givenName };
    const parent = {
      base: fillText(rng.pick(PARENT_SECTION.texts), values),
      updates: PARENT_SECTION.updates.map((u) => fillText(u, values)),
    };
    section(ctx, f, adult.person, "parent", parent, [f.lead], f.opened);
    if (!adult.need || !adult.specialist) continue;
    const texts = SPECIALIST_SECTION[adult.need];
    const own = {
      base: fillText(rng.pick(texts.texts), values),
      updates: texts.updates.map((u) => fillText(u, values)),
    };
    section(ctx, f, adult.person, NEED_DISCIPLINE[adult.need], own, [adult.specialist], adult.from);
  }
}

/**
 * Each adult's measures, by their specialist: the risk checklist for the person harmed (by the
 * social worker when only the person who harms has a specialist), AUDIT, PHQ-9 with GAD-7, and
 * readiness to change towards their goal. Team A's first adult in mental health work is the
 * one whose scores worsen, with the self-harm alert on the latest; its first person harmed has
 * the one checklist whose level was raised by judgement.
 */
export function measures(
  ctx: FsContext,
  f: FsFamily,
  flags: { alert: boolean; raised: boolean },
  inTeamA: boolean,
): void {
  const { rng, today } = ctx;
  const m: MeasureContext = { ...ctx, workbookId: f.workbookId, rows: ctx.rows };
  for (const adult of f.adults) {
    if (!adult.need || !adult.specialist) continue;
    const by = adult.specialist;
    const days = measureDays(rng, Math.min(adult.from + rng.int(3, 14), today - 1), today);
    const id = adult.person.id;
    if (adult.need === "da_victim") {
      const raise = inTeamA && !flags.raised;
      flags.raised ||= raise;
      const trend = raise ? { from: 11, to: rng.int(3, 8) } : TRENDS.dash(rng);
      const reason = raise
        ? "Raised: a recent incident and a breach of bail conditions are not reflected in the count."
        : undefined;
      measureSeries(m, INSTRUMENTS.dash, id, by, days, trend, reason ? { raiseFirst: reason } : {});
    } else if (adult.need === "substance") {
      measureSeries(m, INSTRUMENTS.audit, id, by, days, TRENDS.audit(rng));
    } else if (adult.need === "mental_health") {
      const alert = inTeamA && !flags.alert;
      flags.alert ||= alert;
      const worsening = alert || (!inTeamA && rng.chance(LARGE_WORSENING_RATE));
      measureSeries(m, INSTRUMENTS.phq9, id, by, days, TRENDS.phq9(rng, worsening), {
        alertOnLatest: alert,
      });
      measureSeries(m, INSTRUMENTS.gad7, id, by, days, TRENDS.gad7(rng, worsening));
    }
    const goal = NEED_GOAL[adult.need].scaled;
    measureSeries(m, INSTRUMENTS.readinessToChange, id, by, days, TRENDS.readiness(rng), { goal });
  }
  // Where only the person who harms has a specialist, the social worker keeps the checklist
  // with the main carer.
  const main = f.adults[0];
  const harmOnly =
    f.adults.some((a) => a.need === "da_harm") && !f.adults.some((a) => a.need === "da_victim");
  if (main && harmOnly) {
    const days = measureDays(rng, Math.min(f.opened + rng.int(5, 14), today - 1), today);
    measureSeries(m, INSTRUMENTS.dash, main.person.id, f.lead, days, TRENDS.dash(rng));
  }
}
