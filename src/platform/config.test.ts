import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { StartupError } from "./startup.ts";

describe("configuration from the environment", () => {
  it("accepts ports 1 to 65535 and refuses the rest with a StartupError", () => {
    expect(loadConfig({ PORT: "1" }).port).toBe(1);
    expect(loadConfig({ PORT: "65535" }).port).toBe(65_535);
    for (const port of ["0", "65536", "99999", "80.5", "3e3", "-1", "http"]) {
      expect(() => loadConfig({ PORT: port }), port).toThrow(StartupError);
    }
  });

  it("accepts PostgreSQL URLs, including a socket folder, and refuses anything else", () => {
    for (const url of [
      "postgres://trellis:secret@db.example:5432/trellis",
      "postgresql://trellis@localhost/trellis",
      "postgres:///trellis?host=/var/run/postgresql",
    ]) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl, url).toBe(url);
    }
    for (const url of ["not-a-url", "mysql://db/trellis", "postgres://", "https://db.example/"]) {
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL is not/);
    }
  });

  it("believes X-Forwarded-For only from the proxies named in TRUST_PROXY", () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: "10.0.0.1, 10.1.0.0/16" }).trustProxy).toEqual([
      "10.0.0.1",
      "10.1.0.0/16",
    ]);
  });
});
