/**
 * A partner's referral as a form or the API sends it (decision 0025). The child is described as
 * the referrer knows them; only the name is required, since a partner may know little more.
 */
import { z } from "zod";
import { isCalendarDate } from "../../domain/dates.ts";
import { validateNhsNumber, validateUpn } from "../../domain/identifiers.ts";
import { todayIn } from "../../domain/dates.ts";
import { code, dateInput, text } from "../../platform/schemas.ts";

export const familyAwareOptions = [
  { code: "consented", label: "Yes, and they agreed to the referral" },
  { code: "aware_not_consented", label: "Yes, but they did not agree to it" },
  { code: "not_told", label: "No, they have not been told" },
] as const;

const calendarDate = z.string().refine(isCalendarDate, "a real date");

export const MakeReferralInput = z.object({
  child: z.object({
    givenName: z.string().trim().min(1).max(100),
    familyName: z.string().trim().min(1).max(100),
    dateOfBirth: calendarDate.nullable(),
    address: z.string().trim().max(500),
    postcode: z.string().trim().max(10),
    nhsNumber: z
      .string()
      .regex(/^\d{10}$/)
      .nullable(),
    upn: z.string().max(13).nullable(),
    school: z.string().trim().max(200),
  }),
  reasons: z.string().trim().min(1).max(5000),
  referrer: z.object({
    role: z.string().trim().min(1).max(200),
    phone: z.string().trim().min(1).max(40),
    email: z.string().trim().max(200),
  }),
  familyAware: z.enum(["consented", "aware_not_consented", "not_told"]),
  notToldReason: z.string().trim().max(2000),
});
export type MakeReferralInput = z.infer<typeof MakeReferralInput>;

export const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/;

/** Text of any length, for a field whose own rule bounds it (an NHS number, a UPN). */
const UNBOUNDED = { max: Number.MAX_SAFE_INTEGER };

/** An optional identifier, checked as the domain checks it; null when left blank. */
function identifier(
  label: string,
  validate: (value: string) => { ok: true; value: string } | { ok: false; message: string },
) {
  return text(label, UNBOUNDED).transform((value, ctx): string | null => {
    if (!value) return null;
    const checked = validate(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: "custom", message: checked.message });
    return null;
  });
}

/**
 * The referral form, naming every field that is wrong at once (the form is shown again with
 * what the referrer typed), read as the service takes it. A date of birth is not ahead of
 * today; the family's reason is needed unless they agreed to the referral.
 */
export const ReferralForm = (now: Date) =>
  z
    .object({
      givenName: text("the child's first name", { required: true, max: 100 }),
      familyName: text("the child's last name", { required: true, max: 100 }),
      dateOfBirth: dateInput("the child's date of birth", {
        notAfter: todayIn(now),
        notBefore: { date: "1990-01-01", what: "1 January 1990" },
      }),
      address: text("the child's address", { max: 500 }),
      postcode: text("the postcode", { max: 10 })
        .transform((postcode) => postcode.toUpperCase())
        .refine(
          (postcode) => !postcode || POSTCODE.test(postcode),
          "Enter a real postcode, like LS1 4AP, or leave it blank",
        ),
      nhsNumber: identifier("the NHS number", validateNhsNumber),
      upn: identifier("the unique pupil number", validateUpn),
      school: text("the child's school or nursery", { max: 200 }),
      reasons: text("what you are worried about", { required: true, max: 5000 }),
      referrerRole: text("your job title", { required: true, max: 200 }),
      referrerPhone: text("a telephone number the front door can call you on", {
        required: true,
        max: 40,
      }).refine(
        (phone) => !phone || /^[0-9 +()-]{6,40}$/.test(phone),
        "Enter a telephone number, like 01632 960 001",
      ),
      referrerEmail: text("your email address", { max: 200 }).refine(
        (email) => !email || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email),
        "Enter an email address, like name@example.org, or leave it blank",
      ),
      familyAware: code(familyAwareOptions, "whether the family knows about the referral", {
        required: true,
      }),
      notToldReason: text("why the family has not agreed or been told", { max: 2000 }),
    })
    // Run even when other fields are wrong, so every problem is named at once.
    .refine((form) => form.familyAware === "consented" || form.notToldReason !== "", {
      message: "Enter why the family has not agreed or been told",
      path: ["notToldReason"],
      when: (payload) => {
        const value = payload.value as { familyAware?: unknown };
        return typeof value.familyAware === "string" && value.familyAware !== "";
      },
    })
    .transform((form): MakeReferralInput => ({
      child: {
        givenName: form.givenName,
        familyName: form.familyName,
        dateOfBirth: form.dateOfBirth,
        address: form.address,
        postcode: form.postcode,
        nhsNumber: form.nhsNumber,
        upn: form.upn,
        school: form.school,
      },
      reasons: form.reasons,
      referrer: { role: form.referrerRole, phone: form.referrerPhone, email: form.referrerEmail },
      // A required code is never null here: the parse failed instead.
      familyAware: form.familyAware,
      notToldReason: form.familyAware === "consented" ? "" : form.notToldReason,
    }));

/** The front door's identification: which record the referral is about. */
export const LinkReferralInput = z.object({
  referralId: z.guid(),
  personId: z.guid(),
});
export type LinkReferralInput = z.infer<typeof LinkReferralInput>;

export const NewRecordForReferralInput = z.object({ referralId: z.guid() });
export type NewRecordForReferralInput = z.infer<typeof NewRecordForReferralInput>;
