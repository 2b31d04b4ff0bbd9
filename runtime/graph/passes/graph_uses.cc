#include "runtime/graph/passes/graph_uses.h"

namespace eir {

GraphUses compute_graph_uses(const Graph& graph) {
  GraphUses u;
  const size_t n = graph.tensors.size();
  u.producer.assign(n, -1);
  u.consumers.assign(n, {});
  u.is_model_output.assign(n, 0);
  u.is_model_input.assign(n, 0);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    for (int t : graph.nodes[i].inputs)
      if (t >= 0) u.consumers[static_cast<size_t>(t)].push_back(static_cast<int>(i));
    for (int t : graph.nodes[i].outputs) u.producer[static_cast<size_t>(t)] = static_cast<int>(i);
  }
  for (int t : graph.outputs) u.is_model_output[static_cast<size_t>(t)] = 1;
  for (int t : graph.inputs) u.is_model_input[static_cast<size_t>(t)] = 1;
  return u;
}

void erase_nodes(Graph& graph, const std::vector<uint8_t>& removed) {
  std::vector<Node> kept;
  kept.reserve(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    if (!removed[i]) kept.push_back(std::move(graph.nodes[i]));
  graph.nodes = std::move(kept);
}

}  // namespace eir
