#include "runtime/model/tflite_verifier.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "runtime/core/checked_math.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/ops.h"
#include "runtime/model/tflite_common.h"

namespace eir {
namespace {

constexpr uint32_t kSchemaVersion = 3;
constexpr int kMaxRank = 8;

std::string tensor_desc(const tflite::SubGraph* sg, int sg_index, int t) {
  std::string s = str_cat("subgraph ", sg_index, " tensor ", t);
  const auto* tensors = sg->tensors();
  if (tensors && t >= 0 && static_cast<uint32_t>(t) < tensors->size()) {
    const auto* tensor = tensors->Get(static_cast<uint32_t>(t));
    if (tensor && tensor->name()) s += str_cat(" '", tensor->name()->str(), "'");
  }
  return s;
}

std::string node_desc(const tflite::Model* model, int sg_index, int op_index, const tflite::Operator* op) {
  std::string s = str_cat("subgraph ", sg_index, " node ", op_index);
  const auto* codes = model->operator_codes();
  if (op && codes && op->opcode_index() < codes->size()) {
    const auto* code = codes->Get(op->opcode_index());
    int builtin = tflite_builtin_code(code);
    if (builtin == static_cast<int>(BuiltinOp::kCustom) && code->custom_code())
      s += str_cat(" (CUSTOM:", code->custom_code()->str(), ")");
    else
      s += str_cat(" (", builtin_op_name(builtin), ")");
  }
  return s;
}

Status verify_quantization(const tflite::Tensor* t, const std::string& where, DType dtype, int rank,
                           const flatbuffers::Vector<int32_t>* shape) {
  const auto* q = t->quantization();
  // The FlatBuffers verifier checks a vector's 4-byte length field but not 8-byte element
  // alignment; a misaligned [long] would be read with UB (found by fuzz_load).
  if (q != nullptr && q->zero_point() != nullptr && reinterpret_cast<uintptr_t>(q->zero_point()->data()) % 8 != 0)
    return invalid_model(where, ": quantization zero_point vector is not 8-byte aligned (corrupt file)");
  if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) return Status::Ok();
  // Scales on float tensors are informational (min/max export); only integer tensors use them.
  if (!(dtype == DType::kI8 || dtype == DType::kU8 || dtype == DType::kI16 || dtype == DType::kI32 ||
        dtype == DType::kI64))
    return Status::Ok();
  uint32_t count = q->scale()->size();
  const auto* zps = q->zero_point();
  if (zps != nullptr && zps->size() != count)
    return invalid_model(where, ": quantization has ", count, " scales but ", zps->size(), " zero points");
  for (uint32_t i = 0; i < count; ++i) {
    float s = q->scale()->Get(i);
    if (!std::isfinite(s) || s <= 0.0f)
      return invalid_model(where, ": quantization scale[", i, "] = ", s, " must be positive and finite");
  }
  int64_t lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  if (dtype == DType::kI8) lo = -128, hi = 127;
  if (dtype == DType::kU8) lo = 0, hi = 255;
  if (dtype == DType::kI16) lo = -32768, hi = 32767;
  if (zps != nullptr) {
    for (uint32_t i = 0; i < zps->size(); ++i) {
      int64_t z = zps->Get(i);
      if (z < lo || z > hi)
        return invalid_model(where, ": zero point[", i, "] = ", z, " is outside the ", dtype_name(dtype), " range [",
                             lo, ", ", hi, "]");
    }
  }
  if (count > 1) {
    int axis = q->quantized_dimension();
    // A rank-1 tensor has one possible channel dimension; TFLite Micro models (person_detect)
    // carry quantized_dimension 3 on rank-1 biases, which is unambiguous, so it is accepted.
    if (rank == 1) axis = 0;
    if (axis < 0 || axis >= rank)
      return invalid_model(where, ": quantized_dimension ", q->quantized_dimension(), " is outside rank ", rank);
    int32_t channels = shape->Get(static_cast<uint32_t>(axis));
    if (static_cast<int64_t>(count) != channels)
      return invalid_model(where, ": per-channel quantization has ", count, " scales but dimension ", axis, " has ",
                           channels, " channels");
  }
  return Status::Ok();
}

Status verify_tensor(const tflite::Model* model, const uint8_t* file, size_t file_size, const tflite::SubGraph* sg,
                     int sg_index, int t_index, const VerifyLimits& limits) {
  const tflite::Tensor* t = sg->tensors()->Get(static_cast<uint32_t>(t_index));
  std::string where = tensor_desc(sg, sg_index, t_index);
  if (t == nullptr) return invalid_model(where, " is null");
  DType dtype = dtype_from_tflite(t->type());
  // Types eir cannot hold (RESOURCE, VARIANT, COMPLEX64, ...) are refused when kernels are
  // resolved, so that a model of unsupported ops is reported by its first unsupported op.
  const auto* shape = t->shape();
  int rank = shape ? static_cast<int>(shape->size()) : 0;
  if (rank > kMaxRank) return unsupported(where, " has rank ", rank, "; eir supports up to ", kMaxRank);
  size_t elements = 1;
  for (int d = 0; d < rank; ++d) {
    int32_t dim = shape->Get(static_cast<uint32_t>(d));
    if (dim < 0) return invalid_model(where, " has negative dimension ", dim, " at axis ", d);
    if (!checked_mul(elements, static_cast<size_t>(dim), &elements))
      return invalid_model(where, " shape overflows the element count");
  }
  size_t bytes;
  if (!checked_mul(elements, dtype_size(dtype), &bytes)) return invalid_model(where, " byte size overflows");
  bool sized = dtype != DType::kUnknown && dtype != DType::kString;
  if (bytes > limits.max_tensor_bytes)
    return resource_exhausted(where, " needs ", bytes, " bytes, above the limit of ", limits.max_tensor_bytes);

  const auto* buffers = model->buffers();
  uint32_t buffers_count = buffers ? buffers->size() : 0;
  if (t->buffer() >= buffers_count && !(t->buffer() == 0 && buffers_count == 0))
    return invalid_model(where, " refers to buffer ", t->buffer(), " but the model has ", buffers_count, " buffers");
  const uint8_t* data = nullptr;
  size_t data_bytes = 0;
  if (buffers_count > 0 && !tflite_buffer_bytes(model, file, file_size, t->buffer(), &data, &data_bytes))
    return invalid_model(where, " buffer ", t->buffer(), " points outside the file");
  if (data_bytes > 0 && t->sparsity() == nullptr && sized && data_bytes != bytes)
    return invalid_model(where, " has ", data_bytes, " bytes of constant data but its shape and type need ", bytes);
  return verify_quantization(t, where, dtype, rank, shape);
}

Status check_tensor_index(const tflite::SubGraph* sg, int sg_index, int32_t t, const std::string& what) {
  uint32_t count = sg->tensors()->size();
  if (t < 0 || static_cast<uint32_t>(t) >= count)
    return invalid_model(what, " refers to tensor ", t, " but subgraph ", sg_index, " has ", count, " tensors");
  return Status::Ok();
}

Status verify_subgraph(const tflite::Model* model, const uint8_t* file, size_t file_size, int sg_index,
                       const VerifyLimits& limits) {
  const tflite::SubGraph* sg = model->subgraphs()->Get(static_cast<uint32_t>(sg_index));
  if (sg == nullptr) return invalid_model("subgraph ", sg_index, " is null");
  if (sg->tensors() == nullptr) return invalid_model("subgraph ", sg_index, " has no tensor table");
  const int num_tensors = static_cast<int>(sg->tensors()->size());
  for (int t = 0; t < num_tensors; ++t) EIR_RETURN_IF_ERROR(verify_tensor(model, file, file_size, sg, sg_index, t, limits));

  // Which tensors hold a value before the first node runs: constants, variables, model inputs.
  std::vector<uint8_t> available(static_cast<size_t>(num_tensors), 0);
  for (int t = 0; t < num_tensors; ++t) {
    const tflite::Tensor* tensor = sg->tensors()->Get(static_cast<uint32_t>(t));
    const uint8_t* data;
    size_t bytes = 0;
    if (model->buffers()) tflite_buffer_bytes(model, file, file_size, tensor->buffer(), &data, &bytes);
    if (bytes > 0 || tensor->is_variable()) available[static_cast<size_t>(t)] = 1;
  }
  if (sg->inputs()) {
    for (uint32_t i = 0; i < sg->inputs()->size(); ++i) {
      int32_t t = sg->inputs()->Get(i);
      EIR_RETURN_IF_ERROR(check_tensor_index(sg, sg_index, t, str_cat("subgraph ", sg_index, " model input ", i)));
      available[static_cast<size_t>(t)] = 1;
    }
  }
  const auto* codes = model->operator_codes();
  uint32_t num_codes = codes ? codes->size() : 0;
  const int num_ops = sg->operators() ? static_cast<int>(sg->operators()->size()) : 0;
  for (int o = 0; o < num_ops; ++o) {
    const tflite::Operator* op = sg->operators()->Get(static_cast<uint32_t>(o));
    if (op == nullptr) return invalid_model("subgraph ", sg_index, " node ", o, " is null");
    if (op->opcode_index() >= num_codes)
      return invalid_model("subgraph ", sg_index, " node ", o, " uses opcode ", op->opcode_index(), " but the model has ",
                           num_codes, " operator codes");
    std::string where = node_desc(model, sg_index, o, op);
    if (op->inputs()) {
      for (uint32_t i = 0; i < op->inputs()->size(); ++i) {
        int32_t t = op->inputs()->Get(i);
        if (t == -1) continue;  // optional input absent; kernels check which inputs are required
        EIR_RETURN_IF_ERROR(check_tensor_index(sg, sg_index, t, str_cat(where, " input ", i)));
        if (!available[static_cast<size_t>(t)])
          return invalid_model(where, " reads ", tensor_desc(sg, sg_index, t), " (input ", i,
                               ") before any node writes it (the graph is cyclic or not in execution order)");
      }
    }
    if (op->outputs() == nullptr || op->outputs()->size() == 0) return invalid_model(where, " has no outputs");
    for (uint32_t i = 0; i < op->outputs()->size(); ++i) {
      int32_t t = op->outputs()->Get(i);
      EIR_RETURN_IF_ERROR(check_tensor_index(sg, sg_index, t, str_cat(where, " output ", i)));
      if (available[static_cast<size_t>(t)])
        return invalid_model(where, " output ", i, " writes ", tensor_desc(sg, sg_index, t),
                             " which is already a constant, a model input or another node's output");
      available[static_cast<size_t>(t)] = 1;
    }
    if (op->intermediates()) {
      for (uint32_t i = 0; i < op->intermediates()->size(); ++i)
        EIR_RETURN_IF_ERROR(check_tensor_index(sg, sg_index, op->intermediates()->Get(i), str_cat(where, " intermediate ", i)));
    }
  }
  if (sg->outputs()) {
    for (uint32_t i = 0; i < sg->outputs()->size(); ++i) {
      int32_t t = sg->outputs()->Get(i);
      EIR_RETURN_IF_ERROR(check_tensor_index(sg, sg_index, t, str_cat("subgraph ", sg_index, " model output ", i)));
      if (!available[static_cast<size_t>(t)])
        return invalid_model("subgraph ", sg_index, " model output ", i, " (", tensor_desc(sg, sg_index, t),
                             ") is never written");
    }
  }
  return Status::Ok();
}

}  // namespace

Status verify_tflite_model(const uint8_t* data, size_t size, const VerifyLimits& limits, const tflite::Model** out) {
  if (data == nullptr || size == 0) return invalid_argument("model buffer is empty");
  if (size < 8) return invalid_model("model is ", size, " bytes, too small to be a TFLite FlatBuffer");
  if (!tflite::ModelBufferHasIdentifier(data))
    return invalid_model("not a TFLite model: file identifier is not 'TFL3' (bytes 4-7)");
  // FlatBuffers offsets are 32-bit: only the first 2 GiB can hold the FlatBuffer itself; bytes
  // appended after it (label zips, >2 GB weights) are allowed and ignored by the verifier.
  size_t fb_size = std::min<size_t>(size, size_t{0x7fffffff});
  flatbuffers::Verifier verifier(data, fb_size, /*max_depth=*/64, /*max_tables=*/10'000'000);
  if (!tflite::VerifyModelBuffer(verifier))
    return invalid_model("FlatBuffer verification failed: the file is truncated or corrupt (", size, " bytes)");
  const tflite::Model* model = tflite::GetModel(data);
  if (model->version() != kSchemaVersion)
    return unsupported("model schema version ", model->version(), " is not supported (expected ", kSchemaVersion, ")");
  if (model->subgraphs() == nullptr || model->subgraphs()->size() == 0) return invalid_model("model has no subgraphs");
  if (model->operator_codes()) {
    for (uint32_t i = 0; i < model->operator_codes()->size(); ++i) {
      const auto* code = model->operator_codes()->Get(i);
      if (code == nullptr) return invalid_model("operator code ", i, " is null");
      int builtin = tflite_builtin_code(code);
      if (builtin < 0) return invalid_model("operator code ", i, " has negative builtin code ", builtin);
      if (builtin == static_cast<int>(BuiltinOp::kCustom) && code->custom_code() == nullptr)
        return invalid_model("operator code ", i, " is CUSTOM but has no custom_code name");
      if (code->version() < 1) return invalid_model("operator code ", i, " has version ", code->version(), " (< 1)");
    }
  }
  for (uint32_t s = 0; s < model->subgraphs()->size(); ++s)
    EIR_RETURN_IF_ERROR(verify_subgraph(model, data, size, static_cast<int>(s), limits));
  *out = model;
  return Status::Ok();
}

}  // namespace eir
