/**
 * The shape of a standard measure as data (items, options, scoring rule, bands, alerts), apart
 * from the checks that need the scorer (instrument.ts), so the scorer can use the types.
 */
import { z } from "zod";

/** Codes are stored with results and compared across versions, so keep them plain and stable. */
const Code = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case code such as "q1" or "high_risk"');
const Text = z.string().trim().min(1);

/** Whole numbers only: totals are then whole too, so "contiguous bands" has one meaning. */
export const AnswerOption = z.strictObject({ value: z.number().int(), label: Text });

export const Item = z.strictObject({
  id: Code,
  /** A short neutral label, never the published question wording. */
  label: Text,
  // One option would tell us nothing about the person.
  options: z.array(AnswerOption).min(2),
});

/** A closed set: every kind must have a computable range and a test. */
export const ScoringRule = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("sum") }),
  /** How many items were answered with `value` (e.g. 1 for "yes"). */
  z.strictObject({ kind: z.literal("count"), value: z.number().int() }),
]);

export const Band = z.strictObject({
  min: z.number().int(),
  max: z.number().int(),
  level: Code,
  label: Text,
  /** What the band prompts, e.g. a referral. */
  note: Text.optional(),
});

export const AlertTrigger = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("non_zero") }),
  z.strictObject({ kind: z.literal("at_least"), value: z.number().int() }),
]);

/** Raised from a single answer whatever the total, e.g. thoughts of self-harm. */
export const Alert = z.strictObject({
  code: Code,
  itemId: Code,
  when: AlertTrigger,
  message: Text,
});

/**
 * `raise_only`: professional judgement may raise the level (with a reason) but never lower it,
 * so a worker cannot talk a risk down below what the answers show.
 */
export const OverridePolicy = z.enum(["raise_only"]);

// Strict objects throughout: a misspelt key in council-authored data is an error, not ignored.
export const InstrumentFields = z.strictObject({
  id: Code,
  name: Text,
  version: Text,
  purpose: Text,
  items: z.array(Item).min(1),
  scoring: ScoringRule,
  /** Lowest score first; together they cover every possible total exactly once. */
  bands: z.array(Band).min(1),
  alerts: z.array(Alert).optional(),
  overridePolicy: OverridePolicy.optional(),
});

export type AnswerOption = z.infer<typeof AnswerOption>;
export type Item = z.infer<typeof Item>;
export type ScoringRule = z.infer<typeof ScoringRule>;
export type Band = z.infer<typeof Band>;
export type AlertTrigger = z.infer<typeof AlertTrigger>;
export type Alert = z.infer<typeof Alert>;
export type OverridePolicy = z.infer<typeof OverridePolicy>;
export type InstrumentShape = z.infer<typeof InstrumentFields>;
export type Instrument = InstrumentShape;
