/**
 * Who sees which records, through the real pages: the social worker's caseload, search and a
 * child's record; a worker in another team, a police officer and a system administrator.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hrefOf,
  launchBrowser,
  misspell,
  newContext,
  SCREENSHOT_DIR,
  signIn,
  startService,
  users,
  type RunningService,
} from "./support.ts";

interface Child {
  name: string;
  href: string;
}

let service: RunningService;
let browser: Browser;
/** Found by the first journey and used by the later ones. */
let child: Child | undefined;
let sharedWithPolice: Child | undefined;
let notSharedWithPolice: Child | undefined;
let otherWorkerName: string | undefined;
let socialWorkerName: string | undefined;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  // Either may be missing if beforeAll failed part-way.
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

async function signedInPage(email: string): Promise<Page> {
  const context = await newContext(browser, service);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`an earlier journey did not find ${what}`);
  return value;
}

async function expectNotFound(page: Page, href: string): Promise<void> {
  const response = await page.goto(href);
  expect(response?.status()).toBe(404);
  await expect(page.locator("h1").innerText()).resolves.toBe("Page not found");
  // Nothing of the record leaks onto the page.
  expect(await page.getByRole("heading", { name: "Chronology" }).count()).toBe(0);
}

describe("a social worker", () => {
  it("sees their caseload, finds a child by a misspelt surname and opens the record", async () => {
    const page = await signedInPage(users.socialWorker);
    // With the real Content-Security-Policy in force, nothing on these pages is blocked or throws.
    const browserErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") browserErrors.push(message.text());
    });
    page.on("pageerror", (error) => browserErrors.push(error.message));
    const greeting = await page.locator("h1").innerText();
    const displayName = greeting.replace(/^Hello, /, "").trim();
    expect(displayName.length).toBeGreaterThan(0);
    socialWorkerName = displayName;

    const caseload = page.getByTestId("caseload");
    await expect(caseload.isVisible()).resolves.toBe(true);
    const links = caseload.locator("tbody a");
    const people: Child[] = [];
    for (const link of await links.all()) {
      people.push({ name: (await link.innerText()).trim(), href: await hrefOf(link) });
    }
    expect(people.length).toBeGreaterThan(0);
    for (const p of people) expect(p.href).toMatch(/^\/people\/[0-9a-f-]{36}$/);

    // Open each record on the caseload: note which are children and which are shared with police.
    const children: Child[] = [];
    for (const p of people) {
      const response = await page.goto(p.href);
      expect(response?.status(), `${p.href} should open for its allocated worker`).toBe(200);
      const caption = await page.locator(".govuk-caption-l").innerText();
      if (!caption.startsWith("Child")) continue;
      children.push(p);
      const shares = page.locator("h2:text-is('Shared with partner agencies') + *");
      const sharedText = await shares.innerText();
      if (sharedText.includes("Northmoor Police")) sharedWithPolice ??= p;
      else notSharedWithPolice ??= p;
    }
    expect(children.length, "the caseload should include children").toBeGreaterThan(0);

    // A child with a plain "First Last" name, so the last word is the surname.
    const chosen = children.find((c) => /^\S+ \S+$/.test(c.name)) ?? children[0];
    child = required(chosen, "a child on the caseload");
    const surname = child.name.split(" ").at(-1) ?? "";
    const misspelt = misspell(surname);
    expect(misspelt).not.toBe(surname);
    expect(misspelt).toHaveLength(surname.length);

    await page.goto("/");
    await page.getByRole("link", { name: "Find a person" }).first().click();
    await page.getByLabel("Name", { exact: true }).fill(misspelt);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/people\?/);
    const results = page.getByTestId("search-results");
    const hit = results.locator(`a[href="${child.href}"]`);
    await expect(
      hit.innerText(),
      `searching "${misspelt}" should find ${child.name}`,
    ).resolves.toBe(child.name);

    await hit.click();
    await page.waitForURL((url) => url.pathname === child?.href);
    await expect(page.locator("h1").innerText()).resolves.toContain(child.name);
    for (const section of ["Summary", "Family and relationships", "Allocated workers"]) {
      await expect(
        page.getByRole("heading", { level: 2, name: section }).isVisible(),
      ).resolves.toBe(true);
    }
    await expect(
      page.getByRole("heading", { level: 2, name: "Chronology" }).isVisible(),
    ).resolves.toBe(true);
    const summary = page.locator(".govuk-summary-list");
    await expect(summary.innerText()).resolves.toContain(child.name);
    // A child in the demo lives with at least one parent.
    const relationships = page.locator("table:has(caption:text-is('Relationships')) tbody tr");
    expect(await relationships.count()).toBeGreaterThan(0);
    const allocated = page.locator("h2:text-is('Allocated workers') + ul");
    await expect(allocated.innerText()).resolves.toContain(displayName);
    expect(await page.locator(".moj-timeline__item").count()).toBeGreaterThan(0);

    // Styled and enhanced as a GOV.UK page: the stylesheet applied and GOV.UK Frontend's script ran.
    const font = await page.locator("h1").evaluate((h1) => getComputedStyle(h1).fontFamily);
    expect(font).toContain("GDS Transport");
    const bodyClasses = await page.locator("body").getAttribute("class");
    expect(bodyClasses).toContain("govuk-frontend-supported");
    expect(browserErrors).toEqual([]);

    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "child-record.png"), fullPage: true });
    await page.context().close();
  });
});

describe("a social worker in another team", () => {
  it("cannot open a Team A child's record, nor find the child by name", async () => {
    const target = required(child, "a Team A child");
    const page = await signedInPage(users.otherSocialWorker);
    otherWorkerName = (await page.locator("h1").innerText()).replace(/^Hello, /, "").trim();
    // Their own caseload is not empty, so the refusals below are about Team A, not about them.
    expect(await page.getByTestId("caseload").locator("tbody tr").count()).toBeGreaterThan(0);

    await expectNotFound(page, target.href);

    await page.goto(`/people?name=${encodeURIComponent(target.name)}`);
    await expect(page.locator("h2", { hasText: /found$/ }).innerText()).resolves.toMatch(
      /^\d+ (person|people) found$/,
    );
    expect(await page.locator(`a[href="${target.href}"]`).count()).toBe(0);
    await page.context().close();
  });
});

describe("a team manager", () => {
  it("sees in the access log who viewed the child's record and the refused attempt", async () => {
    const target = required(child, "a Team A child");
    const refusedName = required(otherWorkerName, "the other social worker's name");
    const viewerName = required(socialWorkerName, "the social worker's name");
    const page = await signedInPage(users.teamManager);
    await page.goto(target.href);
    await page.getByRole("link", { name: "Who has viewed this record" }).click();
    await page.waitForURL((url) => url.pathname === `${target.href}/access-log`);
    const rows = page.getByTestId("access-log").locator("tbody tr");
    const text = await rows.allInnerTexts();
    const allowed = text.filter((row) => row.includes("Allowed"));
    expect(
      allowed.some((row) => row.includes(viewerName) && row.includes("Viewed the record")),
    ).toBe(true);
    const refused = text.filter((row) => row.includes("Refused"));
    expect(
      refused.some((row) => row.includes(refusedName) && row.includes("Viewed the record")),
    ).toBe(true);
    await page.context().close();
  });
});

describe("a police officer", () => {
  it("can open a record shared with Northmoor Police and not an unshared one", async () => {
    const shared = required(sharedWithPolice, "a child shared with Northmoor Police");
    const unshared = required(notSharedWithPolice, "a child not shared with police");
    const page = await signedInPage(users.police);

    const response = await page.goto(shared.href);
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1").innerText()).resolves.toContain(shared.name);
    await expect(page.getByRole("heading", { name: "Chronology" }).isVisible()).resolves.toBe(true);

    await expectNotFound(page, unshared.href);
    await page.context().close();
  });
});

describe("roles without case records", () => {
  it("a system administrator is told so and gets 404 for a record", async () => {
    const target = required(child, "a Team A child");
    const page = await signedInPage(users.systemAdmin);
    await expect(page.locator("main").innerText()).resolves.toContain(
      "You do not have access to case records.",
    );
    expect(await page.getByTestId("caseload").count()).toBe(0);
    await expectNotFound(page, target.href);
    await page.context().close();
  });

  it("a performance analyst is told so and gets 404 for a record", async () => {
    const target = required(child, "a Team A child");
    const page = await signedInPage(users.performanceAnalyst);
    await expect(page.locator("main").innerText()).resolves.toContain(
      "Your role has no access to case records.",
    );
    await expectNotFound(page, target.href);
    await page.context().close();
  });
});
