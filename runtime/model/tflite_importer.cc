#include "runtime/model/tflite_importer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kernels/reference/densify.h"
#include "runtime/graph/ops.h"
#include "runtime/model/tflite_common.h"
#include "runtime/model/tflite_options.h"

namespace eir {
namespace {

std::vector<int32_t> read_index_vector(tflite::SparseIndexVector type, const void* v) {
  std::vector<int32_t> out;
  if (v == nullptr) return out;
  switch (type) {
    case tflite::SparseIndexVector::Int32Vector: {
      const auto* values = static_cast<const tflite::Int32Vector*>(v)->values();
      if (values) out.assign(values->begin(), values->end());
      break;
    }
    case tflite::SparseIndexVector::Uint16Vector: {
      const auto* values = static_cast<const tflite::Uint16Vector*>(v)->values();
      if (values) out.assign(values->begin(), values->end());
      break;
    }
    case tflite::SparseIndexVector::Uint8Vector: {
      const auto* values = static_cast<const tflite::Uint8Vector*>(v)->values();
      if (values) out.assign(values->begin(), values->end());
      break;
    }
    default: break;
  }
  return out;
}

SparsityInfo read_sparsity(const tflite::SparsityParameters* sp) {
  SparsityInfo info;
  if (sp->traversal_order()) info.traversal_order.assign(sp->traversal_order()->begin(), sp->traversal_order()->end());
  if (sp->block_map()) info.block_map.assign(sp->block_map()->begin(), sp->block_map()->end());
  if (sp->dim_metadata()) {
    for (const tflite::DimensionMetadata* dm : *sp->dim_metadata()) {
      SparseDimension d;
      if (dm == nullptr) {
        info.dims.push_back(d);
        continue;
      }
      d.dense = dm->format() == tflite::DimensionType::DENSE;
      d.dense_size = dm->dense_size();
      d.segments = read_index_vector(dm->array_segments_type(), dm->array_segments());
      d.indices = read_index_vector(dm->array_indices_type(), dm->array_indices());
      info.dims.push_back(std::move(d));
    }
  }
  return info;
}

Status import_tensor(const tflite::Model* model, const uint8_t* file, size_t file_size, const tflite::Tensor* t,
                     int index, MemoryBudget* budget, Tensor* out) {
  out->name = t->name() ? t->name()->str() : std::string();
  out->dtype = dtype_from_tflite(t->type());
  if (out->dtype == DType::kUnknown) {
    const char* name = tflite::EnumNameTensorType(t->type());
    out->file_type = name && *name ? std::string(name) : str_cat("TensorType ", static_cast<int>(t->type()));
  }
  if (t->shape()) out->shape.assign(t->shape()->begin(), t->shape()->end());
  if (const auto* q = t->quantization(); q && q->scale() && q->scale()->size() > 0) {
    out->quant.scales.assign(q->scale()->begin(), q->scale()->end());
    if (q->zero_point())
      for (int64_t z : *q->zero_point()) out->quant.zero_points.push_back(static_cast<int32_t>(z));
    else
      out->quant.zero_points.assign(out->quant.scales.size(), 0);
    out->quant.axis = out->shape.size() == 1 ? 0 : q->quantized_dimension();
  }
  const uint8_t* data = nullptr;
  size_t bytes = 0;
  if (model->buffers()) tflite_buffer_bytes(model, file, file_size, t->buffer(), &data, &bytes);
  if (t->is_variable()) {
    out->kind = TensorKind::kVariable;
    out->initial_data = bytes > 0 ? data : nullptr;
    return Status::Ok();
  }
  if (bytes == 0) return Status::Ok();  // an activation
  out->kind = TensorKind::kConstant;
  if (out->dtype == DType::kString) return Status::Ok();  // refused later if an op actually uses it
  if (t->sparsity() != nullptr) {
    EIR_RETURN_IF_ERROR(budget->take(out->bytes(), str_cat("densified sparse constant ", tensor_label(*out, index))));
    auto buffer = std::make_shared<OwnedBuffer>(out->bytes());
    Status s = densify_constant(read_sparsity(t->sparsity()), out->shape, out->dtype, data, bytes, buffer->data());
    if (!s.ok()) return s.with_prefix(str_cat("sparse constant ", tensor_label(*out, index)));
    out->owned = std::move(buffer);
    out->data = out->owned->data();
    return Status::Ok();
  }
  size_t align = dtype_size(out->dtype);
  if (align > 1 && reinterpret_cast<uintptr_t>(data) % align != 0) {
    // External (offset) buffers are not guaranteed aligned; kernels need aligned elements.
    EIR_RETURN_IF_ERROR(budget->take(bytes, str_cat("aligned copy of constant ", tensor_label(*out, index))));
    out->owned = std::make_shared<OwnedBuffer>(bytes);
    std::memcpy(out->owned->data(), data, bytes);
    out->data = out->owned->data();
  } else {
    out->data = const_cast<uint8_t*>(data);  // read-only mapping: kernels never write constants
  }
  return Status::Ok();
}

// TFLite's ADD/SUB/MUL/DIV Prepare sets the output type to the input type, whatever the file
// declares; a few published test models (add_quantized.bin) rely on that with a FLOAT32-declared
// intermediate between two uint8 ADDs. Reproduce it for intermediate activations only.
void adopt_elementwise_output_types(Graph& g) {
  for (const Node& node : g.nodes) {
    bool elementwise = is_op(node.op, BuiltinOp::kAdd) || is_op(node.op, BuiltinOp::kSub) ||
                       is_op(node.op, BuiltinOp::kMul) || is_op(node.op, BuiltinOp::kDiv);
    if (!elementwise || node.inputs.size() != 2 || node.outputs.size() != 1) continue;
    if (node.inputs[0] < 0 || node.inputs[1] < 0) continue;
    DType a = g.tensors[static_cast<size_t>(node.inputs[0])].dtype;
    DType b = g.tensors[static_cast<size_t>(node.inputs[1])].dtype;
    Tensor& out = g.tensors[static_cast<size_t>(node.outputs[0])];
    bool is_model_output = std::find(g.outputs.begin(), g.outputs.end(), node.outputs[0]) != g.outputs.end();
    if (a == b && out.dtype != a && out.kind == TensorKind::kActivation && !is_model_output) out.dtype = a;
  }
}

}  // namespace

Result<Graph> import_tflite_subgraph(const tflite::Model* model, const uint8_t* file, size_t file_size,
                                     int subgraph_index, MemoryBudget* budget) {
  const tflite::SubGraph* sg = model->subgraphs()->Get(static_cast<uint32_t>(subgraph_index));
  Graph g;
  g.name = sg->name() ? sg->name()->str() : std::string();
  g.tensors.resize(sg->tensors()->size());
  for (uint32_t i = 0; i < sg->tensors()->size(); ++i)
    EIR_RETURN_IF_ERROR(import_tensor(model, file, file_size, sg->tensors()->Get(i), static_cast<int>(i), budget, &g.tensors[i]));
  if (sg->inputs()) g.inputs.assign(sg->inputs()->begin(), sg->inputs()->end());
  if (sg->outputs()) g.outputs.assign(sg->outputs()->begin(), sg->outputs()->end());
  if (sg->operators()) {
    g.nodes.reserve(sg->operators()->size());
    for (uint32_t o = 0; o < sg->operators()->size(); ++o) {
      const tflite::Operator* op = sg->operators()->Get(o);
      const tflite::OperatorCode* code = model->operator_codes()->Get(op->opcode_index());
      Node node;
      node.op = tflite_builtin_code(code);
      if (node.op == static_cast<int>(BuiltinOp::kCustom)) node.custom_name = code->custom_code()->str();
      node.version = code->version();
      node.origin = static_cast<int>(o);
      if (op->inputs()) node.inputs.assign(op->inputs()->begin(), op->inputs()->end());
      if (op->outputs()) node.outputs.assign(op->outputs()->begin(), op->outputs()->end());
      if (op->intermediates()) node.intermediates.assign(op->intermediates()->begin(), op->intermediates()->end());
      Status s = parse_operator_options(op, node.op, node.custom_name, &node);
      if (!s.ok()) return s.with_prefix(node_label(node, static_cast<int>(o)));
      g.nodes.push_back(std::move(node));
    }
  }
  adopt_elementwise_output_types(g);
  return g;
}

}  // namespace eir
