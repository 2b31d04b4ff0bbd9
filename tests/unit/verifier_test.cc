// Hostile-model hardening (issues #2/#5): every malformed model must be refused at load with a
// message that says what is wrong (which tensor/node/index, expected vs actual), and no byte
// sequence — truncated, random, bit-flipped — may crash the loader.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "eir/eir.hpp"
#include "tests/unit/model_builder.h"

using eir::test::ModelSpec;
using eir::test::OpSpec;
using eir::test::QuantSpec;
using eir::test::TensorSpec;

namespace {

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string shared_model(const std::string& name) { return std::string(EIR_SHARED_DIR) + "/models/" + name; }

eir::Status load_status(const std::vector<uint8_t>& bytes) {
  auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
  return m.ok() ? eir::Status::Ok() : m.status();
}

eir::Status load_status(const ModelSpec& spec) { return load_status(spec.build()); }

// Loads `bytes`; if the model loads, also prepares a session (bounded arena) and runs it once on
// zero inputs. Returns the first error, if any. What matters to callers is that it returns.
eir::Status load_and_run(const std::vector<uint8_t>& bytes) {
  auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
  if (!m.ok()) return m.status();
  eir::SessionOptions opts;
  opts.max_arena_bytes = size_t{64} << 20;
  opts.max_tensor_bytes = size_t{64} << 20;
  auto s = eir::Session::create(*m, opts);
  if (!s.ok()) return s.status();
  for (int i = 0; i < (*s)->num_inputs(); ++i) {
    eir::TensorView v = (*s)->input(i);
    if (v.data) std::memset(v.data, 0, v.bytes);
  }
  return (*s)->run();
}

// Expect a load failure whose message contains every one of `words`.
void expect_refused(const ModelSpec& spec, std::initializer_list<const char*> words) {
  eir::Status s = load_status(spec);
  INFO("status: " << s.to_string());
  REQUIRE_FALSE(s.ok());
  for (const char* w : words) CHECK_THAT(s.message(), Catch::Contains(w));
}

// A failure on hostile bytes must be an ordinary error: a message, and not "internal" (which
// would mean a check is missing and an invariant broke later). Internal errors are reported as
// warnings rather than failures so a fuzz-style test names them all in one run.
int g_internal_errors = 0;
void check_clean(const eir::Status& s, const std::string& what) {
  if (s.ok()) return;
  INFO(what << ": " << s.to_string());
  CHECK_FALSE(s.message().empty());
  if (s.code() == eir::StatusCode::kInternal) {
    ++g_internal_errors;
    if (g_internal_errors <= 5) WARN("internal error on malformed input (" << what << "): " << s.to_string());
  }
}

}  // namespace

// ---- the builder's models are valid (so each negative test below changes exactly one thing) ----

TEST_CASE("builder models load and compute", "[verifier]") {
  SECTION("ADD") {
    auto bytes = eir::test::add_model().build();
    auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
    REQUIRE(m.ok());
    auto s = eir::Session::create(*m);
    REQUIRE(s.ok());
    float* x = (*s)->input(0).data_as<float>();
    for (int i = 0; i < 4; ++i) x[i] = 10.0f * static_cast<float>(i);
    REQUIRE((*s)->run().ok());
    const float* y = (*s)->output(0).data_as<float>();
    for (int i = 0; i < 4; ++i) CHECK(y[i] == 10.0f * static_cast<float>(i) + static_cast<float>(i + 1));
  }
  SECTION("chain ADD -> MUL") {
    auto bytes = eir::test::chain_model().build();
    auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
    REQUIRE(m.ok());
    auto s = eir::Session::create(*m);
    REQUIRE(s.ok());
    float* x = (*s)->input(0).data_as<float>();
    for (int i = 0; i < 4; ++i) x[i] = 1.0f;
    REQUIRE((*s)->run().ok());
    const float* y = (*s)->output(0).data_as<float>();
    for (int i = 0; i < 4; ++i) CHECK(y[i] == (1.0f + static_cast<float>(i + 1)) * static_cast<float>(i + 1));
  }
  SECTION("CONV_2D") {
    auto bytes = eir::test::conv_model().build();
    auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
    INFO(m.status().to_string());
    REQUIRE(m.ok());
    auto s = eir::Session::create(*m);
    REQUIRE(s.ok());
    float* x = (*s)->input(0).data_as<float>();
    for (int i = 0; i < 16; ++i) x[i] = 1.0f;
    REQUIRE((*s)->run().ok());
    // Centre pixel (1,1) sees the full 3x3 window of ones: sum(w[oc]) + b[oc].
    const float* y = (*s)->output(0).data_as<float>();
    for (int oc = 0; oc < 2; ++oc) {
      float expect = oc == 0 ? 0.5f : -0.25f;
      for (int k = 0; k < 9; ++k) expect += -1.0f + 0.125f * static_cast<float>(oc * 9 + k);
      CHECK(y[(1 * 4 + 1) * 2 + oc] == Approx(expect));
    }
  }
}

// ---- index errors ----

TEST_CASE("out-of-range indices are refused with the index and the count", "[verifier]") {
  SECTION("node input tensor index") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].inputs[1] = 99;
    expect_refused(m, {"tensor 99", "3 tensors", "input 1", "node 0"});
  }
  SECTION("node output tensor index") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].outputs[0] = 7;
    expect_refused(m, {"tensor 7", "3 tensors", "output 0"});
  }
  SECTION("negative input other than -1") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].inputs[0] = -2;
    expect_refused(m, {"tensor -2", "input 0"});
  }
  SECTION("-1 as a node output") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].outputs[0] = -1;
    expect_refused(m, {"output 0", "tensor -1"});
  }
  SECTION("-1 as a model input") {
    ModelSpec m = eir::test::add_model();
    m.inputs = {-1};
    expect_refused(m, {"model input 0", "tensor -1"});
  }
  SECTION("model output out of range") {
    ModelSpec m = eir::test::add_model();
    m.outputs = {2, 3};
    expect_refused(m, {"model output 1", "tensor 3", "3 tensors"});
  }
  SECTION("buffer index") {
    ModelSpec m = eir::test::add_model();
    m.tensors[1].buffer = 42;
    expect_refused(m, {"tensor 1", "buffer 42", "2 buffers"});
  }
  SECTION("opcode index") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].opcode_index = 5;
    expect_refused(m, {"node 0", "opcode 5", "1 operator codes"});
  }
}

// ---- shapes and sizes ----

TEST_CASE("bad shapes are refused", "[verifier]") {
  SECTION("negative dimension") {
    ModelSpec m = eir::test::add_model();
    m.tensors[0].shape = {1, -3, 2, 1};
    expect_refused(m, {"tensor 0", "negative dimension -3", "axis 1"});
  }
  SECTION("element count overflows size_t") {
    ModelSpec m = eir::test::add_model();
    m.tensors[2].shape = {1 << 30, 1 << 30, 1 << 30, 8};
    expect_refused(m, {"tensor 2", "overflow"});
  }
  SECTION("byte count overflows size_t") {
    ModelSpec m = eir::test::add_model();
    // 2^62 elements fit size_t, 2^64 bytes do not.
    m.tensors[2].shape = {1 << 30, 1 << 30, 4};
    expect_refused(m, {"tensor 2", "overflow"});
  }
  SECTION("huge tensor above the 4 GiB per-tensor limit") {
    ModelSpec m = eir::test::add_model();
    m.tensors[2].shape = {65536, 65536, 2};  // 2^33 floats = 32 GiB
    expect_refused(m, {"tensor 2", "34359738368", "limit"});
  }
  SECTION("rank above 8") {
    ModelSpec m = eir::test::add_model();
    m.tensors[0].shape = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    expect_refused(m, {"tensor 0", "rank 9"});
  }
  // Unsupported element types are refused when kernels are resolved (an unsupported op is
  // reported first), naming the node.
  SECTION("unsupported element type on an output") {
    ModelSpec m = eir::test::add_model();
    m.tensors[2].type = tflite::TensorType::COMPLEX64;
    expect_refused(m, {"node 0", "tensor 2", "has type COMPLEX64"});
  }
  SECTION("unsupported element type on the first input") {
    ModelSpec m = eir::test::add_model();
    m.tensors[0].type = tflite::TensorType::COMPLEX64;
    expect_refused(m, {"node 0", "ADD", "no kernel for COMPLEX64 inputs"});
  }
  SECTION("out-of-enum element type") {
    ModelSpec m = eir::test::add_model();
    m.tensors[1].type = static_cast<tflite::TensorType>(100);
    expect_refused(m, {"node 0", "ADD", "tensor 1", "has type TensorType 100"});
  }
}

TEST_CASE("constant buffer size must match shape x dtype", "[verifier]") {
  SECTION("shorter") {
    ModelSpec m = eir::test::add_model();
    m.buffers[1].resize(8);
    expect_refused(m, {"tensor 1", "8 bytes", "16"});
  }
  SECTION("longer") {
    ModelSpec m = eir::test::add_model();
    m.buffers[1].resize(20);
    expect_refused(m, {"tensor 1", "20 bytes", "16"});
  }
  SECTION("one byte short of a conv filter") {
    ModelSpec m = eir::test::conv_model();
    m.buffers[1].pop_back();
    expect_refused(m, {"tensor 1", "71 bytes", "72"});
  }
}

// ---- graph structure ----

TEST_CASE("graph order and single-writer rules", "[verifier]") {
  SECTION("a node reads a tensor before it is written") {
    ModelSpec m = eir::test::chain_model();
    std::swap(m.ops[0], m.ops[1]);  // MUL(t, c) now runs before t = ADD(x, c)
    expect_refused(m, {"node 0", "tensor 2", "before any node writes it"});
  }
  SECTION("a cycle") {
    ModelSpec m = eir::test::chain_model();
    m.ops[0].inputs = {0, 3};  // t = ADD(x, y); y = MUL(t, c)
    expect_refused(m, {"node 0", "tensor 3", "before any node writes it"});
  }
  SECTION("a self-loop") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].inputs = {2, 1};
    expect_refused(m, {"tensor 2", "before any node writes it"});
  }
  SECTION("two writers of one tensor") {
    ModelSpec m = eir::test::chain_model();
    m.ops[1].outputs = {2};
    expect_refused(m, {"node 1", "tensor 2", "already"});
  }
  SECTION("a node overwrites a constant") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].outputs = {1};
    expect_refused(m, {"tensor 1", "already"});
  }
  SECTION("a node overwrites the model input") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].outputs = {0};
    expect_refused(m, {"tensor 0", "already"});
  }
  SECTION("model output never written") {
    ModelSpec m = eir::test::add_model();
    int32_t dangling = m.add_tensor({{1}, false, tflite::TensorType::FLOAT32, 0, "dangling"});
    m.outputs.push_back(dangling);
    expect_refused(m, {"model output 1", "tensor 3", "never written"});
  }
  SECTION("node without outputs") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].omit_outputs = true;
    expect_refused(m, {"node 0", "no outputs"});
  }
  SECTION("model without subgraphs") {
    ModelSpec m = eir::test::add_model();
    m.omit_subgraphs = true;
    expect_refused(m, {"no subgraphs"});
  }
}

// ---- file-level ----

TEST_CASE("file header problems", "[verifier]") {
  SECTION("wrong schema version") {
    ModelSpec m = eir::test::add_model();
    m.version = 2;
    expect_refused(m, {"schema version 2", "expected 3"});
  }
  SECTION("no TFL3 identifier") {
    ModelSpec m = eir::test::add_model();
    m.write_identifier = false;
    expect_refused(m, {"TFL3"});
  }
  SECTION("empty, null and tiny buffers") {
    auto m = eir::Model::load_buffer(nullptr, 10);
    REQUIRE_FALSE(m.ok());
    CHECK(m.status().code() == eir::StatusCode::kInvalidArgument);
    CHECK_THAT(m.status().message(), Catch::Contains("null"));
    uint8_t tiny[4] = {1, 2, 3, 4};
    auto m0 = eir::Model::load_buffer(tiny, 0);
    REQUIRE_FALSE(m0.ok());
    CHECK_THAT(m0.status().message(), Catch::Contains("empty"));
    auto m4 = eir::Model::load_buffer(tiny, 4);
    REQUIRE_FALSE(m4.ok());
    CHECK_THAT(m4.status().message(), Catch::Contains("4 bytes"));
  }
  SECTION("missing file") {
    auto m = eir::Model::load_file("/nonexistent/dir/model.tflite");
    REQUIRE_FALSE(m.ok());
    CHECK(m.status().code() == eir::StatusCode::kIoError);
    CHECK_THAT(m.status().message(), Catch::Contains("/nonexistent/dir/model.tflite"));
  }
}

// ---- operators ----

TEST_CASE("operator codes and options", "[verifier]") {
  SECTION("unknown builtin code") {
    ModelSpec m = eir::test::add_model();
    m.opcodes[0] = {250, "", 1, false};
    expect_refused(m, {"node 0", "not implemented"});
  }
  SECTION("negative builtin code") {
    ModelSpec m = eir::test::add_model();
    m.opcodes[0] = {-5, "", 1, true};
    expect_refused(m, {"operator code 0", "negative"});
  }
  SECTION("unknown custom op") {
    ModelSpec m = eir::test::add_model();
    m.opcodes[0] = {32, "NoSuchCustomOp", 1};
    m.ops[0].options.type = tflite::BuiltinOptions::NONE;
    expect_refused(m, {"node 0", "NoSuchCustomOp", "not implemented"});
  }
  SECTION("custom op without a name") {
    ModelSpec m = eir::test::add_model();
    m.opcodes[0] = {32, "", 1};
    m.ops[0].options.type = tflite::BuiltinOptions::NONE;
    expect_refused(m, {"operator code 0", "custom_code"});
  }
  SECTION("opcode version 0") {
    ModelSpec m = eir::test::add_model();
    m.opcodes[0].version = 0;
    expect_refused(m, {"operator code 0", "version 0"});
  }
  SECTION("opcode version newer than supported") {
    ModelSpec m = eir::test::add_model();
    m.opcodes[0].version = 99;
    expect_refused(m, {"node 0", "ADD", "version 99"});
  }
  SECTION("options table of the wrong type") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].options.type = tflite::BuiltinOptions::Conv2DOptions;
    expect_refused(m, {"node 0", "AddOptions", "Conv2DOptions"});
  }
  SECTION("options union tag naming no known table") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].options.tag = 250;
    expect_refused(m, {"node 0", "250"});
  }
  SECTION("conv without its required options") {
    ModelSpec m = eir::test::conv_model();
    m.ops[0].options.type = tflite::BuiltinOptions::NONE;
    expect_refused(m, {"node 0", "Conv2DOptions"});
  }
  SECTION("zero stride") {
    ModelSpec m = eir::test::conv_model();
    m.ops[0].options.stride_w = 0;
    expect_refused(m, {"node 0", "stride_w", "got 0"});
  }
  SECTION("negative stride") {
    ModelSpec m = eir::test::conv_model();
    m.ops[0].options.stride_h = -2;
    expect_refused(m, {"node 0", "stride_h", "-2"});
  }
  SECTION("zero dilation") {
    ModelSpec m = eir::test::conv_model();
    m.ops[0].options.dilation_h = 0;
    expect_refused(m, {"node 0", "dilation"});
  }
  SECTION("unknown fused activation") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].options.activation = 42;
    expect_refused(m, {"node 0", "activation", "42"});
  }
  SECTION("unknown padding") {
    ModelSpec m = eir::test::conv_model();
    m.ops[0].options.padding = 7;
    expect_refused(m, {"node 0", "padding", "7"});
  }
}

TEST_CASE("op-level checks at load: dtypes, counts, shapes", "[verifier]") {
  SECTION("wrong dtype for an input") {
    ModelSpec m = eir::test::add_model();
    m.tensors[1].type = tflite::TensorType::INT32;  // 16 bytes still match [1,2,2,1] x 4
    expect_refused(m, {"node 0", "ADD", "int32"});
  }
  SECTION("wrong dtype for the output") {
    ModelSpec m = eir::test::add_model();
    m.tensors[2].type = tflite::TensorType::INT32;
    expect_refused(m, {"node 0", "ADD", "int32"});
  }
  SECTION("a missing required input") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].inputs = {0};
    expect_refused(m, {"node 0", "ADD", "input"});
  }
  SECTION("an absent (-1) required input") {
    ModelSpec m = eir::test::add_model();
    m.ops[0].inputs = {0, -1};
    expect_refused(m, {"node 0", "ADD"});
  }
  SECTION("incompatible broadcast shapes") {
    ModelSpec m = eir::test::add_model({1, 2, 2, 2}, {3});
    expect_refused(m, {"node 0", "ADD"});
  }
  SECTION("conv filter channels differ from the input's") {
    ModelSpec m = eir::test::conv_model();
    m.tensors[1].shape = {2, 3, 3, 2};
    m.buffers[1].resize(2 * 3 * 3 * 2 * 4);
    expect_refused(m, {"node 0", "CONV_2D"});
  }
  SECTION("conv bias size differs from the output channels") {
    ModelSpec m = eir::test::conv_model();
    m.tensors[2].shape = {3};
    m.buffers[2] = eir::test::f32_bytes({0, 0, 0});
    expect_refused(m, {"node 0", "CONV_2D"});
  }
  SECTION("declared output shape contradicts the computed one is tolerated or refused, never trusted") {
    // The converter's static output shape is advisory; the runtime recomputes it. Either outcome
    // is acceptable, but if it loads, the session's output must have the computed shape.
    ModelSpec m = eir::test::add_model();
    m.tensors[2].shape = {1, 9, 9, 1};
    auto bytes = m.build();
    auto model = eir::Model::load_buffer(bytes.data(), bytes.size());
    if (model.ok()) {
      auto s = eir::Session::create(*model);
      REQUIRE(s.ok());
      CHECK((*s)->output(0).shape == std::vector<int32_t>{1, 2, 2, 1});
      CHECK((*s)->output(0).bytes == 16);
    } else {
      CHECK_FALSE(model.status().message().empty());
    }
  }
}

// ---- quantization parameters ----

TEST_CASE("bad quantization parameters are refused", "[verifier]") {
  SECTION("zero scale") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[1].quant->scales = {0.0f};
    expect_refused(m, {"tensor 1", "scale[0] = 0", "positive"});
  }
  SECTION("negative scale") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[0].quant->scales = {-0.5f};
    expect_refused(m, {"tensor 0", "scale[0] = -0.5"});
  }
  SECTION("NaN scale") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[2].quant->scales = {std::numeric_limits<float>::quiet_NaN()};
    expect_refused(m, {"tensor 2", "scale[0]", "finite"});
  }
  SECTION("infinite scale") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[2].quant->scales = {std::numeric_limits<float>::infinity()};
    expect_refused(m, {"tensor 2", "scale[0]", "finite"});
  }
  SECTION("int8 zero point out of range") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[1].quant->zero_points = {200};
    expect_refused(m, {"tensor 1", "zero point[0] = 200", "int8", "-128", "127"});
  }
  SECTION("uint8 zero point out of range") {
    ModelSpec m = eir::test::quantized_add_model();
    for (auto& t : m.tensors) t.type = tflite::TensorType::UINT8;
    m.tensors[0].quant->zero_points = {-1};
    expect_refused(m, {"tensor 0", "zero point[0] = -1", "uint8"});
  }
  SECTION("int16 zero point far out of range") {
    ModelSpec m = eir::test::quantized_add_model();
    for (auto& t : m.tensors) t.type = tflite::TensorType::INT16;
    m.buffers[1].resize(8);
    m.tensors[2].quant->zero_points = {int64_t{1} << 40};
    expect_refused(m, {"tensor 2", "zero point[0]", "int16"});
  }
  SECTION("per-channel scale count differs from the channel count") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[1].shape = {2, 2, 1, 1};
    m.tensors[1].quant = QuantSpec{{0.5f, 0.5f, 0.5f}, {0, 0, 0}, 0};
    expect_refused(m, {"tensor 1", "3 scales", "2 channels"});
  }
  SECTION("scales and zero points differ in count") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[1].quant = QuantSpec{{0.5f}, {0, 0}, 0};
    expect_refused(m, {"tensor 1", "1 scales", "2 zero points"});
  }
  SECTION("quantized_dimension outside the rank") {
    ModelSpec m = eir::test::quantized_add_model();
    m.tensors[1].shape = {2, 2, 1, 1};
    m.tensors[1].quant = QuantSpec{{0.5f, 0.5f}, {0, 0}, 5};
    expect_refused(m, {"tensor 1", "quantized_dimension 5", "rank 4"});
  }
}

// ---- zero-sized tensors ----

TEST_CASE("zero-sized tensors load or fail cleanly, and run without touching memory", "[verifier]") {
  for (std::vector<int32_t> shape : {std::vector<int32_t>{0}, {1, 0, 2, 1}, {0, 0}}) {
    INFO("shape size " << shape.size());
    ModelSpec m = eir::test::add_model(shape);
    m.buffers[1].clear();  // a zero-element constant has no bytes: it is then an activation...
    m.tensors[1].buffer = 0;
    m.inputs = {0, 1};     // ...so feed it as a second input
    auto bytes = m.build();
    auto model = eir::Model::load_buffer(bytes.data(), bytes.size());
    if (!model.ok()) {
      check_clean(model.status(), "zero-sized load");
      continue;
    }
    auto s = eir::Session::create(*model);
    if (!s.ok()) {
      check_clean(s.status(), "zero-sized session");
      continue;
    }
    CHECK((*s)->output(0).bytes == 0);
    eir::Status r = (*s)->run();
    INFO(r.to_string());
    CHECK(r.ok());
  }
  // A conv over an empty batch / an empty spatial dimension.
  for (std::vector<int32_t> shape : {std::vector<int32_t>{0, 4, 4, 1}, {1, 0, 4, 1}}) {
    ModelSpec m = eir::test::conv_model();
    m.tensors[0].shape = shape;
    m.tensors[3].shape = {shape[0], shape[1], 4, 2};
    check_clean(load_and_run(m.build()), "zero-sized conv");
  }
}

// ---- byte-level robustness ----

TEST_CASE("every truncation of a builder model fails cleanly", "[verifier]") {
  for (const ModelSpec& spec : {eir::test::add_model(), eir::test::conv_model(), eir::test::chain_model()}) {
    const std::vector<uint8_t> full = spec.build();
    REQUIRE(load_status(full).ok());
    for (size_t len = 0; len < full.size(); ++len) {
      // An exactly-sized heap copy, so an over-read is caught by ASan.
      std::vector<uint8_t> prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
      eir::Status s = load_status(prefix);
      INFO("prefix " << len << " of " << full.size());
      CHECK_FALSE(s.ok());
      check_clean(s, "truncated builder model");
    }
  }
}

TEST_CASE("truncated real models fail cleanly", "[verifier][shared]") {
  const std::string face = shared_model("mp_face_detection_short_range.tflite");
  const std::string add = shared_model("tf_add.tflite");
  if (!file_exists(face) || !file_exists(add)) {
    WARN("SKIPPED: models not found under " EIR_SHARED_DIR);
    return;
  }
  struct Case {
    std::string path;
    size_t stride;
  };
  // Every length through the first 4 KiB (the root table, vtables and tensor tables of small
  // models), then a stride across the rest.
  for (const Case& c : {Case{add, 1}, Case{face, 97}}) {
    const std::vector<uint8_t> full = read_file_bytes(c.path);
    REQUIRE(!full.empty());
    REQUIRE(load_status(full).ok());
    size_t failures = 0, tried = 0;
    for (size_t len = 0; len < full.size(); len += (len < 4096 ? 1 : c.stride)) {
      std::vector<uint8_t> prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
      eir::Status s = load_status(prefix);
      ++tried;
      if (!s.ok()) ++failures;
      check_clean(s, c.path + " truncated to " + std::to_string(len));
    }
    // A FlatBuffer's tables point to data up to its very end: no strict prefix is a valid model.
    CHECK(failures == tried);
  }
}

TEST_CASE("random bytes never crash the loader", "[verifier]") {
  std::mt19937 rng(12345);
  std::vector<uint8_t> buf;
  for (int iter = 0; iter < 3000; ++iter) {
    size_t size = rng() % 1024;
    buf.resize(size);
    for (auto& b : buf) b = static_cast<uint8_t>(rng());
    if (size >= 8 && iter % 2 == 0) std::memcpy(buf.data() + 4, "TFL3", 4);  // get past the identifier check
    if (size >= 8 && iter % 4 == 0) {
      uint32_t root = static_cast<uint32_t>(rng() % size);  // a plausible root offset
      std::memcpy(buf.data(), &root, 4);
    }
    eir::Status s = load_status(buf);
    check_clean(s, "random bytes #" + std::to_string(iter));
  }
}

namespace {

// Applies `flips` random bit flips or interesting byte overwrites to `bytes`.
void mutate(std::vector<uint8_t>& bytes, std::mt19937& rng, int flips) {
  static const uint8_t kInteresting[] = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe};
  for (int k = 0; k < flips; ++k) {
    size_t pos = rng() % bytes.size();
    if (rng() % 3 == 0)
      bytes[pos] = kInteresting[rng() % sizeof(kInteresting)];
    else
      bytes[pos] ^= static_cast<uint8_t>(1u << (rng() % 8));
  }
}

void bit_flip_campaign(const std::vector<uint8_t>& original, uint32_t seed, int iterations, int max_flips,
                       const std::string& what) {
  std::mt19937 rng(seed);
  int loaded = 0;
  for (int iter = 0; iter < iterations; ++iter) {
    std::vector<uint8_t> bytes = original;
    mutate(bytes, rng, 1 + static_cast<int>(rng() % static_cast<uint32_t>(max_flips)));
    eir::Status s = load_and_run(bytes);
    if (s.ok()) ++loaded;
    check_clean(s, what + " mutation #" + std::to_string(iter));
  }
  INFO(what << ": " << loaded << " of " << iterations << " mutants loaded and ran");
  SUCCEED();
}

}  // namespace

TEST_CASE("bit flips in builder models load or fail cleanly", "[verifier]") {
  bit_flip_campaign(eir::test::add_model().build(), 1, 2000, 4, "add_model");
  bit_flip_campaign(eir::test::conv_model().build(), 2, 2000, 4, "conv_model");
  bit_flip_campaign(eir::test::chain_model().build(), 3, 1000, 4, "chain_model");
}

TEST_CASE("bit flips in real models load or fail cleanly", "[verifier][shared]") {
  const std::string face = shared_model("mp_face_detection_short_range.tflite");
  const std::string add = shared_model("tf_add.tflite");
  if (!file_exists(face) || !file_exists(add)) {
    WARN("SKIPPED: models not found under " EIR_SHARED_DIR);
    return;
  }
  bit_flip_campaign(read_file_bytes(add), 7, 2000, 4, "tf_add");
  // Flips confined to the first 8 KiB hit the tables (the weights follow); a few hit anywhere.
  std::vector<uint8_t> original = read_file_bytes(face);
  // Loading is cheap; running the model costs ~65 ms (Release), so only every 8th mutant runs.
  std::mt19937 rng(8);
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<uint8_t> bytes = original;
    int flips = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < flips; ++k) {
      size_t span = iter % 5 == 0 ? bytes.size() : std::min<size_t>(bytes.size(), 8192);
      bytes[rng() % span] ^= static_cast<uint8_t>(1u << (rng() % 8));
    }
    const std::string what = "face detection mutation #" + std::to_string(iter);
    if (iter % 8 == 0) {
      check_clean(load_and_run(bytes), what);
    } else {
      auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
      if (m.ok()) {
        eir::SessionOptions opts;
        opts.max_arena_bytes = size_t{64} << 20;
        auto s = eir::Session::create(*m, opts);
        if (!s.ok()) check_clean(s.status(), what);
      } else {
        check_clean(m.status(), what);
      }
    }
  }
}

TEST_CASE("a valid model with trailing bytes loads", "[verifier]") {
  std::vector<uint8_t> bytes = eir::test::add_model().build();
  for (size_t i = 0; i < 4096; ++i) bytes.push_back(static_cast<uint8_t>(i * 31 + 7));
  auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
  INFO(m.status().to_string());
  REQUIRE(m.ok());
  auto s = eir::Session::create(*m);
  REQUIRE(s.ok());
  float* x = (*s)->input(0).data_as<float>();
  for (int i = 0; i < 4; ++i) x[i] = 0.5f;
  REQUIRE((*s)->run().ok());
  CHECK((*s)->output(0).data_as<float>()[3] == 4.5f);

  const std::string add = shared_model("tf_add.tflite");
  if (file_exists(add)) {
    std::vector<uint8_t> real = read_file_bytes(add);
    real.resize(real.size() + 1000, 0xAB);
    CHECK(load_status(real).ok());
  }
}

TEST_CASE("every file in tests/malformed is refused cleanly or runs", "[verifier][malformed]") {
  const std::string dir = std::string(EIR_SOURCE_DIR) + "/tests/malformed";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    WARN("SKIPPED: " << dir << " not found");
    return;
  }
  std::vector<std::string> files;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == ".." || name == "README.md") continue;
    files.push_back(dir + "/" + name);
  }
  ::closedir(d);
  for (const std::string& f : files) {
    INFO(f);
    std::vector<uint8_t> bytes = read_file_bytes(f);
    if (bytes.empty()) continue;
    // Regression inputs from the fuzzers: loading, preparing and running must return, and a
    // refusal must be an ordinary (non-internal) error with a message.
    eir::Status s = load_and_run(bytes);
    if (!s.ok()) {
      CHECK_FALSE(s.message().empty());
      CHECK(s.code() != eir::StatusCode::kInternal);
    }
  }
}
