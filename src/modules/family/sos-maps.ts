/**
 * Signs of Safety maps: reading a Workbook's versions, and saving a new one. Each save is a new
 * dated version (version_no = latest + 1); earlier versions are never changed. The form says
 * which version it was based on, so a map saved by someone else meanwhile is not overwritten
 * unseen: the save is refused as a conflict and nothing is written.
 */
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { dateParts, FormReader } from "../../platform/forms.ts";
import { actorOf, type RouteContext } from "../../platform/routes.ts";
import { recordOnChildren, type VisibleFamily, type Workbook } from "./family.ts";

/** How many scaling rows the form offers; blank rows are ignored. */
export const SCALING_ROWS = 8;
const TEXT_MAX = 10_000;
const PARTICIPANT_MAX = 200;

export const sosTextFields = [
  {
    name: "worries",
    label: "What are we worried about?",
    what: "what we are worried about",
    hint: "Harm, danger and complicating factors",
  },
  {
    name: "workingWell",
    label: "What is working well?",
    what: "what is working well",
    hint: "Existing strengths and safety",
  },
  {
    name: "needsToHappen",
    label: "What needs to happen?",
    what: "what needs to happen",
    hint: "Future safety and next steps",
  },
  {
    name: "dangerStatement",
    label: "Danger statement",
    what: "the danger statement",
    hint: "What everyone is worried will happen to the children if nothing changes",
  },
  {
    name: "safetyStatement",
    label: "Safety statement",
    what: "the safety statement",
    hint: "What the family will be doing that shows everyone the children are safe",
  },
] as const;
type SosTextField = (typeof sosTextFields)[number]["name"];

export interface SosScaling {
  position: number;
  participant: string;
  isFamily: boolean;
  score: number;
}

export interface SosVersion {
  id: string;
  versionNo: number;
  mappedOn: string;
  recordedByName: string;
  recordedAt: Date;
}

export interface SosMap extends SosVersion, Record<SosTextField, string> {
  scalings: SosScaling[];
}

/** Every version of the Workbook's map, newest first. */
export async function sosVersions(db: Db, workbookId: string): Promise<SosVersion[]> {
  const rows = await db
    .selectFrom("sos_map as m")
    .innerJoin("app_user as u", "u.id", "m.recorded_by")
    .select(["m.id", "m.version_no", "m.mapped_on", "m.recorded_at", "u.display_name"])
    .where("m.workbook_id", "=", workbookId)
    .orderBy("m.version_no", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    versionNo: r.version_no,
    mappedOn: r.mapped_on,
    recordedByName: r.display_name,
    recordedAt: r.recorded_at,
  }));
}

/** One version of the map with its scalings, or undefined. */
export async function sosMap(
  db: Db,
  workbookId: string,
  versionNo: number,
): Promise<SosMap | undefined> {
  const row = await db
    .selectFrom("sos_map as m")
    .innerJoin("app_user as u", "u.id", "m.recorded_by")
    .selectAll("m")
    .select("u.display_name")
    .where("m.workbook_id", "=", workbookId)
    .where("m.version_no", "=", versionNo)
    .executeTakeFirst();
  if (!row) return undefined;
  const scalings = await db
    .selectFrom("sos_scaling")
    .select(["position", "participant", "is_family", "score"])
    .where("map_id", "=", row.id)
    .orderBy("position")
    .execute();
  return {
    id: row.id,
    versionNo: row.version_no,
    mappedOn: row.mapped_on,
    recordedByName: row.display_name,
    recordedAt: row.recorded_at,
    worries: row.worries,
    workingWell: row.working_well,
    needsToHappen: row.needs_to_happen,
    dangerStatement: row.danger_statement,
    safetyStatement: row.safety_statement,
    scalings: scalings.map((s) => ({
      position: s.position,
      participant: s.participant,
      isFamily: s.is_family,
      score: s.score,
    })),
  };
}

/** The form's values pre-filled from a version (the date is left for the new mapping). */
export function sosFormValues(map: SosMap | undefined): Record<string, string> {
  const values: Record<string, string> = { ...dateParts("mappedOn", null) };
  if (!map) return values;
  for (const field of sosTextFields) values[field.name] = map[field.name];
  map.scalings.forEach((s, index) => {
    const row = String(index + 1);
    values[`scaling-${row}-participant`] = s.participant;
    values[`scaling-${row}-family`] = s.isFamily ? "yes" : "";
    values[`scaling-${row}-score`] = String(s.score);
  });
  return values;
}

/** The scaling rows as the form shows them: numbered from 1, each with its field names. */
export function scalingRows(): { row: number; prefix: string }[] {
  return Array.from({ length: SCALING_ROWS }, (_, i) => ({
    row: i + 1,
    prefix: `scaling-${String(i + 1)}`,
  }));
}

/** The version the form was based on: 0 when there was no map yet. */
function basedOnOf(reader: FormReader): number {
  const value = reader.raw("basedOn");
  const basedOn = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(basedOn)) {
    throw new AppError(
      "validation",
      "The form is missing the version of the map it was based on. Reload the page and try again.",
    );
  }
  return basedOn;
}

/** Non-blank scaling rows; each problem names its row (and participant, when given). */
function readScalings(reader: FormReader): SosScaling[] {
  const scalings: SosScaling[] = [];
  for (const { row, prefix } of scalingRows()) {
    const participant = reader.raw(`${prefix}-participant`);
    const score = reader.raw(`${prefix}-score`);
    const isFamily = reader.raw(`${prefix}-family`) === "yes";
    if (!participant && !score) continue;
    const who = participant ? ` (${participant})` : "";
    if (!participant) {
      reader.fail(`${prefix}-participant`, `Scaling row ${String(row)}: enter who gave the score`);
    } else if (participant.length > PARTICIPANT_MAX) {
      reader.fail(
        `${prefix}-participant`,
        `Scaling row ${String(row)}: the name must be ${String(PARTICIPANT_MAX)} characters or fewer`,
      );
    }
    if (!score) {
      reader.fail(
        `${prefix}-score`,
        `Scaling row ${String(row)}${who}: select a score from 0 to 10`,
      );
      continue;
    }
    const value = /^\d{1,2}$/.test(score) ? Number(score) : NaN;
    if (!(value >= 0 && value <= 10)) {
      reader.fail(
        `${prefix}-score`,
        `Scaling row ${String(row)}${who}: the score must be a whole number from 0 to 10`,
      );
      continue;
    }
    scalings.push({ position: row, participant, isFamily, score: value });
  }
  if (scalings.length === 0 && !reader.errors.some((e) => e.field.startsWith("scaling-"))) {
    reader.fail(
      "scaling-1-participant",
      "Enter at least one scaling: who gave it and their score from 0 to 10",
    );
  }
  return scalings;
}

/**
 * Saves the submitted map as the Workbook's next version. Refused as a conflict (nothing
 * saved) when the form was based on a version that is no longer the latest.
 */
export async function saveSosMap(
  ctx: RouteContext,
  family: VisibleFamily,
  workbook: Workbook,
  form: Record<string, unknown>,
): Promise<{ id: string; versionNo: number }> {
  const actor = actorOf(ctx);
  // Saves for one Workbook queue here, so two cannot both become the same next version.
  await ctx.db
    .selectFrom("workbook")
    .select("id")
    .where("id", "=", workbook.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const [latest] = await sosVersions(ctx.db, workbook.id);
  const reader = new FormReader(form);
  const basedOn = basedOnOf(reader);
  const mappedOn = reader.date("mappedOn", "the date of the mapping", {
    required: true,
    notAfter: todayIn(ctx.now),
    ...(latest
      ? {
          notBefore: {
            date: latest.mappedOn,
            what: `the date of version ${String(latest.versionNo)}`,
          },
        }
      : {}),
  });
  const texts = Object.fromEntries(
    sosTextFields.map((f) => [
      f.name,
      reader.text(f.name, f.what, { required: true, max: TEXT_MAX }),
    ]),
  ) as Record<SosTextField, string>;
  const scalings = readScalings(reader);
  reader.done();
  if (mappedOn === null) throw new Error("validated form lost a value");
  const latestNo = latest?.versionNo ?? 0;
  if (basedOn !== latestNo) {
    throw new AppError(
      "conflict",
      `Someone saved a newer version of this map (version ${String(latestNo)}) while you were working on yours. Nothing you entered has been saved: read version ${String(latestNo)}, then save yours again.`,
    );
  }
  const versionNo = latestNo + 1;
  const saved = await ctx.db
    .insertInto("sos_map")
    .values({
      la_id: actor.laId,
      workbook_id: workbook.id,
      version_no: versionNo,
      mapped_on: mappedOn,
      worries: texts.worries,
      working_well: texts.workingWell,
      needs_to_happen: texts.needsToHappen,
      danger_statement: texts.dangerStatement,
      safety_statement: texts.safetyStatement,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto("sos_scaling")
    .values(
      scalings.map((s) => ({
        la_id: actor.laId,
        map_id: saved.id,
        position: s.position,
        participant: s.participant,
        is_family: s.isFamily,
        score: s.score,
      })),
    )
    .execute();
  await recordOnChildren(ctx.db, actor, family, {
    occurredOn: mappedOn,
    kind: "sos_map",
    summary: `Signs of Safety map, version ${String(versionNo)}`,
    subject: { type: "sos_map", id: saved.id },
  });
  ctx.audit({ subjectType: "sos_map", subjectId: saved.id, summary: { version: versionNo } });
  return { id: saved.id, versionNo };
}
