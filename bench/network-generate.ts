import { seededRandom } from "../src/modules/network/analysis.ts";

/**
 * A synthetic association network with planted peer groups, for the network benchmark: people
 * fall into groups of 10 to 60, and each association joins two people of one group with
 * probability `inside` (dense inner ties), otherwise two people anywhere (sparse ties between).
 * Every association is a distinct pair, so the count asked for is the count of ties. Small
 * groups fill up (a group of 10 has only 45 pairs); their spare draws become ties between
 * groups, as in life a small tight group still knows people outside it.
 */
export interface PlantedNetwork {
  people: number;
  /** Pairs as [u0, v0, u1, v1, ...], u < v, person numbers 0..people-1. */
  edges: Uint32Array;
  plantedGroups: number;
}

export function generateNetwork(options: {
  people: number;
  associations: number;
  seed: number;
  inside?: number;
}): PlantedNetwork {
  const { people, associations, seed } = options;
  const inside = options.inside ?? 0.9;
  const maxPairs = (people * (people - 1)) / 2;
  if (!Number.isInteger(people) || people < 2 || !Number.isInteger(associations)) {
    throw new RangeError("people must be at least 2 and associations a whole number");
  }
  if (associations < 0 || associations > maxPairs / 2) {
    throw new RangeError(`at most ${maxPairs / 2} associations among ${people} people`);
  }
  const random = seededRandom(seed);

  // Groups: consecutive runs of people, sizes drawn from 10..60 (the last one takes the rest).
  const groupStart = new Uint32Array(people);
  const groupSize = new Uint32Array(people);
  let plantedGroups = 0;
  for (let start = 0; start < people; plantedGroups++) {
    const size = Math.min(people - start, 10 + Math.floor(random() * 51));
    for (let i = start; i < start + size; i++) {
      groupStart[i] = start;
      groupSize[i] = size;
    }
    start += size;
  }

  const edges = new Uint32Array(associations * 2);
  const seen = new Set<number>();
  let count = 0;
  while (count < associations) {
    const u = Math.floor(random() * people);
    const size = groupSize[u] ?? 1;
    const v =
      random() < inside && size > 1
        ? (groupStart[u] ?? 0) + Math.floor(random() * size)
        : Math.floor(random() * people);
    if (u === v) continue;
    const low = Math.min(u, v);
    const high = Math.max(u, v);
    const pair = low * people + high;
    if (seen.has(pair)) continue;
    seen.add(pair);
    edges[count * 2] = low;
    edges[count * 2 + 1] = high;
    count++;
  }
  return { people, edges, plantedGroups };
}
