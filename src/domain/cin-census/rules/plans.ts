/** Rules on CIN plans, section 47 enquiries and child protection plans (with reviews). */
import { isCode } from "../../code-lists.ts";
import {
  categoriesOfAbuse,
  yesNo,
  type ChildProtectionPlan,
  type CinChild,
  type CinDetails,
  type CinPlanDates,
  type Section47,
} from "../model.ts";
import {
  date,
  eachChild,
  eachEpisode,
  episodePath,
  inYear,
  isWeekend,
  overlaps,
  present,
  workingDaysBefore,
  type Check,
  type RuleContext,
} from "./engine.ts";

type Found = [field: string, value: string | undefined] | undefined;
type Item<T> = (item: T, ep: CinDetails, child: CinChild, ctx: RuleContext, index: number) => Found;

/** A check on each item of one kind (CIN plans, S47s or CPPs) in every episode. */
function each<T>(kind: "CINPlanDates" | "Section47" | "ChildProtectionPlans", visit: Item<T>) {
  return ((census, ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      (ep[kind] as T[]).forEach((item, i) => {
        const found = visit(item, ep, child, ctx, i);
        if (found) fail(child, found[0], found[1], [...episodePath(ci, ei), kind, i]);
      });
    });
  }) satisfies Check;
}
const plan = (visit: Item<CinPlanDates>) => each("CINPlanDates", visit);
const s47 = (visit: Item<Section47>) => each("Section47", visit);
const cpp = (visit: Item<ChildProtectionPlan>) => each("ChildProtectionPlans", visit);

/** Every item of a kind across the child's episodes, with where it is. */
function itemsOf<K extends "CINPlanDates" | "ChildProtectionPlans">(
  child: CinChild,
  kind: K,
): { item: CinDetails[K][number]; ei: number; i: number }[] {
  return child.CINdetails.flatMap((ep, ei) =>
    (ep[kind] as CinDetails[K][number][]).map((item, i) => ({ item, ei, i })),
  );
}

const planSpan = (p: CinPlanDates) => {
  const start = date(p.CINPlanStartDate);
  return start ? { start, end: date(p.CINPlanEndDate) } : undefined;
};
const cppSpan = (p: ChildProtectionPlan) => {
  const start = date(p.CPPstartDate);
  return start ? { start, end: date(p.CPPendDate) } : undefined;
};

/** A S47 is open when it has neither held an ICPC nor been marked as not needing one. */
const openS47 = (s: Section47) => !present(s.DateOfInitialCPC) && yesNo(s.ICPCnotRequired) !== true;

/** The ICPC dates an episode records, at the S47 and at the episode level. */
function icpcDates(ep: CinDetails): string[] {
  const dates = [ep.DateOfInitialCPC, ...ep.Section47.map((s) => s.DateOfInitialCPC)];
  return dates.map(date).filter((d): d is string => d !== undefined);
}

function beforeReferral(field: string, value: string | undefined, ep: CinDetails): Found {
  const d = date(value);
  const referred = date(ep.CINreferralDate);
  return d && referred && d < referred ? [field, d] : undefined;
}

/** Across a child: each item (by position) for which `clash` finds another item. */
function acrossChild<K extends "CINPlanDates" | "ChildProtectionPlans">(
  kind: K,
  field: string,
  clash: (
    mine: CinDetails[K][number],
    items: { item: CinDetails[K][number]; ei: number; i: number }[],
    me: number,
    child: CinChild,
  ) => boolean,
): Check {
  return (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const items = itemsOf(child, kind);
      items.forEach(({ item, ei, i }, me) => {
        if (clash(item, items, me, child)) {
          const value = (item as Record<string, unknown>)[field];
          fail(child, field, typeof value === "string" ? value : undefined, [
            ...episodePath(ci, ei),
            kind,
            i,
          ]);
        }
      });
    });
  };
}

export const planChecks: Record<string, Check> = {
  // CIN plans.
  "4010": plan((p, _ep, _c, ctx) => {
    const start = date(p.CINPlanStartDate);
    return !start || start > ctx.referenceDate
      ? ["CINPlanStartDate", p.CINPlanStartDate]
      : undefined;
  }),
  "4011": plan((p) => {
    const span = planSpan(p);
    return span?.end && span.end < span.start ? ["CINPlanEndDate", span.end] : undefined;
  }),
  "4012Q": plan((p) => {
    const span = planSpan(p);
    return span?.end && span.end === span.start ? ["CINPlanEndDate", span.end] : undefined;
  }),
  "4013": plan((p, _ep, _c, ctx) => {
    const end = date(p.CINPlanEndDate);
    const bad = present(p.CINPlanEndDate) && (!end || !inYear(end, ctx));
    return bad ? ["CINPlanEndDate", p.CINPlanEndDate] : undefined;
  }),
  "4015": plan((p, ep) => beforeReferral("CINPlanStartDate", p.CINPlanStartDate, ep)),
  "4008": plan((p, _ep, child) => {
    const start = date(p.CINPlanStartDate);
    const died = date(child.ChildIdentifiers.PersonDeathDate);
    return start && died && start > died ? ["CINPlanStartDate", start] : undefined;
  }),
  "4009Q": plan((p, _ep, child) => {
    const end = date(p.CINPlanEndDate);
    const died = date(child.ChildIdentifiers.PersonDeathDate);
    return end && died && end > died ? ["CINPlanEndDate", end] : undefined;
  }),
  "4001": plan((p, ep) =>
    !present(p.CINPlanEndDate) && ep.ChildProtectionPlans.some((c) => !present(c.CPPendDate))
      ? ["CINPlanEndDate", undefined]
      : undefined,
  ),
  "4004": acrossChild(
    "CINPlanDates",
    "CINPlanEndDate",
    (mine, items) =>
      !present(mine.CINPlanEndDate) &&
      items.filter(({ item }) => !present(item.CINPlanEndDate)).length > 1,
  ),
  "4014": acrossChild("CINPlanDates", "CINPlanStartDate", (mine, items, me) => {
    const span = planSpan(mine);
    return (
      span !== undefined &&
      items.some(({ item }, other) => {
        const theirs = planSpan(item);
        return other !== me && theirs !== undefined && overlaps(span, theirs);
      })
    );
  }),
  "4016": acrossChild("CINPlanDates", "CINPlanStartDate", (mine, _items, _me, child) => {
    const start = date(mine.CINPlanStartDate);
    return (
      start !== undefined &&
      itemsOf(child, "ChildProtectionPlans").some(({ item }) => {
        const c = cppSpan(item);
        return c !== undefined && c.start <= start && (c.end === undefined || start < c.end);
      })
    );
  }),
  "4017": acrossChild("CINPlanDates", "CINPlanStartDate", (mine, _items, _me, child) => {
    const span = planSpan(mine);
    return (
      span !== undefined &&
      itemsOf(child, "ChildProtectionPlans").some(({ item }) => {
        const start = date(item.CPPstartDate);
        return (
          start !== undefined && span.start < start && (span.end === undefined || start < span.end)
        );
      })
    );
  }),
  "4003": (census, _ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      if (ep.ChildProtectionPlans.length === 0) return;
      const plans = itemsOf(child, "CINPlanDates").map(({ item }) => planSpan(item));
      ep.ChildProtectionPlans.forEach((p, pi) => {
        const review = (p.CPPreviewDate ?? [])
          .map(date)
          .find(
            (r) =>
              r !== undefined &&
              plans.some(
                (s) => s !== undefined && s.start < r && (s.end === undefined || r < s.end),
              ),
          );
        if (review) {
          fail(child, "CPPreviewDate", review, [
            ...episodePath(ci, ei),
            "ChildProtectionPlans",
            pi,
          ]);
        }
      });
    });
  },

  // Section 47 enquiries.
  "1104": (census, _ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      const own = beforeReferral("DateOfInitialCPC", ep.DateOfInitialCPC, ep);
      if (own) fail(child, own[0], own[1], episodePath(ci, ei));
      ep.Section47.forEach((s, si) => {
        const found = beforeReferral("DateOfInitialCPC", s.DateOfInitialCPC, ep);
        if (found) fail(child, found[0], found[1], [...episodePath(ci, ei), "Section47", si]);
      });
    });
  },
  "2889": s47((s, ep) => beforeReferral("S47ActualStartDate", s.S47ActualStartDate, ep)),
  "8615": s47((s) => {
    const start = date(s.S47ActualStartDate);
    const icpc = date(s.DateOfInitialCPC);
    if (!start) return ["S47ActualStartDate", s.S47ActualStartDate];
    return icpc && start > icpc ? ["S47ActualStartDate", start] : undefined;
  }),
  "8675Q": s47((s, _ep, _c, ctx) => {
    const start = date(s.S47ActualStartDate);
    return start && openS47(s) && start < workingDaysBefore(ctx.referenceDate, 15)
      ? ["S47ActualStartDate", start]
      : undefined;
  }),
  "8715": (census, ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      const outside = (v: string | undefined) => {
        const d = date(v);
        return present(v) && (!d || !inYear(d, ctx));
      };
      if (outside(ep.DateOfInitialCPC)) {
        fail(child, "DateOfInitialCPC", ep.DateOfInitialCPC, episodePath(ci, ei));
      }
      ep.Section47.forEach((s, si) => {
        if (outside(s.DateOfInitialCPC)) {
          fail(child, "DateOfInitialCPC", s.DateOfInitialCPC, [
            ...episodePath(ci, ei),
            "Section47",
            si,
          ]);
        }
      });
    });
  },
  "8740": s47((s, _ep, _c, ctx) => {
    if (!openS47(s)) return undefined;
    const start = date(s.S47ActualStartDate);
    return !start || !inYear(start, ctx) ? ["S47ActualStartDate", s.S47ActualStartDate] : undefined;
  }),
  "8839": (census, _ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      if (ep.Section47.filter(openS47).length > 1) {
        fail(child, "DateOfInitialCPC", undefined, episodePath(ci, ei));
      }
    });
  },
  "8870Q": s47((s) => {
    const target = date(s.InitialCPCtarget);
    return target && isWeekend(target) ? ["InitialCPCtarget", target] : undefined;
  }),
  "8875": (census, _ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      const own = date(ep.DateOfInitialCPC);
      if (own && isWeekend(own)) fail(child, "DateOfInitialCPC", own, episodePath(ci, ei));
      ep.Section47.forEach((s, si) => {
        const d = date(s.DateOfInitialCPC);
        if (d && isWeekend(d)) {
          fail(child, "DateOfInitialCPC", d, [...episodePath(ci, ei), "Section47", si]);
        }
      });
    });
  },
  "8890": s47((s, ep, _c, _ctx, si) => {
    const start = date(s.S47ActualStartDate);
    if (!start) return undefined;
    // Another enquiry began before this one and had not reached its conference by then.
    const ongoing = ep.Section47.some((other, oi) => {
      const otherStart = date(other.S47ActualStartDate);
      if (oi === si || !otherStart) return false;
      const earlier = otherStart < start || (otherStart === start && oi < si);
      const icpc = date(other.DateOfInitialCPC);
      const unfinished = icpc ? icpc > start : openS47(other);
      return earlier && unfinished;
    });
    return ongoing ? ["S47ActualStartDate", start] : undefined;
  }),
  "2884": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const atEpisode = new Set(
        child.CINdetails.map((e) => date(e.DateOfInitialCPC)).filter((d) => d !== undefined),
      );
      child.CINdetails.forEach((ep, ei) => {
        ep.Section47.forEach((s, si) => {
          const d = date(s.DateOfInitialCPC);
          if (d && atEpisode.has(d)) {
            fail(child, "DateOfInitialCPC", d, [...episodePath(ci, ei), "Section47", si]);
          }
        });
      });
    });
  },

  // Child protection plans.
  "1105": cpp((p, ep) => beforeReferral("CPPstartDate", p.CPPstartDate, ep)),
  "8720": cpp((p, _ep, _c, ctx) => {
    const start = date(p.CPPstartDate);
    return !start || start > ctx.referenceDate ? ["CPPstartDate", p.CPPstartDate] : undefined;
  }),
  "8730": cpp((p) =>
    !present(p.NumberOfPreviousCPP) ? ["NumberOfPreviousCPP", p.NumberOfPreviousCPP] : undefined,
  ),
  "8840": cpp((p) => {
    const span = cppSpan(p);
    return span?.end !== undefined && span.end === span.start
      ? ["CPPendDate", span.end]
      : undefined;
  }),
  "8841": cpp((p) => {
    const start = date(p.CPPstartDate);
    const early = (p.CPPreviewDate ?? []).map(date).find((r) => start && r && r <= start);
    return early ? ["CPPreviewDate", early] : undefined;
  }),
  "8842Q": cpp((p) =>
    p.CPPreviewDate !== undefined && p.CPPreviewDate.some((r) => !present(r))
      ? ["CPPreviewDate", ""]
      : undefined,
  ),
  "8905": cpp((p) =>
    !isCode(categoriesOfAbuse, p.InitialCategoryOfAbuse)
      ? ["InitialCategoryOfAbuse", p.InitialCategoryOfAbuse]
      : undefined,
  ),
  "8910": cpp((p) =>
    !isCode(categoriesOfAbuse, p.LatestCategoryOfAbuse)
      ? ["LatestCategoryOfAbuse", p.LatestCategoryOfAbuse]
      : undefined,
  ),
  "8915": cpp((p, _ep, child) => {
    const start = date(p.CPPstartDate);
    const died = date(child.ChildIdentifiers.PersonDeathDate);
    return start && died && start > died ? ["CPPstartDate", start] : undefined;
  }),
  "8920": cpp((p, _ep, child) => {
    const end = date(p.CPPendDate);
    const died = date(child.ChildIdentifiers.PersonDeathDate);
    return end && died && end > died ? ["CPPendDate", end] : undefined;
  }),
  "8925": cpp((p) => {
    const span = cppSpan(p);
    return span?.end && span.end < span.start ? ["CPPendDate", span.end] : undefined;
  }),
  "8930": cpp((p, _ep, _c, ctx) => {
    const end = date(p.CPPendDate);
    const bad = present(p.CPPendDate) && (!end || !inYear(end, ctx));
    return bad ? ["CPPendDate", p.CPPendDate] : undefined;
  }),
  "8935": acrossChild(
    "ChildProtectionPlans",
    "CPPendDate",
    (mine, items) =>
      !present(mine.CPPendDate) && items.filter(({ item }) => !present(item.CPPendDate)).length > 1,
  ),
  "8940": acrossChild("ChildProtectionPlans", "CPPstartDate", (mine, items, me) => {
    const span = cppSpan(mine);
    return (
      span !== undefined &&
      items.some(({ item }, other) => {
        const theirs = cppSpan(item);
        return other !== me && theirs !== undefined && overlaps(span, theirs);
      })
    );
  }),
  // Plans that began this year must each follow an initial conference in the episode.
  "2883": (census, ctx, fail) => {
    eachEpisode(census, (child, ep, ci, ei) => {
      if (ep.ChildProtectionPlans.length === 0) return;
      const starting = ep.ChildProtectionPlans.filter((p) => {
        const start = date(p.CPPstartDate);
        return start !== undefined && inYear(start, ctx);
      });
      const conferences = new Set(icpcDates(ep).filter((d) => inYear(d, ctx)));
      if (starting.length > conferences.size) {
        fail(child, "CPPstartDate", String(starting.length), episodePath(ci, ei));
      }
    });
  },
  "2885": cpp((p, ep, _c, ctx) => {
    const start = date(p.CPPstartDate);
    if (!start || !inYear(start, ctx)) return undefined;
    return icpcDates(ep).includes(start) ? undefined : ["CPPstartDate", start];
  }),
};
