import type { ExpressionBuilder } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { associationVisible } from "../../access/network.ts";
import { personVisible } from "../../access/visibility.ts";
import type { Db } from "../../platform/database.ts";
import type { DB } from "../../platform/schema.ts";
import {
  buildNetwork,
  childrenNearHighRisk,
  mostConnected,
  nodeKey,
  peerGroups,
  withinSteps,
  type ChildNearRisk,
  type Network,
  type NetworkEdge,
  type NetworkNode,
  type NodeAtDistance,
  type NodeKind,
  type NodeRisk,
  type PeerGroups,
  type RankedNode,
} from "./analysis.ts";

/**
 * The network around one child as the actor may see it. Associations are loaded a step at a
 * time and every query carries associationVisible, so what the actor may not see is never
 * read, and a node reachable only through it is never reached: it is not in the graph, not in
 * a degree, not in a count.
 */
export interface NetworkAround {
  centre: string;
  graph: Network;
  groups: PeerGroups;
  mostConnected: RankedNode[];
  distances: NodeAtDistance[];
  nearHighRisk: ChildNearRisk[];
}

const MOST_CONNECTED = 10;

type Ids = Record<NodeKind, string[]>;
type AssociationEb = ExpressionBuilder<DB, "association">;

/** The column of an association naming the far end of each kind (children use two). */
const farEnd = {
  poc: "association.person_of_concern_id",
  place: "association.location_id",
  group: "association.peer_group_id",
} as const;

function byKind(keys: Iterable<string>): Ids {
  const ids: Ids = { child: [], poc: [], place: [], group: [] };
  for (const key of keys) {
    const at = key.indexOf(":");
    ids[key.slice(0, at) as NodeKind].push(key.slice(at + 1));
  }
  return ids;
}

/** Associations with an end among `ids`. */
function touching(eb: AssociationEb, ids: Ids) {
  const conditions = [];
  if (ids.child.length > 0) {
    conditions.push(eb("association.child_id", "in", ids.child));
    conditions.push(eb("association.other_child_id", "in", ids.child));
  }
  for (const kind of ["poc", "place", "group"] as const) {
    if (ids[kind].length > 0) conditions.push(eb(farEnd[kind], "in", ids[kind]));
  }
  return eb.or(conditions);
}

/** Associations with both ends among `ids` (the child end is always a child). */
function within(eb: AssociationEb, ids: Ids) {
  return eb.and([
    eb("association.child_id", "in", ids.child),
    eb.or([
      eb("association.other_child_id", "in", ids.child),
      ...(["poc", "place", "group"] as const)
        .filter((kind) => ids[kind].length > 0)
        .map((kind) => eb(farEnd[kind], "in", ids[kind])),
    ]),
  ]);
}

interface Row {
  id: string;
  child_id: string;
  other_child_id: string | null;
  person_of_concern_id: string | null;
  location_id: string | null;
  peer_group_id: string | null;
}

function ends(row: Row): [string, string] {
  const from = nodeKey("child", row.child_id);
  if (row.other_child_id) return [from, nodeKey("child", row.other_child_id)];
  if (row.person_of_concern_id) return [from, nodeKey("poc", row.person_of_concern_id)];
  if (row.location_id) return [from, nodeKey("place", row.location_id)];
  return [from, nodeKey("group", row.peer_group_id ?? "")];
}

async function visibleAssociations(
  db: Db,
  actor: Actor,
  now: Date,
  where: (eb: AssociationEb) => ReturnType<AssociationEb["or"]>,
): Promise<Row[]> {
  return db
    .selectFrom("association")
    .select([
      "id",
      "child_id",
      "other_child_id",
      "person_of_concern_id",
      "location_id",
      "peer_group_id",
    ])
    .where(associationVisible(actor, now, "association"))
    .where(where)
    .execute();
}

/** Labels and risk of the nodes reached: children by name and latest screening level. */
async function describeNodes(db: Db, ids: Ids): Promise<NetworkNode[]> {
  const nodes: NetworkNode[] = [];
  const add = (kind: NodeKind, id: string, label: string, risk?: string) => {
    nodes.push({
      key: nodeKey(kind, id),
      kind,
      label,
      ...(risk ? { risk: risk as NodeRisk } : {}),
    });
  };
  if (ids.child.length > 0) {
    const levels = await db
      .selectFrom("exploitation_screening")
      .distinctOn("person_id")
      .select(["person_id", "judged_level"])
      .where("person_id", "in", ids.child)
      .orderBy("person_id")
      .orderBy("screened_on", "desc")
      .orderBy("recorded_at", "desc")
      .execute();
    const level = new Map(levels.map((r) => [r.person_id, r.judged_level]));
    const people = await db
      .selectFrom("person")
      .select(["id", "given_name", "family_name"])
      .where("id", "in", ids.child)
      .execute();
    for (const p of people) add("child", p.id, `${p.given_name} ${p.family_name}`, level.get(p.id));
  }
  if (ids.poc.length > 0) {
    const rows = await db
      .selectFrom("person_of_concern")
      .select(["id", "name", "risk_level"])
      .where("id", "in", ids.poc)
      .execute();
    for (const r of rows) add("poc", r.id, r.name, r.risk_level);
  }
  if (ids.place.length > 0) {
    const rows = await db
      .selectFrom("location")
      .select(["id", "name"])
      .where("id", "in", ids.place)
      .execute();
    for (const r of rows) add("place", r.id, r.name);
  }
  if (ids.group.length > 0) {
    const rows = await db
      .selectFrom("peer_group")
      .select(["id", "name"])
      .where("id", "in", ids.group)
      .execute();
    for (const r of rows) add("group", r.id, r.name);
  }
  return nodes;
}

/**
 * The network within `steps` steps of the child `personId`, or undefined when the actor may
 * not see the child. Children at the edge are joined to each other too (both ends already
 * reached), so peer groups are found on every tie among the nodes shown.
 */
export async function networkAround(
  db: Db,
  actor: Actor,
  personId: string,
  steps: number,
  now: Date,
): Promise<NetworkAround | undefined> {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError("steps must be 0 or more");
  const visible = await db
    .selectFrom("person")
    .select("id")
    .where("id", "=", personId)
    .where(personVisible(actor, now, "person"))
    .executeTakeFirst();
  if (!visible) return undefined;

  const centre = nodeKey("child", personId);
  const reached = new Set([centre]);
  const edges = new Map<string, NetworkEdge>();
  let frontier = [centre];
  for (let step = 1; step <= steps && frontier.length > 0; step++) {
    const ids = byKind(frontier);
    const rows = await visibleAssociations(db, actor, now, (eb) => touching(eb, ids));
    frontier = [];
    for (const row of rows) {
      const [from, to] = ends(row);
      edges.set(row.id, { from, to });
      for (const key of [from, to]) {
        if (!reached.has(key)) {
          reached.add(key);
          frontier.push(key);
        }
      }
    }
  }
  if (steps > 0 && frontier.length > 0) {
    // Ties between nodes at the last step: both ends are already reached.
    const ids = byKind(reached);
    const rows = await visibleAssociations(db, actor, now, (eb) => within(eb, ids));
    for (const row of rows) {
      const [from, to] = ends(row);
      if (reached.has(from) && reached.has(to)) edges.set(row.id, { from, to });
    }
  }

  const graph = buildNetwork([...edges.values()], await describeNodes(db, byKind(reached)));
  return {
    centre,
    graph,
    groups: peerGroups(graph),
    mostConnected: mostConnected(graph, MOST_CONNECTED),
    distances: withinSteps(graph, centre, steps),
    nearHighRisk: childrenNearHighRisk(graph, steps),
  };
}
