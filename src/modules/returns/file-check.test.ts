import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { cleanCensus } from "../../domain/cin-census/fixture.ts";
import { DEFAULT_MAX_BYTES } from "../../domain/cin-census/read-xml.ts";
import { writeCensusXml } from "../../domain/cin-census/write-xml.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

/** A file another system made: three clean children, the second with no primary need. */
function otherSystemsFile(): Buffer {
  const census = cleanCensus("2024-25", 3);
  const second = census.children[1]?.CINdetails[0];
  if (second) delete second.PrimaryNeedCode;
  return Buffer.from(writeCensusXml(census));
}

const xmlFile = (bytes: Buffer, name = "old-system.xml") => ({
  field: "file",
  name,
  type: "application/xml",
  bytes,
});

async function check(email: string, bytes: Buffer, year = "2024-25", name?: string) {
  const client = await signIn(app, email);
  await client.get("/returns/check-file");
  return client.upload("/returns/check-file", { year }, xmlFile(bytes, name));
}

describe("checking a census file made by another system", () => {
  it("reports the file's failures by rule, naming the child, and keeps nothing", async () => {
    const before = await database.db.selectFrom("return_run").select("id").execute();
    const file = otherSystemsFile();
    const response = await check(world.users.performanceOfficer.email, file);
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/3 children: [1-9][0-9]* errors/);
    expect(response.body).toMatch(/Rule 8608 \(error\)|Rule 8610 \(error\)/);
    const childId = cleanCensus("2024-25", 3).children[1]?.ChildIdentifiers.LAchildID ?? "";
    expect(response.body).toContain(`<td class="govuk-table__cell">${childId}</td>`);
    expect(response.body).toContain("PrimaryNeedCode");
    const after = await database.db.selectFrom("return_run").select("id").execute();
    expect(after).toHaveLength(before.length);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "returns.file.check", outcome: "allowed" });
    expect(audit.summary).toMatchObject({ year: "2024-25", children: 3, bytes: file.length });
  });

  it("says when the file passes the schema and names the child a schema complaint is about", async () => {
    const clean = Buffer.from(writeCensusXml(cleanCensus("2024-25", 2)));
    const passing = await check(world.users.performanceOfficer.email, clean);
    expect(passing.body).toContain("The file passes the DfE");
    const census = cleanCensus("2024-25", 2);
    const second = census.children[1];
    if (second) second.ChildCharacteristics.Ethnicity = "NOPE";
    const broken = writeCensusXml(census);
    const failing = await check(world.users.performanceOfficer.email, Buffer.from(broken));
    expect(failing.body).toContain("does not pass the DfE");
    const complaints = /data-testid="schema-errors">(.*?)<\/ul>/s.exec(failing.body)?.[1] ?? "";
    expect(complaints).toContain(`Child ${census.children[1]?.ChildIdentifiers.LAchildID ?? ""}`);
    expect(complaints).toMatch(/Ethnicity/);
  });

  it("refuses what is not a census file with a clear message, and names the field", async () => {
    const officer = world.users.performanceOfficer.email;
    const cases: [Buffer, RegExp][] = [
      [Buffer.from("name,dob\nA,2010-01-01\n"), /not|XML/i],
      [Buffer.from([0xff, 0xfe, 0x00, 0x41]), /UTF-8/],
      [Buffer.alloc(0), /empty/],
      [
        Buffer.from(
          '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>',
        ),
        /DOCTYPE|DTD/i,
      ],
      [Buffer.from("<Message><Other/></Message>"), /census/i],
    ];
    for (const [bytes, message] of cases) {
      const response = await check(officer, bytes);
      expect(response.statusCode, String(message)).toBe(400);
      expect(response.body).toContain('href="#file"');
      expect(response.body).toMatch(message);
      expect(response.body).not.toContain("root:");
    }
    const audit = await latestAudit(database);
    expect(audit.action).toBe("returns.file.check");
    expect(audit.summary).toHaveProperty("refused");
  });

  it("refuses a form without a file or year, showing the form again", async () => {
    const client = await signIn(app, world.users.performanceOfficer.email);
    await client.get("/returns/check-file");
    const noFile = await client.post("/returns/check-file", { year: "2024-25" });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.body).toContain("Choose a census file (XML) to check");
    expect(noFile.body).toContain('href="#file"');
    const noYear = await client.upload(
      "/returns/check-file",
      { year: "1999-00" },
      xmlFile(otherSystemsFile()),
    );
    expect(noYear.statusCode).toBe(400);
    expect(noYear.body).toContain("Select a collection year");
  });

  it("refuses a file over the size limit, and checks nothing", async () => {
    const huge = Buffer.alloc(DEFAULT_MAX_BYTES + 1024, 0x20);
    const response = await check(world.users.performanceOfficer.email, huge);
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain("too large");
  });

  it("refuses an upload without the page's CSRF token", async () => {
    const client = await signIn(app, world.users.performanceOfficer.email);
    client.csrf = "";
    const response = await client.upload(
      "/returns/check-file",
      { year: "2024-25" },
      xmlFile(otherSystemsFile()),
    );
    expect(response.statusCode).toBe(403);
  });

  it("shows the analyst counts by rule but no child", async () => {
    const response = await check(world.users.analyst.email, otherSystemsFile());
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/Rule [0-9]+ \(error\)/);
    const childId = cleanCensus("2024-25", 3).children[1]?.ChildIdentifiers.LAchildID ?? "";
    expect(response.body).not.toContain(childId);
  });

  it("refuses the social worker, the partner and the signed-out", async () => {
    for (const user of [world.users.swA, world.users.police]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/returns/check-file")).statusCode).toBe(404);
      const upload = await client.upload(
        "/returns/check-file",
        { year: "2024-25" },
        xmlFile(otherSystemsFile()),
      );
      expect(upload.statusCode).toBe(404);
    }
    const anonymous = await app.inject({ method: "GET", url: "/returns/check-file" });
    expect([302, 303]).toContain(anonymous.statusCode);
  });

  it("takes file uploads on this page only: elsewhere a multipart body is refused", async () => {
    const client = await signIn(app, world.users.performanceOfficer.email);
    await client.get("/returns");
    const response = await client.upload(
      "/returns/cin",
      { year: "2024-25" },
      xmlFile(otherSystemsFile()),
    );
    expect(response.statusCode).toBe(415);
  });
});
