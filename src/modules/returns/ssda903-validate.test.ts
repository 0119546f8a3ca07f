import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fixture903 } from "../../domain/ssda903/fixture.ts";
import type { Ssda903Return, TableName } from "../../domain/ssda903/model.ts";
import { readReturnFiles } from "../../domain/ssda903/read-csv.ts";
import { tableCsv } from "./ssda903-generate.ts";
import { validate903Command } from "./ssda903-validate-cli.ts";

async function folder(ret: Ssda903Return, names: Partial<Record<TableName, string>> = {}) {
  const dir = await mkdtemp(join(tmpdir(), "trellis-903-validate-"));
  for (const [table, rows] of Object.entries(ret)) {
    const name = names[table as TableName] ?? `${table}.csv`;
    await writeFile(join(dir, name), tableCsv(table as TableName, rows), "utf8");
  }
  return dir;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => out.push(line));
  vi.spyOn(console, "error").mockImplementation((line: string) => err.push(line));
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("trellis returns validate 903", () => {
  it("passes a clean return, and says which rules it could not run and why", async () => {
    const dir = await folder(fixture903());
    const { out, err } = capture();
    expect(await validate903Command([dir, "--year", "2024-25", "--json"])).toBe(0);
    expect(out).toEqual([]);
    expect(err.join("\n")).toMatch(/needs last year's/);
    expect(err.join("\n")).toMatch(/needs reference data/);
  });

  it("prints one JSON object per failure and exits 1 on an error", async () => {
    const ret = fixture903();
    const header = [...(ret.Header ?? [])];
    header[0] = { ...header[0], ETHNIC: "XXXX" };
    const episodes = [...(ret.Episodes ?? [])];
    episodes[0] = { ...episodes[0], RNE: "Q" };
    // A system that names its files its own way: the columns say which table each is.
    const dir = await folder(
      { ...ret, Header: header, Episodes: episodes },
      { Episodes: "903_episodes_2025.csv" },
    );
    const { out } = capture();
    expect(await validate903Command([dir, "--year", "2024-25", "--json"])).toBe(1);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual({ rule: "103", child_id: "C1", table: "Header", field: "ETHNIC" });
    expect(lines).toContainEqual({ rule: "143", child_id: "C1", table: "Episodes", field: "RNE" });
  });

  it("compares with last year's files given with --previous", async () => {
    const ret = fixture903();
    const c2 = (rows: Ssda903Return["Header"]) => (rows ?? []).filter((r) => r.CHILD === "C2");
    const last = await folder({
      Header: c2(ret.Header).map((r) => ({ ...r, ETHNIC: "WBRI" })),
      Episodes: c2(ret.Episodes),
    });
    const dir = await folder(ret);
    const { out } = capture();
    const args = [dir, "--year", "2024-25", "--previous", last, "--json"];
    expect(await validate903Command(args)).toBe(1);
    expect(out.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { rule: "204", child_id: "C2", table: "Header", field: "ETHNIC" },
    ]);
    expect(
      await validate903Command([dir, "--year", "2024-25", "--previous", join(dir, "no")]),
    ).toBe(2);
  });

  it("refuses missing or extra columns, another encoding, and unusable arguments, saying what to do", async () => {
    const dir = await folder({ Header: fixture903().Header ?? [] });
    const { err } = capture();
    await writeFile(
      join(dir, "Header.csv"),
      "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER\r\nC1,1,01/06/2014,WBRI,UN1,\r\n",
    );
    expect(await validate903Command([dir, "--year", "2024-25"])).toBe(2);
    expect(err.at(-1)).toMatch(/Header.csv \(Header\): missing column MC_DOB/);
    await writeFile(join(dir, "Header.csv"), "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,NOTES\r\n");
    expect(await validate903Command([dir, "--year", "2024-25"])).toBe(2);
    expect(err.at(-1)).toMatch(/column NOTES not in the DfE's Header table/);
    await writeFile(
      join(dir, "Header.csv"),
      Buffer.from("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nC\xe91,1,,,,,\r\n", "latin1"),
    );
    expect(await validate903Command([dir, "--year", "2024-25"])).toBe(2);
    expect(err.at(-1)).toMatch(/not UTF-8 text: save it as "CSV UTF-8"/);
    expect(await validate903Command([dir, "--year", "2019-20"])).toBe(2);
    expect(await validate903Command([join(dir, "nowhere"), "--year", "2024-25"])).toBe(2);
    expect(err.at(-1)).toMatch(/cannot read the folder/);
  });
});

describe("readReturnFiles", () => {
  const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

  it("reads quoted cells and a byte-order mark, and keeps values as text", () => {
    const read = readReturnFiles([
      file(
        "Header.csv",
        '\ufeffCHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"C,1",1,01/06/2014,WBRI,UN1,,\n',
      ),
    ]);
    expect(read).toEqual({
      ok: true,
      tables: {
        Header: [
          {
            CHILD: "C,1",
            SEX: "1",
            DOB: "01/06/2014",
            ETHNIC: "WBRI",
            UPN: "UN1",
            MOTHER: "",
            MC_DOB: "",
          },
        ],
      },
    });
  });

  it("refuses two files for one table, a short row, an unknown file and a return with no Header", () => {
    const h = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
    expect(readReturnFiles([file("Header.csv", h), file("header2.csv", h)])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/both the Header table/) as unknown,
    });
    expect(readReturnFiles([file("Header.csv", `${h}C1,1\n`)])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/row 2 has 2 cells/) as unknown,
    });
    expect(readReturnFiles([file("notes.csv", "A,B\n")])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an SSDA903 table/) as unknown,
    });
    expect(readReturnFiles([file("Reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n")])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no Header table/) as unknown,
    });
  });
});
