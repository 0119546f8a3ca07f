import { describe, expect, it } from "vitest";
import { validateInstrument, type Band, type Instrument } from "./instrument.ts";

/** Three 0-2 items summed: totals 0 to 6. */
function fixture(overrides: Partial<Instrument> = {}): Instrument {
  const options = [
    { value: 0, label: "None" },
    { value: 1, label: "Some" },
    { value: 2, label: "Lots" },
  ];
  return {
    id: "test_measure",
    name: "Test measure",
    version: "1",
    purpose: "For tests.",
    items: ["a", "b", "c"].map((id) => ({ id, label: `Item ${id}`, options })),
    scoring: { kind: "sum" },
    bands: [
      { min: 0, max: 2, level: "low", label: "Low" },
      { min: 3, max: 6, level: "high", label: "High" },
    ],
    ...overrides,
  };
}

function errorsFor(data: unknown): string[] {
  const result = validateInstrument(data);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

const bands = (...spans: [number, number][]): Band[] =>
  spans.map(([min, max], i) => ({ min, max, level: `band_${i}`, label: `Band ${i}` }));

describe("validateInstrument", () => {
  it("accepts a consistent instrument and returns it parsed", () => {
    const result = validateInstrument(fixture());
    expect(result).toEqual({ ok: true, instrument: fixture() });
  });

  it("accepts a count rule whose bands cover 0 to the number of items offering the value", () => {
    const result = validateInstrument(
      fixture({ scoring: { kind: "count", value: 2 }, bands: bands([0, 1], [2, 3]) }),
    );
    expect(result.ok).toBe(true);
  });

  it("refuses structural problems, naming the field", () => {
    expect(errorsFor({ ...fixture(), id: "Has Spaces" })[0]).toMatch(
      /^id: must be a lower-case code/,
    );
    expect(errorsFor({ ...fixture(), scoring: { kind: "average" } })[0]).toMatch(/^scoring/);
    expect(errorsFor({ ...fixture(), items: [] })[0]).toMatch(/^items/);
    expect(errorsFor({ ...fixture(), overridePolicy: "any" })[0]).toMatch(/^overridePolicy/);
  });

  it("refuses misspelt keys rather than ignoring them", () => {
    expect(errorsFor({ ...fixture(), overidePolicy: "raise_only" })[0]).toMatch(/overidePolicy/);
  });

  it("refuses fractional answer values, so totals stay whole", () => {
    const items = fixture().items.map((item) => ({
      ...item,
      options: [
        { value: 0, label: "No" },
        { value: 0.5, label: "Half" },
      ],
    }));
    expect(errorsFor(fixture({ items }))[0]).toMatch(/^items\.0\.options\.1\.value/);
  });

  it("refuses a gap between bands, naming the uncovered scores", () => {
    expect(errorsFor(fixture({ bands: bands([0, 2], [4, 6]) }))).toEqual([
      'bands.1: Bands leave a gap: no band covers 3, between "band_0" (0 to 2) and "band_1" (4 to 6)',
    ]);
    expect(errorsFor(fixture({ bands: bands([0, 1], [4, 6]) }))[0]).toContain(
      "no band covers 2 to 3",
    );
  });

  it("refuses overlapping bands", () => {
    expect(errorsFor(fixture({ bands: bands([0, 3], [3, 6]) }))).toEqual([
      'bands.1: Bands "band_0" (0 to 3) and "band_1" (3 to 6) overlap: a score of 3 falls in both',
    ]);
  });

  it("refuses bands out of order", () => {
    expect(errorsFor(fixture({ bands: bands([3, 6], [0, 2]) }))).toContain(
      'bands.1: Bands must be listed lowest score first: "band_1" (0 to 2) comes after "band_0" (3 to 6)',
    );
  });

  it("refuses a band whose minimum is above its maximum", () => {
    expect(errorsFor(fixture({ bands: bands([0, 2], [6, 3]) }))).toContain(
      'bands.1: Band "band_1" (6 to 3) has its minimum above its maximum',
    );
  });

  it("refuses bands that do not reach the highest possible score", () => {
    expect(errorsFor(fixture({ bands: bands([0, 2], [3, 5]) }))).toEqual([
      'bands.1: Bands must end at the highest possible score, 6, but "band_1" (3 to 5) does not',
    ]);
  });

  it("refuses bands that go beyond the possible scores at either end", () => {
    expect(errorsFor(fixture({ bands: bands([1, 2], [3, 7]) }))).toEqual([
      'bands.0: Bands must start at the lowest possible score, 0, but "band_0" (1 to 2) does not',
      'bands.1: Bands must end at the highest possible score, 6, but "band_1" (3 to 7) does not',
    ]);
  });

  it("refuses bands left unchanged after an item is added", () => {
    const instrument = fixture();
    const extra = {
      id: "d",
      label: "Item d",
      options: [
        { value: 0, label: "No" },
        { value: 2, label: "Yes" },
      ],
    };
    expect(errorsFor({ ...instrument, items: [...instrument.items, extra] })[0]).toContain(
      "highest possible score, 8",
    );
  });

  it("refuses duplicate answer values within an item", () => {
    const items = fixture().items.map((item, i) =>
      i === 1 ? { ...item, options: [...item.options, { value: 2, label: "Also lots" }] } : item,
    );
    expect(errorsFor(fixture({ items }))).toEqual([
      'items.1.options: Item "b" has answer value 2 more than once',
    ]);
  });

  it("refuses duplicate item ids and band levels", () => {
    const items = fixture().items.map((item) => ({ ...item, id: item.id === "c" ? "a" : item.id }));
    expect(errorsFor(fixture({ items }))).toEqual(['items.0: Item id "a" is used more than once']);
    const twice = fixture().bands.map((b) => ({ ...b, level: "low" }));
    expect(errorsFor(fixture({ bands: twice }))).toEqual([
      'bands.0: Band level "low" is used more than once',
    ]);
  });

  it("refuses a count rule for a value no item offers", () => {
    expect(
      errorsFor(fixture({ scoring: { kind: "count", value: 9 }, bands: bands([0, 0]) })),
    ).toEqual([
      "scoring.value: The scoring rule counts answers of 9, but no item offers that value",
    ]);
  });

  it("refuses an alert naming an unknown item", () => {
    const alerts = [
      { code: "warn", itemId: "z", when: { kind: "non_zero" as const }, message: "!" },
    ];
    expect(errorsFor(fixture({ alerts }))).toEqual([
      'alerts.0.itemId: Alert "warn" names item "z", which the instrument does not have',
    ]);
  });

  it("refuses an alert that can never fire", () => {
    const alerts = [
      { code: "warn", itemId: "a", when: { kind: "at_least" as const, value: 3 }, message: "!" },
    ];
    expect(errorsFor(fixture({ alerts }))).toEqual([
      'alerts.0.when: Alert "warn" can never fire: no answer to item "a" meets its condition',
    ]);
  });

  it("refuses duplicate alert codes", () => {
    const alert = { code: "warn", itemId: "a", when: { kind: "non_zero" as const }, message: "!" };
    expect(errorsFor(fixture({ alerts: [alert, alert] }))).toEqual([
      'alerts.0: Alert code "warn" is used more than once',
    ]);
  });
});
