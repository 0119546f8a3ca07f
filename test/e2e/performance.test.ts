/**
 * The head of service's performance dashboard in Chromium, without JavaScript needed: every
 * measure with its definition, chart and figures, a measure's breakdown, and a figure followed
 * to the children behind it; axe-core finds no serious or critical problem on either page.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeAxeProblems,
  launchBrowser,
  newContext,
  seriousAxeViolations,
  signIn,
  startService,
  users,
  type RunningService,
} from "./support.ts";

let service: RunningService;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  context = await newContext(browser, service, { bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

describe("the head of service's performance dashboard", () => {
  it("shows every measure with its trend, and follows a figure to the children", async () => {
    await signIn(page, users.teamManager);
    await page.goto("/performance");
    await page.getByRole("heading", { level: 1, name: "Performance" }).waitFor();
    expect(await page.locator("main").innerText()).toContain("The whole council");
    expect(await page.locator("section svg").count()).toBeGreaterThan(10);
    expect(await page.locator("main").innerText()).toContain("Re-referrals within 12 months");
    let problems = await seriousAxeViolations(page);
    expect(problems, describeAxeProblems("performance dashboard", problems)).toEqual([]);

    await page.goto("/performance/measures/children_in_need?by=age_band");
    await page.locator('[data-testid="breakdown"]').waitFor();
    problems = await seriousAxeViolations(page);
    expect(problems, describeAxeProblems("measure page", problems)).toEqual([]);
    const link = page.locator('[data-testid="trend-children_in_need"] a').last();
    await link.click();
    await page.getByRole("heading", { level: 1, name: /^Children behind/ }).waitFor();
    expect(await page.locator("main").innerText()).toMatch(/Children you may see|you may not see/);
  });
});
