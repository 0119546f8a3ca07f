/**
 * Geometry for the hotspot pictures, drawn as SVG by the template (no tile server, no
 * JavaScript): a heat grid of incidents per ward per month, and a "map" of places placed by
 * projecting latitude and longitude into a box. Each carries an aria-label summarising it; the
 * tables on the page are the accessible alternative with every figure.
 */
import { monthLabel, type HotspotTable, type PlaceCount } from "./hotspots.ts";

export interface HeatCell {
  x: number;
  y: number;
  count: number;
  opacity: number;
  darkText: boolean;
  title: string;
}

export interface HeatGrid {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  label: string;
  columns: { x: number; label: string }[];
  rows: { y: number; label: string }[];
  cells: HeatCell[];
}

const LABEL_WIDTH = 170;
const HEADER_HEIGHT = 34;
const CELL_WIDTH = 46;
const CELL_HEIGHT = 28;
const WARD_LABEL_MAX = 24;

const shorten = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`;

export function heatGrid(table: HotspotTable): HeatGrid {
  const max = Math.max(0, ...table.wards.flatMap((w) => w.counts));
  const first = table.months[0];
  const last = table.months[table.months.length - 1];
  const busiest = table.wards.reduce<{ ward: string; total: number } | null>(
    (best, w) => (!best || w.total > best.total ? w : best),
    null,
  );
  const period = first && last ? `${first.label} to ${last.label}` : "";
  const label =
    table.total === 0
      ? `Heat grid of incidents by ward and month, ${period}: none recorded.`
      : `Heat grid of ${plural(table.total, "incident")} in ${plural(table.wards.length, "ward")} by month, ${period}. Most in ${busiest?.ward ?? ""} (${String(busiest?.total ?? 0)}). The table below gives every figure.`;
  const cells: HeatCell[] = [];
  table.wards.forEach((w, row) => {
    w.counts.forEach((count, column) => {
      const opacity = count === 0 || max === 0 ? 0 : 0.15 + 0.85 * (count / max);
      cells.push({
        x: LABEL_WIDTH + column * CELL_WIDTH,
        y: HEADER_HEIGHT + row * CELL_HEIGHT,
        count,
        opacity: Math.round(opacity * 100) / 100,
        // Where dark or white text reads better on the GOV.UK dark blue at this strength.
        darkText: opacity < 0.6,
        title: `${w.ward}, ${table.months[column]?.label ?? ""}: ${plural(count, "incident")}`,
      });
    });
  });
  return {
    width: LABEL_WIDTH + table.months.length * CELL_WIDTH + 4,
    height: HEADER_HEIGHT + table.wards.length * CELL_HEIGHT + 4,
    cellWidth: CELL_WIDTH,
    cellHeight: CELL_HEIGHT,
    label,
    columns: table.months.map((m, column) => ({
      x: LABEL_WIDTH + column * CELL_WIDTH + CELL_WIDTH / 2,
      // "Apr 25": the year shortened so that each column stays narrow.
      label: `${m.label.slice(0, 3)} ${m.label.slice(-2)}`,
    })),
    rows: table.wards.map((w, row) => ({
      y: HEADER_HEIGHT + row * CELL_HEIGHT + CELL_HEIGHT / 2,
      label: shorten(w.ward, WARD_LABEL_MAX),
    })),
    cells,
  };
}

export interface MapPoint {
  x: number;
  y: number;
  r: number;
  title: string;
}

export interface ScatterMap {
  width: number;
  height: number;
  label: string;
  points: MapPoint[];
  /** Places with incidents but no coordinates: not on the map, still in the table. */
  unplaced: number;
}

const MAP_WIDTH = 640;
const MAP_HEIGHT = 420;
const MAP_PADDING = 36;
const MIN_RADIUS = 5;
const MAX_RADIUS = 24;

/**
 * Places positioned by an equirectangular projection: longitude scaled by the cosine of the
 * middle latitude so that distances look right at English latitudes, north at the top, the
 * whole area fitted into the box with its proportions kept. Circle area follows the count.
 */
export function scatterMap(places: readonly PlaceCount[], from: string, to: string): ScatterMap {
  const located = places.filter(
    (p): p is PlaceCount & { latitude: number; longitude: number } =>
      p.latitude !== null && p.longitude !== null,
  );
  const period = `${monthLabel(from)} to ${monthLabel(to)}`;
  const unplaced = places.length - located.length;
  if (located.length === 0) {
    return {
      width: MAP_WIDTH,
      height: MAP_HEIGHT,
      label: `Map of places with incidents, ${period}: no place with a location recorded.`,
      points: [],
      unplaced,
    };
  }
  const lats = located.map((p) => p.latitude);
  const lons = located.map((p) => p.longitude);
  const [minLat, maxLat] = [Math.min(...lats), Math.max(...lats)];
  const [minLon, maxLon] = [Math.min(...lons), Math.max(...lons)];
  const squash = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon) * squash;
  const spanY = maxLat - minLat;
  const innerW = MAP_WIDTH - 2 * MAP_PADDING;
  const innerH = MAP_HEIGHT - 2 * MAP_PADDING;
  // One place, or places in a line: centre them rather than divide by zero.
  const scale = Math.min(
    spanX > 0 ? innerW / spanX : Infinity,
    spanY > 0 ? innerH / spanY : Infinity,
  );
  const finite = Number.isFinite(scale) ? scale : 0;
  const offsetX = MAP_PADDING + (innerW - spanX * finite) / 2;
  const offsetY = MAP_PADDING + (innerH - spanY * finite) / 2;
  const most = Math.max(...located.map((p) => p.count));
  const round = (n: number) => Math.round(n * 10) / 10;
  const points = located.map((p) => ({
    x: round(offsetX + (p.longitude - minLon) * squash * finite),
    y: round(offsetY + (maxLat - p.latitude) * finite),
    r: round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(p.count / most)),
    title: `${p.name}${p.ward ? ` (${p.ward})` : ""}: ${plural(p.count, "incident")}`,
  }));
  const top = located[0];
  const total = located.reduce((sum, p) => sum + p.count, 0);
  return {
    width: MAP_WIDTH,
    height: MAP_HEIGHT,
    label: `Map of ${plural(located.length, "place")} with ${plural(total, "incident")}, ${period}, each circle sized by its number of incidents and placed by latitude and longitude. Most at ${top?.name ?? ""} (${String(top?.count ?? 0)}). The table of places gives every figure.`,
    // Large circles drawn first, so that a small one is never hidden under a large one.
    points: [...points].sort((a, b) => b.r - a.r),
    unplaced,
  };
}
