/**
 * Finding the same person (decision 0022): the SQL that search and the duplicate check share.
 * A name matches by trigram similarity (typing errors) or by Double Metaphone keys (sounds
 * alike: "Sara Holdin" is Sarah Holden, "Lewis Reilly" is Louis Riley); each way is its own
 * indexed branch, so PostgreSQL probes an index for each and scores only the union.
 */
import { sql, type RawBuilder } from "kysely";

/** A name as typed, split the way the person table stores it. */
export interface NameQuery {
  /** The whole name, lower case, single spaces. */
  full: string;
  /** First word (the given name) and last word (the family name); equal for one word. */
  first: string;
  last: string;
  single: boolean;
}

export function nameQuery(typed: string): NameQuery | undefined {
  const full = typed.trim().toLowerCase().replace(/\s+/g, " ");
  if (!full) return undefined;
  const words = full.split(" ");
  const first = words[0] ?? full;
  const last = words[words.length - 1] ?? full;
  return { full, first, last, single: words.length === 1 };
}

/** Trigram similarity for a word typed with up to two errors, and for the whole name. */
const WORD_SIMILARITY = 0.3;
/** Lower within a block that already agrees on sound and an initial: a short word mistyped
 * twice ("Hrriis" for Harris) keeps few of its trigrams. */
const BLOCK_SIMILARITY = 0.2;

/**
 * Ids of the people of LA `laId` whose name may be `name`, as a union of indexed branches
 * ("blocks"), each small even for the commonest names, so that at a million people the union
 * stays a few hundred rows at most (decision 0022):
 *  - both phonetic keys agree (Sara Holdin, Lewis Reilly);
 *  - the family name sounds the same and the given name starts with the same letter and is
 *    spelt alike (one word mistyped so that it no longer sounds the same);
 *  - the same the other way round;
 *  - both words start with the same two letters and the whole name is spelt alike (both
 *    words mistyped).
 * One word is matched as before: within the whole name (word similarity), or against the
 * family name by spelling or by sound.
 */
export function nameCandidateIds(
  laId: string,
  name: NameQuery,
  also: RawBuilder<boolean> = sql<boolean>`true`,
): RawBuilder<unknown> {
  const { full, first, last } = name;
  if (name.single) {
    return sql`select c.id from person c where c.search_name %> ${full} and c.la_id = ${laId}
      union select c.id from person c where lower(c.family_name) % ${last} and c.la_id = ${laId}
      union select c.id from person c where c.la_id = ${laId} and c.family_key = dmetaphone(${last})`;
  }
  return sql`select c.id from person c where c.la_id = ${laId}
      and c.family_key = dmetaphone(${last}) and c.given_key = dmetaphone(${first}) and ${also}
    union select c.id from person c where c.la_id = ${laId}
      and c.family_key = dmetaphone(${last}) and left(lower(c.given_name), 1) = ${first.slice(0, 1)}
      and ${also} and similarity(lower(c.given_name), ${first}) >= ${BLOCK_SIMILARITY}
    union select c.id from person c where c.la_id = ${laId}
      and c.given_key = dmetaphone(${first}) and left(lower(c.family_name), 1) = ${last.slice(0, 1)}
      and ${also} and similarity(lower(c.family_name), ${last}) >= ${BLOCK_SIMILARITY}
    union select c.id from person c where c.la_id = ${laId}
      and left(lower(c.given_name), 2) = ${first.slice(0, 2)}
      and left(lower(c.family_name), 2) = ${last.slice(0, 2)}
      and ${also} and similarity(c.search_name, ${full}) >= ${WORD_SIMILARITY}`;
}

/**
 * How alike the name is, 0 to 1: the best of trigram similarity of the whole name, word
 * similarity within it, the two words compared one by one, and sound (each phonetic key that
 * agrees counts, so a misspelling that sounds the same ranks with a close spelling).
 */
export function nameScore(alias: string, name: NameQuery): RawBuilder<number> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const { full, first, last } = name;
  const words = name.single
    ? sql`greatest(similarity(lower(${col("family_name")}), ${last}),
        similarity(lower(${col("given_name")}), ${first}))`
    : sql`(similarity(lower(${col("given_name")}), ${first})
        + similarity(lower(${col("family_name")}), ${last})) / 2`;
  const sound = name.single
    ? sql`(case when ${col("family_key")} = dmetaphone(${last})
        or ${col("given_key")} = dmetaphone(${first}) then 0.7 else 0 end)`
    : // Sound agreeing counts, and spelling breaks the ties between names that sound alike
      // (Ivy and Eva are both AF).
      sql`(0.35 * (${col("given_key")} = dmetaphone(${first}))::int
        + 0.35 * (${col("family_key")} = dmetaphone(${last}))::int
        + 0.15 * similarity(lower(${col("given_name")}), ${first})
        + 0.15 * similarity(lower(${col("family_name")}), ${last}))`;
  // Word similarity (a name inside the whole) matters for one word only.
  const within = name.single ? sql`word_similarity(${full}, ${col("search_name")})` : sql`0`;
  return sql<number>`greatest(similarity(${col("search_name")}, ${full}), ${within}, ${words},
    ${sound})`;
}

/** A postcode as compared: capitals, no spaces ("nm1 2ab" is "NM12AB"). */
export function postcodeKey(postcode: string): string {
  return postcode.toUpperCase().replace(/\s+/g, "");
}

/** A full UK postcode, spaces optional. */
export function isPostcode(text: string): boolean {
  return /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i.test(text.trim());
}

/**
 * People living now at an address with this postcode (and, given a first line, a similar one).
 * Confidential addresses (a refuge) are never searched: a match would say where someone is.
 */
export function atPostcode(
  laId: string,
  postcode: string,
  line1: string | null = null,
): RawBuilder<unknown> {
  return sql`select pa.person_id from address a
    join person_address pa on pa.address_id = a.id and pa.end_date is null
    where a.la_id = ${laId} and upper(replace(a.postcode, ' ', '')) = ${postcodeKey(postcode)}
      and not a.confidential
      ${line1 ? sql`and lower(a.line1) % ${line1.toLowerCase()}` : sql``}`;
}

/** People living now at an address whose first line is like `line1` (any postcode). */
export function atAddress(laId: string, line1: string): RawBuilder<unknown> {
  return sql`select pa.person_id from address a
    join person_address pa on pa.address_id = a.id and pa.end_date is null
    where lower(a.line1) % ${line1.toLowerCase()} and a.la_id = ${laId} and not a.confidential`;
}
