/**
 * Code lists of the DfE's children looked after return (SSDA903), so that episodes, reviews
 * and missing periods are stored in the codes the return needs. The codes are copied from the
 * DfE's schema (SSDA903_schema_2024.yml), which lists codes without meanings; the labels say
 * in plain words what the DfE's guidance for the return says each code means. The tests
 * compare the codes with the schema to catch drift.
 */
import type { CodeList, CodeOf } from "./code-lists.ts";

/** `LS`: the legal basis on which the child is looked after. */
export const legalStatuses = [
  { code: "C1", label: "Interim care order" },
  { code: "C2", label: "Full care order" },
  { code: "D1", label: "Freeing order granted (no longer made since December 2005)" },
  { code: "E1", label: "Placement order granted" },
  { code: "V2", label: "Accommodated under section 20 (single period of accommodation)" },
  {
    code: "V3",
    label: "Accommodated for an agreed series of short breaks, each break recorded as an episode",
  },
  {
    code: "V4",
    label:
      "Accommodated for an agreed series of short breaks, the agreement recorded as one episode",
  },
  { code: "L1", label: "Under police protection and in local authority accommodation" },
  { code: "L2", label: "Emergency protection order" },
  { code: "L3", label: "Under a child assessment order and in local authority accommodation" },
  { code: "J1", label: "Remanded to local authority or youth detention accommodation" },
  {
    code: "J2",
    label: "In local authority accommodation under the Police and Criminal Evidence Act 1984",
  },
  {
    code: "J3",
    label: "Youth rehabilitation order with a residence or intensive fostering requirement",
  },
] as const satisfies CodeList;
export type LegalStatusCode = CodeOf<typeof legalStatuses>;

/** `PLACE`: where and with whom the child is placed. */
export const placementTypes = [
  { code: "A3", label: "Placed for adoption with parental consent, with current foster carers" },
  {
    code: "A4",
    label: "Placed for adoption with parental consent, not with current foster carers",
  },
  { code: "A5", label: "Placed for adoption under a placement order, with current foster carers" },
  {
    code: "A6",
    label: "Placed for adoption under a placement order, not with current foster carers",
  },
  { code: "H5", label: "Supported accommodation (not a children's home)" },
  { code: "K1", label: "Secure children's home" },
  { code: "K2", label: "Children's home" },
  { code: "P1", label: "Placed with own parents or others with parental responsibility" },
  { code: "P2", label: "Independent living, such as a flat, lodgings or with friends" },
  { code: "P3", label: "Residential employment" },
  { code: "R1", label: "Residential care home" },
  { code: "R2", label: "NHS or other establishment giving medical or nursing care" },
  { code: "R3", label: "Family centre or mother and baby unit" },
  { code: "R5", label: "Young offender institution" },
  { code: "S1", label: "Residential school (not also registered as a children's home)" },
  { code: "T0", label: "Temporary move of any kind" },
  { code: "T1", label: "Temporary period in hospital" },
  { code: "T2", label: "Temporary absence on holiday" },
  { code: "T3", label: "Temporary placement while the usual foster carers are on holiday" },
  { code: "T4", label: "Temporary placement of 7 days or less, for any other reason" },
  { code: "U1", label: "Fostered with relatives or friends: long-term fostering" },
  {
    code: "U2",
    label: "Fostered with relatives or friends who are approved adopters: fostering for adoption",
  },
  { code: "U3", label: "Fostered with relatives or friends: other fostering" },
  { code: "U4", label: "Fostered with other foster carers: long-term fostering" },
  {
    code: "U5",
    label: "Fostered with other foster carers who are approved adopters: fostering for adoption",
  },
  { code: "U6", label: "Fostered with other foster carers: other fostering" },
  { code: "Z1", label: "Other placement (listed for the DfE with the return)" },
] as const satisfies CodeList;
export type PlacementTypeCode = CodeOf<typeof placementTypes>;

/** `PLACE_PROVIDER`: who provides the placement. */
export const placementProviders = [
  { code: "PR0", label: "Parents or others with parental responsibility" },
  { code: "PR1", label: "The council's own provision" },
  { code: "PR2", label: "Another local authority's provision" },
  { code: "PR3", label: "Other public provision, such as the NHS" },
  { code: "PR4", label: "Private provision" },
  { code: "PR5", label: "Voluntary or charitable provision" },
] as const satisfies CodeList;
export type PlacementProviderCode = CodeOf<typeof placementProviders>;

/**
 * `RNE`: why a new episode started. S starts a period of care; the others continue one, the
 * day the previous episode ended with X1. "Placement" is the placement type, provider and
 * postcode together (the DfE's checks 434 to 436 compare all of them).
 */
export const reasonsForNewEpisode = [
  { code: "S", label: "Started to be looked after" },
  { code: "L", label: "Change of legal status only" },
  { code: "P", label: "Change of placement and carers only" },
  { code: "T", label: "Change of placement, with the same carers" },
  { code: "B", label: "Change of legal status and of placement and carers" },
  { code: "U", label: "Change of legal status and of placement, with the same carers" },
] as const satisfies CodeList;
export type ReasonForNewEpisodeCode = CodeOf<typeof reasonsForNewEpisode>;

/** `REC`: why an episode ended. X1 continues the period of care; the rest end it. */
export const reasonsEpisodeCeased = [
  { code: "X1", label: "Episode ended and a new one began the same day" },
  { code: "E11", label: "Adopted: the adoption order application was not opposed" },
  { code: "E12", label: "Adopted: the court dispensed with consent" },
  { code: "E2", label: "Died" },
  { code: "E3", label: "Care taken over by another local authority in the UK" },
  {
    code: "E4A",
    label: "Returned home to parents or others with parental responsibility, as planned",
  },
  {
    code: "E4B",
    label: "Returned home to parents or others with parental responsibility, not as planned",
  },
  {
    code: "E13",
    label: "Left care to live with parents, relatives or others without parental responsibility",
  },
  {
    code: "E41",
    label: "Child arrangements order (or residence order) naming who the child lives with",
  },
  {
    code: "E45",
    label: "Special guardianship order to former foster carers who are relatives or friends",
  },
  {
    code: "E46",
    label: "Special guardianship order to former foster carers who are not relatives or friends",
  },
  { code: "E47", label: "Special guardianship order to other carers who are relatives or friends" },
  {
    code: "E48",
    label: "Special guardianship order to other carers who are not relatives or friends",
  },
  {
    code: "E5",
    label: "Moved to independent living with formal advice and support, such as a hostel or foyer",
  },
  {
    code: "E6",
    label: "Moved to independent living without formal support, such as a flat or bedsit",
  },
  { code: "E7", label: "Moved to residential care funded by adult social care" },
  { code: "E9", label: "Sentenced to custody" },
  { code: "E14", label: "Accommodation on remand ended" },
  { code: "E15", label: "Age assessment found the child to be 18 or over" },
  { code: "E16", label: "Moved abroad" },
  { code: "E17", label: "Aged 18 or over and stayed with current carers, such as staying put" },
  { code: "E8", label: "Stopped being looked after for any other reason" },
] as const satisfies CodeList;
export type ReasonEpisodeCeasedCode = CodeOf<typeof reasonsEpisodeCeased>;

/** `REVIEW_CODE`: how the child took part in their looked-after review. */
export const reviewParticipation = [
  { code: "PN0", label: "Child under 4 at the time of the review" },
  { code: "PN1", label: "Attended and spoke for themselves" },
  { code: "PN2", label: "Attended and an advocate spoke for them" },
  {
    code: "PN3",
    label: "Attended and gave their views without words, such as by signs or symbols",
  },
  { code: "PN4", label: "Attended but did not give their views or ask an advocate to" },
  { code: "PN5", label: "Did not attend but briefed an advocate to speak for them" },
  { code: "PN6", label: "Did not attend but gave their views another way, such as in writing" },
  { code: "PN7", label: "Did not attend and their views were not given to the review" },
] as const satisfies CodeList;
export type ReviewParticipationCode = CodeOf<typeof reviewParticipation>;

/** `MISSING`: missing, or away from placement without authorisation (whereabouts known). */
export const missingKinds = [
  { code: "M", label: "Missing" },
  { code: "A", label: "Away from placement without authorisation" },
] as const satisfies CodeList;
export type MissingKindCode = CodeOf<typeof missingKinds>;

/** Temporary placements (T0 to T4): a period of care may neither start nor end in one. */
export const temporaryPlacements: readonly PlacementTypeCode[] = ["T0", "T1", "T2", "T3", "T4"];

/** Adoption placements with the child's current foster carers (DfE check 217). */
export const adoptionWithCurrentCarers: readonly PlacementTypeCode[] = ["A3", "A5"];

/** Special guardianship orders as a reason care ended (not possible at 18 or over). */
export const specialGuardianshipEndings: readonly ReasonEpisodeCeasedCode[] = [
  "E45",
  "E46",
  "E47",
  "E48",
];
