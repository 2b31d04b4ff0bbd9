// Load-time constant folding: every node whose inputs are all constants (fp16 weights feeding
// DEQUANTIZE, DENSIFY of sparse weights, arithmetic on shapes) is evaluated once and removed; its
// outputs become constants shared by all sessions.
#pragma once

#include "runtime/executor/kernel.h"

namespace eir {

// Returns the number of nodes removed.
Result<int> fold_constants(Graph& graph, const KernelRegistry& registry);

}  // namespace eir
