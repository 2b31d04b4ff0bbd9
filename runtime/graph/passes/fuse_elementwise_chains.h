// Fuses chains of float32 elementwise ops into one FUSED_ELEMENTWISE node
// (runtime/graph/fused_elementwise.h) that evaluates the whole chain per element, so the
// intermediate tensors are never written to memory and read back. Typical chains in the models:
// ADD (residual) -> PRELU, MUL (squeeze-and-excite scale) -> ADD, ADD+RELU -> ADD.
//
// A link A -> B joins the chain when:
//   - both are float32 ADD, SUB, MUL, PRELU, RELU, RELU6, RELU_N1_TO_1, LOGISTIC or HARD_SWISH;
//   - A's output is read by B only, once, and is not a model output;
//   - B's output has the shape of A's output (the running value never changes shape);
//   - B's other operand (if any) lines up with the value as a whole tensor of the same size, a
//     scalar or a trailing block such as a per-channel vector (fused_operand_layout), PRELU reads the
//     value as its input (not as alpha), and all trailing-block operands of the chain have the
//     same size (one period for the fast kernel's tiling);
//   - B's operand is produced before the chain's first node (or is a constant or model input).
// The chain starts at a node whose value input has its output's shape. The fused node takes the
// place of the chain's first node and keeps its origin: it runs where the chain started, while its
// inputs are fresh in cache, and no input lives longer than before. (Fusing up to a later operand
// would run the whole chain late: in mp_pose_landmark_lite an ADD+RELU6 feeds an ADD some 70
// nodes later whose other operand is computed just before it, and the pair fused there was slower
// than the two ADDs, reading two cold tensors instead of one.) The node is valid for any input shape
// for which each step still keeps the value's shape; its kernels refuse other shapes with a
// message.
#pragma once

#include "runtime/graph/graph.h"

namespace eir {

// Returns the number of nodes removed (a chain of k nodes removes k - 1).
int fuse_elementwise_chains(Graph& graph);

}  // namespace eir
