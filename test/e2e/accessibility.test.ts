/**
 * axe-core on the main pages. Fails on any violation axe rates "serious" or "critical", naming
 * the rule and the elements. The pages' Content-Security-Policy forbids the injected axe script,
 * so these contexts bypass CSP (the functional tests keep it).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeAxeProblems,
  hrefOf,
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
  // Either may be missing if beforeAll failed part-way.
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

async function expectAccessible(pageName: string): Promise<void> {
  // axe must have actually run on a real page: a GOV.UK template with a main landmark.
  expect(await page.locator("main#main-content").count()).toBe(1);
  const problems = await seriousAxeViolations(page);
  expect(problems, describeAxeProblems(pageName, problems)).toEqual([]);
}

// A sweep opens twenty or more pages and checks each with axe: well past the usual test
// timeout when CI runs both databases' suites side by side on two cores.
const SWEEP_TIMEOUT = 240_000;

describe("accessibility (axe-core, serious and critical)", () => {
  let childHref = "";
  let childName = "";

  it("the checker itself reports a planted violation", async () => {
    await page.goto("/sign-in");
    await page.evaluate(() => {
      const input = document.createElement("input");
      input.type = "text";
      input.id = "planted-unlabelled";
      document.querySelector("main")?.append(input);
    });
    const problems = await seriousAxeViolations(page);
    expect(problems.map((p) => p.id)).toContain("label");
    expect(problems.flatMap((p) => p.targets)).toContain("#planted-unlabelled");
  });

  it("sign-in page", async () => {
    await page.goto("/sign-in");
    await expectAccessible("sign-in");
  });

  it("sign-in page with an error", async () => {
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.locator(".govuk-error-summary").waitFor();
    await expectAccessible("sign-in with errors");
  });

  it("home page with a caseload", async () => {
    await signIn(page, users.socialWorker);
    const first = page.getByTestId("caseload").locator("tbody a").first();
    childHref = await hrefOf(first);
    childName = (await first.innerText()).trim();
    await expectAccessible("home");
  });

  it("search results", async () => {
    const surname = childName.split(" ").at(-1) ?? childName;
    await page.goto(`/people?name=${encodeURIComponent(surname)}`);
    expect(await page.getByTestId("search-results").locator("tbody tr").count()).toBeGreaterThan(0);
    await expectAccessible("search results");
  });

  it("a person's record", async () => {
    const response = await page.goto(childHref);
    expect(response?.status()).toBe(200);
    await expectAccessible("person record");
  });

  it("the page not found page", async () => {
    const response = await page.goto("/people/00000000-0000-4000-8000-000000000000");
    expect(response?.status()).toBe(404);
    await expectAccessible("404");
  });

  it("the add a person form with errors", async () => {
    await page.goto("/people/new");
    await page.getByLabel("First name").fill("Axe");
    await page.getByLabel("Last name").fill("Checker");
    await page.getByLabel("Day").fill("1");
    await page.getByLabel("Month").fill("1");
    await page.getByLabel("Year").fill(String(new Date().getFullYear() + 1));
    await page.getByLabel("NHS number", { exact: true }).fill("123");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    expect(await page.locator(".govuk-error-summary a").count()).toBe(2);
    await expectAccessible("add a person with errors");
  });

  it("the access log", async () => {
    await page.context().clearCookies();
    await signIn(page, users.teamManager);
    const response = await page.goto(`${childHref}/access-log`);
    expect(response?.status()).toBe(200);
    await expectAccessible("access log");
  });

  it(
    "the statutory journey's pages and forms",
    async () => {
      // The team manager may open every one of them for a child in their team.
      const pages = [
        "/my-work",
        "/my-team",
        "/front-door",
        "/caseloads",
        `${childHref}/journey`,
        `${childHref}/chronology`,
        `${childHref}/protection`,
        `${childHref}/looked-after`,
        `${childHref}/missing`,
        `${childHref}/visits`,
        `${childHref}/notes`,
        `${childHref}/allocations`,
        `${childHref}/allocations/reallocate`,
        `${childHref}/contacts/new`,
        `${childHref}/visits/new`,
        `${childHref}/notes/new`,
        `${childHref}/looked-after/episodes/new`,
        `${childHref}/strategy-discussions/new`,
        `${childHref}/cin-plans/new`,
        `${childHref}/early-help/new`,
        `${childHref}/close`,
        "/admin/visit-frequencies",
      ];
      for (const path of pages) {
        if (path === "/admin/visit-frequencies") {
          await page.context().clearCookies();
          await signIn(page, users.systemAdmin);
        }
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await expectAccessible(path);
      }
    },
    SWEEP_TIMEOUT,
  );

  it(
    "Family Safeguarding's pages and forms",
    async () => {
      await page.context().clearCookies();
      await signIn(page, users.teamManager);
      // A family of the team with a Workbook (the demo opens several).
      await page.goto("/caseloads");
      const people = await page
        .locator('main a[href^="/people/"]')
        .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      let family = "";
      for (const person of people) {
        await page.goto(person);
        const link = page.locator('main a[href^="/families/"]').first();
        if ((await link.count()) === 0) continue;
        const href = (await link.getAttribute("href")) ?? "";
        await page.goto(href);
        if ((await page.getByRole("link", { name: "Open the Workbook" }).count()) > 0) {
          family = href;
          break;
        }
      }
      expect(family, "a demo family with a Workbook").not.toBe("");
      await page.goto(`${family}/workbook/supervision`);
      const session = await page
        .locator('main a[href*="/workbook/supervision/"]')
        .first()
        .getAttribute("href");
      const pages = [
        family,
        `${family}/specialists/new`,
        `${family}/workbook`,
        `${family}/workbook/measures`,
        `${family}/workbook/measures/new`,
        `${family}/workbook/signs-of-safety`,
        `${family}/workbook/signs-of-safety/new`,
        `${family}/workbook/plan`,
        `${family}/workbook/plan/views`,
        `${family}/workbook/supervision`,
        session ?? "",
        `${family}/workbook/fgc`,
        `${family}/workbook/fgc/new`,
        "/admin/instruments",
        "/admin/exploitation-checklist",
      ];
      for (const path of pages) {
        if (path === "/admin/instruments") {
          // The administrator's pages: the council's own measures and screening checklist.
          await page.context().clearCookies();
          await signIn(page, users.systemAdmin);
        }
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await expectAccessible(path);
      }
    },
    SWEEP_TIMEOUT,
  );

  it(
    "exploitation, network, incident, context and panel pages and forms",
    async () => {
      await page.context().clearCookies();
      await signIn(page, users.socialWorker);
      for (const path of [
        `${childHref}/exploitation`,
        `${childHref}/exploitation/new`,
        `${childHref}/safety-plan`,
        `${childHref}/safety-plan/new`,
        `${childHref}/network`,
        `${childHref}/associations/new`,
        `${childHref}/incidents`,
        `${childHref}/panels`,
        "/incidents/new",
        "/hotspots",
        "/contexts",
        "/contexts/new",
        "/panels",
        "/panels/new",
      ]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await expectAccessible(path);
      }
    },
    SWEEP_TIMEOUT,
  );

  it("a journey form with errors", async () => {
    await page.context().clearCookies();
    await signIn(page, users.socialWorker);
    await page.goto(`${childHref}/contacts/new`);
    await page.getByRole("button", { name: "Record contact" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    await expectAccessible("contact form with errors");
  });
});
