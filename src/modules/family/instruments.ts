/**
 * Which measures a council may score: the built-ins Trellis ships with (src/domain/instruments/
 * library.ts) plus the council's own rows in `measure_instrument`. A stored definition is
 * validated again when it is read, so a row that no longer passes (e.g. after the rules
 * tightened) is left out rather than scored wrongly.
 */
import {
  builtInMeasureDisciplines,
  measureDisciplines,
  type MeasureDiscipline,
} from "../../domain/family-safeguarding.ts";
import { validateInstrument, type Instrument } from "../../domain/instruments/instrument.ts";
import { builtInInstruments } from "../../domain/instruments/library.ts";
import type { Db } from "../../platform/database.ts";

export interface AvailableInstrument {
  instrument: Instrument;
  discipline: MeasureDiscipline;
  builtIn: boolean;
  /** Council rows only: whether it is offered for new scorings. */
  active: boolean;
}

export function isBuiltInCode(code: string): boolean {
  return builtInInstruments.some((i) => i.id === code);
}

function builtIns(): AvailableInstrument[] {
  return builtInInstruments.map((instrument) => ({
    instrument,
    discipline: builtInMeasureDisciplines[instrument.id] ?? "general",
    builtIn: true,
    active: true,
  }));
}

function isMeasureDiscipline(value: string): value is MeasureDiscipline {
  return (measureDisciplines as readonly string[]).includes(value);
}

/** The council's own instruments that still validate, oldest first. */
async function councilInstruments(
  db: Db,
  laId: string,
  options: { activeOnly: boolean; code?: string; version?: string },
): Promise<AvailableInstrument[]> {
  let query = db
    .selectFrom("measure_instrument")
    .select(["code", "version", "discipline", "definition", "active"])
    .where("la_id", "=", laId)
    .orderBy("added_at")
    .orderBy("id");
  if (options.activeOnly) query = query.where("active", "=", true);
  if (options.code !== undefined) query = query.where("code", "=", options.code);
  if (options.version !== undefined) query = query.where("version", "=", options.version);
  const rows = await query.execute();
  return rows.flatMap((row) => {
    const checked = validateInstrument(row.definition);
    // The row's code and version are what results store, so they must match the definition.
    if (
      !checked.ok ||
      checked.instrument.id !== row.code ||
      checked.instrument.version !== row.version ||
      isBuiltInCode(row.code) ||
      !isMeasureDiscipline(row.discipline)
    ) {
      return [];
    }
    return [
      {
        instrument: checked.instrument,
        discipline: row.discipline,
        builtIn: false,
        active: row.active,
      },
    ];
  });
}

/** Every instrument the council may score now: built-ins first, then its own. */
export async function activeInstruments(db: Db, laId: string): Promise<AvailableInstrument[]> {
  return [...builtIns(), ...(await councilInstruments(db, laId, { activeOnly: true }))];
}

/** Every instrument results may have been scored on, retired ones included (for display). */
export async function allInstruments(db: Db, laId: string): Promise<AvailableInstrument[]> {
  return [...builtIns(), ...(await councilInstruments(db, laId, { activeOnly: false }))];
}

/**
 * One instrument by code and version, or undefined. With `activeOnly` (for a new scoring) a
 * retired council instrument is not found; stored results are shown whatever its state.
 */
export async function resolveInstrument(
  db: Db,
  laId: string,
  code: string,
  version: string,
  options: { activeOnly?: boolean } = {},
): Promise<AvailableInstrument | undefined> {
  const builtIn = builtIns().find(
    (b) => b.instrument.id === code && b.instrument.version === version,
  );
  if (builtIn || isBuiltInCode(code)) return builtIn;
  const [found] = await councilInstruments(db, laId, {
    activeOnly: options.activeOnly ?? false,
    code,
    version,
  });
  return found;
}

/** The version offered for a new scoring of a code: the most recently added active one. */
export async function currentInstrument(
  db: Db,
  laId: string,
  code: string,
): Promise<AvailableInstrument | undefined> {
  const builtIn = builtIns().find((b) => b.instrument.id === code);
  if (builtIn) return builtIn;
  const rows = await councilInstruments(db, laId, { activeOnly: true, code });
  return rows[rows.length - 1];
}

/** One entry per code, at the version offered for new scorings. */
export function latestPerCode(instruments: readonly AvailableInstrument[]): AvailableInstrument[] {
  const byCode = new Map<string, AvailableInstrument>();
  for (const entry of instruments) byCode.set(entry.instrument.id, entry);
  return [...byCode.values()];
}

/** The key results are grouped and looked up by. */
export function instrumentKey(code: string, version: string): string {
  return `${code}@${version}`;
}
