import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { signIn, type Client } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import type { FamilyWorld } from "./test-support.ts";

/** GOV.UK date input fields for a 'YYYY-MM-DD' date ("" for an empty one). */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [year = "", month = "", day = ""] = iso ? iso.split("-") : [];
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

export function supervisionUrl(world: FamilyWorld, sessionId?: string): string {
  const base = `/families/${world.families.hartley}/workbook/supervision`;
  return sessionId ? `${base}/${sessionId}` : base;
}

/** Schedules a Hartley session through the page, as business support would; its id. */
export async function scheduleSession(
  client: Client,
  world: FamilyWorld,
  date: string,
): Promise<string> {
  const response = await client.post(supervisionUrl(world), dateFields("scheduledFor", date));
  if (response.statusCode !== 303) {
    throw new Error(`scheduling failed: ${String(response.statusCode)}`);
  }
  const id = String(response.headers.location).split("/").pop();
  if (!id) throw new Error("no session in the redirect");
  return id;
}

export function discussion(
  heldOn: string,
  attendees: readonly string[],
  version: number,
  text = "Mother's drinking is the main worry",
): Record<string, string | readonly string[]> {
  return {
    version: String(version),
    ...dateFields("heldOn", heldOn),
    attendees,
    hypothesis: text,
    whatChanged: "Amelia is attending school every day",
    riskAnalysis: "Risk reduced while the safety plan holds",
  };
}

export async function sessionRow(database: Database, id: string) {
  return database.db
    .selectFrom("group_supervision")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

export async function chronologyOf(database: Database, kind: string) {
  return database.db
    .selectFrom("chronology_entry")
    .select(["person_id", "occurred_on", "summary", "subject_id"])
    .where("kind", "=", kind)
    .orderBy("person_id")
    .execute();
}

/** Signs in as each user and checks every request answers with this status. */
export async function expectStatusFor(
  app: FastifyInstance,
  users: readonly { email: string }[],
  requests: readonly { url: string; form?: Record<string, string | readonly string[]> }[],
  status: number,
): Promise<void> {
  for (const user of users) {
    const client = await signIn(app, user.email);
    for (const request of requests) {
      const response = request.form
        ? await client.post(request.url, request.form)
        : await client.get(request.url);
      const label = `${user.email} ${request.form ? "POST" : "GET"} ${request.url}`;
      expect(response.statusCode, label).toBe(status);
    }
  }
}
