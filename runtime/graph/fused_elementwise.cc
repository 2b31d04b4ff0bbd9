#include "runtime/graph/fused_elementwise.h"

#include <string>

#include "runtime/graph/ops.h"

namespace eir {

StepArity fused_step_arity(int op) {
  switch (static_cast<BuiltinOp>(op)) {
    case BuiltinOp::kRelu:
    case BuiltinOp::kRelu6:
    case BuiltinOp::kReluN1To1:
    case BuiltinOp::kLogistic:
    case BuiltinOp::kHardSwish:
      return StepArity::kUnary;
    case BuiltinOp::kAdd:
    case BuiltinOp::kSub:
    case BuiltinOp::kMul:
    case BuiltinOp::kPrelu:
      return StepArity::kBinary;
    default:
      return StepArity::kNone;
  }
}

bool fused_step_has_activation(int op) {
  return is_op(op, BuiltinOp::kAdd) || is_op(op, BuiltinOp::kSub) || is_op(op, BuiltinOp::kMul);
}

OperandLayout fused_operand_layout(const Shape& value, const Shape& operand) {
  const int64_t nv = shape_num_elements(value), no = shape_num_elements(operand);
  if (nv <= 0 || no <= 0 || operand.size() > value.size()) return OperandLayout::kOther;
  size_t first = 0;
  while (first < operand.size() && operand[first] == 1) ++first;
  const size_t n = operand.size() - first;
  for (size_t i = 0; i < n; ++i)
    if (operand[first + i] != value[value.size() - n + i]) return OperandLayout::kOther;
  return no == nv ? OperandLayout::kFull : OperandLayout::kPeriodic;
}

std::string fused_step_label(const Node& node, size_t step) {
  const auto* p = node.params_as<FusedElementwiseParams>();
  if (p == nullptr || step >= p->steps.size()) return "step " + std::to_string(step);
  const ElementwiseStep& s = p->steps[step];
  std::string label = "step " + std::to_string(step) + " (" + builtin_op_name(s.op);
  if (s.origin >= 0) label += ", from node " + std::to_string(s.origin);
  return label + ")";
}

Status validate_fused_elementwise(const Node& node) {
  const auto* p = node.params_as<FusedElementwiseParams>();
  if (p == nullptr) return invalid_model("FUSED_ELEMENTWISE node without a program");
  if (p->steps.empty() || p->steps.size() > kMaxFusedElementwiseSteps)
    return invalid_model("FUSED_ELEMENTWISE program has ", p->steps.size(), " steps (expected 1 to ",
                         kMaxFusedElementwiseSteps, ")");
  if (node.inputs.empty() || node.inputs[0] < 0) return invalid_model("FUSED_ELEMENTWISE node without input 0");
  const int num_inputs = static_cast<int>(node.inputs.size());
  if (node.inputs.size() > 1 + kMaxFusedElementwiseSteps)
    return invalid_model("FUSED_ELEMENTWISE node has ", num_inputs, " inputs (at most ", 1 + kMaxFusedElementwiseSteps,
                         ")");
  for (size_t i = 0; i < p->steps.size(); ++i) {
    const ElementwiseStep& s = p->steps[i];
    const StepArity arity = fused_step_arity(s.op);
    if (arity == StepArity::kNone)
      return invalid_model(fused_step_label(node, i), ": op cannot be part of a fused elementwise chain");
    if (arity == StepArity::kUnary && s.operand != -1)
      return invalid_model(fused_step_label(node, i), ": a unary step has operand ", s.operand);
    if (arity == StepArity::kBinary &&
        (s.operand < 1 || s.operand >= num_inputs || node.inputs[static_cast<size_t>(s.operand)] < 0))
      return invalid_model(fused_step_label(node, i), ": operand ", s.operand, " is not one of inputs 1..",
                           num_inputs - 1);
    if (s.operand_first && (arity != StepArity::kBinary || is_op(s.op, BuiltinOp::kPrelu)))
      return invalid_model(fused_step_label(node, i), ": the operand cannot come first");
    if (s.activation != Activation::kNone && !fused_step_has_activation(s.op))
      return invalid_model(fused_step_label(node, i), ": op has no fused activation");
  }
  return Status::Ok();
}

}  // namespace eir
