/**
 * The DfE's rules on the UASC and SWEpisodes tables, and the rules comparing a return with last
 * year's, that Trellis checks (decision 0037): as data, copied from
 * specs/ssda903/rules_2024_25.csv (rules.test.ts compares them field by field).
 */
import { rule, type RuleDefinition } from "./catalogue.ts";

export const uascAndSocialWorkerDefinitions: readonly RuleDefinition[] = [
  rule(
    "104",
    "UASC",
    "DUC",
    "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
  ),
  rule(
    "304",
    "UASC",
    "DUC",
    "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the 18th birthday of a child.",
  ),
  rule("INT09", "Header UASC", "CHILD", "Internal Check: Child in UASC does not exist in Header."),
  rule("INT18", "Header UASC", "DOB", "Internal Check: DOB in UASC is different to DOB in Header."),
  rule("INT21", "Header UASC", "SEX", "Internal Check: SEX in UASC is different to SEX in Header."),
  rule("INT36", "UASC", "CHILD", "Internal Check: Child should only exist once in UASC."),
  rule(
    "SW01STG1",
    "Episodes SWEpisodes",
    "DEC",
    "Child looked after on 31 March, but no social worker episode information is reported",
  ),
  rule(
    "SW02STG1",
    "SWEpisodes",
    "SW_ID",
    "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
  ),
  rule(
    "SW03STG1",
    "SWEpisodes",
    "SW_DECOM SW_ID SW_REASON",
    "For each social worker episode, information should be complete.",
  ),
  rule(
    "SW04STG1",
    "SWEpisodes",
    "SW_DECOM",
    "Date social worker episode began is not a valid date..",
  ),
  rule("SW05STG1", "SWEpisodes", "SW_DEC", "Date social worker episode began is not a valid date."),
  rule(
    "SW06STG2",
    "SWEpisodes",
    "SW_DECOM",
    "Social worker episode data should be within the social worker data reporting year.",
  ),
  rule(
    "SW07STG2",
    "SWEpisodes",
    "SW_DEC",
    "Social worker episode end date should be on or after the start of the social worker reporting period, and should be on or before the collection end date.",
  ),
  rule(
    "SW09STG2",
    "SWEpisodes",
    "SW_DEC SW_DECOM",
    "Social worker episode appears to have lasted for less than 24 hours.",
  ),
  rule(
    "SW108STG2",
    "SWEpisodes",
    "SW_DEC",
    "A new social worker episode has started, but the previous episode has not ended.",
  ),
  rule(
    "SW10STG2",
    "SWEpisodes",
    "SW_DECOM",
    "A new social worker episode has started before the end date of the previous social worker episode.",
  ),
  rule(
    "SW11STG2",
    "SWEpisodes",
    "SW_DEC",
    "Social worker episode has ended before 31 March and no subsequent social worker episode has been provided.",
  ),
  rule(
    "SW12STG2",
    "Episodes SWEpisodes",
    "SW_DECOM",
    "If a child is looked after on 31 March then all social worker episodes for the full previous year should be reported, even those whilst they were not looked after",
  ),
  rule(
    "SW13STG1",
    "SWEpisodes",
    "SW_REASON",
    "The reason for social worker change is either not valid or has not been entered.",
  ),
  rule("SW14STG2", "SWEpisodes", "SW_DEC", "Social worker episode date ceased is blank."),
  rule("SW15STG2", "SWEpisodes", "SW_REASON", "Reason for social worker change is missing."),
  rule(
    "202",
    "Header Header_last",
    "SEX",
    "The gender code conflicts with the gender already recorded for this child.",
  ),
  rule(
    "203",
    "Header Header_last",
    "DOB",
    "Date of birth disagrees with the date of birth already recorded for this child.",
  ),
  rule(
    "204",
    "HEader_last Header",
    "ETHNIC",
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
  ),
  rule(
    "208",
    "Header Header_last",
    "UPN",
    "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already recorded for this child.",
  ),
  rule(
    "502",
    "Episodes Episodes_last",
    "DECOM",
    "Last year's record ended with an open episode. The date on which that episode started does not match the start date of the first episode on this year’s record.",
  ),
  rule(
    "503A",
    "Episodes Episodes_last",
    "RNE",
    "The reason for new episode in the first episode does not match open episode at end of last year.",
  ),
  rule(
    "503B",
    "Episodes Episodes_last",
    "LS",
    "The legal status in the first episode does not match open episode at end of last year.",
  ),
  rule(
    "503C",
    "Episodes Episodes_last",
    "CIN",
    "The category of need in the first episode does not match open episode at end of last year.",
  ),
  rule(
    "503E",
    "Episodes Episodes_last",
    "PLACE_PROVIDER",
    "The placement provider in the first episode does not match open episode at end of last year.",
  ),
  rule(
    "NoE",
    "Episodes Episodes_last",
    "DECOM",
    "This child has no episodes loaded for previous year even though child started to be looked after before this current year.",
  ),
  rule(
    "SW16aSTG2",
    "SWEpisodes SWEpisodes_last",
    "SW_ID",
    "The social worker reason episode changed does not match the open episode at the end of last year.",
  ),
  rule(
    "SW16bSTG2",
    "SWEpisodes SWEpisodes_last",
    "SW_DECOM",
    "The social worker episode start date does not match the open episode at the end of last year.",
  ),
  rule(
    "SW16cSTG2",
    "SWEpisodes SWEpisodes_last",
    "SW_REASON",
    "The social worker reason episode changed does not match the open episode at the end of last year.",
  ),
];
