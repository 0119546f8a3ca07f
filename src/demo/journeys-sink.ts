/**
 * Where the journey generator puts its rows. The generator streams millions of rows for the
 * large LA, so rows are buffered per table and written in bulk, a batch at a time, keeping
 * memory bounded. The database sink inserts each table's batch as one statement over unnest()
 * of column arrays: one fixed statement text per table whatever the batch size (so one
 * prepared statement), and far cheaper to parse than multi-row VALUES.
 */
import { sql, type Insertable, type Transaction } from "kysely";
import type { DB } from "../platform/schema.ts";

/** Tables the generator writes, in an order that satisfies every foreign key. */
export const SINK_TABLES = [
  "address",
  "person",
  "person_address",
  "family",
  "family_member",
  "relationship",
  "contact",
  "referral",
  "contact_child",
  "assessment",
  "strategy_discussion",
  "strategy_attendee",
  "s47_enquiry",
  // Initial conferences before plans (cp_plan.icpc_id), review conferences after them.
  "cp_conference",
  "cp_plan",
  "cp_review",
  "core_group",
  "cin_plan",
  "early_help_episode",
  "cla_episode",
  "cla_review",
  "missing_episode",
  "visit",
  "case_note",
  "allocation",
  "chronology_entry",
] as const;
export type SinkTable = (typeof SINK_TABLES)[number];

type TableOf<K extends SinkTable> = K extends "cp_review" ? "cp_conference" : K;
export type SinkRow<K extends SinkTable> = Insertable<DB[TableOf<K>]>;

export interface RowSink {
  push<K extends SinkTable>(table: K, row: SinkRow<K>): void;
  /** Rows pushed so far to a table (cp_review counts as its own). */
  count(table: SinkTable): number;
  /** Writes out buffered rows if enough have built up; call between families. */
  maybeFlush(): Promise<void>;
  /** Writes out everything buffered. */
  flush(): Promise<void>;
}

/** Keeps every row in memory: for tests, and to measure rates without a database. */
export class MemorySink implements RowSink {
  readonly rows = new Map<SinkTable, Record<string, unknown>[]>();

  push<K extends SinkTable>(table: K, row: SinkRow<K>): void {
    let list = this.rows.get(table);
    if (!list) this.rows.set(table, (list = []));
    list.push(row);
  }

  count(table: SinkTable): number {
    return this.rows.get(table)?.length ?? 0;
  }

  of<K extends SinkTable>(table: K): SinkRow<K>[] {
    return (this.rows.get(table) ?? []) as SinkRow<K>[];
  }

  maybeFlush(): Promise<void> {
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Buffered rows are written once this many have built up across tables. */
const FLUSH_AT_ROWS = 40_000;

interface Column {
  name: string;
  /** The element type for the unnest cast, e.g. uuid, date, timestamptz. */
  type: string;
  /** An array column (text[]): sent as array literals and cast after unnest. */
  array: boolean;
}

export class DatabaseSink implements RowSink {
  readonly #tx: Transaction<DB>;
  readonly #columns: Map<string, Column[]>;
  readonly #buffers = new Map<SinkTable, Record<string, unknown>[]>();
  readonly #counts = new Map<SinkTable, number>();
  #buffered = 0;
  #skipping = false;
  #busy = false;
  #writing: Promise<void> = Promise.resolve();
  /** Milliseconds spent writing each table, for the benchmark's report. */
  readonly timings = new Map<string, number>();

  private constructor(tx: Transaction<DB>, columns: Map<string, Column[]>) {
    this.#tx = tx;
    this.#columns = columns;
  }

  /**
   * Reads column types from the database, so the casts always match the schema.
   * `skipForeignKeyChecks`: for the large LA, whose tens of millions of foreign key checks
   * take half the load time, the rows skip them (session_replication_role = replica, as
   * pg_restore --disable-triggers does) where the role is allowed to (a superuser); the
   * tests check the same generator's rows against every foreign key on the small LA and with
   * journeys-check.ts. Elsewhere the checks run as usual.
   */
  static async open(
    tx: Transaction<DB>,
    options: { skipForeignKeyChecks?: boolean } = {},
  ): Promise<DatabaseSink> {
    let skipping = false;
    if (options.skipForeignKeyChecks) {
      await sql`savepoint demo_bulk_load`.execute(tx);
      try {
        await sql`set local session_replication_role = replica`.execute(tx);
        await sql`release savepoint demo_bulk_load`.execute(tx);
        skipping = true;
      } catch {
        await sql`rollback to savepoint demo_bulk_load`.execute(tx);
      }
    }
    const rows = await sql<{ table_name: string; column_name: string; udt_name: string }>`
      select table_name, column_name, udt_name from information_schema.columns
      where table_schema = current_schema() order by table_name, ordinal_position`.execute(tx);
    const columns = new Map<string, Column[]>();
    for (const r of rows.rows) {
      const array = r.udt_name.startsWith("_");
      const type = array ? "text" : r.udt_name;
      const list = columns.get(r.table_name) ?? [];
      list.push({ name: r.column_name, type, array });
      columns.set(r.table_name, list);
    }
    const sink = new DatabaseSink(tx, columns);
    sink.#skipping = skipping;
    return sink;
  }

  /** Writes everything still buffered and turns foreign key checks back on. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#skipping) await sql`set local session_replication_role = origin`.execute(this.#tx);
    this.#skipping = false;
  }

  push<K extends SinkTable>(table: K, row: SinkRow<K>): void {
    let list = this.#buffers.get(table);
    if (!list) this.#buffers.set(table, (list = []));
    list.push(row);
    this.#counts.set(table, (this.#counts.get(table) ?? 0) + 1);
    this.#buffered++;
  }

  count(table: SinkTable): number {
    return this.#counts.get(table) ?? 0;
  }

  async maybeFlush(): Promise<void> {
    // While a batch is being written, give the database client a turn between families, so it
    // can send each table's statement as the last one finishes: writing and generating overlap.
    if (this.#busy) await new Promise((resolve) => setImmediate(resolve));
    if (this.#buffered < FLUSH_AT_ROWS) return;
    // Let the previous batch finish, then start this one without waiting for it.
    await this.#writing;
    const batch = this.#take();
    this.#busy = true;
    this.#writing = this.#write(batch).finally(() => {
      this.#busy = false;
    });
  }

  async flush(): Promise<void> {
    await this.#writing;
    this.#writing = Promise.resolve();
    await this.#write(this.#take());
  }

  #take(): [SinkTable, Record<string, unknown>[]][] {
    const batch: [SinkTable, Record<string, unknown>[]][] = [];
    for (const table of SINK_TABLES) {
      const rows = this.#buffers.get(table);
      if (rows && rows.length > 0) batch.push([table, rows]);
    }
    this.#buffers.clear();
    this.#buffered = 0;
    return batch;
  }

  async #write(batch: [SinkTable, Record<string, unknown>[]][]): Promise<void> {
    for (const [table, rows] of batch) {
      const started = performance.now();
      await this.#insert(table, rows);
      this.timings.set(table, (this.timings.get(table) ?? 0) + performance.now() - started);
    }
  }

  async #insert(table: SinkTable, rows: Record<string, unknown>[]): Promise<void> {
    const target = table === "cp_review" ? "cp_conference" : table;
    const first = rows[0];
    if (!first) return;
    const known = this.#columns.get(target);
    if (!known) throw new Error(`no table ${target}`);
    const names = Object.keys(first);
    const columns = names.map((name) => {
      const column = known.find((c) => c.name === name);
      if (!column) throw new Error(`no column ${target}.${name}`);
      return column;
    });
    for (const row of rows) {
      if (Object.keys(row).length !== names.length) {
        throw new Error(`rows for ${target} must all have the same columns`);
      }
    }
    const arrays = columns.map(
      (c) => sql`${arrayLiteral(rows.map((row) => row[c.name]))}::${sql.raw(c.type)}[]`,
    );
    const refs = columns.map((c) => sql.ref(c.name));
    const selected = columns.map((c) =>
      c.array ? sql`${sql.ref(c.name)}::text[]` : sql.ref(c.name),
    );
    await sql`insert into ${sql.table(target)} (${sql.join(refs)})
      select ${sql.join(selected)} from unnest(${sql.join(arrays)}) as u(${sql.join(refs)})`.execute(
      this.#tx,
    );
  }
}

/** A PostgreSQL array literal of the values, each quoted; null as NULL. */
function arrayLiteral(values: unknown[]): string {
  const parts = values.map((value) => {
    if (value === null || value === undefined) return "NULL";
    return `"${escape(textOf(value))}"`;
  });
  return `{${parts.join(",")}}`;
}

const SPECIAL = /["\\]/;

function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((v) => `"${escape(String(v))}"`).join(",")}}`;
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new Error(`cannot write ${typeof value} to the database`);
}

function escape(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}
