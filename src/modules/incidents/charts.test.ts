import { describe, expect, it } from "vitest";
import { heatGrid, scatterMap } from "./charts.ts";
import type { PlaceCount } from "./hotspots.ts";

const place = (
  name: string,
  latitude: number | null,
  longitude: number | null,
  count: number,
): PlaceCount => ({
  id: name,
  name,
  ward: "",
  latitude,
  longitude,
  count,
});

describe("the place map", () => {
  it("puts north at the top and east to the right, inside the box, the busiest largest", () => {
    const map = scatterMap(
      [
        place("North", 52.64, -1.13, 4),
        place("South east", 52.62, -1.1, 1),
        place("Online", null, null, 2),
      ],
      "2025-04",
      "2026-03",
    );
    const north = map.points.find((p) => p.title.startsWith("North"));
    const southEast = map.points.find((p) => p.title.startsWith("South east"));
    if (!north || !southEast) throw new Error("missing point");
    expect(north.y).toBeLessThan(southEast.y);
    expect(southEast.x).toBeGreaterThan(north.x);
    expect(north.r).toBeGreaterThan(southEast.r);
    for (const p of map.points) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(map.width);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(map.height);
    }
    expect(map.unplaced).toBe(1);
    expect(map.label).toContain("Map of 2 places with 5 incidents, Apr 2025 to Mar 2026");
    expect(map.label).toContain("Most at North (4)");
  });

  it("centres a single place", () => {
    const map = scatterMap([place("Only", 52.6, -1.1, 3)], "2026-01", "2026-03");
    expect(map.points).toEqual([
      { x: map.width / 2, y: map.height / 2, r: 24, title: "Only: 3 incidents" },
    ]);
  });
});

describe("the heat grid", () => {
  it("shades each cell by its share of the busiest and labels the grid", () => {
    const grid = heatGrid({
      months: [
        { month: "2026-02", label: "Feb 2026", total: 4 },
        { month: "2026-03", label: "Mar 2026", total: 0 },
      ],
      wards: [{ ward: "Eastfield", counts: [4, 0], total: 4 }],
      total: 4,
    });
    expect(grid.cells.map((c) => [c.count, c.opacity])).toEqual([
      [4, 1],
      [0, 0],
    ]);
    expect(grid.cells[0]?.title).toBe("Eastfield, Feb 2026: 4 incidents");
    expect(grid.label).toBe(
      "Heat grid of 4 incidents in 1 ward by month, Feb 2026 to Mar 2026. Most in Eastfield (4). The table below gives every figure.",
    );
  });
});
