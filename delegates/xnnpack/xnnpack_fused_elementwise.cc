#include "delegates/xnnpack/xnnpack_fused_elementwise.h"

#include <limits>

#include "delegates/xnnpack/xnnpack_activation.h"
#include "runtime/graph/fused_elementwise.h"
#include "runtime/graph/ops.h"

namespace eir {
namespace {

const Tensor& tensor_of(const std::vector<Tensor>& tensors, const Node& node, int input) {
  return tensors[static_cast<size_t>(node.inputs[static_cast<size_t>(input)])];
}

}  // namespace

bool xnnpack_supports_fused_elementwise(const Node& node, const std::vector<Tensor>& tensors) {
  const auto* p = node.params_as<FusedElementwiseParams>();
  if (p == nullptr || !validate_fused_elementwise(node).ok() || node.outputs.size() != 1) return false;
  for (int t : node.inputs)
    if (tensors[static_cast<size_t>(t)].dtype != DType::kF32) return false;
  const Tensor& value = tensor_of(tensors, node, 0);
  float lo, hi;
  for (const ElementwiseStep& s : p->steps) {
    if (is_op(s.op, BuiltinOp::kAdd) || is_op(s.op, BuiltinOp::kSub) || is_op(s.op, BuiltinOp::kMul)) {
      if (!xnnpack_activation_bounds(s.activation, &lo, &hi) || value.rank() > 4 || tensor_of(tensors, node, s.operand).rank() > 4)
        return false;
    } else if (is_op(s.op, BuiltinOp::kPrelu)) {
      // As a standalone PRELU: a constant per-channel slope over a 4-D input.
      const Tensor& slope = tensor_of(tensors, node, s.operand);
      if (!slope.is_constant() || slope.data == nullptr || value.rank() != 4 ||
          slope.num_elements() != value.dim(3))
        return false;
    }
  }
  return true;
}

Status xnnpack_define_fused_elementwise(xnn_subgraph_t subgraph, const Node& node, const std::vector<Tensor>& tensors,
                                        uint32_t x, uint32_t y, const std::function<Result<uint32_t>(int)>& value_id) {
  const auto& steps = node.params_as<FusedElementwiseParams>()->steps;
  const Tensor& value = tensor_of(tensors, node, 0);
  const std::vector<size_t> dims(value.shape.begin(), value.shape.end());
  uint32_t in = x;
  for (size_t k = 0; k < steps.size(); ++k) {
    const ElementwiseStep& s = steps[k];
    uint32_t out = y;
    if (k + 1 < steps.size() &&
        xnn_define_tensor_value(subgraph, xnn_datatype_fp32, dims.size(), dims.data(), nullptr, XNN_INVALID_VALUE_ID, 0,
                                &out) != xnn_status_success)
      return internal_error("xnn_define_tensor_value failed for an intermediate of ", fused_step_label(node, k));
    uint32_t b = XNN_INVALID_VALUE_ID;
    if (s.operand >= 0 && !is_op(s.op, BuiltinOp::kPrelu)) {
      EIR_ASSIGN_OR_RETURN(b, value_id(node.inputs[static_cast<size_t>(s.operand)]));
    }
    float lo, hi;
    xnnpack_activation_bounds(s.activation, &lo, &hi);
    xnn_status st = xnn_status_unsupported_parameter;
    switch (static_cast<BuiltinOp>(s.op)) {
      case BuiltinOp::kAdd: st = xnn_define_add2(subgraph, lo, hi, in, b, out, 0); break;
      case BuiltinOp::kMul: st = xnn_define_multiply2(subgraph, lo, hi, in, b, out, 0); break;
      case BuiltinOp::kSub:
        st = s.operand_first ? xnn_define_subtract(subgraph, lo, hi, b, in, out, 0)
                             : xnn_define_subtract(subgraph, lo, hi, in, b, out, 0);
        break;
      case BuiltinOp::kPrelu: {
        // The slope is stored with broadcast shape ([1,1,C]); XNNPACK wants it as [C].
        const Tensor& slope = tensor_of(tensors, node, s.operand);
        const size_t c = static_cast<size_t>(slope.num_elements());
        uint32_t sid = XNN_INVALID_VALUE_ID;
        if (xnn_define_tensor_value(subgraph, xnn_datatype_fp32, 1, &c, slope.data, XNN_INVALID_VALUE_ID, 0, &sid) !=
            xnn_status_success)
          return internal_error("xnn_define_tensor_value failed for the slope of ", fused_step_label(node, k));
        st = xnn_define_prelu(subgraph, in, sid, out, 0);
        break;
      }
      case BuiltinOp::kRelu:
        st = xnn_define_clamp(subgraph, 0.0f, std::numeric_limits<float>::infinity(), in, out, 0);
        break;
      case BuiltinOp::kRelu6: st = xnn_define_clamp(subgraph, 0.0f, 6.0f, in, out, 0); break;
      case BuiltinOp::kReluN1To1: st = xnn_define_clamp(subgraph, -1.0f, 1.0f, in, out, 0); break;
      case BuiltinOp::kLogistic: st = xnn_define_sigmoid(subgraph, in, out, 0); break;
      case BuiltinOp::kHardSwish: st = xnn_define_hardswish(subgraph, in, out, 0); break;
      default: break;
    }
    if (st != xnn_status_success)
      return unsupported(fused_step_label(node, k), ": XNNPACK refused the step (status ", static_cast<int>(st), ")");
    in = out;
  }
  return Status::Ok();
}

}  // namespace eir
