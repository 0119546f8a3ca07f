import { can, type Actor } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";

interface NavItem {
  href: string;
  text: string;
  permission: Permission;
}

/** The service navigation: only what the signed-in user can use. */
const items: NavItem[] = [
  { href: "/", text: "Home", permission: "signed_in" },
  { href: "/my-work", text: "My work", permission: "worktray.view" },
  { href: "/people", text: "Find a person", permission: "person.search" },
  { href: "/front-door", text: "Front door", permission: "journey.record" },
  { href: "/referrals", text: "Your referrals", permission: "referral.make" },
  { href: "/contexts", text: "Contexts", permission: "exploitation.view" },
  { href: "/hotspots", text: "Hotspots", permission: "exploitation.view" },
  { href: "/panels", text: "Panels", permission: "panel.view" },
  { href: "/caseloads", text: "Team caseloads", permission: "caseload.manage" },
  { href: "/returns", text: "Returns", permission: "returns" },
  { href: "/performance", text: "Performance", permission: "kpi.view" },
  {
    href: "/break-glass/reviews",
    text: "Emergency access reviews",
    permission: "break_glass.review",
  },
  { href: "/oversight/case-roles", text: "Case role grants", permission: "access.oversee" },
  { href: "/returns/annex-a", text: "Annex A", permission: "returns" },
  { href: "/admin/users", text: "Users", permission: "user.manage" },
  { href: "/admin/visit-frequencies", text: "Settings", permission: "settings.manage" },
  { href: "/admin/instruments", text: "Measures", permission: "settings.manage" },
  {
    href: "/admin/exploitation-checklist",
    text: "Screening checklist",
    permission: "settings.manage",
  },
];

export function navigationFor(
  actor: Actor | undefined,
  currentPath: string,
): { href: string; text: string; active: boolean }[] {
  if (!actor) return [];
  return items
    .filter((item) => can(actor, item.permission))
    .map((item) => ({
      href: item.href,
      text: item.text,
      active: item.href === "/" ? currentPath === "/" : currentPath.startsWith(item.href),
    }));
}
