/**
 * A partner's referral as a form or the API sends it (decision 0025). The child is described as
 * the referrer knows them; only the name is required, since a partner may know little more.
 */
import { z } from "zod";
import { isCalendarDate } from "../../domain/dates.ts";
import { validateNhsNumber, validateUpn } from "../../domain/identifiers.ts";
import { FormReader } from "../../platform/forms.ts";

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

/**
 * Reads the referral form, naming every field that is wrong at once. Nothing the referrer
 * typed is lost: the caller shows the form again with `form` itself.
 */
export function parseReferralForm(form: Record<string, unknown>, today: string) {
  const reader = new FormReader(form);
  const givenName = reader.text("givenName", "the child's first name", {
    required: true,
    max: 100,
  });
  const familyName = reader.text("familyName", "the child's last name", {
    required: true,
    max: 100,
  });
  const dateOfBirth = reader.date("dateOfBirth", "the child's date of birth", {
    notAfter: today,
    notBefore: { date: "1990-01-01", what: "1 January 1990" },
  });
  const address = reader.text("address", "the child's address", { max: 500 });
  const postcode = reader.text("postcode", "the postcode", { max: 10 }).toUpperCase();
  if (postcode && !POSTCODE.test(postcode)) {
    reader.fail("postcode", "Enter a real postcode, like LS1 4AP, or leave it blank");
  }
  const nhsText = reader.raw("nhsNumber");
  let nhsNumber: string | null = null;
  if (nhsText) {
    const checked = validateNhsNumber(nhsText);
    if (checked.ok) nhsNumber = checked.value;
    else reader.fail("nhsNumber", checked.message);
  }
  const upnText = reader.raw("upn");
  let upn: string | null = null;
  if (upnText) {
    const checked = validateUpn(upnText);
    if (checked.ok) upn = checked.value;
    else reader.fail("upn", checked.message);
  }
  const school = reader.text("school", "the child's school or nursery", { max: 200 });
  const reasons = reader.text("reasons", "what you are worried about", {
    required: true,
    max: 5000,
  });
  const role = reader.text("referrerRole", "your job title", { required: true, max: 200 });
  const phone = reader.text("referrerPhone", "a telephone number the front door can call you on", {
    required: true,
    max: 40,
  });
  if (phone && !/^[0-9 +()-]{6,40}$/.test(phone)) {
    reader.fail("referrerPhone", "Enter a telephone number, like 01632 960 001");
  }
  const email = reader.text("referrerEmail", "your email address", { max: 200 });
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    reader.fail(
      "referrerEmail",
      "Enter an email address, like name@example.org, or leave it blank",
    );
  }
  const familyAware = reader.code(
    "familyAware",
    familyAwareOptions,
    "whether the family knows about the referral",
    { required: true },
  );
  const notToldReason = reader.text("notToldReason", "why the family has not agreed or been told", {
    required: familyAware !== null && familyAware !== "consented",
    max: 2000,
  });
  reader.done("Check your referral");
  return MakeReferralInput.parse({
    child: { givenName, familyName, dateOfBirth, address, postcode, nhsNumber, upn, school },
    reasons,
    referrer: { role, phone, email },
    familyAware,
    notToldReason: familyAware === "consented" ? "" : notToldReason,
  });
}

/** The front door's identification: which record the referral is about. */
export const LinkReferralInput = z.object({
  referralId: z.guid(),
  personId: z.guid(),
});
export type LinkReferralInput = z.infer<typeof LinkReferralInput>;

export const NewRecordForReferralInput = z.object({ referralId: z.guid() });
export type NewRecordForReferralInput = z.infer<typeof NewRecordForReferralInput>;
