/**
 * The drawing of a child's network in the browser: the exploitation worker opens the network
 * page of one of their young people; under the real Content-Security-Policy the script loads
 * sigma.js, fetches the graph's JSON and draws it in a container named for screen readers,
 * with nothing blocked or thrown; the page, drawing included, passes axe; and a browser without
 * WebGL keeps the page as it is, tables only, without an error.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM_PATH,
  expectAccessible,
  launchBrowser,
  newContext,
  signIn,
  startService,
  type RunningService,
} from "./support.ts";

const exploitationWorker = "exploitation.worker@northmoor.example";

let service: RunningService;
let browser: Browser;
/** The network page of a young person with connections, e.g. /people/<id>/network. */
let networkPath = "";

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

async function signedInPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const page = await (await newContext(browser, service, options)).newPage();
  await signIn(page, exploitationWorker);
  return page;
}

/** The first young person on the home page whose network page has the drawing's container. */
async function networkWithConnections(page: Page): Promise<string> {
  await page.goto("/");
  const people = await page
    .locator('main a[href^="/people/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  for (const person of [...new Set(people)].filter((h) => /^\/people\/[0-9a-f-]{36}$/.test(h))) {
    const response = await page.goto(`${person}/network`);
    if (response?.status() !== 200) continue;
    if ((await page.locator("[data-trellis-network-graph]").count()) > 0)
      return `${person}/network`;
  }
  throw new Error("no young person of the exploitation worker has a network to draw");
}

const graphName =
  /^Network of \d+ people, places and groups around .+; the tables below list them$/;

describe("the network drawing", () => {
  it("draws the visible network under the page's Content-Security-Policy", async () => {
    const page = await signedInPage();
    const browserErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") browserErrors.push(message.text());
    });
    page.on("pageerror", (error) => browserErrors.push(error.message));
    networkPath = await networkWithConnections(page);

    const graph = page.getByRole("img", { name: graphName });
    await graph.waitFor();
    const drawn = page.locator("[data-trellis-network-graph-canvas][data-drawn]");
    await drawn.waitFor();
    expect(
      await page.locator("[data-trellis-network-graph-canvas] canvas").count(),
    ).toBeGreaterThan(0);

    // The drawing shows what the JSON holds: the same number of nodes as the page's tables.
    const jsonUrl = await page
      .locator("[data-trellis-network-graph]")
      .getAttribute("data-trellis-network-graph");
    const response = await page.request.get(jsonUrl ?? "", {
      headers: { accept: "application/json" },
    });
    expect(response.status()).toBe(200);
    const drawing = (await response.json()) as { nodes: { key: string }[] };
    expect(await drawn.getAttribute("data-drawn")).toBe(String(drawing.nodes.length));
    const listed = await page.getByTestId("within-steps").locator("tbody tr").count();
    expect(drawing.nodes.length).toBe(listed + 1);
    const name = (await graph.getAttribute("aria-label")) ?? "";
    expect(name).toContain(`Network of ${String(listed)} `);

    // The tables, the accessible alternative, are still there.
    await expect(page.getByTestId("within-steps").isVisible()).resolves.toBe(true);
    expect(browserErrors).toEqual([]);
  });

  it("passes axe with the drawing on the page", async () => {
    // axe is injected as a script, so this page runs without the CSP (the test above has it).
    const page = await signedInPage({ bypassCSP: true });
    await page.goto(networkPath);
    await page.locator("[data-trellis-network-graph-canvas][data-drawn]").waitFor();
    await expectAccessible(page);
  });

  it("leaves the tables alone, without an error, in a browser without WebGL", async () => {
    const plain = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ["--no-sandbox", "--disable-gpu", "--disable-webgl", "--disable-3d-apis"],
    });
    try {
      const context = await plain.newContext({ baseURL: service.baseUrl });
      const page = await context.newPage();
      const browserErrors: string[] = [];
      page.on("pageerror", (error) => browserErrors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") browserErrors.push(message.text());
      });
      await signIn(page, exploitationWorker);
      await page.goto(networkPath);
      await page.waitForLoadState("load");
      expect(
        await page.evaluate(() => Boolean(document.createElement("canvas").getContext("webgl"))),
      ).toBe(false);
      await expect(page.locator("[data-trellis-network-graph]").isHidden()).resolves.toBe(true);
      expect(await page.locator("[data-trellis-network-graph-canvas] canvas").count()).toBe(0);
      await expect(page.getByTestId("within-steps").isVisible()).resolves.toBe(true);
      expect(browserErrors).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
