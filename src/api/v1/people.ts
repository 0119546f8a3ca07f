/** A person's record as JSON: the same visibility and audit as the record page. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { findVisiblePerson, recordDetails } from "../../modules/people/queries.ts";
import { notFound } from "../../platform/errors.ts";
import { addApiRoute, type ApiServices } from "../kernel.ts";
import { CalendarDate, Id, PersonParams } from "../schemas.ts";

export const PersonRecord = z
  .object({
    id: Id,
    givenName: z.string(),
    familyName: z.string(),
    otherNames: z.string(),
    dateOfBirth: CalendarDate.nullable(),
    sex: z.string().nullable(),
    nhsNumber: z.string().nullable(),
    restricted: z.boolean(),
    viaEmergencyAccess: z.boolean(),
    address: z
      .union([
        z.object({ withheld: z.literal(true) }),
        z.object({
          withheld: z.literal(false),
          line1: z.string(),
          line2: z.string(),
          town: z.string(),
          postcode: z.string(),
        }),
      ])
      .nullable(),
    relationships: z.array(
      z.object({
        personId: Id,
        givenName: z.string(),
        familyName: z.string(),
        kind: z.string(),
        direction: z.enum(["forward", "inverse"]),
        parentalResponsibility: z.boolean(),
      }),
    ),
    allocatedWorkers: z.array(
      z.object({ name: z.string(), team: z.string(), since: CalendarDate }),
    ),
    families: z.array(z.object({ id: Id, name: z.string() })),
  })
  .meta({ id: "PersonRecord" });

export function registerPeopleApi(app: FastifyInstance, services: ApiServices): void {
  addApiRoute(app, services, {
    method: "GET",
    url: "/api/v1/people/:personId",
    summary: "A person's record, if the client may see it",
    tag: "People",
    permission: "person.view",
    audit: "person.view",
    personParam: "personId",
    contract: { params: PersonParams, response: PersonRecord },
    handler: async ({ params }, ctx) => {
      const person = await findVisiblePerson(ctx.db, ctx.actor, params.personId, ctx.now);
      if (!person) throw notFound("Person");
      const details = await recordDetails(ctx.db, ctx.actor, person, ctx.now);
      if (person.via_break_glass) ctx.audit({ summary: { breakGlass: true } });
      const address = details.address;
      return {
        id: person.id,
        givenName: person.given_name,
        familyName: person.family_name,
        otherNames: person.other_names,
        dateOfBirth: person.date_of_birth,
        sex: person.sex,
        nhsNumber: person.nhs_number,
        restricted: person.restricted,
        viaEmergencyAccess: person.via_break_glass,
        address: !address
          ? null
          : address.withheld
            ? { withheld: true as const }
            : {
                withheld: false as const,
                line1: address.line1,
                line2: address.line2,
                town: address.town,
                postcode: address.postcode,
              },
        relationships: details.relationships.map((r) => ({
          personId: r.other_id,
          givenName: r.given_name,
          familyName: r.family_name,
          kind: r.kind,
          direction: r.direction,
          parentalResponsibility: r.parental_responsibility,
        })),
        allocatedWorkers: details.allocations.map((a) => ({
          name: a.display_name,
          team: a.team_name,
          since: a.start_date,
        })),
        families: details.families,
      };
    },
  });
}
