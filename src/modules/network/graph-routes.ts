import type { FastifyInstance } from "fastify";
import { UndirectedGraph } from "graphology";
import forceAtlas2Module from "graphology-layout-forceatlas2";
import { actorOf, addRoute, type AppServices } from "../../platform/routes.ts";
import { getVisiblePerson, personIdFrom } from "../people/routes.ts";
import type { NodeKind, NodeRisk } from "./analysis.ts";
import { networkAround, type NetworkAround } from "./graph.ts";

/** As the network page: the child's contacts and their contacts' contacts. */
const GRAPH_STEPS = 2;

/** Enough ForceAtlas2 passes to untangle a few hundred nodes while a request waits. */
const LAYOUT_ITERATIONS = 150;

// CommonJS with an ESM-style declaration, as graphology-communities-louvain (analysis.ts): Node
// hands over the function itself, while TypeScript types the default import as the module.
const forceAtlas2 = (
  "assign" in forceAtlas2Module ? forceAtlas2Module : forceAtlas2Module.default
) as typeof forceAtlas2Module.default;

export interface GraphNode {
  key: string;
  label: string;
  kind: NodeKind;
  /** Louvain community number: 0 for the largest group. */
  community: number;
  risk?: NodeRisk;
  /** Where the node has a page of its own (every node the viewer may see has one). */
  href: string;
  x: number;
  y: number;
  size: number;
}

export interface GraphEdge {
  source: string;
  target: string;
}

/** What the browser draws: positions are worked out here, so the browser only draws. */
export interface NetworkDrawing {
  centre: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const pagePrefix: Record<NodeKind, string> = {
  child: "/people/",
  poc: "/network/persons/",
  place: "/network/places/",
  group: "/network/groups/",
};

function hrefOf(key: string, kind: NodeKind): string {
  return pagePrefix[kind] + key.slice(key.indexOf(":") + 1);
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Starting positions: each peer group on a small ring of its own, the rings spaced around a
 * large one, the child's group first and the child at its ring's start. The start is fixed,
 * and ForceAtlas2 has no randomness, so the same network is always drawn the same way.
 */
function startPositions(around: NetworkAround): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  const groups = around.groups.groups.map((members) => {
    const at = members.indexOf(around.centre);
    return at < 0 ? members : [...members.slice(at), ...members.slice(0, at)];
  });
  const first = groups.findIndex((members) => members.includes(around.centre));
  if (first > 0) groups.unshift(...groups.splice(first, 1));
  const spread = groups.length > 1 ? 10 + 2 * groups.length : 0;
  groups.forEach((members, g) => {
    const angle = (2 * Math.PI * g) / groups.length;
    const cx = spread * Math.cos(angle);
    const cy = spread * Math.sin(angle);
    const radius = 1 + Math.sqrt(members.length);
    members.forEach((key, m) => {
      const a = (2 * Math.PI * m) / members.length;
      positions.set(key, { x: cx + radius * Math.cos(a), y: cy + radius * Math.sin(a) });
    });
  });
  return positions;
}

/**
 * Lays out the network around the child: starting positions by peer group, then a fixed
 * number of ForceAtlas2 passes, so connected nodes settle together.
 * Only what `networkAround` returned is in it: that already holds only what the viewer may see.
 */
export function drawNetwork(around: NetworkAround): NetworkDrawing {
  const start = startPositions(around);
  const layout = new UndirectedGraph<{ x: number; y: number }>();
  around.graph.forEachNode((key) => {
    const { x, y } = start.get(key) ?? { x: 0, y: 0 };
    layout.addNode(key, { x, y });
  });
  around.graph.forEachEdge((_edge, _attributes, source, target) => {
    layout.mergeEdge(source, target);
  });
  if (layout.size > 0) {
    forceAtlas2.assign(layout, {
      iterations: LAYOUT_ITERATIONS,
      settings: forceAtlas2.inferSettings(layout),
    });
  }
  const nodes = around.graph.mapNodes((key, { kind, label, risk }): GraphNode => {
    const { x, y } = layout.getNodeAttributes(key);
    const degree = around.graph.degree(key);
    return {
      key,
      label,
      kind,
      community: around.groups.community.get(key) ?? 0,
      ...(risk ? { risk } : {}),
      href: hrefOf(key, kind),
      x: round(x),
      y: round(y),
      size: round((key === around.centre ? 10 : 5) + 2 * Math.sqrt(degree)),
    };
  });
  const edges = around.graph.mapEdges((_edge, _attributes, source, target) => ({
    source,
    target,
  }));
  return { centre: around.centre, nodes, edges };
}

/** The network graph as JSON for the drawing on the child's network page. */
export function registerNetworkGraphRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/network/graph.json",
    permission: "exploitation.view",
    audit: "network.view",
    personParam: "id",
    handler: async (request, reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const around = await networkAround(ctx.db, actor, person.id, GRAPH_STEPS, ctx.now);
      const drawing: NetworkDrawing = around
        ? drawNetwork(around)
        : { centre: `child:${person.id}`, nodes: [], edges: [] };
      ctx.audit({
        personIds: drawing.nodes
          .filter((n) => n.kind === "child")
          .map((n) => n.key.slice("child:".length)),
        summary: {
          graph: true,
          nodes: drawing.nodes.length,
          ...(person.via_break_glass ? { breakGlass: true } : {}),
        },
      });
      // Intelligence: not to be kept by a shared cache or the browser's.
      reply.header("cache-control", "no-store");
      return { json: drawing };
    },
  });
}
