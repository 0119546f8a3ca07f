/**
 * A small synthetic SSDA903 return for 2024-25 that passes every rule Trellis checks: three
 * children (a boy whose placement and then legal status change; a girl of 16 who is a mother,
 * in care since last year, missing twice; a toddler placed for adoption with her foster
 * carers and adopted), with the boy's and the girl's UASC status and social workers. Tests change one cell to make one rule fail.
 */
import type { Row, Ssda903Return, TableName } from "./model.ts";
import { tableColumns } from "./model.ts";

function row(table: TableName, values: Record<string, string>): Row {
  return Object.fromEntries(tableColumns[table].map((c) => [c, values[c] ?? ""]));
}

const episode = (values: Record<string, string>) =>
  row("Episodes", { HOME_POST: "TS1 1AA", PL_POST: "TS2 2BB", CIN: "N1", ...values });

export function fixture903(): Ssda903Return {
  return {
    Header: [
      row("Header", {
        CHILD: "C1",
        SEX: "1",
        DOB: "01/06/2014",
        ETHNIC: "WBRI",
        UPN: "E901123456789",
      }),
      row("Header", {
        CHILD: "C2",
        SEX: "2",
        DOB: "15/01/2008",
        ETHNIC: "AIND",
        UPN: "UN1",
        MOTHER: "1",
        MC_DOB: "10/10/2024",
      }),
      row("Header", { CHILD: "C3", SEX: "2", DOB: "20/02/2023", ETHNIC: "BAFR", UPN: "UN5" }),
    ],
    Episodes: [
      episode({
        CHILD: "C1",
        DECOM: "01/05/2024",
        RNE: "S",
        LS: "V2",
        PLACE: "U6",
        PLACE_PROVIDER: "PR1",
        DEC: "01/09/2024",
        REC: "X1",
      }),
      episode({
        CHILD: "C1",
        DECOM: "01/09/2024",
        RNE: "P",
        LS: "V2",
        PLACE: "U4",
        PLACE_PROVIDER: "PR4",
        DEC: "01/12/2024",
        REC: "X1",
        REASON_PLACE_CHANGE: "CARPL",
      }),
      episode({
        CHILD: "C1",
        DECOM: "01/12/2024",
        RNE: "L",
        LS: "C2",
        PLACE: "U4",
        PLACE_PROVIDER: "PR4",
      }),
      episode({
        CHILD: "C2",
        DECOM: "01/06/2023",
        RNE: "S",
        LS: "C2",
        CIN: "N2",
        PLACE: "U6",
        PLACE_PROVIDER: "PR1",
        PL_POST: "TS3 3CC",
      }),
      episode({
        CHILD: "C3",
        DECOM: "01/04/2024",
        RNE: "S",
        LS: "C1",
        PLACE: "U5",
        PLACE_PROVIDER: "PR1",
        DEC: "01/08/2024",
        REC: "X1",
      }),
      episode({
        CHILD: "C3",
        DECOM: "01/08/2024",
        RNE: "U",
        LS: "E1",
        PLACE: "A5",
        PLACE_PROVIDER: "PR1",
        DEC: "10/03/2025",
        REC: "E11",
      }),
    ],
    Reviews: [
      row("Reviews", { CHILD: "C1", DOB: "01/06/2014", REVIEW: "20/05/2024", REVIEW_CODE: "PN1" }),
      row("Reviews", { CHILD: "C3", DOB: "20/02/2023", REVIEW: "25/04/2024", REVIEW_CODE: "PN0" }),
    ],
    Missing: [
      row("Missing", {
        CHILD: "C2",
        DOB: "15/01/2008",
        MISSING: "M",
        MIS_START: "01/07/2024",
        MIS_END: "03/07/2024",
      }),
      row("Missing", { CHILD: "C2", DOB: "15/01/2008", MISSING: "A", MIS_START: "10/08/2024" }),
    ],
    // Both children looked after on 31 March arrived unaccompanied; C2's status is open.
    UASC: [
      row("UASC", { CHILD: "C1", DOB: "01/06/2014", SEX: "1", DUC: "01/11/2024" }),
      row("UASC", { CHILD: "C2", DOB: "15/01/2008", SEX: "2" }),
    ],
    // C1's first worker left when the boy's placement changed; C2 has had one since 2023.
    SWEpisodes: [
      row("SWEpisodes", {
        CHILD: "C1",
        DOB: "01/06/2014",
        SW_ID: "SW1001",
        SW_DECOM: "01/05/2024",
        SW_DEC: "01/10/2024",
        SW_REASON: "MANAGE",
      }),
      row("SWEpisodes", {
        CHILD: "C1",
        DOB: "01/06/2014",
        SW_ID: "SW1002",
        SW_DECOM: "01/10/2024",
      }),
      row("SWEpisodes", {
        CHILD: "C2",
        DOB: "15/01/2008",
        SW_ID: "XX2001",
        SW_DECOM: "01/06/2023",
      }),
    ],
  };
}
