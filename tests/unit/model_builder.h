// Builds tiny .tflite models in memory for tests, with every field settable so that tests can
// corrupt exactly one thing at a time (an index out of range, a negative dim, a short constant
// buffer, a bad quantization, a wrong options union...). The spec is plain data: start from one of
// the ready-made models below, change the field under test, then call build().
//
//   ModelSpec m = add_model();        // y = ADD(x, c), float32 [1,2,2,1]
//   m.ops[0].inputs[1] = 99;          // out-of-range tensor index
//   std::vector<uint8_t> bytes = m.build();
//
// Nothing here validates the spec: producing invalid models is the point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/tflite_generated.h"

namespace eir::test {

struct QuantSpec {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;
};

struct TensorSpec {
  std::vector<int32_t> shape;
  bool omit_shape = false;  // leave the shape vector out of the file entirely
  tflite::TensorType type = tflite::TensorType::FLOAT32;
  uint32_t buffer = 0;  // index into ModelSpec::buffers; 0 = no data (an activation)
  std::string name;
  std::optional<QuantSpec> quant;
  bool is_variable = false;
};

struct OpCodeSpec {
  int32_t builtin = 0;  // a tflite::BuiltinOperator value (any int, to test unknown codes)
  std::string custom_code;  // for CUSTOM (32); empty = field absent
  int32_t version = 1;
  // The code is also written to the int8 deprecated field when it fits, as converters do.
  bool write_deprecated_code = true;
};

// The options table of an operator. `type` selects which table is built (tables the builder does
// not know are written empty, i.e. all defaults); `tag` (if set) is the union type written to
// the file instead of `type`, to test a table of the wrong type for the op.
struct OptionsSpec {
  tflite::BuiltinOptions type = tflite::BuiltinOptions::NONE;
  std::optional<uint8_t> tag;
  int activation = 0;  // fused_activation_function
  int padding = 0;     // 0 = SAME, 1 = VALID
  int stride_w = 1, stride_h = 1;
  int dilation_w = 1, dilation_h = 1;
  int filter_w = 1, filter_h = 1;  // pooling
  int depth_multiplier = 1;
  float beta = 1.0f;  // SOFTMAX
  std::vector<int32_t> new_shape;  // RESHAPE (omitted when empty)
  bool keep_num_dims = false;      // FULLY_CONNECTED
};

struct OpSpec {
  uint32_t opcode_index = 0;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  bool omit_outputs = false;  // leave the outputs vector out of the file
  OptionsSpec options;
  std::vector<uint8_t> custom_options;  // omitted when empty
};

struct ModelSpec {
  uint32_t version = 3;
  bool write_identifier = true;  // "TFL3" at bytes 4-7
  std::vector<OpCodeSpec> opcodes;
  // buffers[0] must conventionally be empty; each entry's bytes become Buffer.data.
  std::vector<std::vector<uint8_t>> buffers = {{}};
  std::vector<TensorSpec> tensors;
  std::vector<int32_t> inputs, outputs;
  std::vector<OpSpec> ops;
  bool omit_subgraphs = false;  // model with no subgraph table

  // Appends a buffer holding `bytes` and returns its index.
  uint32_t add_buffer(std::vector<uint8_t> bytes);
  // Appends a tensor and returns its index.
  int32_t add_tensor(TensorSpec t);

  std::vector<uint8_t> build() const;
};

// Raw little-endian bytes of a value array (constant buffer contents).
std::vector<uint8_t> f32_bytes(const std::vector<float>& values);
std::vector<uint8_t> i32_bytes(const std::vector<int32_t>& values);
std::vector<uint8_t> i8_bytes(const std::vector<int8_t>& values);

// Ready-made valid models.
// y = ADD(x, c): x is input 0 (tensor 0), c a constant (tensor 1), y output 0 (tensor 2), all
// float32 of `shape`; c = 1, 2, 3, ... (or const_shape if given, for broadcasting).
ModelSpec add_model(std::vector<int32_t> shape = {1, 2, 2, 1}, std::vector<int32_t> const_shape = {});
// y = CONV_2D(x, w, b), SAME padding, stride 1: x [1,4,4,1] (t0), w [2,3,3,1] (t1), b [2] (t2),
// y [1,4,4,2] (t3). Deterministic small weights.
ModelSpec conv_model();
// t = ADD(x, c); y = MUL(t, c): a two-node chain; x t0, c t1, t t2, y t3, all float32 [1,2,2,1].
ModelSpec chain_model();
// y = ADD(x, c) in int8 with per-tensor quantization (scale 0.5, zero point 0): x t0, c t1, y t2.
ModelSpec quantized_add_model();

}  // namespace eir::test
