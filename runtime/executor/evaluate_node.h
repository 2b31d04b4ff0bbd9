// Runs one node immediately (prepare + run on private buffers) and turns its outputs into
// constants. Used by load-time constant folding and by sessions for values known at prepare time
// (e.g. SHAPE -> STRIDED_SLICE -> PACK chains that compute paddings).
#pragma once

#include <vector>

#include "runtime/core/memory_budget.h"
#include "runtime/executor/kernel.h"

namespace eir {

// True if the node has at least one input and every present input is a constant. With
// `shape_only_ok`, a SHAPE node also qualifies: its output depends only on the input's shape.
bool node_inputs_constant(const Node& node, const std::vector<Tensor>& tensors, bool shape_only_ok);

// Evaluates `node`; on success its outputs are kConstant tensors backed by new OwnedBuffers,
// counted against `budget` (if given) before they are allocated.
Status evaluate_node_now(const Node& node, int node_index, const Kernel& kernel, std::vector<Tensor>& tensors,
                         MemoryBudget* budget = nullptr);

}  // namespace eir
