/**
 * Network benchmark (`npm run bench -- network`), for issue 5: on a generated network of
 * 100,000 people and 1,000,000 associations with planted peer groups, all in memory,
 *  - Louvain community detection by graphology (median of 3 runs; target under 3 s) and the
 *    modularity it reaches;
 *  - the same Louvain run by networkx (Debian's python3-networkx) on the same graph in the same
 *    run, through bench/network_louvain.py, reported as a time ratio and a modularity
 *    difference (both partitions' modularity also measured by networkx's one formula);
 *  - the app's own path: the graph as built by `buildNetwork` from `child:<uuid>` keys, then
 *    `peerGroups` on it (median of 3), and `withinSteps(…, 2)` from random children (median
 *    and p95 over 200; target under 100 ms), and `childrenNearHighRisk(…, 2)` once.
 * Figures are JSON lines on stdout; a human summary goes to stderr. Nothing touches a database.
 * Options: --people N, --associations N, --seed N, --runs N (graphology Louvain repetitions).
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { UndirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";
import {
  buildNetwork,
  childrenNearHighRisk,
  nodeKey,
  peerGroups,
  seededRandom,
  withinSteps,
  type NetworkEdge,
  type NetworkNode,
} from "../src/modules/network/analysis.ts";
import { generateNetwork, type PlantedNetwork } from "./network-generate.ts";

const SUITE = "network";
const NEIGHBOURHOOD_SAMPLES = 200;
const TARGET_LOUVAIN_MS = 3000;
const TARGET_NEIGHBOURHOOD_MS = 100;
const PYTHON_SCRIPT = fileURLToPath(new URL("./network_louvain.py", import.meta.url));

// CommonJS package with an ESM-style declaration: see src/modules/network/analysis.ts.
const louvain = (
  "detailed" in louvainModule ? louvainModule : louvainModule.default
) as typeof louvainModule.default;

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

/** Modularity, ratios and sub-millisecond times need more than two decimals. */
function emitPrecise(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Number(value.toFixed(4)), unit }));
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function timed<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

function requireNetworkx(): void {
  const probe = spawnSync("python3", ["-c", "import networkx"], { encoding: "utf8" });
  if (probe.status === 0) return;
  console.error(
    "The network benchmark compares graphology with networkx, which is not installed here.\n" +
      "Install Debian's package, then run it again:\n\n  apt-get install -y python3-networkx\n",
  );
  process.exit(1);
}

interface NetworkxResult {
  seconds: number;
  modularity: number;
  communities: number;
  edges: number;
  networkx: string;
  graphology_modularity_by_networkx?: number;
}

/** The same graph through networkx: edge list and graphology's partition in temp files. */
async function runNetworkx(
  network: PlantedNetwork,
  partition: Int32Array,
  seed: number,
): Promise<NetworkxResult> {
  const folder = mkdtempSync(join(tmpdir(), "trellis-network-"));
  try {
    const edgesPath = join(folder, "edges.txt");
    const partitionPath = join(folder, "partition.txt");
    const lines: string[] = [];
    for (let i = 0; i < network.edges.length; i += 2) {
      lines.push(`${String(network.edges[i])} ${String(network.edges[i + 1])}`);
    }
    writeFileSync(edgesPath, lines.join("\n") + "\n");
    writeFileSync(partitionPath, Array.from(partition).join("\n") + "\n");
    const { stdout } = await promisify(execFile)(
      "python3",
      [PYTHON_SCRIPT, edgesPath, String(network.people), String(seed), partitionPath],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as NetworkxResult;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The bare library on integer keys in the networkx graph's node order. */
function graphologyLouvain(network: PlantedNetwork, seed: number, runs: number) {
  const graph = new UndirectedGraph();
  for (let i = 0; i < network.people; i++) graph.addNode(String(i));
  for (let i = 0; i < network.edges.length; i += 2) {
    graph.addEdge(String(network.edges[i]), String(network.edges[i + 1]));
  }
  const times: number[] = [];
  let detailed: ReturnType<typeof louvain.detailed> | undefined;
  for (let run = 0; run < runs; run++) {
    const { ms, result } = timed(() => louvain.detailed(graph, { rng: seededRandom(seed) }));
    times.push(ms);
    detailed = result;
  }
  if (!detailed) throw new Error("--runs must be at least 1");
  const partition = new Int32Array(network.people);
  for (let i = 0; i < network.people; i++) partition[i] = detailed.communities[String(i)] ?? -1;
  return { times, modularity: detailed.modularity, count: detailed.count, partition };
}

/** The app's input: children and adults of concern keyed by uuid, as networkAround gives. */
function appInput(network: PlantedNetwork, seed: number) {
  const random = seededRandom(seed + 1);
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join("");
  const nodes: NetworkNode[] = [];
  for (let i = 0; i < network.people; i++) {
    // One person in ten is an adult of concern; one in a hundred is high-risk.
    const adult = random() < 0.1;
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    nodes.push({
      key: nodeKey(adult ? "poc" : "child", id),
      kind: adult ? "poc" : "child",
      label: `${adult ? "Adult" : "Child"} ${String(i)}`,
      ...(random() < 0.01 ? { risk: "high" as const } : {}),
    });
  }
  const edges: NetworkEdge[] = [];
  for (let i = 0; i < network.edges.length; i += 2) {
    const from = nodes[network.edges[i] ?? 0];
    const to = nodes[network.edges[i + 1] ?? 0];
    if (from && to) edges.push({ from: from.key, to: to.key });
  }
  return { nodes, edges };
}

function summarise(lines: string[]): void {
  console.error(lines.join("\n"));
}

export async function runNetworkBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      people: { type: "string", default: "100000" },
      associations: { type: "string", default: "1000000" },
      seed: { type: "string", default: "1" },
      runs: { type: "string", default: "3" },
    },
  });
  const people = Number(values.people);
  const associations = Number(values.associations);
  const seed = Number(values.seed);
  const runs = Number(values.runs);
  requireNetworkx();

  const generated = timed(() => generateNetwork({ people, associations, seed }));
  const network = generated.result;
  emit("generate_ms", generated.ms, "ms");
  emit("people", network.people, "count");
  emit("associations", network.edges.length / 2, "count");
  emit("communities_planted", network.plantedGroups, "count");

  const bare = graphologyLouvain(network, seed, runs);
  const graphologyMs = percentile(bare.times, 50);
  emit("louvain_graphology_ms", graphologyMs, "ms");
  emit("communities_graphology", bare.count, "count");
  emitPrecise("modularity_graphology", bare.modularity, "Q");

  const nx = await runNetworkx(network, bare.partition, seed);
  emit("louvain_networkx_ms", nx.seconds * 1000, "ms");
  emit("communities_networkx", nx.communities, "count");
  emitPrecise("modularity_networkx", nx.modularity, "Q");
  emitPrecise("louvain_time_ratio", (nx.seconds * 1000) / graphologyMs, "ratio");
  emitPrecise("modularity_difference", bare.modularity - nx.modularity, "Q");
  const crossCheck = nx.graphology_modularity_by_networkx ?? Number.NaN;
  emitPrecise("modularity_graphology_by_networkx", crossCheck, "Q");

  const input = appInput(network, seed);
  const built = timed(() => buildNetwork(input.edges, input.nodes));
  const graph = built.result;
  emit("graph_build_ms", built.ms, "ms");

  const groupTimes: number[] = [];
  let groups: ReturnType<typeof peerGroups> | undefined;
  for (let run = 0; run < runs; run++) {
    const { ms, result } = timed(() => peerGroups(graph, { seed }));
    groupTimes.push(ms);
    groups = result;
  }
  const peerGroupsMs = percentile(groupTimes, 50);
  emit("peer_groups_app_ms", peerGroupsMs, "ms");
  emitPrecise("modularity_app", groups?.modularity ?? Number.NaN, "Q");

  const children = input.nodes.filter((n) => n.kind === "child");
  const pick = seededRandom(seed + 2);
  const stepTimes: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < NEIGHBOURHOOD_SAMPLES; i++) {
    const child = children[Math.floor(pick() * children.length)];
    if (!child) continue;
    const { ms, result } = timed(() => withinSteps(graph, child.key, 2));
    stepTimes.push(ms);
    sizes.push(result.length);
  }
  const stepMedian = percentile(stepTimes, 50);
  const stepP95 = percentile(stepTimes, 95);
  emitPrecise("two_step_neighbourhood_median_ms", stepMedian, "ms");
  emitPrecise("two_step_neighbourhood_p95_ms", stepP95, "ms");
  emit("two_step_neighbourhood_nodes_median", percentile(sizes, 50), "count");

  const near = timed(() => childrenNearHighRisk(graph, 2));
  emit("children_near_high_risk_ms", near.ms, "ms");
  emit("children_near_high_risk", near.result.length, "count");

  const verdict = (ms: number, target: number) => (ms < target ? "within" : "OVER");
  summarise([
    `Network of ${String(network.people)} people, ${String(network.edges.length / 2)} associations, ` +
      `${String(network.plantedGroups)} planted groups (generated in ${generated.ms.toFixed(0)} ms).`,
    `graphology Louvain: median ${graphologyMs.toFixed(0)} ms of ${String(runs)} ` +
      `(${verdict(graphologyMs, TARGET_LOUVAIN_MS)} the ${String(TARGET_LOUVAIN_MS)} ms target), ` +
      `${String(bare.count)} communities, modularity ${bare.modularity.toFixed(4)} ` +
      `(${crossCheck.toFixed(4)} by networkx's formula).`,
    `networkx ${nx.networkx} Louvain: ${(nx.seconds * 1000).toFixed(0)} ms (one run), ` +
      `${String(nx.communities)} communities, modularity ${nx.modularity.toFixed(4)}: ` +
      `${((nx.seconds * 1000) / graphologyMs).toFixed(1)}x graphology's time, modularity ` +
      `difference ${(bare.modularity - nx.modularity).toFixed(4)}.`,
    `App path: buildNetwork ${built.ms.toFixed(0)} ms; peerGroups median ` +
      `${peerGroupsMs.toFixed(0)} ms (${verdict(peerGroupsMs, TARGET_LOUVAIN_MS)} target), ` +
      `modularity ${(groups?.modularity ?? Number.NaN).toFixed(4)}.`,
    `2-step neighbourhood of a child: median ${stepMedian.toFixed(2)} ms, p95 ` +
      `${stepP95.toFixed(2)} ms over ${String(stepTimes.length)} children ` +
      `(${verdict(stepP95, TARGET_NEIGHBOURHOOD_MS)} the ${String(TARGET_NEIGHBOURHOOD_MS)} ms target), ` +
      `median ${String(percentile(sizes, 50))} nodes.`,
    `Children within 2 steps of a high-risk node: ${String(near.result.length)} in ` +
      `${near.ms.toFixed(0)} ms.`,
  ]);
}
