/**
 * Disproportionality (issue 13; decision 0033): how much more often children of one group are
 * in a cohort (on a child protection plan, entering care, missing...) than children of a
 * comparison group, relative to how many such children live in the council.
 *
 * rate = children in the cohort / children in the population x 10,000
 * relative rate index (RRI) = rate of the group / rate of the comparison group
 *
 * The 95% confidence interval is the Katz log method (Katz et al., Biometrics 34, 1978):
 * ln(RRI) +/- 1.96 x sqrt(1/a - 1/n1 + 1/c - 1/n2), with a and c the cohort counts and n1 and
 * n2 the populations. It needs a > 0 and c > 0; otherwise there is no interval to show.
 */

export interface GroupCount {
  group: string;
  /** Children of the group in the cohort. */
  cohort: number;
  /** Children of the group in the council's population. */
  population: number;
}

export interface RelativeRate {
  group: string;
  cohort: number;
  population: number;
  /** Per 10,000 children of the group; undefined without a population. */
  rate: number | undefined;
  rri: number | undefined;
  lower: number | undefined;
  upper: number | undefined;
}

const Z_95 = 1.959964;

export function ratePer10k(cohort: number, population: number): number | undefined {
  return population > 0 ? (cohort / population) * 10_000 : undefined;
}

/** The RRI of a against c, with its Katz 95% interval; undefined parts where it cannot be had. */
export function relativeRate(
  a: number,
  n1: number,
  c: number,
  n2: number,
): { rri: number | undefined; lower: number | undefined; upper: number | undefined } {
  if (n1 <= 0 || n2 <= 0 || c <= 0) return { rri: undefined, lower: undefined, upper: undefined };
  const rri = a / n1 / (c / n2);
  if (a <= 0) return { rri, lower: undefined, upper: undefined };
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  return {
    rri,
    lower: Math.exp(Math.log(rri) - Z_95 * se),
    upper: Math.exp(Math.log(rri) + Z_95 * se),
  };
}

/**
 * Each group against the comparison: a named group (say White British), or, without one,
 * every other child ("the rest of the population").
 */
export function relativeRates(groups: readonly GroupCount[], comparison?: string): RelativeRate[] {
  const total = groups.reduce(
    (sum, g) => ({ cohort: sum.cohort + g.cohort, population: sum.population + g.population }),
    { cohort: 0, population: 0 },
  );
  const reference = comparison ? groups.find((g) => g.group === comparison) : undefined;
  return groups.map((g) => {
    const against = reference ?? {
      cohort: total.cohort - g.cohort,
      population: total.population - g.population,
    };
    const isReference = reference?.group === g.group;
    return {
      group: g.group,
      cohort: g.cohort,
      population: g.population,
      rate: ratePer10k(g.cohort, g.population),
      ...(isReference
        ? { rri: 1, lower: undefined, upper: undefined }
        : relativeRate(g.cohort, g.population, against.cohort, against.population)),
    };
  });
}
