/**
 * Contextual safeguarding in the browser: an exploitation worker screens a child, records a
 * missing episode and its return interview, adds a place the child is seen at, sees the
 * child's peer group, refers the place as a context, puts the child and the place on a MACE
 * agenda, and writes and prints a safety plan with the young person.
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
  type DateParts,
  type RunningService,
} from "./support.ts";

const exploitationWorker = "exploitation.worker@northmoor.example";

let service: RunningService;
let browser: Browser;
let page: Page;
/** The young person's record path, e.g. /people/<id>. */
let child = "";
let childName = "";
const placeName = `Canal towpath ${String(Date.now() % 100000)}`;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  // axe is injected as a script, so this page runs without the CSP (casework.test.ts checks it).
  page = await (await newContext(browser, service, { bypassCSP: true })).newPage();
  await signIn(page, exploitationWorker);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

/** A day before today in England. */
function daysAgo(days: number): DateParts {
  const { day, month, year } = today();
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day) - days));
  return {
    day: String(date.getUTCDate()),
    month: String(date.getUTCMonth() + 1),
    year: String(date.getUTCFullYear()),
  };
}

function monthsAhead(months: number): DateParts {
  const { day, month, year } = today();
  const date = new Date(
    Date.UTC(Number(year), Number(month) - 1 + months, Math.min(Number(day), 28)),
  );
  return {
    day: String(date.getUTCDate()),
    month: String(date.getUTCMonth() + 1),
    year: String(date.getUTCFullYear()),
  };
}

async function fillDateTime(legend: string, date: DateParts, time: string): Promise<void> {
  await fillDate(page, `Date ${legend}`, date);
  await page.getByLabel(new RegExp(`Time ${legend}`)).fill(time);
}

describe("an exploitation worker's journey", () => {
  it("screens one of their young people for exploitation", async () => {
    // A young person in a peer group, with no missing episode still open.
    await page.goto("/");
    const people = await page
      .locator('main a[href^="/people/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    for (const person of [...new Set(people)].filter((h) => /^\/people\/[0-9a-f-]{36}$/.test(h))) {
      await page.goto(`${person}/network`);
      const inGroup = (await page.getByTestId("peer-group").locator("li").count()) > 0;
      await page.goto(`${person}/missing`);
      const open = (await page.getByText("Not yet").count()) > 0;
      if (inGroup && !open) {
        child = person;
        break;
      }
    }
    expect(child, "a young person of the exploitation worker in a peer group").not.toBe("");
    await page.goto(child);
    childName = (await page.locator("h1").innerText()).split("\n")[0]?.trim() ?? "";

    await page.goto(`${child}/exploitation/new`);
    await expect(page.locator("main").innerText()).resolves.toContain("not validated instruments");
    await fillDate(page, "Date screened");
    await page.getByLabel("Associating with older young people or adults").check();
    await page.getByLabel("Unexplained money, clothes, phones or gifts").check();
    await page.getByLabel("County lines").check();
    await expectAccessible(page);
    await submit(page, "Save screening");
    const latest = page.locator("main");
    await expect(latest.innerText()).resolves.toMatch(/Medium/);
    await expect(latest.innerText()).resolves.toContain("24A");
    await expectAccessible(page);
  });

  it("records a missing episode, the return and the return home interview", async () => {
    await page.goto(`${child}/missing`);
    await page
      .getByRole("group", { name: "Missing or away from placement" })
      .getByRole("radio")
      .first()
      .check();
    await fillDateTime("they went missing", daysAgo(2), "19:00");
    await submit(page, "Record missing");
    await page
      .getByRole("link", { name: /Record their return/ })
      .first()
      .click();
    await fillDateTime("they came back", daysAgo(1), "08:30");
    await page
      .getByLabel("Where they were found (optional)")
      .fill("Seen at the bus station in another town");
    await submit(page, "Record their return");
    await page
      .getByRole("link", { name: /Record the return interview/ })
      .first()
      .click();
    await fillDateTime("the interview was offered", daysAgo(1), "12:00");
    await page
      .getByRole("group", { name: "Did the child accept the interview?" })
      .getByLabel("Yes")
      .check();
    await fillDateTime("the interview was held", daysAgo(1), "15:00");
    await page
      .getByLabel(/What the child said/)
      .fill("I was with older lads. I didn't want to go.");
    await expectAccessible(page);
    await submit(page, "Save the interview");
    await expect(page.locator("main").innerText()).resolves.toContain("I was with older lads.");
  });

  it("adds a place the young person is seen at, as graded intelligence, and sees their peer group", async () => {
    await page.goto(`${child}/associations/new`);
    await page.getByLabel("A new place").check();
    await submit(page, "Continue");
    await page.getByLabel("Name of the place").fill(placeName);
    await page.getByLabel("Kind of place").selectOption("park");
    await page.getByLabel("Ward (optional)").fill("Canalside");
    await page.getByLabel("Latitude (optional)").fill("53.72100");
    await page.getByLabel("Longitude (optional)").fill("-2.27400");
    await fillDate(page, "First seen", daysAgo(3));
    await page
      .getByRole("group", { name: "How reliable is the source?" })
      .getByRole("radio")
      .first()
      .check();
    await page
      .getByRole("group", { name: "How does the source know the information?" })
      .getByRole("radio")
      .nth(1)
      .check();
    await page.getByRole("group", { name: "Is it corroborated?" }).getByLabel("Yes").check();
    await page
      .getByRole("group", { name: "May other partner agencies see it?" })
      .getByLabel("No")
      .check();
    await expectAccessible(page);
    await submit(page, "Save association");

    await page.goto(`${child}/network`);
    const main = await page.locator("main").innerText();
    expect(main).toContain(placeName);
    expect(main).toContain("not established facts");
    await expect(page.getByTestId("peer-group").locator("li").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId("within-steps").innerText()).resolves.toContain(placeName);
    await expectAccessible(page);
  });

  it("refers the place as a context and puts the young person and the place on a MACE agenda", async () => {
    await page.goto("/contexts/new?kind=location");
    await page.getByLabel("Place").selectOption({ label: placeName });
    await fillDate(page, "Date referred");
    await page
      .getByLabel("Reason for the referral")
      .fill("Young people from two groups meet here after dark.");
    await submit(page, "Refer the context");

    await page.goto("/panels");
    if ((await page.getByTestId("panel").filter({ hasText: "MACE" }).count()) === 0) {
      await page.getByRole("button", { name: "Add a panel" }).click();
      await page.getByRole("group", { name: "Kind of panel" }).getByRole("radio").first().check();
      await page.getByLabel("Name").fill("Northmoor MACE");
      await submit(page, "Add panel");
    }
    await page
      .getByRole("link", { name: /^Schedule a meeting/ })
      .first()
      .click();
    await fillDate(page, "Meeting date", monthsAhead(1));
    await page.getByLabel("Chair").fill("Detective Inspector Rowe");
    await submit(page, "Schedule meeting");
    if (!/\/panels\/meetings\//.test(page.url())) {
      await page.locator('main a[href^="/panels/meetings/"]').first().click();
    }
    const childSelect = page.getByLabel("Child", { exact: true });
    const option = childSelect.locator("option", { hasText: childName }).first();
    await childSelect.selectOption((await option.getAttribute("value")) ?? "");
    await page
      .getByLabel("Reason for the referral to the panel")
      .first()
      .fill("Going missing with older young people.");
    await submit(page, "Add child");
    await page.getByLabel("Context").selectOption({ label: `Place: ${placeName}` });
    await page.locator("#contextReason").fill("A place where exploitation is reported.");
    await submit(page, "Add context");
    const agenda = await page.locator("main").innerText();
    expect(agenda).toContain(childName);
    expect(agenda).toContain(`Place: ${placeName}`);
    await expectAccessible(page);
  });

  it("writes a safety plan with the young person, and prints it", async () => {
    await page.goto(`${child}/safety-plan/new`);
    await page
      .getByLabel("In their words")
      .fill("I want to stay away from the station after school.");
    await page.getByLabel("Trusted adults").fill("Nan, and Mr Ali at school.");
    await page.getByLabel("Safe places").fill("Nan's house; the youth club.");
    await page
      .getByLabel("What to do if…")
      .fill("If someone asks me to carry something I ring Nan.");
    await page
      .getByRole("group", { name: /Was the plan agreed with/ })
      .getByLabel("Yes")
      .check();
    await fillDate(page, "Date agreed");
    await fillDate(page, "Review date", monthsAhead(1));
    await expectAccessible(page);
    await submit(page, "Save this version");
    await expect(page.locator("main").innerText()).resolves.toContain(
      "I want to stay away from the station",
    );
    // The print button appears once the page's script has run, and opens the print dialog.
    await page.evaluate(() => {
      (window as unknown as { printed: boolean }).printed = false;
      window.print = () => {
        (window as unknown as { printed: boolean }).printed = true;
      };
    });
    await page.getByRole("button", { name: "Print this plan" }).click();
    await expect(
      page.evaluate(() => (window as unknown as { printed: boolean }).printed),
    ).resolves.toBe(true);
    await expectAccessible(page);
  });
});
