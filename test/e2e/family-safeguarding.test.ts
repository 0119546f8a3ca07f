/**
 * Family Safeguarding in the browser: a social worker opens a family's Workbook and writes in
 * it, the team manager allocates a mental health practitioner to the mother, who scores her
 * PHQ-9; the social worker scores the domestic abuse checklist; business support holds group
 * supervision where the manager records a decision and an action that carries into the next
 * session; and the mental health practitioner sees an adult's scores change between two dates.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  fillDate,
  launchBrowser,
  newContext,
  signIn,
  startService,
  submit,
  today,
  users,
  type RunningService,
} from "./support.ts";

const mentalHealth = "mental.health@northmoor.example";
const businessSupport = "business.support@northmoor.example";

let service: RunningService;
let browser: Browser;
let sw: Page;
let tm: Page;
let mh: Page;
let bs: Page;
/** The family whose Workbook the social worker opens, e.g. /families/<id>. */
let familyPath = "";
let motherName = "";

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  // axe is injected as a script, so these pages run without the CSP (casework.test.ts checks it).
  const page = async (email: string) => {
    const p = await (await newContext(browser, service, { bypassCSP: true })).newPage();
    await signIn(p, email);
    return p;
  };
  sw = await page(users.socialWorker);
  tm = await page(users.teamManager);
  mh = await page(mentalHealth);
  bs = await page(businessSupport);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

/** Answers every item of a measure's form with the option at `pick(itemIndex)`. */
async function answerItems(page: Page, pick: (index: number) => number): Promise<void> {
  const names = await page
    .locator('input[type="radio"][name^="item_"]')
    .evaluateAll((inputs) => [...new Set(inputs.map((i) => (i as HTMLInputElement).name))]);
  for (const [index, name] of names.entries()) {
    const options = page.locator(`input[type="radio"][name="${name}"]`);
    await options.nth(Math.min(pick(index), (await options.count()) - 1)).check();
  }
}

/** A family of the social worker's caseload that has no Workbook yet, with an adult in it. */
async function familyWithoutWorkbook(page: Page): Promise<string> {
  await page.goto("/");
  const people = await page
    .locator('main a[href^="/people/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  for (const person of [...new Set(people)].filter((h) => /^\/people\/[0-9a-f-]{36}$/.test(h))) {
    await page.goto(person);
    const family = page.locator('main a[href^="/families/"]').first();
    if ((await family.count()) === 0) continue;
    const href = (await family.getAttribute("href")) ?? "";
    await page.goto(href);
    const hasAdult = (await page.getByTestId("team-around-family").getByText("Adult").count()) > 0;
    if (hasAdult && (await page.getByRole("button", { name: "Open the family Workbook" }).count()))
      return href;
  }
  throw new Error("The demo social worker has no family with an adult and no Workbook");
}

describe("a family's Workbook", () => {
  it("is opened by the social worker, who writes the child's section", async () => {
    familyPath = await familyWithoutWorkbook(sw);
    await expectAccessible(sw);
    await submit(sw, "Open the family Workbook");
    await sw.getByText(/^Opened on /).waitFor();
    await expectAccessible(sw);
    await sw
      .getByRole("link", { name: /^Write The child section for / })
      .first()
      .click();
    await sw
      .getByLabel("Assessment")
      .fill("Seen at home with her brother; says bedtimes are calmer.");
    await expectAccessible(sw);
    await submit(sw, "Save section");
    await expect(
      sw.getByText("Seen at home with her brother; says bedtimes are calmer.").count(),
    ).resolves.toBe(1);
  });

  it("gets a mental health practitioner for the mother, allocated by the team manager", async () => {
    await tm.goto(familyPath);
    await tm.getByRole("button", { name: "Allocate an adult specialist" }).click();
    await expectAccessible(tm);
    const adult = tm.getByRole("group", { name: "Which adult?" }).getByRole("radio").first();
    motherName = (
      await tm.locator(`label[for="${await adult.getAttribute("id")}"]`).innerText()
    ).trim();
    await adult.check();
    await tm
      .getByRole("group", { name: "Which specialist?" })
      .getByLabel(/Mental health practitioner/)
      .first()
      .check();
    await fillDate(tm, "Date the work starts");
    await submit(tm, "Allocate");
    const row = tm
      .getByTestId("team-around-family")
      .getByRole("row", { name: new RegExp(motherName) });
    await expect(row.getByText(/Mental health practitioner/).count()).resolves.toBe(1);
  });

  it("has measures scored by the discipline that owns them, with an alert for an answer that needs it", async () => {
    // The mental health practitioner scores the mother's PHQ-9.
    await mh.goto(`${familyPath}/workbook/measures`);
    await expectAccessible(mh);
    await mh.getByRole("button", { name: "Score a measure" }).click();
    await mh.getByRole("group", { name: "Who is it for?" }).getByLabel(motherName).check();
    await mh.getByRole("group", { name: "Which measure?" }).getByLabel(/PHQ-9/).check();
    await submit(mh, "Continue");
    await fillDate(mh, "Date it was administered");
    // Mostly "several days" (1), with the last item (thoughts of self-harm) non-zero too.
    await answerItems(mh, () => 1);
    await expectAccessible(mh);
    await submit(mh, "Save scoring");
    await mh.getByText("Total").first().waitFor();
    await expect(mh.locator("main").innerText()).resolves.toContain("9");
    await expect(mh.locator(".govuk-warning-text").count()).resolves.toBeGreaterThan(0);
    await expectAccessible(mh);

    // The social worker may not score PHQ-9, but scores the domestic abuse checklist.
    await sw.goto(`${familyPath}/workbook/measures/new`);
    const measures = sw.getByRole("group", { name: "Which measure?" });
    await expect(measures.getByLabel(/PHQ-9/).count()).resolves.toBe(0);
    await sw.getByRole("group", { name: "Who is it for?" }).getByLabel(motherName).check();
    await measures.getByLabel(/domestic abuse/i).check();
    await submit(sw, "Continue");
    await fillDate(sw, "Date it was administered");
    // "Yes" (the first option) to the first 11 questions and "No" to the rest: medium risk.
    await answerItems(sw, (index) => (index < 11 ? 0 : 1));
    await submit(sw, "Save scoring");
    await expect(sw.locator("main").innerText()).resolves.toMatch(/Medium risk/);

    // The alert is on the social worker's work tray at once.
    await sw.goto("/my-work");
    await expect(sw.getByText("Measure alert: respond now").count()).resolves.toBeGreaterThan(0);
  });
});

describe("group supervision", () => {
  it("is held with business support recording, the manager deciding, and actions carried forward", async () => {
    await bs.goto(`${familyPath}/workbook/supervision`);
    await expectAccessible(bs);
    await fillDate(bs, "Date of the session");
    await submit(bs, "Schedule the session");
    if (!/\/supervision\/[0-9a-f-]{36}$/.test(bs.url())) {
      await bs
        .getByRole("link", { name: /view|open/i })
        .first()
        .click();
    }
    const sessionUrl = new URL(bs.url()).pathname;
    await fillDate(bs, "Date the session was held");
    const attendees = bs.getByRole("group", { name: "Who attended" }).getByRole("checkbox");
    for (let i = 0; i < (await attendees.count()); i++) await attendees.nth(i).check();
    await bs
      .getByLabel("Hypothesis", { exact: true })
      .fill("Mum's low mood is driving the chaotic evenings.");
    await bs
      .getByLabel("What has changed", { exact: true })
      .fill("Dad has moved out; school attendance is up.");
    await bs
      .getByLabel("Analysis of risk and need", { exact: true })
      .fill("Risk is lower; needs are emotional support.");
    await expectAccessible(bs);
    await submit(bs, "Save the session");
    // Business support does not make decisions.
    await expect(bs.getByRole("button", { name: "Record the decision" }).count()).resolves.toBe(0);

    await tm.goto(sessionUrl);
    await tm.getByLabel("Add a decision").fill("Stay on a child in need plan; review in 4 weeks.");
    await submit(tm, "Record the decision");
    await tm.getByLabel("Action", { exact: true }).fill("Book GP appointment with mum");
    await tm.getByLabel("Owner").selectOption({ index: 1 });
    await fillDate(tm, "Due by");
    await submit(tm, "Add the action");
    await expect(tm.getByTestId("decisions").innerText()).resolves.toContain(
      "Stay on a child in need plan",
    );
    await expectAccessible(tm);

    // The next session carries the open action in.
    await bs.goto(`${familyPath}/workbook/supervision`);
    await expect(bs.locator("main").innerText()).resolves.toContain("Book GP appointment with mum");
    await fillDate(bs, "Date of the session");
    await submit(bs, "Schedule the session");
    await bs.goto(`${familyPath}/workbook/supervision`);
    const next = bs.locator('main a[href*="/workbook/supervision/"]').filter({ hasNotText: /^$/ });
    const hrefs = await next.evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const later = hrefs.find((h) => !h.endsWith(sessionUrl.split("/").pop() ?? ""));
    expect(later).toBeTruthy();
    await bs.goto(later ?? "");
    await expect(bs.locator("main").innerText()).resolves.toContain("Book GP appointment with mum");
  });
});

describe("change over time", () => {
  it("shows an adult's scores changing between two dates, as a chart with a table beside it", async () => {
    // A family the mental health practitioner has worked with for months (demo data).
    await mh.goto("/");
    const people = await mh
      .locator('main a[href^="/people/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    let measuresPath = "";
    for (const person of people) {
      await mh.goto(person);
      const family = mh.locator('main a[href^="/families/"]').first();
      if ((await family.count()) === 0) continue;
      const path = `${(await family.getAttribute("href")) ?? ""}/workbook/measures`;
      if (path.startsWith(familyPath)) continue;
      await mh.goto(path);
      if ((await mh.locator("svg[role='img']").count()) > 0) {
        measuresPath = path;
        break;
      }
    }
    expect(measuresPath, "a demo family with scored measures over time").not.toBe("");
    await expectAccessible(mh);
    const chart = mh.locator("svg[role='img']").first();
    const label = (await chart.getAttribute("aria-label")) ?? "";
    expect(label.length).toBeGreaterThan(0);
    const firstLatest = mh.locator("main table").first();
    await expect(firstLatest.innerText()).resolves.toMatch(/Down|Up|No change/);

    // Narrow to a period starting at the second scoring: it becomes the first.
    const firstGroup = mh.locator("main section").first();
    const dates = await firstGroup.locator("tbody tr th, tbody tr td:first-child").allInnerTexts();
    expect(dates.length, "a measure scored at least twice").toBeGreaterThan(1);
    const second = dates[1]?.trim() ?? "";
    const [day = "", monthName = "", year = ""] = second.split(" ");
    const months = [
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December",
    ];
    await fillDate(mh, "From", { day, month: String(months.indexOf(monthName) + 1), year });
    await fillDate(mh, "To");
    await submit(mh, "Show scorings between these dates");
    expect(new URL(mh.url()).searchParams.get("to-year")).toBe(today().year);
    await expect(mh.getByTestId("period").innerText()).resolves.toContain(`from ${second}`);
    const firstCells = await mh
      .getByTestId("change-summary")
      .locator("tbody tr td:nth-child(3)")
      .allInnerTexts();
    expect(firstCells.every((cell) => !cell.startsWith(dates[0]?.trim() ?? "-"))).toBe(true);
    await expect(mh.getByTestId("change-summary").innerText()).resolves.toMatch(
      /Down|Up|No change|Scored once/,
    );
    await expectAccessible(mh);
  });
});
