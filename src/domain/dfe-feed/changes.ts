/**
 * What changed since the DfE last accepted a child's document (decision 0034): the hash of
 * the document as built, and the episodes and items it held, so that anything sent before and
 * gone now (deleted, entered in error, moved away by a merge) is sent again with `purge`.
 */
import { createHash } from "node:crypto";

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type Doc = { [key: string]: Json };

/** Each list inside an episode, and the field naming its items. */
const ITEM_LISTS = {
  child_and_family_assessments: "child_and_family_assessment_id",
  child_in_need_plans: "child_in_need_plan_id",
  section_47_assessments: "section_47_assessment_id",
  child_protection_plans: "child_protection_plan_id",
  child_looked_after_placements: "child_looked_after_placement_id",
} as const;
type ItemList = keyof typeof ITEM_LISTS;

const EPISODE = "social_care_episodes";

/** SHA-256 of the document: the builder always orders its keys and lists the same way. */
export function documentHash(document: unknown): string {
  return createHash("sha256").update(JSON.stringify(document)).digest("hex");
}

/** An id as text: the builder's ids are strings; anything else is not an item to track. */
const idOf = (value: Json | undefined): string | null => (typeof value === "string" ? value : null);

const isDoc = (value: Json | undefined): value is Doc =>
  typeof value === "object" && !Array.isArray(value);

function episodesOf(document: Doc): Doc[] {
  const children = document.Children;
  const list = isDoc(children) ? children[EPISODE] : undefined;
  return Array.isArray(list) ? list.filter(isDoc) : [];
}

/** The document's episodes and items as `episode:<id>` and `<list>:<episode id>:<id>`. */
export function documentItems(document: Doc): string[] {
  const items: string[] = [];
  for (const episode of episodesOf(document)) {
    const episodeId = idOf(episode.social_care_episode_id);
    if (episodeId === null) continue;
    items.push(`episode:${episodeId}`);
    for (const [list, idField] of Object.entries(ITEM_LISTS)) {
      const entries = episode[list];
      if (!Array.isArray(entries)) continue;
      for (const entry of entries.filter(isDoc)) {
        const id = idOf(entry[idField]);
        if (id !== null) items.push(`${list}:${episodeId}:${id}`);
      }
    }
  }
  return items;
}

/**
 * The document with a `purge` entry for each episode or item of `sentBefore` it no longer
 * holds. A gone episode is purged whole; a gone item of a remaining episode is purged inside
 * it. Returns the number of purge entries added.
 */
export function withPurges(
  document: Doc,
  sentBefore: readonly string[],
): { document: Doc; purges: number } {
  const now = new Set(documentItems(document));
  const gone = sentBefore.filter((item) => !now.has(item));
  if (gone.length === 0) return { document, purges: 0 };
  const copy = structuredClone(document);
  const children = copy.Children as Doc;
  const episodes = episodesOf(copy);
  const goneEpisodes = new Set(
    gone.filter((i) => i.startsWith("episode:")).map((i) => i.slice("episode:".length)),
  );
  let purges = 0;
  for (const id of goneEpisodes) {
    episodes.push({ social_care_episode_id: id, purge: true });
    purges += 1;
  }
  for (const item of gone) {
    const [list, episodeId, id] = item.split(":");
    if (!list || !episodeId || !id || !(list in ITEM_LISTS) || goneEpisodes.has(episodeId))
      continue;
    const episode = episodes.find((e) => e.social_care_episode_id === episodeId);
    if (!episode) continue;
    const entries = Array.isArray(episode[list]) ? episode[list] : [];
    entries.push({ [ITEM_LISTS[list as ItemList]]: id, purge: true });
    episode[list] = entries;
    purges += 1;
  }
  children[EPISODE] = episodes;
  return { document: copy, purges };
}
