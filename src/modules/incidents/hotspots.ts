/**
 * Hotspots: incidents counted by ward and month, and by place, over a period. Counts follow
 * `incidentCountable` (src/access/incidents.ts): the incidents whose source allows the actor,
 * whoever they involved, since a count of a place names no one.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { incidentCountable } from "../../access/incidents.ts";
import { isCalendarYear, todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import type { FieldError } from "../../platform/errors.ts";
import { incidentKinds, type IncidentKind } from "./input.ts";

/** A month as 'YYYY-MM'. */
export type Month = string;

export interface HotspotFilter {
  from: Month;
  to: Month;
  kind: IncidentKind | null;
}

/** The longest period shown at once: wider tables stop being readable. */
const MAX_MONTHS = 36;
export const NO_WARD = "No ward recorded";

const MONTH = /^(\d{4})-(\d{2})$/;
const monthNames = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

function monthIndex(month: Month): number {
  const [, year = "0", number = "0"] = MONTH.exec(month) ?? [];
  return Number(year) * 12 + Number(number) - 1;
}

function monthOf(index: number): Month {
  return `${String(Math.floor(index / 12))}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthLabel(month: Month): string {
  const index = monthIndex(month);
  return `${monthNames[index % 12] ?? ""} ${String(Math.floor(index / 12))}`;
}

/** Every month from `from` to `to`, inclusive. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i += 1) months.push(monthOf(i));
  return months;
}

function isMonth(value: string): boolean {
  const match = MONTH.exec(value);
  return (
    match !== null &&
    isCalendarYear(Number(match[1])) &&
    Number(match[2]) >= 1 &&
    Number(match[2]) <= 12
  );
}

/**
 * The period and kind asked for in the query string, defaulting to the last 12 months up to
 * this one and every kind. A wrong field is named and the default used in its place.
 */
export function readHotspotFilter(
  query: Record<string, unknown>,
  now: Date,
): { filter: HotspotFilter; errors: FieldError[] } {
  const thisMonth = todayIn(now).slice(0, 7);
  const errors: FieldError[] = [];
  const text = (name: string) => (typeof query[name] === "string" ? query[name].trim() : "");
  const monthField = (name: string, label: string, fallback: Month): Month => {
    const value = text(name);
    if (!value) return fallback;
    if (!isMonth(value)) {
      errors.push({ field: name, message: `${label} must be a month like 2025-04` });
      return fallback;
    }
    if (value > thisMonth) {
      errors.push({ field: name, message: `${label} must be this month or earlier` });
      return fallback;
    }
    return value;
  };
  const to = monthField("to", "The last month", thisMonth);
  let from = monthField("from", "The first month", monthOf(monthIndex(to) - 11));
  if (from > to) {
    errors.push({ field: "from", message: "The first month must be on or before the last month" });
    from = monthOf(monthIndex(to) - 11);
  } else if (monthIndex(to) - monthIndex(from) >= MAX_MONTHS) {
    errors.push({
      field: "from",
      message: `The period must be ${String(MAX_MONTHS)} months or shorter`,
    });
    from = monthOf(monthIndex(to) - 11);
  }
  const kindValue = text("kind");
  const kind = incidentKinds.find((k) => k.code === kindValue)?.code ?? null;
  if (kindValue && !kind) errors.push({ field: "kind", message: "Select a kind from the list" });
  return { filter: { from, to, kind }, errors };
}

export interface WardRow {
  ward: string;
  counts: number[];
  total: number;
}

export interface HotspotTable {
  months: { month: Month; label: string; total: number }[];
  wards: WardRow[];
  total: number;
}

export interface PlaceCount {
  id: string;
  name: string;
  ward: string;
  latitude: number | null;
  longitude: number | null;
  count: number;
}

function periodBounds(filter: HotspotFilter): { first: string; last: string } {
  const after = monthOf(monthIndex(filter.to) + 1);
  return { first: `${filter.from}-01`, last: `${after}-01` };
}

/** Incidents the actor may count, by ward and month: wards with any incident, busiest first. */
export async function incidentsByWardAndMonth(
  db: Db,
  actor: Actor,
  filter: HotspotFilter,
): Promise<HotspotTable> {
  const { first, last } = periodBounds(filter);
  let query = db
    .selectFrom("incident as i")
    .leftJoin("location as l", "l.id", "i.location_id")
    .select([
      sql<string>`coalesce(nullif(l.ward, ''), '')`.as("ward"),
      sql<string>`to_char(i.occurred_on, 'YYYY-MM')`.as("month"),
      sql<string>`count(*)`.as("count"),
    ])
    .where(incidentCountable(actor, "i"))
    .where("i.occurred_on", ">=", first)
    .where("i.occurred_on", "<", last)
    .groupBy([sql`1`, sql`2`]);
  if (filter.kind) query = query.where("i.kind", "=", filter.kind);
  const rows = await query.execute();
  const months = monthsBetween(filter.from, filter.to);
  const byWard = new Map<string, number[]>();
  for (const row of rows) {
    const ward = row.ward || NO_WARD;
    const counts = byWard.get(ward) ?? months.map(() => 0);
    const at = months.indexOf(row.month);
    if (at >= 0) counts[at] = (counts[at] ?? 0) + Number(row.count);
    byWard.set(ward, counts);
  }
  const wards = [...byWard]
    .map(([ward, counts]) => ({ ward, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) =>
      a.ward === NO_WARD
        ? 1
        : b.ward === NO_WARD
          ? -1
          : b.total - a.total || a.ward.localeCompare(b.ward),
    );
  return {
    months: months.map((month, at) => ({
      month,
      label: monthLabel(month),
      total: wards.reduce((sum, w) => sum + (w.counts[at] ?? 0), 0),
    })),
    wards,
    total: wards.reduce((sum, w) => sum + w.total, 0),
  };
}

/** Incidents the actor may count, by place (places with at least one), busiest first. */
export async function incidentsByPlace(
  db: Db,
  actor: Actor,
  filter: HotspotFilter,
): Promise<PlaceCount[]> {
  const { first, last } = periodBounds(filter);
  let query = db
    .selectFrom("incident as i")
    .innerJoin("location as l", "l.id", "i.location_id")
    .select([
      "l.id",
      "l.name",
      "l.ward",
      "l.latitude",
      "l.longitude",
      sql<string>`count(*)`.as("count"),
    ])
    .where(incidentCountable(actor, "i"))
    .where("l.la_id", "=", actor.laId)
    .where("i.occurred_on", ">=", first)
    .where("i.occurred_on", "<", last)
    .groupBy(["l.id", "l.name", "l.ward", "l.latitude", "l.longitude"]);
  if (filter.kind) query = query.where("i.kind", "=", filter.kind);
  const rows = await query.execute();
  return rows
    .map((r) => ({
      id: r.id,
      name: r.name,
      ward: r.ward,
      latitude: r.latitude === null ? null : Number(r.latitude),
      longitude: r.longitude === null ? null : Number(r.longitude),
      count: Number(r.count),
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
