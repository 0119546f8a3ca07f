import { UndirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";

/**
 * Network analysis over the exploitation network (issue 5, item 5): pure functions over an
 * undirected graphology graph whose nodes are keyed `<kind>:<id>` (`child:<uuid>`,
 * `poc:<uuid>`, `place:<uuid>`, `group:<uuid>`). What goes into the graph is decided elsewhere
 * (src/access/network.ts): these functions only ever see what the viewer may see.
 */

export type NodeKind = "child" | "poc" | "place" | "group";
export type NodeRisk = "none" | "unknown" | "low" | "medium" | "high";

export interface NodeAttributes {
  kind: NodeKind;
  label: string;
  risk?: NodeRisk;
}

export interface NetworkNode extends NodeAttributes {
  key: string;
}

export interface NetworkEdge {
  from: string;
  to: string;
}

export type Network = UndirectedGraph<NodeAttributes>;

/** A node's key: its kind and its id, so a child and a place can never collide. */
export function nodeKey(kind: NodeKind, id: string): string {
  return `${kind}:${id}`;
}

// The package is CommonJS with an ESM-style declaration: under NodeNext TypeScript types the
// default import as the module object, while Node hands over the function itself.
const louvain = (
  "detailed" in louvainModule ? louvainModule : louvainModule.default
) as typeof louvainModule.default;

/**
 * The graph of the given nodes and associations. Repeated associations between the same pair
 * (the police and a school reporting the same friendship) are one tie: the analysis asks who
 * is connected, and counting reports would let one busy source shape the peer groups. An edge
 * naming a node that is not listed is a programming error, not something to guess a label for.
 */
export function buildNetwork(
  edges: readonly NetworkEdge[],
  nodes: readonly NetworkNode[],
): Network {
  const graph: Network = new UndirectedGraph<NodeAttributes>({ allowSelfLoops: false });
  for (const { key, kind, label, risk } of nodes) {
    graph.mergeNode(key, risk === undefined ? { kind, label } : { kind, label, risk });
  }
  for (const { from, to } of edges) {
    if (!graph.hasNode(from) || !graph.hasNode(to)) {
      throw new Error(`association names a node not in the network: ${from} - ${to}`);
    }
    if (from !== to) graph.mergeEdge(from, to);
  }
  return graph;
}

/** A small seeded generator (mulberry32): the same network always gives the same groups. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PeerGroups {
  /** The community number of each node, 0 for the largest group, then by size. */
  community: Map<string, number>;
  /** The members of each community (keys), largest first; ties by first member's label. */
  groups: string[][];
  /** Newman modularity of the partition (resolution 1 unless given). */
  modularity: number;
}

/**
 * Peer groups by Louvain community detection. Louvain visits nodes in a random order, so a
 * seeded generator keeps the answer the same from one page view to the next.
 */
export function peerGroups(
  graph: Network,
  options: { seed?: number; resolution?: number } = {},
): PeerGroups {
  if (graph.size === 0) {
    // Louvain's modularity is undefined without edges: every node is its own group.
    const groups = graph.nodes().map((key) => [key]);
    sortGroups(graph, groups);
    return { community: numberGroups(groups), groups, modularity: 0 };
  }
  const result = louvain.detailed(graph, {
    rng: seededRandom(options.seed ?? 1),
    resolution: options.resolution ?? 1,
  });
  const byCommunity = new Map<number, string[]>();
  graph.forEachNode((key) => {
    const id = result.communities[key] ?? -1;
    const members = byCommunity.get(id);
    if (members) members.push(key);
    else byCommunity.set(id, [key]);
  });
  const groups = [...byCommunity.values()];
  sortGroups(graph, groups);
  return { community: numberGroups(groups), groups, modularity: result.modularity };
}

// One collator for every sort: localeCompare with a locale builds one per call, which on a
// network of 100,000 people costs seconds.
const collator = new Intl.Collator("en");

function byLabel(graph: Network, a: string, b: string): number {
  const la = graph.getNodeAttribute(a, "label");
  const lb = graph.getNodeAttribute(b, "label");
  return collator.compare(la, lb) || (a < b ? -1 : a > b ? 1 : 0);
}

function sortGroups(graph: Network, groups: string[][]): void {
  for (const members of groups) members.sort((a, b) => byLabel(graph, a, b));
  groups.sort((a, b) => b.length - a.length || byLabel(graph, a[0] ?? "", b[0] ?? ""));
}

function numberGroups(groups: readonly string[][]): Map<string, number> {
  const community = new Map<string, number>();
  groups.forEach((members, index) => {
    for (const key of members) community.set(key, index);
  });
  return community;
}

export interface RankedNode {
  key: string;
  kind: NodeKind;
  label: string;
  degree: number;
}

/** The `limit` most-connected nodes by degree (distinct neighbours); ties by label. */
export function mostConnected(graph: Network, limit: number): RankedNode[] {
  const ranked: RankedNode[] = graph.mapNodes((key, { kind, label }) => ({
    key,
    kind,
    label,
    degree: graph.degree(key),
  }));
  ranked.sort(
    (a, b) =>
      b.degree - a.degree ||
      collator.compare(a.label, b.label) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return ranked.slice(0, Math.max(0, limit));
}

export interface NodeAtDistance {
  key: string;
  kind: NodeKind;
  label: string;
  distance: number;
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a whole number of 0 or more, not ${String(steps)}`);
  }
}

/** Breadth-first distances from `start`, going no further than `steps`. */
function distancesFrom(graph: Network, start: string, steps: number): Map<string, number> {
  const distance = new Map<string, number>([[start, 0]]);
  let frontier = [start];
  for (let step = 1; step <= steps && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const node of frontier) {
      graph.forEachNeighbor(node, (neighbour) => {
        if (distance.has(neighbour)) return;
        distance.set(neighbour, step);
        next.push(neighbour);
      });
    }
    frontier = next;
  }
  return distance;
}

/**
 * The nodes within `steps` steps of `start` (itself at distance 0), nearest first, then by
 * label. A step goes through any kind of node: two children seen at the same park are two
 * steps apart.
 */
export function withinSteps(graph: Network, startKey: string, steps: number): NodeAtDistance[] {
  checkSteps(steps);
  if (!graph.hasNode(startKey)) throw new Error(`not in the network: ${startKey}`);
  const found: NodeAtDistance[] = [];
  for (const [key, distance] of distancesFrom(graph, startKey, steps)) {
    const { kind, label } = graph.getNodeAttributes(key);
    found.push({ key, kind, label, distance });
  }
  return found.sort((a, b) => a.distance - b.distance || byLabel(graph, a.key, b.key));
}

export interface ChildNearRisk {
  key: string;
  label: string;
  distance: number;
  /** The nearest high-risk node other than the child; ties by label. */
  nearest: { key: string; kind: NodeKind; label: string };
}

/**
 * The children within `steps` steps of a high-risk child or adult, with the nearest such node.
 * A high-risk child counts only when another high-risk node is near: being high-risk is not
 * being near risk. Each high-risk node is searched on its own, so a child next to two is
 * measured from the nearer.
 */
export function childrenNearHighRisk(graph: Network, steps: number): ChildNearRisk[] {
  checkSteps(steps);
  const highRisk = graph.filterNodes((_key, attributes) => attributes.risk === "high");
  highRisk.sort((a, b) => byLabel(graph, a, b));
  const nearest = new Map<string, { distance: number; source: string }>();
  for (const source of highRisk) {
    for (const [key, distance] of distancesFrom(graph, source, steps)) {
      if (key === source || graph.getNodeAttribute(key, "kind") !== "child") continue;
      const known = nearest.get(key);
      // Sources come in label order, so on a tie the first one found is kept.
      if (!known || distance < known.distance) nearest.set(key, { distance, source });
    }
  }
  const children: ChildNearRisk[] = [];
  for (const [key, { distance, source }] of nearest) {
    const { kind, label } = graph.getNodeAttributes(source);
    children.push({
      key,
      label: graph.getNodeAttribute(key, "label"),
      distance,
      nearest: { key: source, kind, label },
    });
  }
  return children.sort((a, b) => a.distance - b.distance || byLabel(graph, a.key, b.key));
}
