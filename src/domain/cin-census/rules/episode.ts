/** Rules on each CIN episode (CINdetails) and its assessments. */
import { isCode } from "../../code-lists.ts";
import {
  primaryNeeds,
  reasonsForClosure,
  referralSources,
  yesNo,
  type CinChild,
  type CinDetails,
} from "../model.ts";
import {
  addYears,
  date,
  eachEpisode,
  episodePath,
  inYear,
  overlaps,
  present,
  workingDaysBefore,
  type Check,
  type RuleContext,
} from "./engine.ts";
import { addDays } from "../../working-days.ts";

const fortyWeeks = new Map<string, string>();
function fortyWeeksBefore(born: string): string {
  let d = fortyWeeks.get(born);
  if (d === undefined) {
    d = addDays(born, -280);
    fortyWeeks.set(born, d);
  }
  return d;
}

type EpisodeVisit = (
  episode: CinDetails,
  child: CinChild,
  ctx: RuleContext,
) => [field: string, value: string | undefined] | undefined;

/** A check that looks at one episode at a time and fails it at most once. */
function episode(visit: EpisodeVisit): Check {
  return (census, ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      const failed = visit(ep, child, ctx);
      if (failed) fail(child, failed[0], failed[1], episodePath(ci, ei));
    });
  };
}

/** A check on each assessment of each episode. */
function assessment(
  visit: (
    a: CinDetails["Assessments"][number],
    ep: CinDetails,
    ctx: RuleContext,
    ai: number,
  ) => [string, string | undefined] | undefined,
): Check {
  return (census, ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      ep.Assessments.forEach((a, ai) => {
        const failed = visit(a, ep, ctx, ai);
        if (failed) fail(child, failed[0], failed[1], [...episodePath(ci, ei), "Assessments", ai]);
      });
    });
  };
}

const closedAfterAssessment = (ep: CinDetails) =>
  ep.ReasonForClosure === "RC8" || ep.ReasonForClosure === "RC9";

export const episodeChecks: Record<string, Check> = {
  "8568": episode((ep) =>
    yesNo(ep.ReferralNFA) === undefined ? ["ReferralNFA", ep.ReferralNFA] : undefined,
  ),
  "8600": episode((ep, _c, ctx) => {
    const referred = date(ep.CINreferralDate);
    return !referred || referred > ctx.referenceDate
      ? ["CINreferralDate", ep.CINreferralDate]
      : undefined;
  }),
  "8606": episode((ep, child) => {
    const referred = date(ep.CINreferralDate);
    const ids = child.ChildIdentifiers;
    const born = date(ids.PersonBirthDate) ?? date(ids.ExpectedPersonBirthDate);
    return referred && born && referred < fortyWeeksBefore(born)
      ? ["CINreferralDate", referred]
      : undefined;
  }),
  "8610": episode((ep) =>
    yesNo(ep.ReferralNFA) === false && !present(ep.PrimaryNeedCode)
      ? ["PrimaryNeedCode", ep.PrimaryNeedCode]
      : undefined,
  ),
  "8650": episode((ep) =>
    present(ep.PrimaryNeedCode) && !isCode(primaryNeeds, ep.PrimaryNeedCode)
      ? ["PrimaryNeedCode", ep.PrimaryNeedCode]
      : undefined,
  ),
  "8620": episode((ep, _c, ctx) => {
    const closed = date(ep.CINclosureDate);
    const bad = present(ep.CINclosureDate) && (!closed || !inYear(closed, ctx));
    return bad ? ["CINclosureDate", ep.CINclosureDate] : undefined;
  }),
  "8630": episode((ep) => {
    const closed = date(ep.CINclosureDate);
    const referred = date(ep.CINreferralDate);
    return closed && referred && closed < referred ? ["CINclosureDate", closed] : undefined;
  }),
  "8640": episode((ep) =>
    present(ep.ReasonForClosure) && !isCode(reasonsForClosure, ep.ReasonForClosure)
      ? ["ReasonForClosure", ep.ReasonForClosure]
      : undefined,
  ),
  "8805": episode((ep) =>
    present(ep.CINclosureDate) && !present(ep.ReasonForClosure)
      ? ["ReasonForClosure", ep.ReasonForClosure]
      : undefined,
  ),
  "8810": episode((ep) =>
    present(ep.ReasonForClosure) && !present(ep.CINclosureDate)
      ? ["CINclosureDate", ep.CINclosureDate]
      : undefined,
  ),
  "8866": episode((ep) =>
    !isCode(referralSources, ep.ReferralSource) ? ["ReferralSource", ep.ReferralSource] : undefined,
  ),
  "8569Q": episode((ep, _c, ctx) => {
    const referred = date(ep.CINreferralDate);
    const cutOff = workingDaysBefore(ctx.start, 1);
    return yesNo(ep.ReferralNFA) === true && referred && referred < cutOff
      ? ["ReferralNFA", ep.ReferralNFA]
      : undefined;
  }),
  "8555Q": episode((ep, child) => {
    const referred = date(ep.CINreferralDate);
    const died = date(child.ChildIdentifiers.PersonDeathDate);
    return referred && died && referred > died ? ["CINreferralDate", referred] : undefined;
  }),
  "8585Q": episode((ep, child) =>
    ep.ReasonForClosure === "RC2" && !present(child.ChildIdentifiers.PersonDeathDate)
      ? ["ReasonForClosure", "RC2"]
      : undefined,
  ),
  "2990": episode((ep) => {
    const activity =
      ep.CINPlanDates.length > 0 ||
      ep.Section47.length > 0 ||
      ep.ChildProtectionPlans.length > 0 ||
      present(ep.DateOfInitialCPC);
    return closedAfterAssessment(ep) && activity
      ? ["ReasonForClosure", ep.ReasonForClosure]
      : undefined;
  }),
  "2991Q": episode((ep) =>
    ep.Section47.length > 0 && ep.Assessments.length === 0
      ? ["CINdetailsID", undefined]
      : undefined,
  ),
  "8825Q": episode((ep) =>
    closedAfterAssessment(ep) && ep.Assessments.length === 0
      ? ["ReasonForClosure", ep.ReasonForClosure]
      : undefined,
  ),
  "8831": episode((ep) => {
    if (yesNo(ep.ReferralNFA) !== true) return undefined;
    if (ep.Assessments.length > 0) return ["AssessmentActualStartDate", undefined];
    if (ep.Section47.length > 0) return ["S47ActualStartDate", undefined];
    if (present(ep.DateOfInitialCPC)) return ["DateOfInitialCPC", ep.DateOfInitialCPC];
    return undefined;
  }),
  "8832": episode((ep) =>
    yesNo(ep.ReferralNFA) === true && ep.ChildProtectionPlans.length > 0
      ? ["ReferralNFA", ep.ReferralNFA]
      : undefined,
  ),
  "4000": episode((ep) =>
    yesNo(ep.ReferralNFA) === true && ep.CINPlanDates.length > 0
      ? ["ReferralNFA", ep.ReferralNFA]
      : undefined,
  ),
  "8565": episode((ep) => {
    const closed = date(ep.CINclosureDate);
    if (!closed) return undefined;
    const after = (value: string | undefined) => {
      const d = date(value);
      return d !== undefined && d > closed;
    };
    if (after(ep.DateOfInitialCPC)) return ["DateOfInitialCPC", ep.DateOfInitialCPC];
    for (const a of ep.Assessments) {
      if (after(a.AssessmentActualStartDate)) {
        return ["AssessmentActualStartDate", a.AssessmentActualStartDate];
      }
      if (after(a.AssessmentAuthorisationDate)) {
        return ["AssessmentAuthorisationDate", a.AssessmentAuthorisationDate];
      }
    }
    for (const s of ep.Section47) {
      if (after(s.S47ActualStartDate)) return ["S47ActualStartDate", s.S47ActualStartDate];
      if (after(s.DateOfInitialCPC)) return ["DateOfInitialCPC", s.DateOfInitialCPC];
    }
    for (const p of ep.ChildProtectionPlans) {
      if (after(p.CPPendDate)) return ["CPPendDate", p.CPPendDate];
    }
    for (const p of ep.CINPlanDates) {
      if (after(p.CINPlanStartDate)) return ["CINPlanStartDate", p.CINPlanStartDate];
      if (after(p.CINPlanEndDate)) return ["CINPlanEndDate", p.CINPlanEndDate];
    }
    return undefined;
  }),
  "8867": episode((ep) =>
    present(ep.CINclosureDate) &&
    ep.Assessments.some((a) => !present(a.AssessmentAuthorisationDate))
      ? ["AssessmentAuthorisationDate", undefined]
      : undefined,
  ),
  "8868": episode((ep) =>
    present(ep.CINclosureDate) &&
    ep.Section47.some((s) => !present(s.DateOfInitialCPC) && yesNo(s.ICPCnotRequired) !== true)
      ? ["DateOfInitialCPC", undefined]
      : undefined,
  ),

  // Across a child's episodes.
  "8815": (census, _ctx, fail) => {
    census.children.forEach((child, ci) => {
      const open = child.CINdetails.filter(
        (e) => !present(e.CINclosureDate) && yesNo(e.ReferralNFA) !== true,
      );
      if (open.length > 1) fail(child, "CINclosureDate", undefined, ["Child", ci]);
    });
  },
  "8816": (census, _ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      const referred = date(ep.CINreferralDate);
      if (!referred || present(ep.CINclosureDate) || yesNo(ep.ReferralNFA) === true) return;
      const later = child.CINdetails.some((other, oi) => {
        const d = date(other.CINreferralDate);
        return oi !== ei && d !== undefined && d > referred;
      });
      if (later) fail(child, "CINreferralDate", referred, episodePath(ci, ei));
    });
  },
  "8820": (census, ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      const start = date(ep.CINreferralDate);
      if (!start) return;
      const self = { start, end: date(ep.CINclosureDate) ?? addYears(ctx.referenceDate, 100) };
      const clash = child.CINdetails.some((other, oi) => {
        const otherStart = date(other.CINreferralDate);
        if (oi === ei || !otherStart) return false;
        const end = date(other.CINclosureDate) ?? addYears(ctx.referenceDate, 100);
        return overlaps(self, { start: otherStart, end });
      });
      if (clash) fail(child, "CINreferralDate", start, episodePath(ci, ei));
    });
  },

  // Assessments.
  "1103": assessment((a, ep) => {
    const started = date(a.AssessmentActualStartDate);
    const referred = date(ep.CINreferralDate);
    return started && referred && started < referred
      ? ["AssessmentActualStartDate", started]
      : undefined;
  }),
  "8608": assessment((a) => {
    const started = date(a.AssessmentActualStartDate);
    const ended = date(a.AssessmentAuthorisationDate);
    return started && ended && started > ended ? ["AssessmentActualStartDate", started] : undefined;
  }),
  "8614": assessment((a) =>
    a.AssessmentFactors !== undefined && !present(a.AssessmentAuthorisationDate)
      ? ["AssessmentFactors", a.AssessmentFactors.join(" ")]
      : undefined,
  ),
  "8670Q": assessment((a, _ep, ctx) => {
    const started = date(a.AssessmentActualStartDate);
    return started &&
      !present(a.AssessmentAuthorisationDate) &&
      started < workingDaysBefore(ctx.referenceDate, 45)
      ? ["AssessmentActualStartDate", started]
      : undefined;
  }),
  "8696": assessment((a, _ep, ctx) => {
    const ended = date(a.AssessmentAuthorisationDate);
    const bad = present(a.AssessmentAuthorisationDate) && (!ended || !inYear(ended, ctx));
    return bad ? ["AssessmentAuthorisationDate", a.AssessmentAuthorisationDate] : undefined;
  }),
  "8736": assessment((a, _ep, ctx) => {
    if (present(a.AssessmentAuthorisationDate)) return undefined;
    const started = date(a.AssessmentActualStartDate);
    return !started || !inYear(started, ctx)
      ? ["AssessmentActualStartDate", a.AssessmentActualStartDate]
      : undefined;
  }),
  "8863Q": assessment((a, ep, _ctx, ai) => {
    const started = date(a.AssessmentActualStartDate);
    if (!started) return undefined;
    // Another assessment began on or before this one and was not finished when this began.
    const ongoing = ep.Assessments.some((other, oi) => {
      const otherStart = date(other.AssessmentActualStartDate);
      if (oi === ai || !otherStart) return false;
      const earlier = otherStart < started || (otherStart === started && oi < ai);
      const otherEnd = date(other.AssessmentAuthorisationDate);
      return earlier && (otherEnd === undefined || otherEnd > started);
    });
    return ongoing ? ["AssessmentActualStartDate", started] : undefined;
  }),
  "8897Q": assessment((a) =>
    present(a.AssessmentAuthorisationDate) && (a.AssessmentFactors ?? []).length === 0
      ? ["AssessmentFactors", undefined]
      : undefined,
  ),
  "8898": assessment((a) => {
    const codes = a.AssessmentFactors ?? [];
    const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
    return repeated !== undefined ? ["AssessmentFactors", repeated] : undefined;
  }),
  "8869": assessment((a) => {
    const codes = a.AssessmentFactors ?? [];
    return codes.includes("21") && codes.some((c) => c !== "21")
      ? ["AssessmentFactors", codes.join(" ")]
      : undefined;
  }),
  "8873Q": assessment((a, ep) => {
    const codes = a.AssessmentFactors ?? [];
    const onlyNoFactors = codes.length > 0 && codes.every((c) => c === "21");
    return ep.Assessments.length === 1 &&
      present(a.AssessmentAuthorisationDate) &&
      onlyNoFactors &&
      present(ep.ReasonForClosure) &&
      !closedAfterAssessment(ep)
      ? ["ReasonForClosure", ep.ReasonForClosure]
      : undefined;
  }),
  "8945Q": assessment((a) =>
    (a.AssessmentFactors ?? []).includes("18A") ? ["AssessmentFactors", "18A"] : undefined,
  ),
  "8950Q": assessment((a) =>
    (a.AssessmentFactors ?? []).includes("19A") ? ["AssessmentFactors", "19A"] : undefined,
  ),
  "8896": episode((ep) =>
    ep.Assessments.filter((a) => !present(a.AssessmentAuthorisationDate)).length > 1
      ? ["AssessmentAuthorisationDate", undefined]
      : undefined,
  ),
};
