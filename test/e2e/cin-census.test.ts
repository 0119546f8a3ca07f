/**
 * The CIN census fix-it loop (issue 12): a performance officer generates this year's return
 * for the demo council, sees its errors and queries, follows each error to the child, fixes
 * it, runs the return again and sees the errors gone, answers the queries, and downloads a
 * file that passes the DfE's XML schema.
 */
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateAgainstCinSchema } from "../../src/modules/returns/xsd.ts";
import {
  clickAndLoad,
  describeAxeProblems,
  launchBrowser,
  newContext,
  seriousAxeViolations,
  signIn,
  startService,
  submit,
  type RunningService,
} from "./support.ts";

const PERFORMANCE_OFFICER = "performance.officer@northmoor.example";

let service: RunningService;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  context = await newContext(browser, service, { bypassCSP: true });
  page = await context.newPage();
  await signIn(page, PERFORMANCE_OFFICER);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

/** The links to the children named under the report's errors. */
async function errorLinks(): Promise<string[]> {
  const links = page.locator("[data-testid='errors'] a.govuk-link[href*='/children/']");
  return Promise.all((await links.all()).map(async (a) => (await a.getAttribute("href")) ?? ""));
}

describe("the CIN census fix-it loop", () => {
  it("generates the census and shows its errors and queries", async () => {
    await page.goto("/returns");
    await submit(page, "Generate and validate");
    await expect.poll(() => page.url()).toMatch(/\/returns\/runs\//);
    // The run goes on in the background; its page shows the report when it ends (decision 0040).
    await page.getByTestId("summary").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("summary").innerText()).toMatch(/\d+ children: [1-9]\d* errors/);
    await expect.poll(() => page.getByText(/Rule 4220 \(error\)/).count()).toBe(1);
    await expect.poll(() => page.getByText(/\(query\)/).count()).toBeGreaterThan(0);
    const problems = await seriousAxeViolations(page);
    expect(problems, describeAxeProblems("report", problems)).toEqual([]);
  });

  it("follows each error to the child, fixes it, and the next run has none", async () => {
    const hrefs = await errorLinks();
    expect(hrefs.length).toBeGreaterThan(0);
    const report = page.url();
    for (const href of hrefs) {
      await page.goto(href);
      const failures = await page.getByTestId("child-failures").innerText();
      if (failures.includes("4220")) {
        await page.getByLabel("Ethnicity").selectOption("WBRI");
      }
      if (failures.includes("8540")) {
        await page.getByLabel("No disability (NONE)").check();
      }
      await submit(page, "Save census details");
      await expect.poll(() => page.getByText("Census details saved").count()).toBe(1);
    }
    await page.goto(report);
    await submit(page, "Run again");
    await expect.poll(() => page.url()).not.toBe(report);
    await page.getByTestId("summary").waitFor({ timeout: 60_000 });
    expect(await page.getByText(/Rule 4220 \(error\)/).count()).toBe(0);
    expect(await page.getByText("No errors.").count()).toBe(1);
  });

  it("answers the queries, and then downloads a file that passes the XML schema", async () => {
    const forms = page.locator("form[action$='/answers']");
    const count = await forms.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const form = page.locator("form[action$='/answers']").nth(i);
      await form.locator("textarea").fill("Checked with the allocated worker: right as recorded");
      await clickAndLoad(page, form.getByRole("button", { name: "Answer query" }));
      await expect
        .poll(() => page.getByText("Answer kept", { exact: false }).count())
        .toBeGreaterThan(0);
    }
    await expect.poll(() => page.getByText("Answered", { exact: true }).count()).toBe(count);
    const download = page.waitForEvent("download");
    await page.getByTestId("download-xml").click();
    const file = await (await download).path();
    const xml = await readFile(file, "utf8");
    expect(xml).toContain("<Collection>CIN</Collection>");
    const verdict = await validateAgainstCinSchema(xml);
    expect(verdict.errors).toEqual([]);
  });
});
