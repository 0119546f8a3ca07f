/** Helpers for the measure tests: forms as a browser would post them, and the saved rows. */
import type { Instrument } from "../../domain/instruments/instrument.ts";
import type { Db } from "../../platform/database.ts";

/** Every item answered `value`, with some answers overridden (undefined leaves one out). */
export function answersOf(
  instrument: Instrument,
  value: number,
  overrides: Record<string, number | undefined> = {},
): Record<string, number | undefined> {
  return {
    ...Object.fromEntries(instrument.items.map((item) => [item.id, value])),
    ...overrides,
  };
}

/** The first `count` items answered `yes`, the rest `no`. */
export function firstAnswered(
  instrument: Instrument,
  count: number,
  yes = 1,
  no = 0,
): Record<string, number> {
  return Object.fromEntries(instrument.items.map((item, i) => [item.id, i < count ? yes : no]));
}

export function dateFields(name: string, iso: string): Record<string, string> {
  const [year = "", month = "", day = ""] = iso.split("-");
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

/** The scoring form as posted. */
export function scoringForm(
  personId: string,
  instrument: Instrument,
  answers: Record<string, number | string | undefined>,
  extra: Record<string, string> = {},
  administeredOn = "2026-03-01",
): Record<string, string> {
  const form: Record<string, string> = {
    person: personId,
    instrument: instrument.id,
    instrumentVersion: instrument.version,
    ...dateFields("administeredOn", administeredOn),
    judgedLevel: "",
    judgementReason: "",
  };
  for (const [id, value] of Object.entries(answers)) {
    if (value !== undefined) form[`item_${id}`] = String(value);
  }
  return { ...form, ...extra };
}

export function measureRows(db: Db, personId: string) {
  return db
    .selectFrom("measure_result")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("administered_on")
    .orderBy("recorded_at")
    .execute();
}

export function alertRows(db: Db, personId: string) {
  return db
    .selectFrom("measure_alert")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("raised_at")
    .execute();
}

/** Text as Nunjucks escapes it in a page. */
export function escaped(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
