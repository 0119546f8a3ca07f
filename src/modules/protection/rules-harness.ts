/**
 * Shared set-up for the rule tests (rules-*.test.ts): a fresh world, swA signed in, and
 * helpers that post a form and check it was refused with the right fields named, nothing
 * saved and a failed audit row. The child is childA2; today is Monday 2 March 2026.
 */
import { beforeAll, expect } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { dateFields, protectionCounts, strategyForm } from "./test-support.ts";

export const escaped = (text: string): string => text.replaceAll("'", "&#39;");

export class RulesHarness {
  database!: Database;
  world!: World;
  sw!: Client;
  child!: string;

  async start(): Promise<void> {
    this.database = await freshDatabase();
    this.world = await buildWorld(this.database.db);
    const { app } = await testApp(this.database);
    this.sw = await signIn(app, this.world.users.swA.email);
    this.child = this.world.people.childA2;
  }

  url = (path: string): string => `/people/${this.child}${path}`;

  counts = () => protectionCounts(this.database.db, this.child);

  /** The save was refused with these fields named (and the message, if given); nothing saved. */
  expectRefused = async (
    attempt: () => Promise<LightMyRequestResponse>,
    fields: string[],
    message?: string,
    status = 400,
  ): Promise<LightMyRequestResponse> => {
    const before = await this.counts();
    const response = await attempt();
    expect(response.statusCode).toBe(status);
    for (const field of fields) expect(response.body).toContain(`href="#${field}"`);
    if (message) expect(response.body).toContain(escaped(message));
    expect(await this.counts()).toEqual(before);
    const audit = await latestAudit(this.database);
    expect(audit).toMatchObject({
      action: "protection.record",
      outcome: "failed",
      person_ids: [this.child],
      summary: { reason: status === 409 ? "conflict" : "validation" },
    });
    const named = (audit.summary as { fields: string[] }).fields;
    expect([...named].sort()).toEqual([...fields].sort());
    return response;
  };

  latestS47 = () =>
    this.database.db
      .selectFrom("s47_enquiry")
      .selectAll()
      .where("person_id", "=", this.child)
      .orderBy("started_on", "desc")
      .orderBy("id")
      .executeTakeFirstOrThrow();

  /** A strategy discussion, then the S47's outcome: an ICPC is needed. Returns the S47's id. */
  s47NeedingIcpc = async (startedOn: string): Promise<string> => {
    const discussion = await this.sw.post(
      this.url("/strategy-discussions"),
      strategyForm(startedOn),
    );
    expect(discussion.statusCode).toBe(303);
    const s47 = await this.latestS47();
    const done = await this.sw.post(this.url(`/s47/${s47.id}/complete`), {
      ...dateFields("completedOn", startedOn),
      outcome: "icpc",
      findings: "Synthetic findings",
      version: String(s47.version),
    });
    expect(done.statusCode).toBe(303);
    return s47.id;
  };

  planOf = (id: string) =>
    this.database.db
      .selectFrom("cp_plan")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
}

export function useRulesHarness(): RulesHarness {
  const harness = new RulesHarness();
  beforeAll(() => harness.start());
  return harness;
}
