#include "runtime/executor/kernel.h"

#include <algorithm>

namespace eir {

std::string KernelContext::describe_input(int i) const {
  if (!has_input(i)) return str_cat("input ", i, " (absent)");
  return str_cat("input ", i, " (", tensor_label(input(i), input_index(i)), ")");
}

std::string KernelContext::describe_output(int i) const {
  return str_cat("output ", i, " (", tensor_label(output(i), output_index(i)), ")");
}

Status KernelContext::expect_num_inputs(int min_count, int max_count) const {
  if (num_inputs() < min_count || num_inputs() > max_count) {
    if (min_count == max_count) return invalid_model("expected ", min_count, " inputs, got ", num_inputs());
    return invalid_model("expected ", min_count, " to ", max_count, " inputs, got ", num_inputs());
  }
  for (int i = 0; i < min_count; ++i)
    if (!has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  return Status::Ok();
}

Status KernelContext::expect_num_outputs(int count) const {
  if (num_outputs() != count) return invalid_model("expected ", count, " outputs, got ", num_outputs());
  return Status::Ok();
}

Status KernelContext::expect_input_dtype(int i, DType expected) const {
  if (!has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  if (input(i).dtype != expected)
    return invalid_model(describe_input(i), " must be ", dtype_name(expected), ", got ", dtype_name(input(i).dtype));
  return Status::Ok();
}

Status KernelContext::expect_input_rank(int i, int rank) const {
  if (!has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  if (input(i).rank() != rank)
    return invalid_model(describe_input(i), " must have rank ", rank, ", got ", input(i).rank());
  return Status::Ok();
}

Status KernelContext::expect_constant_input(int i) const {
  if (!has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  if (input(i).data == nullptr || input(i).kind != TensorKind::kConstant)
    return unsupported(describe_input(i), " must be a constant tensor (dynamic values are not supported here)");
  return Status::Ok();
}

Status KernelContext::set_output_shape(int i, const Shape& shape) const {
  if (i < 0 || i >= num_outputs()) return internal_error("set_output_shape: output ", i, " out of range");
  for (int32_t d : shape)
    if (d < 0) return invalid_model(describe_output(i), ": computed shape ", shape_to_string(shape), " has a negative dim");
  if (shape_num_elements(shape) < 0)
    return invalid_model(describe_output(i), ": computed shape ", shape_to_string(shape), " overflows");
  Tensor& out = output(i);
  if (out.kind == TensorKind::kConstant && out.shape != shape)
    return invalid_model(describe_output(i), " is a constant but the op computes shape ", shape_to_string(shape));
  out.shape = shape;
  return Status::Ok();
}

void KernelRegistry::add(BuiltinOp op, DType dtype, int max_version, Kernel kernel) {
  entries_.push_back(Entry{static_cast<int>(op), std::string(), dtype, max_version, kernel});
}

void KernelRegistry::add_custom(const std::string& custom_name, DType dtype, int max_version, Kernel kernel) {
  entries_.push_back(Entry{static_cast<int>(BuiltinOp::kCustom), custom_name, dtype, max_version, kernel});
}

const Kernel* KernelRegistry::find(const Node& node, const std::vector<Tensor>& tensors, std::string* why) const {
  const Tensor* key_tensor = node_key_tensor(node, tensors);
  const DType key_dtype = key_tensor ? key_tensor->dtype : DType::kUnknown;
  bool op_known = false, dtype_known = false;
  int best_version = 0;
  for (const Entry& e : entries_) {
    if (e.op != node.op || e.custom_name != node.custom_name) continue;
    op_known = true;
    if (e.dtype != DType::kUnknown && e.dtype != key_dtype) continue;
    dtype_known = true;
    if (node.version > e.max_version) {
      best_version = std::max(best_version, e.max_version);
      continue;
    }
    if (e.kernel.supports != nullptr && !e.kernel.supports(node, tensors)) continue;
    return &e.kernel;
  }
  if (why) {
    if (!op_known)
      *why = "operator not implemented by eir";
    else if (!dtype_known)
      *why = str_cat("no kernel for ", key_tensor ? tensor_type_name(*key_tensor) : dtype_name(key_dtype), " inputs");
    else
      *why = str_cat("version ", node.version, " is newer than the supported version ", best_version);
  }
  return nullptr;
}

std::vector<std::string> KernelRegistry::describe() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    Node n;
    n.op = e.op;
    n.custom_name = e.custom_name;
    n.version = e.max_version;
    out.push_back(str_cat(node_op_label(n), " ", e.dtype == DType::kUnknown ? "any" : dtype_name(e.dtype), " ", e.kernel.name));
  }
  return out;
}

const Tensor* node_key_tensor(const Node& node, const std::vector<Tensor>& tensors) {
  for (int t : node.inputs)
    if (t >= 0 && static_cast<size_t>(t) < tensors.size()) return &tensors[static_cast<size_t>(t)];
  for (int t : node.outputs)
    if (t >= 0 && static_cast<size_t>(t) < tensors.size()) return &tensors[static_cast<size_t>(t)];
  return nullptr;
}

DType node_key_dtype(const Node& node, const std::vector<Tensor>& tensors) {
  const Tensor* key = node_key_tensor(node, tensors);
  return key ? key->dtype : DType::kUnknown;
}

}  // namespace eir
