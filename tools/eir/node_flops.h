// Floating-point (or integer multiply-add) operation counts per node, for GFLOP/s in profiles.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/graph/graph.h"

namespace eir::cli {

// 2 x multiply-accumulates for convolutions and matrix products; one op per output element for
// elementwise nodes; 0 when unknown.
double node_flops(const Node& node, const std::vector<Tensor>& tensors);

}  // namespace eir::cli
