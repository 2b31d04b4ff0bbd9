#include "runtime/graph/graph.h"

#include <cstdlib>
#include <new>

#include "runtime/core/checked_math.h"
#include "runtime/graph/ops.h"

namespace eir {

int64_t shape_num_elements(const Shape& shape) {
  int64_t n = 1;
  for (int32_t d : shape) {
    if (d < 0) return -1;
    if (__builtin_mul_overflow(n, static_cast<int64_t>(d), &n)) return -1;
  }
  return n;
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

OwnedBuffer::OwnedBuffer(size_t bytes) : size_(bytes) {
  size_t rounded = 64;
  if (!checked_align_up(bytes == 0 ? 1 : bytes, 64, &rounded)) throw std::bad_alloc();
  data_ = static_cast<uint8_t*>(std::aligned_alloc(64, rounded));
  if (!data_) throw std::bad_alloc();
}

OwnedBuffer::~OwnedBuffer() { std::free(data_); }

std::string tensor_type_name(const Tensor& t) {
  if (t.dtype == DType::kUnknown && !t.file_type.empty()) return t.file_type;
  return dtype_name(t.dtype);
}

size_t Tensor::bytes() const {
  int64_t n = num_elements();
  if (n < 0) return 0;
  return static_cast<size_t>(n) * dtype_size(dtype);
}

namespace {

const char* activation_suffix(Activation act) {
  switch (act) {
    case Activation::kRelu: return "+RELU";
    case Activation::kRelu6: return "+RELU6";
    case Activation::kReluN1To1: return "+RELU_N1_TO_1";
    case Activation::kTanh: return "+TANH";
    case Activation::kSignBit: return "+SIGN_BIT";
    default: return "";
  }
}

// "[ADD+RELU,PRELU]": the steps of a fused elementwise node; RSUB is a subtraction whose operand
// comes first (operand - value).
std::string fused_steps_label(const FusedElementwiseParams& p) {
  std::string s = "[";
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const ElementwiseStep& step = p.steps[i];
    if (i > 0) s += ",";
    s += step.operand_first && is_op(step.op, BuiltinOp::kSub) ? "RSUB" : builtin_op_name(step.op);
    s += activation_suffix(step.activation);
  }
  return s + "]";
}

}  // namespace

std::string node_op_label(const Node& node) {
  std::string name = node.op == static_cast<int>(BuiltinOp::kCustom) ? "CUSTOM:" + node.custom_name
                                                                      : std::string(builtin_op_name(node.op));
  if (const auto* fused = node.params_as<FusedElementwiseParams>()) name += fused_steps_label(*fused);
  return name + " v" + std::to_string(node.version);
}

std::string node_label(const Node& node, int node_index) {
  int shown = node.origin >= 0 ? node.origin : node_index;
  return "node " + std::to_string(shown) + " (" + node_op_label(node) + ")";
}

std::string tensor_label(const Tensor& t, int tensor_index) {
  return "tensor " + std::to_string(tensor_index) + " '" + t.name + "' " + dtype_name(t.dtype) +
         shape_to_string(t.shape);
}

std::string tensor_label(const Graph& g, int tensor_index) {
  if (tensor_index < 0 || static_cast<size_t>(tensor_index) >= g.tensors.size())
    return "tensor " + std::to_string(tensor_index) + " (out of range)";
  return tensor_label(g.tensors[static_cast<size_t>(tensor_index)], tensor_index);
}

}  // namespace eir
