import { parseArgs } from "node:util";
import { buildApp } from "./app.ts";
import { verifyAuditChain } from "./audit/verify.ts";
import { demoPassword, generateDemo, hasDemoData, type DemoSummary } from "./demo/generate.ts";
import { todayIn } from "./domain/dates.ts";
import { createOidcClient } from "./modules/auth/oidc.ts";
import { hashPassword } from "./modules/auth/passwords.ts";
import { loadConfig, type Config } from "./platform/config.ts";
import { openDatabase, type Database } from "./platform/database.ts";
import { migrate } from "./platform/migrate.ts";
import { explainServerFailure, StartupError } from "./platform/startup.ts";

/** The command line: one entry point for the service and its tools (`npx trellis help`). */
const usage = `Usage: trellis <command>

  start                 migrate, add the demo local authority if the database is empty, and serve
  serve                 migrate and serve (no demo data)
  migrate               apply database migrations
  demo [--size small|large] [--seed N]
                        generate the synthetic demo local authority into an empty database
  audit verify          check the audit log's hash chain; exits 1 and names the first broken row
  bench <suite>         run a benchmark suite (foundation, journey, network)

Environment: DATABASE_URL (PostgreSQL server; embedded PGlite when unset), DATA_DIR (embedded
data folder, default ./data/pglite), PORT (default 3000), OIDC_ISSUER, OIDC_CLIENT_ID,
OIDC_CLIENT_SECRET, BASE_URL.`;

function describeDatabase(config: Config, database: Database): string {
  return database.kind === "embedded"
    ? `embedded PostgreSQL (PGlite) in ${config.dataDir}`
    : "PostgreSQL server (DATABASE_URL)";
}

async function openMigrated(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  const applied = await migrate(database).catch(async (error: unknown) => {
    await database.close().catch(() => undefined);
    throw (config.databaseUrl && explainServerFailure(error, config.databaseUrl)) || error;
  });
  if (applied.length > 0) console.error(`Applied migrations: ${applied.join(", ")}`);
  return database;
}

export async function seedDemo(
  database: Database,
  size: "small" | "large",
  seed: number,
): Promise<DemoSummary> {
  const passwordHash = await hashPassword(demoPassword);
  return generateDemo(database.db, { size, seed, passwordHash, today: todayIn(new Date()) });
}

function printSignIns(summary: Pick<DemoSummary, "signIns">, baseUrl: string): void {
  console.log(`\nTrellis is running at ${baseUrl}\n`);
  console.log(`Demo sign-ins (synthetic data only). Password for all: ${demoPassword}\n`);
  for (const s of summary.signIns) {
    console.log(`  ${s.email.padEnd(40)} ${s.jobTitle}, ${s.team}`);
    console.log(`  ${"".padEnd(40)} sees: ${s.whatTheySee}`);
  }
  console.log("");
}

async function serve(config: Config, withDemo: boolean): Promise<void> {
  const database = await openMigrated(config);
  if (database.kind === "embedded") {
    console.error(
      "WARNING: embedded PostgreSQL (PGlite) is for evaluation only: one connection, no fsync, " +
        "data may be lost on a crash. Set DATABASE_URL to use a PostgreSQL server.",
    );
  }
  let summary: Pick<DemoSummary, "signIns"> | undefined;
  if (withDemo) {
    if (await hasDemoData(database.db)) {
      summary = { signIns: (await import("./demo/sign-ins.ts")).demoSignIns };
    } else {
      console.error("Empty database: generating the demo local authority (synthetic data)...");
      summary = await seedDemo(database, "small", 1);
    }
  }
  const oidc = config.oidc
    ? await createOidcClient({
        ...config.oidc,
        redirectUri: new URL("/sign-in/oidc/callback", config.baseUrl).href,
      })
    : undefined;
  const app = await buildApp({ database, config, ...(oidc ? { oidc } : {}), logger: true });
  await app.listen({ port: config.port, host: config.host });
  console.error(`Database: ${describeDatabase(config, database)}`);
  if (summary) printSignIns(summary, config.baseUrl);
  else console.log(`Trellis is running at ${config.baseUrl}`);
  const stop = async (): Promise<void> => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case "start":
      await serve(config, true);
      return -1;
    case "serve":
      await serve(config, false);
      return -1;
    case "migrate": {
      const database = await openMigrated(config);
      console.log(`Database is up to date (${describeDatabase(config, database)}).`);
      await database.close();
      return 0;
    }
    case "demo": {
      const { values } = parseArgs({
        args: rest,
        options: {
          size: { type: "string", default: "small" },
          seed: { type: "string", default: "1" },
        },
      });
      const size = values.size;
      const seed = Number(values.seed);
      if ((size !== "small" && size !== "large") || !Number.isInteger(seed)) {
        console.error("Use --size small|large and --seed <whole number>");
        return 2;
      }
      const database = await openMigrated(config);
      try {
        if (await hasDemoData(database.db)) {
          console.error(
            "The database already has data; the demo goes only into an empty database.",
          );
          return 1;
        }
        const started = Date.now();
        const summary = await seedDemo(database, size, seed);
        console.log(
          `Generated the ${size} demo (seed ${String(seed)}) in ${String(Date.now() - started)} ms: ${JSON.stringify(summary.counts)}`,
        );
        return 0;
      } finally {
        await database.close();
      }
    }
    case "audit": {
      if (rest[0] !== "verify") break;
      const database = await openMigrated(config);
      try {
        const result = await verifyAuditChain(database.db);
        if (result.ok) {
          console.log(`Audit log verified: ${String(result.rows)} rows, chain intact.`);
          return 0;
        }
        console.error(`Audit log BROKEN at row ${String(result.seq)}: ${result.problem}`);
        return 1;
      } finally {
        await database.close();
      }
    }
    case "bench": {
      const suite = rest[0];
      if (suite === "foundation") {
        const { runFoundationBench } = await import("../bench/foundation.ts");
        await runFoundationBench(rest.slice(1));
        return 0;
      }
      if (suite === "journey") {
        const { runJourneyBench } = await import("../bench/journey.ts");
        await runJourneyBench(rest.slice(1));
        return 0;
      }
      if (suite === "network") {
        const { runNetworkBench } = await import("../bench/network.ts");
        await runNetworkBench(rest.slice(1));
        return 0;
      }
      console.error("Benchmark suites: foundation, journey, network");
      return 2;
    }
    default:
      break;
  }
  console.error(usage);
  return command === "help" || command === undefined ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    // A start-up problem is one plain line saying what to do; anything else keeps its stack.
    console.error(error instanceof StartupError ? `trellis: ${error.message}` : error);
    process.exit(1);
  },
);
