// Who produces and who reads each tensor: the bookkeeping every rewrite pass needs.
#pragma once

#include <vector>

#include "runtime/graph/graph.h"

namespace eir {

struct GraphUses {
  std::vector<int> producer;                // node index per tensor, -1 if none
  std::vector<std::vector<int>> consumers;  // node indices reading each tensor
  std::vector<uint8_t> is_model_output;     // 1 if the tensor is a model output
  std::vector<uint8_t> is_model_input;
};

GraphUses compute_graph_uses(const Graph& graph);

// Drops nodes flagged in `removed` (kept nodes stay in order).
void erase_nodes(Graph& graph, const std::vector<uint8_t>& removed);

}  // namespace eir
