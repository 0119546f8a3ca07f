import { describe, expect, it } from "vitest";
import {
  buildNetwork,
  childrenNearHighRisk,
  mostConnected,
  nodeKey,
  peerGroups,
  seededRandom,
  withinSteps,
  type NetworkEdge,
  type NetworkNode,
  type NodeKind,
  type NodeRisk,
} from "./analysis.ts";

function node(kind: NodeKind, id: string, risk?: NodeRisk): NetworkNode {
  return { key: nodeKey(kind, id), kind, label: id, ...(risk ? { risk } : {}) };
}

function children(...ids: string[]): NetworkNode[] {
  return ids.map((id) => node("child", id));
}

function edge(a: string, b: string, kindA: NodeKind = "child", kindB: NodeKind = "child") {
  return { from: nodeKey(kindA, a), to: nodeKey(kindB, b) };
}

/** Every pair among `ids`. */
function clique(ids: string[]): NetworkEdge[] {
  return ids.flatMap((a, i) => ids.slice(i + 1).map((b) => edge(a, b)));
}

/** a - b - c - d - e - f, all children. */
function path(): ReturnType<typeof buildNetwork> {
  const ids = ["a", "b", "c", "d", "e", "f"];
  return buildNetwork(
    ids.slice(1).map((id, i) => edge(ids[i] ?? "", id)),
    children(...ids),
  );
}

describe("buildNetwork", () => {
  it("keeps each node's kind, label and risk, and one tie per pair", () => {
    const graph = buildNetwork(
      [
        edge("amy", "ben"),
        edge("ben", "amy"),
        edge("amy", "amy"),
        edge("amy", "p1", "child", "poc"),
      ],
      [...children("amy", "ben"), node("poc", "p1", "high")],
    );
    expect(graph.order).toBe(3);
    expect(graph.size).toBe(2);
    expect(graph.getNodeAttributes("poc:p1")).toEqual({ kind: "poc", label: "p1", risk: "high" });
    expect(graph.getNodeAttributes("child:amy")).toEqual({ kind: "child", label: "amy" });
  });

  it("refuses an association naming a node it was not given", () => {
    expect(() => buildNetwork([edge("amy", "ghost")], children("amy"))).toThrow(/child:ghost/);
  });
});

describe("peerGroups", () => {
  const left = ["a1", "a2", "a3", "a4", "a5"];
  const right = ["b1", "b2", "b3", "b4", "b5"];
  const twoCliques = () =>
    buildNetwork(
      [...clique(left), ...clique(right), edge("a1", "b1")],
      children(...left, ...right),
    );

  it("finds two communities in two cliques joined by one edge", () => {
    const result = peerGroups(twoCliques());
    expect(result.groups).toEqual([
      left.map((id) => `child:${id}`),
      right.map((id) => `child:${id}`),
    ]);
    for (const id of left) expect(result.community.get(`child:${id}`)).toBe(0);
    for (const id of right) expect(result.community.get(`child:${id}`)).toBe(1);
    // m = 21 edges; each clique has 10 inner edges and total degree 21:
    // Q = 2 * (10/21 - (21/42)^2) = 20/21 - 1/2.
    expect(result.modularity).toBeCloseTo(20 / 21 - 1 / 2, 10);
  });

  it("gives the same answer for the same seed", () => {
    const graph = twoCliques();
    expect(peerGroups(graph, { seed: 7 })).toEqual(peerGroups(graph, { seed: 7 }));
  });

  it("leaves every node on its own when there are no associations", () => {
    const result = peerGroups(buildNetwork([], children("b", "a")));
    expect(result.groups).toEqual([["child:a"], ["child:b"]]);
    expect(result.modularity).toBe(0);
  });
});

describe("mostConnected", () => {
  it("puts a star's centre first, then the leaves by label", () => {
    const leaves = ["zoe", "amy", "kim", "ben"];
    const graph = buildNetwork(
      leaves.map((id) => edge("hub", id, "place", "child")),
      [node("place", "hub"), ...children(...leaves)],
    );
    expect(mostConnected(graph, 3)).toEqual([
      { key: "place:hub", kind: "place", label: "hub", degree: 4 },
      { key: "child:amy", kind: "child", label: "amy", degree: 1 },
      { key: "child:ben", kind: "child", label: "ben", degree: 1 },
    ]);
    expect(mostConnected(graph, 0)).toEqual([]);
  });
});

describe("withinSteps", () => {
  it("gives the distance along a path", () => {
    const found = withinSteps(path(), "child:c", 5);
    expect(found.map((n) => [n.label, n.distance])).toEqual([
      ["c", 0],
      ["b", 1],
      ["d", 1],
      ["a", 2],
      ["e", 2],
      ["f", 3],
    ]);
  });

  it("stops exactly at 0, 1 and 2 steps", () => {
    const graph = path();
    expect(withinSteps(graph, "child:a", 0).map((n) => n.label)).toEqual(["a"]);
    expect(withinSteps(graph, "child:a", 1).map((n) => n.label)).toEqual(["a", "b"]);
    expect(withinSteps(graph, "child:a", 2).map((n) => n.label)).toEqual(["a", "b", "c"]);
  });

  it("counts the shortest way round a cycle", () => {
    const ids = ["a", "b", "c", "d", "e"];
    const graph = buildNetwork(
      ids.map((id, i) => edge(id, ids[(i + 1) % ids.length] ?? "")),
      children(...ids),
    );
    const distance = new Map(withinSteps(graph, "child:a", 4).map((n) => [n.label, n.distance]));
    expect(Object.fromEntries(distance)).toEqual({ a: 0, b: 1, e: 1, c: 2, d: 2 });
  });

  it("refuses a negative or fractional number of steps, and an unknown start", () => {
    expect(() => withinSteps(path(), "child:a", -1)).toThrow(RangeError);
    expect(() => withinSteps(path(), "child:a", 1.5)).toThrow(RangeError);
    expect(() => withinSteps(path(), "child:nobody", 1)).toThrow(/not in the network/);
  });
});

describe("childrenNearHighRisk", () => {
  // adult (high) - park - near - mid - far ; the park is not a child, so it is never listed.
  const graph = () =>
    buildNetwork(
      [
        edge("adult", "park", "poc", "place"),
        edge("near", "park", "child", "place"),
        edge("near", "mid"),
        edge("mid", "far"),
      ],
      [node("poc", "adult", "high"), node("place", "park"), ...children("near", "mid", "far")],
    );

  it("lists a child at distance 2 and not one at distance 3 within 2 steps", () => {
    expect(childrenNearHighRisk(graph(), 2)).toEqual([
      {
        key: "child:near",
        label: "near",
        distance: 2,
        nearest: { key: "poc:adult", kind: "poc", label: "adult" },
      },
    ]);
    expect(childrenNearHighRisk(graph(), 3).map((c) => [c.label, c.distance])).toEqual([
      ["near", 2],
      ["mid", 3],
    ]);
    expect(childrenNearHighRisk(graph(), 1)).toEqual([]);
  });

  it("measures from the nearer of two high-risk nodes, and not a high-risk child from itself", () => {
    const g = buildNetwork(
      [edge("x", "y"), edge("y", "z"), edge("z", "boss", "child", "poc")],
      [node("child", "x", "high"), ...children("y", "z"), node("poc", "boss", "high")],
    );
    const found = childrenNearHighRisk(g, 3);
    expect(found.map((c) => [c.label, c.distance, c.nearest.label])).toEqual([
      ["y", 1, "x"],
      ["z", 1, "boss"],
      ["x", 3, "boss"],
    ]);
  });

  it("finds nobody when no one is high-risk", () => {
    expect(childrenNearHighRisk(path(), 5)).toEqual([]);
  });
});

describe("seededRandom", () => {
  it("repeats for a seed and stays in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
