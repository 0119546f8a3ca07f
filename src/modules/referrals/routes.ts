/**
 * Partner referrals' pages (decision 0025): the partner's form and "Referrals you have made",
 * and the front door's "child to identify" page. The work is in service.ts.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { identificationScope } from "../../access/partner-referrals.ts";
import { labelFor, referralSources } from "../../domain/code-lists.ts";
import { isCalendarDate, todayIn } from "../../domain/dates.ts";
import { isOverdue } from "../../domain/timescales.ts";
import { notFound } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { dateParts } from "../../platform/forms.ts";
import { actorOf, addRoute, type AppServices, type RouteContext } from "../../platform/routes.ts";
import { chosenId, Id } from "../../platform/schemas.ts";
import { contactDecisions } from "../journey/contact-decision.ts";
import { searchPeople, type PersonSearchHit } from "../people/queries.ts";
import { familyAwareOptions, ReferralForm } from "./input.ts";
import { referralAtFrontDoorById, referralForReferrer, referralsMadeBy } from "./queries.ts";
import {
  createRecordForReferral,
  identifierMatches,
  linkReferral,
  makeReferral,
} from "./service.ts";

const ReferralParams = z.object({ referralId: Id });

/** "Your referral" says so once, just after it was made. */
const MadeQuery = z.object({ made: z.string().optional() });

/**
 * The front door's own search terms, if it refined them (a name, and a date of birth that is
 * used only when it is a real date); no terms use the referral's.
 */
const SearchQuery = z
  .object({
    name: z.string().optional(),
    "dob-day": z.string().optional(),
    "dob-month": z.string().optional(),
    "dob-year": z.string().optional(),
  })
  .transform(searchFrom);

const LinkForm = z.object({ personId: chosenId("Choose the child's record from the list") });

const statusLabels = {
  to_identify: "Received: awaiting a decision",
  awaiting_decision: "Received: awaiting a decision",
  decided: "Decided",
} as const;

const decisionLabel = (code: string | null) =>
  contactDecisions.find((d) => d.code === code)?.label ?? null;

export function registerReferralRoutes(app: FastifyInstance, services: AppServices): void {
  const referralForm = (values: object) => ({
    view: "referrals/views/referral-form.njk",
    data: { title: "Make a referral", values, familyAwareOptions },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/referrals/new",
    permission: "referral.make",
    audit: "referral.make.form",
    handler: () => Promise.resolve(referralForm({})),
  });

  addFormRoute(app, services, {
    url: "/referrals",
    permission: "referral.make",
    audit: "referral.make",
    params: z.object({}),
    body: ReferralForm,
    load: () => Promise.resolve(undefined),
    page: (_ctx, _loaded, values) => referralForm(values),
    save: async (ctx, _loaded, body) => {
      const made = await makeReferral(ctx.db, actorOf(ctx), body, ctx.now);
      ctx.audit({ subjectType: "partner_referral", subjectId: made.referralId });
      return { redirect: `/referrals/${made.referralId}?made=1` };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/referrals",
    permission: "referral.make",
    audit: "referral.list",
    handler: async (_request, _reply, ctx) => {
      const referrals = await referralsMadeBy(ctx.db, actorOf(ctx));
      ctx.audit({ summary: { referrals: referrals.length } });
      return {
        view: "referrals/views/referrals.njk",
        data: {
          title: "Referrals you have made",
          referrals: referrals.map((r) => ({
            ...r,
            statusLabel: statusLabels[r.status],
            decisionLabel: decisionLabel(r.decision),
          })),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/referrals/:referralId",
    permission: "referral.make",
    audit: "referral.view",
    params: ReferralParams,
    query: MadeQuery,
    handler: async (_request, _reply, ctx, { params, query }) => {
      const referralId = params.referralId;
      ctx.audit({ subjectType: "partner_referral", subjectId: referralId });
      const referral = await referralForReferrer(ctx.db, actorOf(ctx), referralId);
      if (!referral) throw notFound("Referral");
      return {
        view: "referrals/views/referral.njk",
        data: {
          title: "Your referral",
          referral,
          made: query.made === "1",
          statusLabel: statusLabels[referral.status],
          decisionLabel: decisionLabel(referral.decision),
          familyAwareLabel: familyAwareOptions.find((o) => o.code === referral.family_aware)?.label,
        },
      };
    },
  });

  const identifyPage = async (
    ctx: RouteContext,
    referralId: string,
    search: { name: string; dateOfBirth: string | null } | undefined,
    values: FormValues,
  ) => {
    const actor = actorOf(ctx);
    const referral = await referralAtFrontDoorById(ctx.db, actor, referralId);
    ctx.audit({ subjectType: "partner_referral", subjectId: referralId });
    if (!referral) throw notFound("Referral");
    const name = search?.name ?? `${referral.child_given_name} ${referral.child_family_name}`;
    const dateOfBirth = search ? search.dateOfBirth : referral.child_date_of_birth;
    const byIdentifier = referral.person_id
      ? []
      : await identifierMatches(ctx.db, actor, referral, ctx.now);
    const byName = referral.person_id ? [] : await candidatesFor(ctx, name, dateOfBirth);
    const sameIdentifier = new Set(byIdentifier.map((p) => p.id));
    const candidates = [
      ...byIdentifier.map((p) => ({
        ...(byName.find((c) => c.id === p.id) ?? { ...p, restricted: false, postcode: null }),
        dateOfBirthMatches: dateOfBirth !== null && p.date_of_birth === dateOfBirth,
        identifierMatches: true,
      })),
      ...byName
        .filter((c) => !sameIdentifier.has(c.id))
        .map((c) => ({ ...c, identifierMatches: false })),
    ];
    // Each candidate appears in their access log: they were looked at as a possible match.
    ctx.audit({ personIds: candidates.map((c) => c.id) });
    return {
      view: "referrals/views/identify.njk",
      data: {
        title: "Child to identify",
        referral,
        sourceLabel: labelFor(referralSources, referral.source),
        familyAwareLabel: familyAwareOptions.find((o) => o.code === referral.family_aware)?.label,
        overdue: isOverdue(referral.decision_due_on, todayIn(ctx.now)),
        candidates,
        searchValues: { name, ...dateParts("dob", dateOfBirth) },
        values,
      },
    };
  };

  addRoute(app, services, {
    method: "GET",
    url: "/front-door/referrals/:referralId",
    permission: "referral.identify",
    audit: "referral.identify.form",
    params: ReferralParams,
    query: SearchQuery,
    handler: (_request, _reply, ctx, { params, query }) =>
      identifyPage(ctx, params.referralId, query, {}),
  });

  addFormRoute(app, services, {
    url: "/front-door/referrals/:referralId/link",
    permission: "referral.identify",
    audit: "referral.identify",
    params: ReferralParams,
    body: LinkForm,
    load: (ctx, params) => {
      ctx.audit({ subjectType: "partner_referral", subjectId: params.referralId });
      return Promise.resolve(params.referralId);
    },
    page: (ctx, referralId, values) => identifyPage(ctx, referralId, undefined, values),
    save: async (ctx, referralId, body) => {
      const contactId = await linkReferral(
        ctx.db,
        actorOf(ctx),
        { referralId, personId: body.personId },
        ctx.now,
      );
      ctx.audit({ personIds: [body.personId] });
      return { redirect: `/contacts/${contactId}` };
    },
  });

  addFormRoute(app, services, {
    url: "/front-door/referrals/:referralId/new-person",
    permission: "referral.identify",
    audit: "referral.new_record",
    params: ReferralParams,
    body: z.object({}),
    load: (ctx, params) => {
      ctx.audit({ subjectType: "partner_referral", subjectId: params.referralId });
      return Promise.resolve(params.referralId);
    },
    page: (ctx, referralId) => identifyPage(ctx, referralId, undefined, {}),
    save: async (ctx, referralId) => {
      const made = await createRecordForReferral(ctx.db, actorOf(ctx), { referralId }, ctx.now);
      ctx.audit({ personIds: [made.personId] });
      return { redirect: `/contacts/${made.contactId}` };
    },
  });
}

/** The search terms the front door typed; undefined when it typed none. */
function searchFrom(
  query: Partial<Record<"name" | "dob-day" | "dob-month" | "dob-year", string>>,
): { name: string; dateOfBirth: string | null } | undefined {
  if (query.name === undefined) return undefined;
  const name = query.name.trim().slice(0, 100);
  const [day, month, year] = [query["dob-day"], query["dob-month"], query["dob-year"]].map((v) =>
    (v ?? "").trim(),
  );
  const iso = `${year ?? ""}-${(month ?? "").padStart(2, "0")}-${(day ?? "").padStart(2, "0")}`;
  return { name, dateOfBirth: isCalendarDate(iso) ? iso : null };
}

const CANDIDATES = 10;

/**
 * Possible records for the child: name and date of birth first, then the name alone (a date
 * of birth given wrongly should not hide the child), among the records the actor sees and the
 * LA's unrestricted records; each once, those born on the date given first.
 */
async function candidatesFor(
  ctx: RouteContext,
  name: string,
  dateOfBirth: string | null,
): Promise<(PersonSearchHit & { dateOfBirthMatches: boolean })[]> {
  if (name.trim().length < 2 && !dateOfBirth) return [];
  const actor = actorOf(ctx);
  const searches = dateOfBirth
    ? [
        { name, dateOfBirth },
        { name, dateOfBirth: null },
      ]
    : [];
  if (!dateOfBirth) searches.push({ name, dateOfBirth: null });
  const found = new Map<string, PersonSearchHit>();
  for (const search of searches) {
    for (const scope of ["visible", identificationScope] as const) {
      for (const hit of await searchPeople(ctx.db, actor, search, ctx.now, scope)) {
        if (!found.has(hit.id)) found.set(hit.id, hit);
      }
    }
  }
  return [...found.values()].slice(0, CANDIDATES).map((hit) => ({
    ...hit,
    dateOfBirthMatches: dateOfBirth !== null && hit.date_of_birth === dateOfBirth,
  }));
}
