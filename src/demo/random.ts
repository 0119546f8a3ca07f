/**
 * A small seeded pseudo-random number generator and the helpers the demo generator draws from.
 * Everything the demo data contains, ids included, comes from one of these streams, so the same
 * seed always yields the same data. Not for anything security related.
 */

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, fast in JS. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** splitmix32, used only to spread a seed over sfc32's four words of state. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a label, to derive independent streams ("families", "staff") from one seed. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export class Random {
  readonly #next: () => number;

  constructor(seed: number, label = "") {
    const mix = splitmix32((seed ^ hashLabel(label)) >>> 0);
    this.#next = sfc32(mix(), mix(), mix(), mix());
    // Discard the first outputs, as sfc32's authors recommend, to mix the state fully.
    for (let i = 0; i < 12; i++) this.#next();
  }

  /** A fresh uint32. */
  uint32(): number {
    return this.#next();
  }

  /** A float in [0, 1); the shape the identifier helpers in src/domain/ expect. */
  readonly float = (): number => this.#next() / 4294967296;

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** Picks from [item, weight] pairs, in proportion to the weights. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of table) total += weight;
    let target = this.float() * total;
    for (const [item, weight] of table) {
      target -= weight;
      if (target < 0) return item;
    }
    const last = table[table.length - 1];
    if (last === undefined) throw new Error("weighted pick from an empty table");
    return last[0];
  }

  /** An RFC 4122 version 4 UUID string built from this stream. */
  uuid(): string {
    const bytes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const word = this.#next();
      bytes.push(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
    }
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // variant 10xx
    const h = bytes.map((b) => HEX[b] ?? "00");
    return (
      h.slice(0, 4).join("") +
      "-" +
      h.slice(4, 6).join("") +
      "-" +
      h.slice(6, 8).join("") +
      "-" +
      h.slice(8, 10).join("") +
      "-" +
      h.slice(10, 16).join("")
    );
  }
}

// Calendar arithmetic on 'YYYY-MM-DD' strings, in UTC so no time zone can shift a date.
const DAY_MS = 86_400_000;

export function toDay(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day number `years` whole years before `day` (same month and day where it exists). */
export function yearsBefore(day: number, years: number): number {
  const date = new Date(day * DAY_MS);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return Math.floor(date.getTime() / DAY_MS);
}

/** Whole years from `dateOfBirth` to `onDay` (both day numbers): a person's age. */
export function ageOn(dateOfBirth: number, onDay: number): number {
  const birth = new Date(dateOfBirth * DAY_MS);
  const on = new Date(onDay * DAY_MS);
  let age = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() ||
    (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age--;
  return age;
}
