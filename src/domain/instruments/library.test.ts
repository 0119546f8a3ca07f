import { describe, expect, it } from "vitest";
import { validateInstrument, type Instrument } from "./instrument.ts";
import {
  audit,
  builtInInstrument,
  builtInInstruments,
  dashRiskChecklist,
  gad7,
  phq9,
  readinessToChange,
} from "./library.ts";
import { applyJudgement, itemPoints, scoreAnswers, scoreRange, type Answers } from "./score.ts";

/**
 * Some answer set scoring exactly `target`: walks the items keeping one answer set per
 * reachable running total, so options with gaps (AUDIT's 0, 2, 4) are handled.
 */
function answersForTotal(instrument: Instrument, target: number): Answers {
  let reachable = new Map<number, Record<string, number>>([[0, {}]]);
  for (const item of instrument.items) {
    const next = new Map<number, Record<string, number>>();
    for (const [total, answers] of reachable) {
      for (const { value } of item.options) {
        const sum = total + itemPoints(instrument.scoring, value);
        if (!next.has(sum)) next.set(sum, { ...answers, [item.id]: value });
      }
    }
    reachable = next;
  }
  const found = reachable.get(target);
  if (!found) throw new Error(`${instrument.id} cannot score ${target}`);
  return found;
}

/** Every item at its first option: a valid base to vary one answer at a time. */
const firstAnswers = (instrument: Instrument): Record<string, number> =>
  Object.fromEntries(instrument.items.map((item) => [item.id, item.options[0]?.value ?? 0]));

/** A small seeded generator (mulberry32), so a failing property run can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const expectedBands: [Instrument, [number, number, string][]][] = [
  [
    dashRiskChecklist,
    [
      [0, 9, "standard"],
      [10, 13, "medium"],
      [14, 27, "high"],
    ],
  ],
  [
    audit,
    [
      [0, 7, "zone_1"],
      [8, 15, "zone_2"],
      [16, 19, "zone_3"],
      [20, 40, "zone_4"],
    ],
  ],
  [
    phq9,
    [
      [0, 4, "minimal"],
      [5, 9, "mild"],
      [10, 14, "moderate"],
      [15, 19, "moderately_severe"],
      [20, 27, "severe"],
    ],
  ],
  [
    gad7,
    [
      [0, 4, "minimal"],
      [5, 9, "mild"],
      [10, 14, "moderate"],
      [15, 21, "severe"],
    ],
  ],
  [
    readinessToChange,
    [
      [0, 3, "not_ready"],
      [4, 6, "unsure"],
      [7, 10, "ready"],
    ],
  ],
];

describe("built-in instruments", () => {
  it("are all listed once, with unique ids, and found by id", () => {
    expect(builtInInstruments.map((i) => i.id)).toEqual(expectedBands.map(([i]) => i.id));
    for (const instrument of builtInInstruments) {
      expect(builtInInstrument(instrument.id)).toBe(instrument);
    }
    expect(builtInInstrument("unknown")).toBeUndefined();
  });

  it("have the published shape", () => {
    expect(dashRiskChecklist.items).toHaveLength(27);
    expect(audit.items).toHaveLength(10);
    expect(phq9.items).toHaveLength(9);
    expect(gad7.items).toHaveLength(7);
    expect(readinessToChange.items).toHaveLength(1);
    const values = (instrument: Instrument, index: number) =>
      instrument.items[index]?.options.map((o) => o.value);
    for (let i = 0; i < 8; i++) expect(values(audit, i)).toEqual([0, 1, 2, 3, 4]);
    expect(values(audit, 8)).toEqual([0, 2, 4]);
    expect(values(audit, 9)).toEqual([0, 2, 4]);
    for (const item of dashRiskChecklist.items) {
      expect(item.options.map((o) => o.value).sort()).toEqual([0, 1]);
    }
    expect(values(readinessToChange, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("note the MARAC referral at high risk and that readiness banding is display only", () => {
    expect(dashRiskChecklist.bands.at(-1)?.note).toMatch(/14 or more.*MARAC/);
    for (const band of readinessToChange.bands) expect(band.note).toMatch(/display only/);
  });
});

const cases = expectedBands.map(([instrument, bands]) => ({
  name: instrument.name,
  instrument,
  bands,
}));

describe.each(cases)("$name", ({ instrument, bands }) => {
  it("passes validation unchanged", () => {
    expect(validateInstrument(instrument)).toEqual({ ok: true, instrument });
  });

  it("has the agreed bands", () => {
    expect(instrument.bands.map((b) => [b.min, b.max, b.level])).toEqual(bands);
  });

  const range = scoreRange(instrument);
  const levelAt = (total: number) => bands.find(([min, max]) => total >= min && total <= max)?.[2];
  // Each band's min and max, and one either side where that is still a possible score.
  const boundaries = [
    ...new Set(bands.flatMap(([min, max]) => [min - 1, min, max, max + 1])),
  ].filter((total) => total >= range.min && total <= range.max);

  it.each(boundaries)("scores a total of %i in the right band", (total) => {
    const result = scoreAnswers(instrument, answersForTotal(instrument, total));
    expect(result).toMatchObject({ ok: true, total, band: { level: levelAt(total) } });
  });

  it("accepts every allowed value of every item", () => {
    for (const item of instrument.items) {
      for (const { value } of item.options) {
        const result = scoreAnswers(instrument, { ...firstAnswers(instrument), [item.id]: value });
        expect(result.ok, `${item.id}=${value}`).toBe(true);
      }
    }
  });

  it("refuses a value outside each item's options, naming the item and allowed values", () => {
    for (const item of instrument.items) {
      const values = item.options.map((o) => o.value);
      for (const bad of [Math.max(...values) + 1, Math.min(...values) - 1]) {
        const result = scoreAnswers(instrument, { ...firstAnswers(instrument), [item.id]: bad });
        expect(result).toMatchObject({ ok: false, errors: [{ itemId: item.id }] });
        expect(!result.ok && result.errors[0]?.message).toBe(
          `${bad} is not an answer to "${item.label}": allowed values are ${values.join(", ")}`,
        );
      }
    }
  });

  it("refuses missing answers, naming each missing item", () => {
    const result = scoreAnswers(instrument, {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.itemId)).toEqual(
      instrument.items.map((item) => item.id),
    );
    const last = instrument.items.at(-1);
    if (!last) throw new Error("no items");
    const allButLast = Object.fromEntries(
      Object.entries(firstAnswers(instrument)).filter(([id]) => id !== last.id),
    );
    expect(scoreAnswers(instrument, allButLast)).toEqual({
      ok: false,
      errors: [{ itemId: last.id, message: `No answer for "${last.label}"` }],
      alerts: [],
    });
  });

  it("property: any valid answer set scores within range and in exactly one band", () => {
    const next = random(instrument.id.length * 7919);
    for (let run = 0; run < 500; run++) {
      const answers = Object.fromEntries(
        instrument.items.map((item) => {
          const option = item.options[Math.floor(next() * item.options.length)];
          return [item.id, option?.value ?? Number.NaN];
        }),
      );
      const result = scoreAnswers(instrument, answers);
      if (!result.ok) throw new Error(`refused ${JSON.stringify(answers)}`);
      expect(result.total).toBeGreaterThanOrEqual(range.min);
      expect(result.total).toBeLessThanOrEqual(range.max);
      const matching = instrument.bands.filter(
        (b) => result.total >= b.min && result.total <= b.max,
      );
      expect(matching.map((b) => b.level)).toEqual([result.band.level]);
    }
  });
});

describe("AUDIT items 9 and 10", () => {
  it.each([1, 3])("refuse %i, which falls between the options 0, 2 and 4", (value) => {
    const result = scoreAnswers(audit, { ...firstAnswers(audit), q9: value, q10: value });
    expect(!result.ok && result.errors).toEqual(
      ["q9", "q10"].map((id) => ({
        itemId: id,
        message: expect.stringMatching(/allowed values are 0, 2, 4$/) as unknown,
      })),
    );
  });
});

describe("PHQ-9 self-harm alert", () => {
  const withItem9 = (value: number) => ({ ...firstAnswers(phq9), q9: value });

  it("is not raised when item 9 is 0", () => {
    expect(scoreAnswers(phq9, withItem9(0))).toMatchObject({ ok: true, alerts: [] });
  });

  it.each([1, 2, 3])("is raised when item 9 is %i, whatever the total", (value) => {
    const result = scoreAnswers(phq9, withItem9(value));
    expect(result).toMatchObject({ ok: true, total: value, band: { level: "minimal" } });
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]).toMatchObject({ code: "self_harm_thoughts", itemId: "q9" });
    expect(result.alerts[0]?.message).toMatch(/Act now/);
    expect(result.alerts[0]?.message).toMatch(/allocated workers are alerted/);
  });

  it("is raised even when other answers are missing", () => {
    expect(scoreAnswers(phq9, { q9: 2 })).toMatchObject({
      ok: false,
      alerts: [{ code: "self_harm_thoughts" }],
    });
  });

  it("is the only built-in alert", () => {
    const alertCodes = builtInInstruments.flatMap((i) => (i.alerts ?? []).map((a) => a.code));
    expect(alertCodes).toEqual(["self_harm_thoughts"]);
  });
});

describe("DASH-style checklist judgement (raise only)", () => {
  it("counts yes answers", () => {
    const answers = answersForTotal(dashRiskChecklist, 14);
    expect(Object.values(answers).filter((v) => v === 1)).toHaveLength(14);
    expect(scoreAnswers(dashRiskChecklist, answers)).toMatchObject({ ok: true, total: 14 });
  });

  it("accepts a raise with a reason", () => {
    expect(applyJudgement(dashRiskChecklist, "standard", "high", "Recent threats to kill")).toEqual(
      {
        ok: true,
        level: "high",
        label: "High risk",
        overridden: true,
        reason: "Recent threats to kill",
      },
    );
  });

  it("refuses a raise without a reason", () => {
    for (const reason of ["", "  ", undefined, null]) {
      expect(applyJudgement(dashRiskChecklist, "medium", "high", reason)).toEqual({
        ok: false,
        error: "reason_required",
        message: 'Give a reason for raising the level from "Medium risk" to "High risk"',
      });
    }
  });

  it("refuses lowering the level, even with a reason", () => {
    expect(applyJudgement(dashRiskChecklist, "high", "medium", "Victim says it is better")).toEqual(
      {
        ok: false,
        error: "lower_refused",
        message:
          'Professional judgement can raise the level but not lower it: "Medium risk" is below the computed "High risk"',
      },
    );
  });

  it("other built-ins do not take an override", () => {
    for (const instrument of [audit, phq9, gad7, readinessToChange]) {
      expect(instrument.overridePolicy).toBeUndefined();
    }
  });
});
