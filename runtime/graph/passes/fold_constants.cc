#include "runtime/graph/passes/fold_constants.h"

#include "runtime/executor/evaluate_node.h"

namespace eir {

Result<int> fold_constants(Graph& graph, const KernelRegistry& registry, MemoryBudget* budget) {
  std::vector<Node> kept;
  kept.reserve(graph.nodes.size());
  int folded = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    Node& node = graph.nodes[i];
    const Kernel* kernel = registry.find(node, graph.tensors, nullptr);
    if (kernel != nullptr && node_inputs_constant(node, graph.tensors, /*shape_only_ok=*/false)) {
      EIR_RETURN_IF_ERROR(evaluate_node_now(node, static_cast<int>(i), *kernel, graph.tensors, budget));
      ++folded;
      continue;
    }
    kept.push_back(std::move(node));
  }
  graph.nodes = std::move(kept);
  return folded;
}

}  // namespace eir
