import { describe, expect, it } from "vitest";
import { validateInstrument, type Instrument } from "./instrument.ts";
import { applyJudgement, scoreAnswers, scoreRange } from "./score.ts";

const options = [
  { value: 0, label: "No" },
  { value: 1, label: "Yes" },
];

/** Three yes/no items, "yes" counted; item "b" alerts on yes. */
const checklist: Instrument = {
  id: "checklist",
  name: "Checklist",
  version: "2",
  purpose: "For tests.",
  items: ["a", "b", "c"].map((id) => ({ id, label: `Item ${id}`, options })),
  scoring: { kind: "count", value: 1 },
  bands: [
    { min: 0, max: 1, level: "low", label: "Low" },
    { min: 2, max: 2, level: "medium", label: "Medium", note: "Discuss in supervision." },
    { min: 3, max: 3, level: "high", label: "High" },
  ],
  alerts: [{ code: "b_yes", itemId: "b", when: { kind: "non_zero" }, message: "Act on b." }],
  overridePolicy: "raise_only",
};

const withoutPolicy: Instrument = { ...checklist, overridePolicy: undefined };

describe("scoreRange", () => {
  it("sums each item's lowest and highest points", () => {
    expect(scoreRange(checklist)).toEqual({ min: 0, max: 3 });
    expect(scoreRange({ ...checklist, scoring: { kind: "sum" } })).toEqual({ min: 0, max: 3 });
  });

  it("counts an item whose every option is the counted value as always scoring", () => {
    const items = [{ id: "x", label: "X", options: [{ value: 1, label: "Yes" }] }];
    expect(scoreRange({ items, scoring: { kind: "count", value: 1 } })).toEqual({ min: 1, max: 1 });
  });

  it("handles negative answer values", () => {
    const items = [
      {
        id: "x",
        label: "X",
        options: [-2, 0, 3].map((value) => ({ value, label: String(value) })),
      },
    ];
    expect(scoreRange({ items, scoring: { kind: "sum" } })).toEqual({ min: -2, max: 3 });
  });
});

describe("scoreAnswers", () => {
  it("fixture is valid", () => {
    expect(validateInstrument(checklist).ok).toBe(true);
  });

  it("scores a complete set, including the band's note when it has one", () => {
    expect(scoreAnswers(checklist, { a: 1, b: 0, c: 1 })).toEqual({
      ok: true,
      total: 2,
      band: { level: "medium", label: "Medium", note: "Discuss in supervision." },
      alerts: [],
    });
    expect(scoreAnswers(checklist, { a: 0, b: 0, c: 0 })).toEqual({
      ok: true,
      total: 0,
      band: { level: "low", label: "Low" },
      alerts: [],
    });
  });

  it("raises alerts alongside the score", () => {
    const result = scoreAnswers(checklist, { a: 0, b: 1, c: 0 });
    expect(result).toMatchObject({ ok: true, total: 1 });
    expect(result.alerts).toEqual([{ code: "b_yes", itemId: "b", message: "Act on b." }]);
  });

  it("refuses, naming each, every missing answer and gives no total", () => {
    expect(scoreAnswers(checklist, { b: 0 })).toEqual({
      ok: false,
      errors: [
        { itemId: "a", message: 'No answer for "Item a"' },
        { itemId: "c", message: 'No answer for "Item c"' },
      ],
      alerts: [],
    });
  });

  it("refuses a value that is not an option, naming the allowed values", () => {
    const result = scoreAnswers(checklist, { a: 2, b: 0, c: Number.NaN });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { itemId: "a", message: '2 is not an answer to "Item a": allowed values are 0, 1' },
      { itemId: "c", message: 'NaN is not an answer to "Item c": allowed values are 0, 1' },
    ]);
  });

  it("refuses answers to items the instrument does not have", () => {
    const result = scoreAnswers(checklist, { a: 0, b: 0, c: 0, d: 1 });
    expect(!result.ok && result.errors).toEqual([
      { itemId: "d", message: '"d" is not an item of Checklist version 2' },
    ]);
  });

  it("does not take an answer from Object.prototype", () => {
    const instrument = {
      ...checklist,
      items: [{ id: "constructor", label: "Odd id", options }],
      bands: [{ min: 0, max: 1, level: "low", label: "Low" }],
      alerts: [],
    };
    expect(validateInstrument(instrument).ok).toBe(true);
    expect(scoreAnswers(instrument, {})).toMatchObject({
      ok: false,
      errors: [{ itemId: "constructor" }],
    });
  });

  it("still raises an alert from a valid answer when other answers are refused", () => {
    expect(scoreAnswers(checklist, { b: 1 })).toMatchObject({
      ok: false,
      alerts: [{ code: "b_yes" }],
    });
  });

  it("throws for an instrument that never passed validation", () => {
    const broken = { ...checklist, bands: [{ min: 0, max: 0, level: "low", label: "Low" }] };
    expect(() => scoreAnswers(broken, { a: 1, b: 0, c: 0 })).toThrow(/no band covers 1/);
  });
});

describe("applyJudgement", () => {
  it("accepts agreement with the computed level without a reason", () => {
    expect(applyJudgement(checklist, "medium", "medium", "")).toEqual({
      ok: true,
      level: "medium",
      label: "Medium",
      overridden: false,
      reason: null,
    });
    expect(applyJudgement(withoutPolicy, "low", "low", undefined)).toMatchObject({ ok: true });
  });

  it("ranks levels by band order, so raising over two bands is a raise", () => {
    expect(applyJudgement(checklist, "low", "high", " Disclosed new threats. ")).toEqual({
      ok: true,
      level: "high",
      label: "High",
      overridden: true,
      reason: "Disclosed new threats.",
    });
  });

  it("treats a blank reason as none", () => {
    expect(applyJudgement(checklist, "low", "medium", "   ")).toMatchObject({
      ok: false,
      error: "reason_required",
    });
  });

  it("refuses any change when the instrument has no override policy", () => {
    expect(applyJudgement(withoutPolicy, "low", "high", "Reason")).toMatchObject({
      ok: false,
      error: "no_override_policy",
    });
  });

  it("refuses unknown levels, naming the known ones", () => {
    expect(applyJudgement(checklist, "low", "extreme", "Reason")).toEqual({
      ok: false,
      error: "unknown_level",
      message: '"extreme" is not a level of Checklist: levels are low, medium, high',
    });
    expect(applyJudgement(checklist, "nope", "low", "")).toMatchObject({
      error: "unknown_level",
      message: expect.stringContaining('"nope"') as unknown,
    });
  });
});
