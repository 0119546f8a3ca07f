/* global document, window, fetch */
// The network around a child, drawn with sigma.js (WebGL). Progressive enhancement only: the
// tables under the drawing list the same people, places and groups with links, and stay the
// way in for keyboard and screen-reader users. Positions come from the server
// (/people/:id/network/graph.json, which holds only what the viewer may see): this only draws.
// Without WebGL, or on any failure, the drawing stays hidden and the page is unchanged.

const wrapper = document.querySelector("[data-trellis-network-graph]");

/** Colours for peer groups (GOV.UK palette), in community order: 0 is the largest group. */
const communityColours = [
  "#1d70b8",
  "#00703c",
  "#f47738",
  "#4c2c92",
  "#d53880",
  "#28a197",
  "#b58840",
  "#912b88",
  "#5694ca",
  "#85994b",
];
const otherCommunity = "#505a5f";

/** The ring round a node says what it is; a wide red ring marks high risk. */
const kindRing = {
  child: "#ffffff",
  poc: "#0b0c0c",
  place: "#b1b4b6",
  group: "#ffdd00",
};
const kindNames = {
  child: "child",
  poc: "person of concern",
  place: "place",
  group: "peer group",
};
const highRisk = "#d4351c";

function webGlAvailable() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

/** The UMD builds set globals; imported as modules they run once, from this origin. */
async function loadLibraries() {
  await import("/assets/graphology/graphology.umd.min.js");
  await import("/assets/sigma/sigma.min.js");
  const { graphology, Sigma } = globalThis;
  if (!graphology || !Sigma) throw new Error("sigma.js or graphology did not load");
  return { Graph: graphology.UndirectedGraph, Sigma };
}

async function fetchDrawing(url) {
  const response = await fetch(url, {
    headers: { accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`network graph: ${String(response.status)}`);
  return response.json();
}

function buildGraph(Graph, drawing) {
  const graph = new Graph();
  for (const node of drawing.nodes) {
    const centre = node.key === drawing.centre;
    const high = node.risk === "high";
    graph.addNode(node.key, {
      x: node.x,
      y: node.y,
      size: node.size,
      label: `${node.label} (${kindNames[node.kind] ?? node.kind}${high ? ", high risk" : ""})`,
      color: communityColours[node.community] ?? otherCommunity,
      borderColor: high ? highRisk : (kindRing[node.kind] ?? "#ffffff"),
      borderSize: high ? 0.35 : 0.15,
      type: "bordered",
      forceLabel: centre,
      highlighted: centre,
      zIndex: centre || high ? 1 : 0,
      href: node.href,
    });
  }
  for (const edge of drawing.edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) {
      graph.mergeEdge(edge.source, edge.target, { color: "#b1b4b6", size: 1 });
    }
  }
  return graph;
}

async function draw() {
  const container = wrapper.querySelector("[data-trellis-network-graph-canvas]");
  const url = wrapper.getAttribute("data-trellis-network-graph");
  if (!container || !url || !webGlAvailable()) return;
  const [{ Graph, Sigma }, drawing] = await Promise.all([loadLibraries(), fetchDrawing(url)]);
  if (drawing.nodes.length < 2) return;
  // Shown before sigma starts, so it measures a container with a size.
  wrapper.hidden = false;
  const graph = buildGraph(Graph, drawing);
  const bordered = Sigma.rendering.createNodeBorderProgram({
    borders: [
      {
        size: { attribute: "borderSize", defaultValue: 0.15 },
        color: { attribute: "borderColor" },
      },
      { size: { fill: true }, color: { attribute: "color" } },
    ],
  });
  const renderer = new Sigma(graph, container, {
    nodeProgramClasses: { bordered },
    zIndex: true,
    labelFont: "Arial, sans-serif",
    labelSize: 14,
    labelRenderedSizeThreshold: 12,
    defaultEdgeColor: "#b1b4b6",
  });
  renderer.on("enterNode", () => container.classList.add("trellis-network-graph--pointer"));
  renderer.on("leaveNode", () => container.classList.remove("trellis-network-graph--pointer"));
  renderer.on("clickNode", ({ node }) => {
    const href = graph.getNodeAttribute(node, "href");
    if (typeof href === "string" && href.startsWith("/")) window.location.assign(href);
  });
  container.setAttribute("data-drawn", String(drawing.nodes.length));
}

if (wrapper) {
  draw().catch(() => {
    // Fail quietly: the tables below are the whole page without the drawing.
    wrapper.hidden = true;
  });
}
