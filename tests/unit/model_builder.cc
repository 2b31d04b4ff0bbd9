#include "tests/unit/model_builder.h"

#include <cstring>

namespace eir::test {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

template <class T>
std::vector<uint8_t> raw_bytes(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// Any options table with every field at its default: valid for every table type.
Offset<void> empty_table(FlatBufferBuilder& fbb) {
  auto start = fbb.StartTable();
  return Offset<void>(fbb.EndTable(start));
}

Offset<void> build_options(FlatBufferBuilder& fbb, const OptionsSpec& o) {
  using BO = tflite::BuiltinOptions;
  const auto act = static_cast<tflite::ActivationFunctionType>(o.activation);
  const auto pad = static_cast<tflite::Padding>(o.padding);
  switch (o.type) {
    case BO::NONE: return 0;
    case BO::AddOptions: return tflite::CreateAddOptions(fbb, act).Union();
    case BO::SubOptions: return tflite::CreateSubOptions(fbb, act).Union();
    case BO::MulOptions: return tflite::CreateMulOptions(fbb, act).Union();
    case BO::Conv2DOptions:
      return tflite::CreateConv2DOptions(fbb, pad, o.stride_w, o.stride_h, act, o.dilation_w, o.dilation_h).Union();
    case BO::DepthwiseConv2DOptions:
      return tflite::CreateDepthwiseConv2DOptions(fbb, pad, o.stride_w, o.stride_h, o.depth_multiplier, act,
                                                  o.dilation_w, o.dilation_h)
          .Union();
    case BO::Pool2DOptions:
      return tflite::CreatePool2DOptions(fbb, pad, o.stride_w, o.stride_h, o.filter_w, o.filter_h, act).Union();
    case BO::FullyConnectedOptions:
      return tflite::CreateFullyConnectedOptions(fbb, act, tflite::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                                 o.keep_num_dims)
          .Union();
    case BO::SoftmaxOptions: return tflite::CreateSoftmaxOptions(fbb, o.beta).Union();
    case BO::ReshapeOptions:
      return tflite::CreateReshapeOptions(fbb, o.new_shape.empty() ? 0 : fbb.CreateVector(o.new_shape)).Union();
    default: return empty_table(fbb);
  }
}

}  // namespace

std::vector<uint8_t> f32_bytes(const std::vector<float>& values) { return raw_bytes(values); }
std::vector<uint8_t> i32_bytes(const std::vector<int32_t>& values) { return raw_bytes(values); }
std::vector<uint8_t> i8_bytes(const std::vector<int8_t>& values) { return raw_bytes(values); }

uint32_t ModelSpec::add_buffer(std::vector<uint8_t> bytes) {
  buffers.push_back(std::move(bytes));
  return static_cast<uint32_t>(buffers.size() - 1);
}

int32_t ModelSpec::add_tensor(TensorSpec t) {
  tensors.push_back(std::move(t));
  return static_cast<int32_t>(tensors.size() - 1);
}

std::vector<uint8_t> ModelSpec::build() const {
  FlatBufferBuilder fbb(1024);

  std::vector<Offset<tflite::Buffer>> buffer_offsets;
  for (const auto& b : buffers) buffer_offsets.push_back(tflite::CreateBufferDirect(fbb, b.empty() ? nullptr : &b));

  std::vector<Offset<tflite::OperatorCode>> code_offsets;
  for (const auto& c : opcodes) {
    int8_t deprecated = 0;
    if (c.write_deprecated_code) deprecated = static_cast<int8_t>(c.builtin < 127 && c.builtin >= -128 ? c.builtin : 127);
    code_offsets.push_back(tflite::CreateOperatorCode(fbb, deprecated,
                                                      c.custom_code.empty() ? 0 : fbb.CreateString(c.custom_code),
                                                      c.version, static_cast<tflite::BuiltinOperator>(c.builtin)));
  }

  std::vector<Offset<tflite::Tensor>> tensor_offsets;
  for (const auto& t : tensors) {
    Offset<tflite::QuantizationParameters> q = 0;
    if (t.quant) {
      q = tflite::CreateQuantizationParameters(
          fbb, 0, 0, fbb.CreateVector(t.quant->scales),
          t.quant->zero_points.empty() ? 0 : fbb.CreateVector(t.quant->zero_points), tflite::QuantizationDetails::NONE,
          0, t.quant->quantized_dimension);
    }
    tensor_offsets.push_back(tflite::CreateTensor(fbb, t.omit_shape ? 0 : fbb.CreateVector(t.shape), t.type, t.buffer,
                                                  t.name.empty() ? 0 : fbb.CreateString(t.name), q, t.is_variable));
  }

  std::vector<Offset<tflite::Operator>> op_offsets;
  for (const auto& op : ops) {
    Offset<void> options = build_options(fbb, op.options);
    auto tag = op.options.tag ? static_cast<tflite::BuiltinOptions>(*op.options.tag) : op.options.type;
    op_offsets.push_back(tflite::CreateOperator(
        fbb, op.opcode_index, fbb.CreateVector(op.inputs), op.omit_outputs ? 0 : fbb.CreateVector(op.outputs), tag,
        options, op.custom_options.empty() ? 0 : fbb.CreateVector(op.custom_options)));
  }

  Offset<flatbuffers::Vector<Offset<tflite::SubGraph>>> subgraphs = 0;
  if (!omit_subgraphs) {
    auto sg = tflite::CreateSubGraph(fbb, fbb.CreateVector(tensor_offsets), fbb.CreateVector(inputs),
                                     fbb.CreateVector(outputs), fbb.CreateVector(op_offsets), fbb.CreateString("main"));
    subgraphs = fbb.CreateVector(std::vector<Offset<tflite::SubGraph>>{sg});
  }
  auto model = tflite::CreateModel(fbb, version, fbb.CreateVector(code_offsets), subgraphs,
                                   fbb.CreateString("eir test model"), fbb.CreateVector(buffer_offsets));
  if (write_identifier)
    tflite::FinishModelBuffer(fbb, model);
  else
    fbb.Finish(model);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

namespace {

int32_t num_elements(const std::vector<int32_t>& shape) {
  int32_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::vector<float> ramp(int32_t n, float start, float step) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = start + step * static_cast<float>(i);
  return v;
}

OpSpec binary_op(uint32_t opcode, int32_t a, int32_t b, int32_t out, tflite::BuiltinOptions options) {
  OpSpec op;
  op.opcode_index = opcode;
  op.inputs = {a, b};
  op.outputs = {out};
  op.options.type = options;
  return op;
}

}  // namespace

ModelSpec add_model(std::vector<int32_t> shape, std::vector<int32_t> const_shape) {
  if (const_shape.empty()) const_shape = shape;
  ModelSpec m;
  m.opcodes.push_back({0, "", 1});
  uint32_t cbuf = m.add_buffer(f32_bytes(ramp(num_elements(const_shape), 1.0f, 1.0f)));
  m.add_tensor({shape, false, tflite::TensorType::FLOAT32, 0, "x"});
  m.add_tensor({const_shape, false, tflite::TensorType::FLOAT32, cbuf, "c"});
  m.add_tensor({shape, false, tflite::TensorType::FLOAT32, 0, "y"});
  m.inputs = {0};
  m.outputs = {2};
  m.ops.push_back(binary_op(0, 0, 1, 2, tflite::BuiltinOptions::AddOptions));
  return m;
}

ModelSpec conv_model() {
  ModelSpec m;
  m.opcodes.push_back({3, "", 1});
  uint32_t wbuf = m.add_buffer(f32_bytes(ramp(2 * 3 * 3 * 1, -1.0f, 0.125f)));
  uint32_t bbuf = m.add_buffer(f32_bytes({0.5f, -0.25f}));
  m.add_tensor({{1, 4, 4, 1}, false, tflite::TensorType::FLOAT32, 0, "x"});
  m.add_tensor({{2, 3, 3, 1}, false, tflite::TensorType::FLOAT32, wbuf, "w"});
  m.add_tensor({{2}, false, tflite::TensorType::FLOAT32, bbuf, "b"});
  m.add_tensor({{1, 4, 4, 2}, false, tflite::TensorType::FLOAT32, 0, "y"});
  m.inputs = {0};
  m.outputs = {3};
  OpSpec op;
  op.opcode_index = 0;
  op.inputs = {0, 1, 2};
  op.outputs = {3};
  op.options.type = tflite::BuiltinOptions::Conv2DOptions;
  op.options.padding = 0;
  m.ops.push_back(op);
  return m;
}

ModelSpec chain_model() {
  ModelSpec m;
  m.opcodes.push_back({0, "", 1});   // ADD
  m.opcodes.push_back({18, "", 1});  // MUL
  uint32_t cbuf = m.add_buffer(f32_bytes({1.0f, 2.0f, 3.0f, 4.0f}));
  const std::vector<int32_t> shape = {1, 2, 2, 1};
  m.add_tensor({shape, false, tflite::TensorType::FLOAT32, 0, "x"});
  m.add_tensor({shape, false, tflite::TensorType::FLOAT32, cbuf, "c"});
  m.add_tensor({shape, false, tflite::TensorType::FLOAT32, 0, "t"});
  m.add_tensor({shape, false, tflite::TensorType::FLOAT32, 0, "y"});
  m.inputs = {0};
  m.outputs = {3};
  m.ops.push_back(binary_op(0, 0, 1, 2, tflite::BuiltinOptions::AddOptions));
  m.ops.push_back(binary_op(1, 2, 1, 3, tflite::BuiltinOptions::MulOptions));
  return m;
}

ModelSpec quantized_add_model() {
  ModelSpec m;
  m.opcodes.push_back({0, "", 2});
  const std::vector<int32_t> shape = {1, 2, 2, 1};
  uint32_t cbuf = m.add_buffer(i8_bytes({1, 2, 3, 4}));
  QuantSpec q{{0.5f}, {0}, 0};
  m.add_tensor({shape, false, tflite::TensorType::INT8, 0, "x", q});
  m.add_tensor({shape, false, tflite::TensorType::INT8, cbuf, "c", q});
  m.add_tensor({shape, false, tflite::TensorType::INT8, 0, "y", q});
  m.inputs = {0};
  m.outputs = {2};
  m.ops.push_back(binary_op(0, 0, 1, 2, tflite::BuiltinOptions::AddOptions));
  return m;
}

}  // namespace eir::test
