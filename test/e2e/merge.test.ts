/**
 * A team manager merges two records of one child and undoes it (decision 0024): the person
 * page offers the merge, the confirm page shows both records side by side (checked with
 * axe-core), the merged-away address opens the survivor, and undo brings the record back.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clickAndLoad,
  describeAxeProblems,
  launchBrowser,
  newContext,
  seriousAxeViolations,
  signIn,
  startService,
  submit,
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
  await signIn(page, users.teamManager);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

async function expectAccessible(name: string): Promise<void> {
  const problems = await seriousAxeViolations(page);
  expect(problems, describeAxeProblems(name, problems)).toEqual([]);
}

/** Adds a child as the manager (who is then allocated), with the s16LC exception. */
async function addChild(givenName: string, familyName: string): Promise<string> {
  await page.goto("/people/new");
  await page.getByLabel("First name").fill(givenName);
  await page.getByLabel("Last name").fill(familyName);
  const dob = page.getByRole("group", { name: /Date of birth/ });
  await dob.getByLabel("Day").fill("3");
  await dob.getByLabel("Month").fill("7");
  await dob.getByLabel("Year").fill("2016");
  await page.getByLabel(/not known, and finding it out/).check();
  await page
    .getByLabel(/Note on why the NHS number is not recorded/)
    .fill("Not known at the contact");
  await submit(page, "Save");
  // Trellis looks for the child first (decision 0022): the second record is made knowingly.
  const offered = await page.getByTestId("no-match").count();
  await submit(page, offered > 0 ? "Add the person" : "None of these, add a new record");
  return new URL(page.url()).pathname;
}

describe("merging two records of one child", () => {
  let original = "";
  let duplicate = "";

  it("compares the two side by side, merges them and redirects the old address", async () => {
    original = await addChild("Esme", "Quarrington");
    duplicate = await addChild("Esmee", "Quarington");
    await clickAndLoad(page, page.getByTestId("merge-link"));
    await page.getByLabel("Name").fill("quarrington");
    await submit(page, "Search");
    await clickAndLoad(
      page,
      page.getByTestId("merge-candidates").getByRole("link", { name: /Esme Quarrington/ }),
    );
    await expect(page.getByTestId("merge-sides").innerText()).resolves.toContain("Quarington");
    await expectAccessible("merge confirm");
    await page.getByLabel(/Esme Quarrington \(the other record\)/).check();
    await page
      .getByLabel("Why are these records of one person?")
      .fill("Same child: same date of birth and school, name misspelt at the front door");
    await submit(page, "Merge the records");
    expect(new URL(page.url()).pathname).toBe(original);
    await expect(page.getByTestId("merged-records").innerText()).resolves.toContain(
      "Esmee Quarington",
    );
    await expectAccessible("record with a merge");
    await page.goto(duplicate);
    expect(new URL(page.url()).pathname).toBe(original);
  });

  it("undoes the merge: the other record opens again", async () => {
    await page.goto(original);
    await submit(page, "Undo this merge of Esmee Quarington");
    const response = await page.goto(duplicate);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(duplicate);
  });
});
