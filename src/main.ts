import { parseArgs } from "node:util";
import type { DemoSummary } from "./demo/generate.ts";
import { todayIn } from "./domain/dates.ts";
import { loadConfig, type Config } from "./platform/config.ts";
import { openDatabase, openServer, type Database } from "./platform/database.ts";
import { migrate } from "./platform/migrate.ts";
import { connectedAsSuperuser, createRoles, defaultRoles, grantRoles } from "./platform/roles.ts";
import { explainServerFailure, StartupError } from "./platform/startup.ts";

/** The command line: one entry point for the service and its tools (`npx trellis help`). */
const usage = `Usage: trellis <command>

  start                 migrate, add the demo local authority if the database is empty, and serve
  serve                 migrate and serve (no demo data)
  migrate               apply database migrations
  demo [--size small|large] [--seed N]
                        generate the synthetic demo local authority into an empty database
  audit verify          check the audit log against its chain and signed checkpoints; exits 1
                        and names what it finds (altered or deleted rows, a re-hashed or cut tail)
  audit checkpoint      seal the audit log and sign a checkpoint of it now
  db roles              create the owner and runtime roles and their grants (ADMIN_DATABASE_URL)
  returns validate cin FILE.xml --year 2024-25 [--json]
                        check a CIN census file from any system against the DfE's rules; exits
                        1 on an error-level failure, 2 when the file cannot be read
  returns cin --year 2024-25 --out FILE.xml [--la CODE]
                        generate the CIN census from the whole council's records, check it
                        (XML schema and every DfE rule) and write it; progress on stderr;
                        exits 1 when an error-level rule fails (the file is still written)
  returns feed [--dry-run] [--la CODE]
                        send the DfE's daily feed: each changed child's document (decision 0034)
  returns 903 --year 2024-25 --out DIR [--la CODE]
                        write the SSDA903 tables Trellis holds, one DfE CSV per table;
                        progress on stderr
  returns validate 903 DIR --year 2024-25 [--json]
                        check SSDA903 CSV files from any system against the DfE's rules
  bench <suite>         run a benchmark suite (foundation, journey, network, audit, kpis, api,
                        front-door, returns)

Environment: DATABASE_URL (PostgreSQL server; embedded PGlite when unset), DATA_DIR (embedded
data folder, default ./data/pglite), PORT (default 3000), OIDC_ISSUER, OIDC_CLIENT_ID,
OIDC_CLIENT_SECRET, BASE_URL; MIGRATION_DATABASE_URL (the schema owner, for migrations),
AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY (Ed25519 PEM), AUDIT_DIR, AUDIT_PUBLIC_KEYS_DIR,
AUDIT_CHECKPOINT_FILE, AUDIT_CHECKPOINT_SECONDS (decision 0017); DFE_FEED_URL,
DFE_FEED_TOKEN_URL, DFE_FEED_CLIENT_ID, DFE_FEED_CLIENT_SECRET (decision 0034).`;

function describeDatabase(config: Config, database: Database): string {
  return database.kind === "embedded"
    ? `embedded PostgreSQL (PGlite) in ${config.dataDir}`
    : "PostgreSQL server (DATABASE_URL)";
}

async function openMigrated(config: Config): Promise<Database> {
  // With MIGRATION_DATABASE_URL the schema owner migrates and the app runs as DATABASE_URL's
  // runtime role (decision 0017).
  if (config.migrationDatabaseUrl && config.databaseUrl) {
    const owner = await openDatabase({ ...config, databaseUrl: config.migrationDatabaseUrl });
    const applied = await migrate(owner).finally(() => owner.close());
    if (applied.length > 0) console.error(`Applied migrations: ${applied.join(", ")}`);
    return openDatabase(config);
  }
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
  const { demoPassword, generateDemo } = await import("./demo/generate.ts");
  const { hashPassword } = await import("./modules/auth/passwords.ts");
  const passwordHash = await hashPassword(demoPassword);
  return generateDemo(database.db, { size, seed, passwordHash, today: todayIn(new Date()) });
}

async function printSignIns(summary: Pick<DemoSummary, "signIns">, baseUrl: string) {
  const { demoPassword } = await import("./demo/generate.ts");
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
  } else if (await connectedAsSuperuser(database.db)) {
    // A superuser bypasses the audit log's append-only grants (decision 0017).
    console.error(
      "WARNING: DATABASE_URL connects as a PostgreSQL superuser, who can rewrite the audit log. " +
        `Run the service as the runtime role (npx trellis db roles; default ${defaultRoles.runtime}).`,
    );
  }
  // Each command imports what it needs when it runs: a short command never loads the whole app.
  const { buildApp } = await import("./app.ts");
  const { startAuditKeeper } = await import("./audit/keeper.ts");
  const { hasDemoData } = await import("./demo/generate.ts");
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
    ? await (
        await import("./modules/auth/oidc.ts")
      ).createOidcClient({
        ...config.oidc,
        redirectUri: new URL("/sign-in/oidc/callback", config.baseUrl).href,
      })
    : undefined;
  const app = await buildApp({ database, config, ...(oidc ? { oidc } : {}), logger: true });
  const keeper = await startAuditKeeper(database.db, config.audit, (error) => {
    app.log.error(error, "audit sealing or checkpoint failed");
  });
  await app.listen({ port: config.port, host: config.host });
  console.error(`Database: ${describeDatabase(config, database)}`);
  if (summary) await printSignIns(summary, config.baseUrl);
  else console.log(`Trellis is running at ${config.baseUrl}`);
  const stop = async (): Promise<void> => {
    await app.close();
    await keeper.stop();
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
      const { hasDemoData } = await import("./demo/generate.ts");
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
      const { auditCheckpointCommand, auditVerifyCommand } = await import("./audit/cli.ts");
      const commands = { verify: auditVerifyCommand, checkpoint: auditCheckpointCommand };
      const run = rest[0] === "verify" || rest[0] === "checkpoint" ? commands[rest[0]] : undefined;
      if (!run) break;
      const database = await openMigrated(config);
      try {
        return await run(database.db, config.audit);
      } finally {
        await database.close();
      }
    }
    case "db": {
      const adminUrl = process.env.ADMIN_DATABASE_URL;
      if (rest[0] !== "roles") break;
      if (!adminUrl) {
        console.error("Set ADMIN_DATABASE_URL to a superuser's (or managed admin's) URL.");
        return 2;
      }
      const roles = {
        owner: process.env.TRELLIS_OWNER_ROLE ?? defaultRoles.owner,
        runtime: process.env.TRELLIS_RUNTIME_ROLE ?? defaultRoles.runtime,
      };
      const admin = openServer(adminUrl, 1);
      try {
        await createRoles(admin, roles, {
          ...(process.env.OWNER_PASSWORD ? { owner: process.env.OWNER_PASSWORD } : {}),
          ...(process.env.RUNTIME_PASSWORD ? { runtime: process.env.RUNTIME_PASSWORD } : {}),
        });
        await grantRoles(admin, roles);
      } finally {
        await admin.close();
      }
      console.log(
        `Roles ready. Migrate as ${roles.owner} (MIGRATION_DATABASE_URL) and run the app as ` +
          `${roles.runtime} (DATABASE_URL).`,
      );
      return 0;
    }
    case "returns": {
      if (rest[0] === "feed") {
        const { feedCommand } = await import("./modules/returns/feed-cli.ts");
        return feedCommand(rest.slice(1), config, () => openMigrated(config));
      }
      if (rest[0] === "cin") {
        const { generateCinCommand } = await import("./modules/returns/cin-cli.ts");
        const database = await openMigrated(config);
        try {
          return await generateCinCommand(database.db, rest.slice(1));
        } finally {
          await database.close();
        }
      }
      if (rest[0] === "903") {
        const { generate903Command } = await import("./modules/returns/ssda903-cli.ts");
        const database = await openMigrated(config);
        try {
          return await generate903Command(database.db, rest.slice(1));
        } finally {
          await database.close();
        }
      }
      if (rest[0] === "validate" && rest[1] === "903") {
        const { validate903Command } = await import("./modules/returns/ssda903-validate-cli.ts");
        return validate903Command(rest.slice(2));
      }
      if (rest[0] !== "validate" || rest[1] !== "cin") break;
      const { validateCinCommand } = await import("./modules/returns/validate-cli.ts");
      return validateCinCommand(rest.slice(2));
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
      if (suite === "audit") {
        const { runAuditBench } = await import("../bench/audit.ts");
        await runAuditBench(rest.slice(1));
        return 0;
      }
      if (suite === "front-door") {
        const { runFrontDoorBench } = await import("../bench/front-door.ts");
        await runFrontDoorBench();
        return 0;
      }
      if (suite === "returns") {
        const { runReturnsBench } = await import("../bench/returns.ts");
        await runReturnsBench(rest.slice(1));
        return 0;
      }
      if (suite === "api") {
        const { runApiBench } = await import("../bench/api.ts");
        await runApiBench(rest.slice(1));
        return 0;
      }
      if (suite === "kpis") {
        const { runKpisBench } = await import("../bench/kpis.ts");
        await runKpisBench();
        return 0;
      }
      console.error(
        "Benchmark suites: foundation, journey, network, audit, front-door, returns, kpis, api",
      );
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
