// FUSED_ELEMENTWISE nodes (runtime/graph/fused_elementwise.h) in the XNNPACK delegate: the node is
// expanded back into one XNNPACK node per step, with XNNPACK-internal values in between, so that
// the delegate (and `eir bench --compare xnnpack`) still runs the whole chain it ran before the
// pass fused it. A fused node is claimed only when every step is one the delegate claims as a
// standalone node.
#pragma once

#include <xnnpack.h>

#include <functional>
#include <vector>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"

namespace eir {

bool xnnpack_supports_fused_elementwise(const Node& node, const std::vector<Tensor>& tensors);

// Defines the steps of `node` in `subgraph`, reading input 0 from value x and writing the last
// step to value y; value_id(t) gives (defining if needed) the value of node input tensor t.
Status xnnpack_define_fused_elementwise(xnn_subgraph_t subgraph, const Node& node, const std::vector<Tensor>& tensors,
                                        uint32_t x, uint32_t y, const std::function<Result<uint32_t>(int)>& value_id);

}  // namespace eir
