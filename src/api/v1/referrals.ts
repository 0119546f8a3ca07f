/**
 * A partner system makes a contact about a child, known to the council or not (it arrives on
 * the front door as the referral form's do, decision 0025), and reads back its own referral
 * with the decision and its date, never the reasons nor the record it was linked to.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { todayIn } from "../../domain/dates.ts";
import { validateNhsNumber, validateUpn } from "../../domain/identifiers.ts";
import { POSTCODE } from "../../modules/referrals/input.ts";
import { referralForReferrer } from "../../modules/referrals/queries.ts";
import { makeReferral } from "../../modules/referrals/service.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { CalendarDate, Created, Id } from "../schemas.ts";

const blank = (max: number) => z.string().trim().max(max).default("");

const NewReferral = z
  .strictObject({
    child: z.strictObject({
      givenName: z.string().trim().min(1, "must not be empty").max(100),
      familyName: z.string().trim().min(1, "must not be empty").max(100),
      dateOfBirth: CalendarDate.nullable().default(null),
      address: blank(500),
      postcode: blank(10)
        .transform((p) => p.toUpperCase())
        .refine((p) => p === "" || POSTCODE.test(p), "must be a real postcode, like LS1 4AP"),
      nhsNumber: z
        .string()
        .nullable()
        .default(null)
        .superRefine((value, check) => {
          const result = value === null ? undefined : validateNhsNumber(value);
          if (result && !result.ok) check.addIssue({ code: "custom", message: result.message });
        }),
      upn: z
        .string()
        .max(20)
        .nullable()
        .default(null)
        .superRefine((value, check) => {
          const result = value === null ? undefined : validateUpn(value);
          if (result && !result.ok) check.addIssue({ code: "custom", message: result.message });
        }),
      school: blank(200),
    }),
    reasons: z.string().trim().min(1, "must say what you are worried about").max(5000),
    referrer: z.strictObject({
      role: z.string().trim().min(1, "must give your job title").max(200),
      phone: z
        .string()
        .trim()
        .regex(/^[0-9 +()-]{6,40}$/, "must be a telephone number, like 01632 960 001"),
      email: z.union([z.literal(""), z.email().max(200)]).default(""),
    }),
    familyAware: z.enum(["consented", "aware_not_consented", "not_told"]),
    notToldReason: blank(2000),
  })
  .refine((r) => r.familyAware === "consented" || r.notToldReason !== "", {
    path: ["notToldReason"],
    message: "must say why the family has not agreed or been told",
  });

export const ReferralFeedback = z
  .object({
    id: Id,
    child: z.object({
      givenName: z.string(),
      familyName: z.string(),
      dateOfBirth: CalendarDate.nullable(),
    }),
    receivedOn: CalendarDate,
    status: z.enum(["to_identify", "awaiting_decision", "decided"]),
    decision: z.string().nullable(),
    decidedOn: CalendarDate.nullable(),
  })
  .meta({ id: "ReferralFeedback" });

export function registerReferralApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "POST",
    url: "/api/v1/referrals",
    summary: "Make a contact about a child; it arrives on the council's front door",
    tag: "Referrals",
    permission: "referral.make",
    audit: "referral.make",
    status: 201,
    contract: { body: NewReferral, response: Created },
    handler: async ({ body }, ctx) => {
      if (body.child.dateOfBirth && body.child.dateOfBirth > todayIn(ctx.now)) {
        throw new AppError("validation", "What you sent is not valid. Nothing was saved.", [
          { field: "/body/child/dateOfBirth", message: "cannot be in the future" },
        ]);
      }
      const { nhsNumber, upn } = body.child;
      const made = await makeReferral(
        ctx.db,
        ctx.actor,
        {
          ...body,
          child: {
            ...body.child,
            nhsNumber: nhsNumber === null ? null : nhsNumber.replace(/[\s-]/g, ""),
            upn: upn === null ? null : upn.replace(/\s/g, "").toUpperCase(),
          },
        },
        ctx.now,
      );
      ctx.audit({ subjectType: "partner_referral", subjectId: made.referralId });
      return { id: made.referralId };
    },
  });

  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/referrals/:referralId",
    summary: "One of the client's own referrals, with the decision once made",
    tag: "Referrals",
    permission: "referral.make",
    audit: "referral.view",
    contract: { params: z.strictObject({ referralId: Id }), response: ReferralFeedback },
    handler: async ({ params }, ctx) => {
      const referral = await referralForReferrer(ctx.db, ctx.actor, params.referralId);
      if (!referral) throw notFound("Referral");
      ctx.audit({ subjectType: "partner_referral", subjectId: referral.id });
      return {
        id: referral.id,
        child: {
          givenName: referral.child_given_name,
          familyName: referral.child_family_name,
          dateOfBirth: referral.child_date_of_birth,
        },
        receivedOn: referral.received_on,
        status: referral.status,
        decision: referral.decision,
        decidedOn: referral.decidedOn,
      };
    },
  });
}
