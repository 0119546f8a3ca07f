import { can, type Actor } from "./actor.ts";
import { maySeeDiscipline, type PersonSight } from "./family.ts";
import { isLaPractitioner } from "./visibility.ts";
import { mayAddToRecord } from "./recording.ts";

/**
 * Who may acknowledge an alert raised by a measure (e.g. thoughts of self-harm on PHQ-9): an LA
 * practitioner who writes in the Workbook, sees the person other than through emergency access,
 * and may see the measure's discipline. Acknowledging says "the family's team has acted on
 * this", so a partner agency, business support or a reader on emergency access may not.
 */
export function mayAcknowledgeAlert(actor: Actor, discipline: string, sight: PersonSight): boolean {
  return (
    can(actor, "workbook.write") &&
    isLaPractitioner(actor) &&
    mayAddToRecord(sight.viaBreakGlassOnly) &&
    maySeeDiscipline(actor, discipline, sight)
  );
}
