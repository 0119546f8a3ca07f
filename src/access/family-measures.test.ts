import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import { mayAcknowledgeAlert } from "./family-measures.ts";
import type { Role } from "./permissions.ts";

function actor(role: Role): Actor {
  return {
    userId: "u",
    laId: "la",
    organisationId: "org",
    organisationKind: role === "partner_practitioner" ? "health" : "la_childrens_services",
    organisationName: "Org",
    role,
    displayName: "Someone",
    teamIds: [],
    practiceRoles: [],
  };
}

const seen = { viaBreakGlassOnly: false, healthShared: false };
const emergencyOnly = { viaBreakGlassOnly: true, healthShared: false };
const sharedWithHealth = { viaBreakGlassOnly: false, healthShared: true };

describe("mayAcknowledgeAlert", () => {
  it("lets the family's LA practitioners who write the Workbook acknowledge", () => {
    for (const role of ["social_worker", "team_manager", "adult_specialist"] as const) {
      expect(mayAcknowledgeAlert(actor(role), "mental_health", seen), role).toBe(true);
    }
  });

  it("refuses business support, partners (even with health shared), analysts and admins", () => {
    for (const role of ["business_support", "performance_analyst", "system_admin"] as const) {
      expect(mayAcknowledgeAlert(actor(role), "general", seen), role).toBe(false);
    }
    expect(
      mayAcknowledgeAlert(actor("partner_practitioner"), "mental_health", sharedWithHealth),
    ).toBe(false);
  });

  it("refuses anyone seeing the person through emergency access alone", () => {
    expect(mayAcknowledgeAlert(actor("social_worker"), "general", emergencyOnly)).toBe(false);
    expect(mayAcknowledgeAlert(actor("team_manager"), "mental_health", emergencyOnly)).toBe(false);
  });
});
