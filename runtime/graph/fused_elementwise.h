// The eir-internal FUSED_ELEMENTWISE op (BuiltinOp::kFusedElementwise, FusedElementwiseParams):
// which ops a fused chain may contain, and the checks every kernel of the op runs on a node's
// program before trusting it. The pass that builds such nodes is
// runtime/graph/passes/fuse_elementwise_chains.h; the kernels are
// kernels/reference/fused_elementwise.cc (reference) and kernels/fast/fused_elementwise_f32.cc.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"

namespace eir {

// The most steps one fused node holds (kernels keep per-step state in fixed arrays).
inline constexpr size_t kMaxFusedElementwiseSteps = 16;

enum class StepArity : unsigned char { kNone, kUnary, kBinary };

// kUnary: RELU, RELU6, RELU_N1_TO_1, LOGISTIC, HARD_SWISH. kBinary: ADD, SUB, MUL, PRELU.
// kNone for every other op: a chain never holds it.
StepArity fused_step_arity(int op);

// Whether the op carries a fused activation that the step applies after it (ADD, SUB, MUL).
bool fused_step_has_activation(int op);

// How a binary step's operand lines up with the running value (both flat, row-major), when the
// op's output keeps the value's shape:
//   kFull:     the operand has the value's element count (value element i meets operand element i);
//   kPeriodic: the operand without its leading 1s is the value's trailing dims, with fewer
//              elements: a scalar, or a per-channel [C] / [1,1,1,C] against [N,H,W,C]
//              (value element i meets operand element i % operand_count);
//   kOther:    anything else (the operand would broadcast along inner dims or grow the value).
// The pass fuses only kFull and kPeriodic operands, the layouts the fast kernel streams.
enum class OperandLayout : unsigned char { kOther, kFull, kPeriodic };
OperandLayout fused_operand_layout(const Shape& value, const Shape& operand);

// Checks the node's program: 1..kMaxFusedElementwiseSteps steps of known ops, at most one input
// per step besides input 0, binary steps
// naming an operand among inputs 1..n-1 and unary steps none, PRELU with the running value as its
// input (never as alpha), activations only on ADD/SUB/MUL. The message names the step and the
// node it came from.
Status validate_fused_elementwise(const Node& node);

// "step 2 (PRELU, from node 14)" for messages.
std::string fused_step_label(const Node& node, size_t step);

}  // namespace eir
