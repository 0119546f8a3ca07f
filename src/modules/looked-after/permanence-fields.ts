/**
 * The fields and route contracts (zod schemas) of the adoption and permanence forms
 * (decision 0042): what each form takes, in the user's words when it is wrong.
 */
import { z } from "zod";
import type { CodeList } from "../../domain/code-list.ts";
import {
  adopterLegalStatusCodes,
  adopterSexCodes,
  placedCeasedReasons,
  previousPermanenceCodes,
  sdqReasons,
} from "../../domain/permanence.ts";
import { ssda903Years } from "../../domain/ssda903/model.ts";
import type { FormValues } from "../../platform/form-route.ts";
import { code, dateInput, Id, PersonParams, text, yesNo } from "../../platform/schemas.ts";

export interface Field {
  kind: "date" | "partialDate" | "text" | "radios";
  name: string;
  label: string;
  hint?: string;
  items?: { value: string; text: string; checked: boolean }[];
  inline?: boolean;
}

export function radios(name: string, label: string, list: CodeList, values: FormValues): Field {
  const items = list.map((e) => ({
    value: e.code,
    text: `${e.label} (${e.code})`,
    checked: values[name] === e.code,
  }));
  return { kind: "radios", name, label, items };
}

export function yesNoField(name: string, label: string, values: FormValues, hint?: string): Field {
  const items = ["yes", "no"].map((v) => ({
    value: v,
    text: v === "yes" ? "Yes" : "No",
    checked: values[name] === v,
  }));
  return { kind: "radios", name, label, items, inline: true, ...(hint ? { hint } : {}) };
}

export const AdoptionForm = z.object({
  bestInterestOn: dateInput(
    "the date of the decision that adoption is in the child's best interests",
    { required: true },
  ),
  placementOrderOn: dateInput("the date of the placement order"),
  matchedOn: dateInput("the date the child was matched with adopters"),
  fosterCare: yesNo("is the child adopted by their foster carers"),
  numberOfAdopters: code(
    [
      { code: "1", label: "One" },
      { code: "2", label: "Two" },
    ],
    "the number of adopters",
  ),
  sexOfAdopters: code(adopterSexCodes, "the adopters' sex"),
  legalStatusOfAdopters: code(adopterLegalStatusCodes, "the adopters' legal status"),
  adoptedOn: dateInput("the date of the adoption order"),
});

export const DecisionParams = PersonParams.extend({ decision: z.union([z.literal("new"), Id]) });
export const DecisionForm = z.object({
  decidedOn: dateInput("the date of the decision that the child should be placed for adoption", {
    required: true,
  }),
  placedOn: dateInput("the date the child was placed for adoption"),
  ceasedOn: dateInput("the date of the decision that the child should no longer be placed"),
  ceasedReason: code(placedCeasedReasons, "why the child should no longer be placed"),
});

const wholeNumber = (label: string, max: number) =>
  text(label, { max: 4 }).transform((value, ctx): number | null => {
    if (value === "") return null;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > max) {
      ctx.addIssue({
        code: "custom",
        message: `Enter ${label} as a number from 0 to ${String(max)}`,
      });
      return null;
    }
    return n;
  });

const PartialDate = z
  .object({
    day: wholeNumber("the day", 31),
    month: wholeNumber("the month", 12),
    year: wholeNumber("the year", 2100),
  })
  .optional()
  .transform((parts) => ({
    day: parts?.day ?? null,
    month: parts?.month ?? null,
    year: parts?.year ?? null,
  }));

export const PreviousForm = z.object({
  prevPerm: code(previousPermanenceCodes, "the previous permanence", { required: true }),
  laPerm: text("the council's code", { max: 3 }),
  permDate: PartialDate,
});

export const OutcomesParams = PersonParams.extend({ year: z.enum(ssda903Years) });
export const OutcomesForm = z.object({
  sdqScore: wholeNumber("the SDQ score", 40),
  sdqReason: code(sdqReasons, "why there is no SDQ score"),
  convicted: yesNo("was the child convicted in the year"),
  healthCheck: yesNo("are the child's development checks up to date"),
  immunisations: yesNo("are the child's immunisations up to date"),
  teethCheck: yesNo("were the child's teeth checked"),
  healthAssessment: yesNo("did the child have their annual health assessment"),
  substanceMisuse: yesNo("was the child identified as having a substance misuse problem"),
  interventionReceived: yesNo("did the child receive an intervention"),
  interventionOffered: yesNo("was the child offered an intervention"),
});
