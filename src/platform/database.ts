import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { createHash } from "node:crypto";
import {
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { DB } from "./schema.ts";
import { ConnectionLock, pgliteDialect } from "./pglite-dialect.ts";
import { damagedDataFolder, holdDataFolder } from "./data-folder.ts";

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;

/** A database handle: Kysely for queries, plus raw multi-statement SQL for migrations. */
export interface Database {
  db: Db;
  kind: "embedded" | "server";
  /** Runs a script of several statements on one connection (used by the migrator). */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
  /** Embedded only: the data folder as a tarball, for openEmbedded(undefined, snapshot). */
  dumpSnapshot?: () => Promise<Blob>;
}

/**
 * Planner settings for every connection. PostgreSQL's default random_page_cost (4) models
 * spinning disks and made it scan all 100,000 people rather than probe an index for a few
 * hundred (decision 0008); 1.1 is the usual setting for SSD or memory-resident data.
 */
const PLANNER_SETTINGS = { random_page_cost: "1.1" } as const;

// Calendar dates stay 'YYYY-MM-DD' strings (no time zone games); bigint counts become numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const parseDate = (value: string): string => value;
const parseInt8 = (value: string): number => Number(value);

/**
 * Opens PGlite in `dataDir`, or in memory when undefined. `snapshot` starts an in-memory
 * database from a dumped data folder (tests use a migrated one: much faster than initdb).
 */
export async function openEmbedded(
  dataDir: string | undefined,
  snapshot?: Blob,
): Promise<Database> {
  // One process per data folder (src/platform/data-folder.ts), and a plain word if it is damaged.
  const release = dataDir ? await holdDataFolder(dataDir) : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(snapshot ? { loadDataDir: snapshot } : {}),
      relaxedDurability: true,
      extensions: { pg_trgm, fuzzystrmatch },
      parsers: { [DATE_OID]: parseDate, [INT8_OID]: parseInt8 },
    });
  } catch (error) {
    release?.();
    throw dataDir ? damagedDataFolder(dataDir, error) : error;
  }
  for (const [name, value] of Object.entries(PLANNER_SETTINGS)) {
    await pglite.exec(`set ${name} = ${value}`);
  }
  const lock = new ConnectionLock();
  const db = new Kysely<DB>({ dialect: pgliteDialect(pglite, lock) });
  return {
    db,
    kind: "embedded",
    async exec(sqlText) {
      const release = await lock.acquire();
      try {
        await pglite.exec(sqlText);
      } catch (error) {
        await pglite.exec("rollback").catch(() => undefined);
        throw error;
      } finally {
        release();
      }
    },
    close: async () => {
      await db.destroy();
      release?.();
    },
    dumpSnapshot: () => pglite.dumpDataDir("none"),
  };
}

/**
 * A pool of connections to a PostgreSQL server. DATABASE_POOL_SIZE sets its size (default 10):
 * more connections than the server has cores to run them mostly adds contention.
 */
export function openServer(
  connectionString: string,
  maxConnections = Number(process.env.DATABASE_POOL_SIZE ?? 10),
): Database {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    options: Object.entries(PLANNER_SETTINGS)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(" "),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === DATE_OID) return parseDate;
        if (oid === INT8_OID) return parseInt8;
        // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-enum-assignment -- pg's own parser table
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, a dropped database) leaves the pool; the
  // next query opens another. Without a listener the error would end the process.
  pool.on("error", (error) => {
    console.error(`trellis: a database connection was closed by the server: ${error.message}`);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    db,
    kind: "server",
    async exec(sqlText) {
      const client = await pool.connect();
      try {
        await client.query(sqlText);
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    // Kysely ends the pool only if it ran a query itself; exec alone would leave it open.
    close: async () => {
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * Hands Kysely connections whose parameterised queries run as named prepared statements, so
 * PostgreSQL parses and plans each distinct statement once per connection rather than on every
 * call (the visibility checks cost more to plan than to run; decision 0009). Statement texts
 * come from the code, never from user input, so their number is bounded.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (!name) {
      name = `t${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      return {
        query: ((text: string, values: readonly unknown[]) =>
          values.length === 0
            ? client.query(text)
            : client.query({
                name: nameOf(text),
                text,
                values: [...values],
              })) as unknown as PostgresPoolClient["query"],
        release: () => {
          client.release();
        },
      };
    },
    end: () => pool.end(),
  };
}

export async function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return config.databaseUrl ? openServer(config.databaseUrl) : openEmbedded(config.dataDir);
}
