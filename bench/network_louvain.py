"""Louvain community detection by networkx, for `npm run bench -- network`.

Usage: python3 network_louvain.py EDGES NODES SEED [PARTITION]

EDGES is a text file of "u v" lines (integer node ids), NODES the number of nodes (ids
0..NODES-1, so people without associations are in the graph too), SEED the Louvain seed.
PARTITION, if given, holds one community number per line for node 0, 1, ...: the partition
graphology found, whose modularity is then computed here too so that both are measured by the
same formula. Only louvain_communities is timed; loading and modularity are not.
Prints one JSON object on stdout.
"""

import json
import sys
import time

import networkx as nx


def main() -> None:
    edges_path, node_count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    graph = nx.Graph()
    graph.add_nodes_from(range(node_count))
    with open(edges_path, encoding="ascii") as edges:
        graph.add_edges_from(tuple(map(int, line.split())) for line in edges)

    started = time.perf_counter()
    communities = nx.community.louvain_communities(graph, seed=seed)
    seconds = time.perf_counter() - started

    result = {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "seconds": seconds,
        "communities": len(communities),
        "modularity": nx.community.modularity(graph, communities),
        "networkx": nx.__version__,
    }
    if len(sys.argv) > 4:
        groups: dict[int, set[int]] = {}
        with open(sys.argv[4], encoding="ascii") as partition:
            for node, line in enumerate(partition):
                groups.setdefault(int(line), set()).add(node)
        result["graphology_modularity_by_networkx"] = nx.community.modularity(
            graph, groups.values()
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
