/**
 * Standard measures (screening questionnaires, risk checklists) as data: items, answer options,
 * a scoring rule, bands and alerts. Keeping them as data lets a council add its own measure
 * without code, so everything the scorer relies on is checked here, when the instrument is
 * loaded, rather than discovered when a worker submits answers.
 *
 * Screening scores support professional judgement and never replace it.
 */
import { alertFires, scoreRange } from "./score.ts";

export * from "./instrument-schema.ts";
import { InstrumentFields, type Band, type InstrumentShape } from "./instrument-schema.ts";
/** The type shares the checked schema's name (the schema's own star export is shadowed). */
export type Instrument = InstrumentShape;

interface Problem {
  path: (string | number)[];
  message: string;
}

const span = (b: Band): string => `"${b.level}" (${b.min} to ${b.max})`;

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

function bandProblems(instrument: Instrument): Problem[] {
  const { bands } = instrument;
  const problems: Problem[] = [];
  const at = (i: number, message: string) => problems.push({ path: ["bands", i], message });

  for (const level of duplicates(bands.map((b) => b.level))) {
    at(
      bands.findIndex((b) => b.level === level),
      `Band level "${level}" is used more than once`,
    );
  }
  bands.forEach((b, i) => {
    if (b.min > b.max) at(i, `Band ${span(b)} has its minimum above its maximum`);
  });
  for (let i = 1; i < bands.length; i++) {
    const a = bands[i - 1];
    const b = bands[i];
    if (!a || !b) continue;
    if (b.min < a.min) {
      at(i, `Bands must be listed lowest score first: ${span(b)} comes after ${span(a)}`);
    } else if (b.min <= a.max) {
      at(i, `Bands ${span(a)} and ${span(b)} overlap: a score of ${b.min} falls in both`);
    } else if (b.min > a.max + 1) {
      const hole = b.min - 1 === a.max + 1 ? `${b.min - 1}` : `${a.max + 1} to ${b.min - 1}`;
      at(i, `Bands leave a gap: no band covers ${hole}, between ${span(a)} and ${span(b)}`);
    }
  }

  // The range comes from the items, so adding an item without re-banding is caught here.
  const range = scoreRange(instrument);
  const first = bands[0];
  const last = bands[bands.length - 1];
  if (first && first.min !== range.min) {
    at(
      0,
      `Bands must start at the lowest possible score, ${range.min}, but ${span(first)} does not`,
    );
  }
  if (last && last.max !== range.max) {
    at(
      bands.length - 1,
      `Bands must end at the highest possible score, ${range.max}, but ${span(last)} does not`,
    );
  }
  return problems;
}

/** The cross-field rules a schema of independent fields cannot express. */
function instrumentProblems(instrument: Instrument): Problem[] {
  const { items, scoring, alerts = [] } = instrument;
  const problems: Problem[] = [];

  for (const id of duplicates(items.map((item) => item.id))) {
    const index = items.findIndex((item) => item.id === id);
    problems.push({ path: ["items", index], message: `Item id "${id}" is used more than once` });
  }
  items.forEach((item, i) => {
    for (const value of duplicates(item.options.map((o) => o.value))) {
      problems.push({
        path: ["items", i, "options"],
        message: `Item "${item.id}" has answer value ${value} more than once`,
      });
    }
  });
  if (
    scoring.kind === "count" &&
    !items.some((i) => i.options.some((o) => o.value === scoring.value))
  ) {
    problems.push({
      path: ["scoring", "value"],
      message: `The scoring rule counts answers of ${scoring.value}, but no item offers that value`,
    });
  }

  problems.push(...bandProblems(instrument));

  for (const code of duplicates(alerts.map((a) => a.code))) {
    const index = alerts.findIndex((a) => a.code === code);
    problems.push({
      path: ["alerts", index],
      message: `Alert code "${code}" is used more than once`,
    });
  }
  alerts.forEach((alert, i) => {
    const item = items.find((it) => it.id === alert.itemId);
    if (!item) {
      problems.push({
        path: ["alerts", i, "itemId"],
        message: `Alert "${alert.code}" names item "${alert.itemId}", which the instrument does not have`,
      });
    } else if (!item.options.some((o) => alertFires(alert.when, o.value))) {
      // A safety alert that can never fire is worse than none: it looks like cover.
      problems.push({
        path: ["alerts", i, "when"],
        message: `Alert "${alert.code}" can never fire: no answer to item "${item.id}" meets its condition`,
      });
    }
  });
  return problems;
}

/** The full schema: structure first, then the cross-field rules. */
export const Instrument = InstrumentFields.superRefine((instrument, ctx) => {
  for (const { path, message } of instrumentProblems(instrument)) {
    ctx.addIssue({ code: "custom", path, message });
  }
});

export type ValidationResult =
  { ok: true; instrument: Instrument } | { ok: false; errors: string[] };

/**
 * Parses untrusted instrument data (a council's own measure, a stored definition). Each error
 * names where it is and what is wrong, e.g. `bands.1: Bands leave a gap: no band covers 8 ...`.
 */
export function validateInstrument(data: unknown): ValidationResult {
  const parsed = Instrument.safeParse(data);
  if (parsed.success) return { ok: true, instrument: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) =>
      issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message,
    ),
  };
}
