/**
 * Synthetic families: people, households, addresses and relationships. Pure: builds rows in
 * memory from a seeded stream; generate.ts inserts them.
 */
import type { Insertable } from "kysely";
import { generateNhsNumber, generateUpn } from "../domain/identifiers.ts";
import type { DB } from "../platform/schema.ts";
import {
  address,
  ETHNICITY_WEIGHTS,
  givenName,
  MIXED_PARENTS,
  nameGroupOf,
  surname,
  type NameGroup,
} from "./names.ts";
import { ageOn, fromDay, type Random, toDay, yearsBefore } from "./random.ts";

// Rates below are ASSUMPTIONS chosen to look plausible for a children's services caseload, not
// figures from any source, unless a source is named.

/** Household make-up of a family. */
type Household = "single_mother" | "single_father" | "two_parents" | "step_parent" | "grandparent";
const HOUSEHOLD_WEIGHTS: readonly (readonly [Household, number])[] = [
  ["single_mother", 38],
  ["single_father", 5],
  ["two_parents", 37],
  ["step_parent", 12],
  ["grandparent", 8],
];
/** Children per family, 1 to 4. */
const CHILDREN_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 35],
  [2, 33],
  [3, 21],
  [4, 11],
];
/** Chance that consecutive children are twins (same date of birth). */
const TWIN_RATE = 0.02;
/** Chance that a father (not married to, or living apart from) shares the family surname. */
const FATHER_SAME_SURNAME_RATE = 0.6;
/** Chance that an unmarried father recorded on the birth certificate has parental responsibility. */
const FATHER_PR_RATE = 0.9;
/** Chance that a live-in grandparent shares the family surname (maternal grandparent). */
const GRANDPARENT_SAME_SURNAME_RATE = 0.5;
/**
 * A child without an NHS number has the s16LC exception recorded (decision 0023), except about
 * one in three, left for the front door's list. Decided from the id, so that no random number
 * is drawn and the rest of the demo is unchanged.
 */
function consistentIdentifierException(id: string, nhsNumber: string | null, child: boolean) {
  const recorded = child && nhsNumber === null && parseInt(id.slice(0, 2), 16) % 3 !== 0;
  return {
    nhs_number_exception: recorded ? "unknown_delay" : null,
    nhs_number_exception_note: recorded
      ? "Not known at the contact; the GP practice is being asked, and waiting would delay the enquiry"
      : "",
  };
}

/** People with an NHS number recorded. */
const NHS_NUMBER_RATE = 0.95;
/** School-age children (5 and over) with a UPN recorded. */
const UPN_RATE = 0.95;
const SCHOOL_AGE = 5;
/** Ethnicity not obtained, or refused, recorded per person (CIN codes NOBT, REFU). */
const ETHNICITY_NOT_OBTAINED_RATE = 0.03;
const ETHNICITY_REFUSED_RATE = 0.005;
/** Children whose sex is recorded as '0' (not recorded). */
const SEX_NOT_RECORDED_RATE = 0.003;
/** Households at a confidential address, e.g. a refuge after domestic abuse (brief: ~3%). */
const CONFIDENTIAL_ADDRESS_RATE = 0.03;

export type MemberRole = "mother" | "father" | "step_parent" | "grandparent" | "child";

export interface DemoPerson {
  id: string;
  role: MemberRole;
  givenName: string;
  sex: string;
  age: number;
  dateOfBirth: string;
}

export interface DemoFamily {
  index: number;
  id: string;
  name: string;
  /** Adults in the household; [0] is the main carer. */
  adults: DemoPerson[];
  /** Children, eldest first. */
  children: DemoPerson[];
}

/** A scripted family shape, so the fixed demo users always see the same kind of caseload. */
export interface FamilyShape {
  household?: Household;
  children?: number;
  eldestMin?: number;
  eldestMax?: number;
}

export interface FamilyRows {
  person: Insertable<DB["person"]>[];
  address: Insertable<DB["address"]>[];
  person_address: Insertable<DB["person_address"]>[];
  family: Insertable<DB["family"]>[];
  family_member: Insertable<DB["family_member"]>[];
  relationship: Insertable<DB["relationship"]>[];
}

export interface FamilyBuilder {
  families: DemoFamily[];
  rows: FamilyRows;
  add(shape?: FamilyShape): DemoFamily;
}

export function familyBuilder(
  rng: Random,
  laId: string,
  laCode: string,
  today: number,
): FamilyBuilder {
  const rows: FamilyRows = {
    person: [],
    address: [],
    person_address: [],
    family: [],
    family_member: [],
    relationship: [],
  };
  const families: DemoFamily[] = [];
  const nhsNumbers = new Set<string>();
  const upns = new Set<string>();

  const unique = (used: Set<string>, make: () => string): string => {
    let value = make();
    while (used.has(value)) value = make();
    used.add(value);
    return value;
  };

  /** A date of birth giving exactly `age` today, never today or later. */
  const birthDay = (age: number): number => {
    const latest = yearsBefore(today, age);
    const earliest = yearsBefore(today, age + 1);
    return latest - rng.int(1, latest - earliest - 1);
  };

  const person = (
    role: MemberRole,
    sex: string,
    age: number,
    group: NameGroup,
    familyName: string,
    ethnicity: string,
    dobDay = birthDay(age),
  ): DemoPerson => {
    const id = rng.uuid();
    const name = givenName(rng, group, sex);
    const dateOfBirth = fromDay(dobDay);
    const child = role === "child";
    let recorded = ethnicity;
    if (rng.chance(ETHNICITY_NOT_OBTAINED_RATE)) recorded = "NOBT";
    else if (!child && rng.chance(ETHNICITY_REFUSED_RATE)) recorded = "REFU";
    const upn =
      child && age >= SCHOOL_AGE && rng.chance(UPN_RATE)
        ? unique(upns, () => generateUpn(rng.float, laCode))
        : null;
    const nhsNumber = rng.chance(NHS_NUMBER_RATE)
      ? unique(nhsNumbers, () => generateNhsNumber(rng.float))
      : null;
    rows.person.push({
      id,
      la_id: laId,
      given_name: name,
      family_name: familyName,
      date_of_birth: dateOfBirth,
      sex,
      ethnicity: recorded,
      nhs_number: nhsNumber,
      upn,
      restricted: false,
      ...consistentIdentifierException(id, nhsNumber, child),
    });
    return { id, role, givenName: name, sex, age: ageOn(dobDay, today), dateOfBirth };
  };

  const relate = (from: DemoPerson, to: DemoPerson, kind: string, pr = false): void => {
    rows.relationship.push({
      id: rng.uuid(),
      la_id: laId,
      person_id: from.id,
      related_person_id: to.id,
      kind,
      parental_responsibility: pr,
      start_date: null,
      end_date: null,
    });
  };

  const home = (people: DemoPerson[], confidential: boolean, moveIn: number): void => {
    const id = rng.uuid();
    rows.address.push({ id, la_id: laId, ...address(rng), confidential });
    for (const p of people) {
      const start = Math.max(moveIn, toDay(p.dateOfBirth));
      rows.person_address.push({
        person_id: p.id,
        address_id: id,
        la_id: laId,
        start_date: fromDay(start),
        end_date: null,
      });
    }
  };

  const add = (shape: FamilyShape = {}): DemoFamily => {
    const household = shape.household ?? rng.weighted(HOUSEHOLD_WEIGHTS);
    const childCount = shape.children ?? rng.weighted(CHILDREN_WEIGHTS);
    const code = rng.weighted(ETHNICITY_WEIGHTS);
    const mixed = MIXED_PARENTS[code];
    // For a mixed-heritage family, the parents' codes; otherwise everyone shares the code.
    const [codeA, codeB] = mixed ? [mixed[0], rng.pick(mixed[1])] : [code, code];
    const [firstCode, secondCode] = rng.chance(0.5) ? [codeA, codeB] : [codeB, codeA];
    const familyName = surname(rng, nameGroupOf(firstCode));

    const eldest = rng.int(
      Math.max(childCount - 1, shape.eldestMin ?? 0),
      Math.max(childCount - 1, shape.eldestMax ?? 17),
    );
    const carerAge = Math.max(18, eldest + rng.int(18, 28) + rng.int(0, 10));
    const main =
      household === "single_father"
        ? person("father", "1", carerAge, nameGroupOf(firstCode), familyName, firstCode)
        : person("mother", "2", carerAge, nameGroupOf(firstCode), familyName, firstCode);
    const adults = [main];
    if (household === "two_parents") {
      const fatherName = rng.chance(FATHER_SAME_SURNAME_RATE)
        ? familyName
        : surname(rng, nameGroupOf(secondCode));
      const age = Math.max(18, carerAge + rng.int(-3, 8));
      adults.push(person("father", "1", age, nameGroupOf(secondCode), fatherName, secondCode));
    } else if (household === "step_parent") {
      const stepCode = rng.weighted(ETHNICITY_WEIGHTS);
      const group = nameGroupOf(MIXED_PARENTS[stepCode]?.[0] ?? stepCode);
      const sex = rng.chance(0.9) ? "1" : "2";
      const age = Math.max(18, carerAge + rng.int(-5, 10));
      adults.push(person("step_parent", sex, age, group, surname(rng, group), stepCode));
    } else if (household === "grandparent") {
      const group = nameGroupOf(firstCode);
      const name = rng.chance(GRANDPARENT_SAME_SURNAME_RATE) ? familyName : surname(rng, group);
      const sex = rng.chance(0.8) ? "2" : "1";
      const age = carerAge + rng.int(18, 28);
      adults.push(person("grandparent", sex, age, group, name, firstCode));
    }

    const children: DemoPerson[] = [];
    let age = eldest;
    let previous: DemoPerson | undefined;
    for (let i = 0; i < childCount; i++) {
      const twin = previous !== undefined && rng.chance(TWIN_RATE);
      if (previous && !twin) age = Math.max(0, age - rng.int(1, 4));
      let sex = rng.chance(0.5) ? "1" : "2";
      if (rng.chance(SEX_NOT_RECORDED_RATE)) sex = "0";
      const group = nameGroupOf(firstCode);
      const child =
        twin && previous
          ? person("child", sex, previous.age, group, familyName, code, toDay(previous.dateOfBirth))
          : person("child", sex, age, group, familyName, code);
      children.push(child);
      previous = child;
    }

    // Relationships, "A is <kind> of B": one row per pair for siblings and partners.
    for (const adult of adults) {
      for (const child of children) {
        if (adult.role === "mother") relate(adult, child, "parent", true);
        else if (adult.role === "father")
          relate(adult, child, "parent", rng.chance(FATHER_PR_RATE));
        else if (adult.role === "step_parent") relate(adult, child, "step_parent");
        else relate(adult, child, "grandparent");
      }
    }
    const second = adults[1];
    if (second?.role === "father" || second?.role === "step_parent")
      relate(main, second, "partner");
    if (second?.role === "grandparent") relate(second, main, "parent");
    children.forEach((a, i) => {
      for (const b of children.slice(i + 1)) relate(a, b, "sibling");
    });

    // Where they live. At a confidential address (a refuge), a partner lives elsewhere.
    const confidential = rng.chance(CONFIDENTIAL_ADDRESS_RATE);
    const moveIn = today - (confidential ? rng.int(14, 240) : rng.int(60, 3650));
    const apart =
      confidential && (second?.role === "father" || second?.role === "step_parent")
        ? second
        : undefined;
    home(
      [...adults, ...children].filter((p) => p !== apart),
      confidential,
      moveIn,
    );
    if (apart) home([apart], false, today - rng.int(14, 1000));

    const family: DemoFamily = {
      index: families.length,
      id: rng.uuid(),
      name: `${familyName} family`,
      adults,
      children,
    };
    rows.family.push({ id: family.id, la_id: laId, name: family.name });
    for (const p of [...adults, ...children]) {
      rows.family_member.push({ family_id: family.id, person_id: p.id, la_id: laId });
    }
    families.push(family);
    return family;
  };

  return { families, rows, add };
}
