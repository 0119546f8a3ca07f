import type { FastifyInstance } from "fastify";
import { can, loadActor } from "../../src/access/actor.ts";
import { headOfServicePermissions, type Permission } from "../../src/access/permissions.ts";
import type { RegisteredRoute } from "../../src/app.ts";
import type { FamilyWorld } from "../../src/modules/family/test-support.ts";
import type { Db } from "../../src/platform/database.ts";
import { signIn, type Client } from "./http.ts";

/**
 * Drives every route in app.routeTable as someone who may use it: tests that must hold for
 * all routes (no caching of personal data, no 5xx on malformed input) share this.
 */

/** An id that names no record: the route answers 404, as it must for an unknown id. */
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** Routes that a sweep must not call: signing out ends the sweep's own session. */
const SKIPPED = new Set(["POST /sign-out"]);

export function sweptRoutes(app: FastifyInstance): RegisteredRoute[] {
  return app.routeTable.filter((r) => r.method !== "HEAD" && !SKIPPED.has(`${r.method} ${r.url}`));
}

/**
 * The route's URL with its parameters filled: the Hartley family's child and family where a
 * route is about a person or a family, so handlers get past "not found"; else an unknown id.
 */
export function urlOf(route: RegisteredRoute, world: FamilyWorld): string {
  return route.url
    .replace(/^\/people\/:id/, `/people/${world.people.childA1}`)
    .replace(/^\/families\/:id/, `/families/${world.families.hartley}`)
    .replace(/:personId/g, world.people.childA1)
    .replace(/:discipline/g, "child")
    .replace(/:(n|s)\b/g, "1")
    .replace(/:folder\/:file/, "app/init.mjs")
    .replace(/:[A-Za-z]+/g, UNKNOWN_ID);
}

/** Signed-in clients, one per user, picking for each permission a user who has it. */
export class Users {
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly db: Db,
    private readonly world: FamilyWorld,
  ) {}

  async clientFor(permission: string): Promise<Client> {
    const { users } = this.world;
    // The allocated social worker first: they may see the Hartley family's records.
    for (const user of [
      users.swA,
      users.tmA,
      users.admin,
      users.analyst,
      users.police,
      users.businessSupportA,
      users.adultSpecialistA,
    ]) {
      if (can(await loadActor(this.db, user.id), permission as Permission)) {
        let client = this.clients.get(user.email);
        if (!client) {
          client = signIn(this.app, user.email);
          this.clients.set(user.email, client);
        }
        return client;
      }
    }
    // Only a head of service oversees the council's access: the sweep makes the team manager one.
    if (headOfServicePermissions.includes(permission as Permission)) {
      await this.db
        .updateTable("app_user")
        .set({ head_of_service: true })
        .where("id", "=", users.tmA.id)
        .execute();
      return this.clientFor(permission);
    }
    throw new Error(`no test user has ${permission}`);
  }
}
