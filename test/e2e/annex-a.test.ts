/**
 * Annex A in the browser: the performance officer opens Annex A, sees each list and what to
 * fix, downloads the workbook, and the workbook opens with a sheet for every one of Ofsted's
 * lists, headed as Ofsted asks.
 */
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annexASpec } from "../../src/domain/annex-a/spec.ts";
import {
  clickAndLoad,
  expectAccessible,
  launchBrowser,
  newContext,
  signIn,
  startService,
  type RunningService,
} from "./support.ts";

const PERFORMANCE_OFFICER = "performance.officer@northmoor.example";

let service: RunningService;
let browser: Browser;
let officer: Page;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  officer = await (await newContext(browser, service, { bypassCSP: true })).newPage();
  await signIn(officer, PERFORMANCE_OFFICER);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

describe("the performance officer prepares Annex A for an inspection", () => {
  it("finds Annex A in the navigation and sees every list and what to fix", async () => {
    await clickAndLoad(officer, officer.getByRole("link", { name: "Annex A" }));
    await expect(officer.locator("h1").innerText()).resolves.toBe("Annex A for Ofsted");
    const lists = officer.getByTestId("annex-a-lists").locator("tbody tr");
    await expect(lists.count()).resolves.toBe(11);
    await expect(lists.nth(2).innerText()).resolves.toContain("List 3 Referrals");
    await expectAccessible(officer);
  });

  it("downloads a workbook that opens with a sheet for every list", async () => {
    const [download] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByTestId("annex-a-download").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^annex-a-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets).toHaveLength(11);
    for (const [i, [list, columns]] of Object.entries(annexASpec).entries()) {
      const sheet = workbook.worksheets[i];
      expect(sheet?.name.startsWith(`${list} `)).toBe(true);
      const headings = (sheet?.getRow(1).values as unknown[]).slice(1);
      expect(headings).toEqual(columns.map((c) => c.column));
    }
    // The demo council has referrals in any six months: the list is not empty.
    expect(workbook.getWorksheet("List 3 Referrals")?.rowCount).toBeGreaterThan(1);
  });
});
