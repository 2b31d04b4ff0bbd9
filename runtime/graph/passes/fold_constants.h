// Load-time constant folding: every node whose inputs are all constants (fp16 weights feeding
// DEQUANTIZE, DENSIFY of sparse weights, arithmetic on shapes) is evaluated once and removed; its
// outputs become constants shared by all sessions.
#pragma once

#include "runtime/core/memory_budget.h"
#include "runtime/executor/kernel.h"

namespace eir {

// Returns the number of nodes removed. The new constants are counted against `budget`.
Result<int> fold_constants(Graph& graph, const KernelRegistry& registry, MemoryBudget* budget);

}  // namespace eir
