// Public C++ and C API behaviour on builder models: tensor info, zero-copy views, resizing,
// argument checking, session limits, concurrency (also run under TSan: tag [concurrency]) and a
// long-running soak test (no drift in results, no growth in resident memory).
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "eir/eir.h"
#include "eir/eir.hpp"
#include "tests/unit/model_builder.h"

#include <sys/stat.h>

namespace {

// A small real int8 model (conv, depthwise, FC, softmax; ~1 ms per run) from ../shared, or "".
std::string real_model_path() {
  const std::string p = std::string(EIR_SHARED_DIR) + "/models/tfm_micro_speech_quantized.tflite";
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 ? p : std::string();
}

// Fills every input with a deterministic pattern derived from `seed` and runs; returns output 0's
// bytes (empty on failure).
std::vector<uint8_t> run_pattern(eir::Session& s, uint32_t seed) {
  for (int i = 0; i < s.num_inputs(); ++i) {
    eir::TensorView in = s.input(i);
    auto* p = static_cast<uint8_t*>(in.data);
    uint32_t state = seed * 2654435761u + static_cast<uint32_t>(i);
    for (size_t k = 0; k < in.bytes; ++k) {
      state = state * 1664525u + 1013904223u;
      p[k] = static_cast<uint8_t>(state >> 24);
    }
  }
  if (!s.run().ok()) return {};
  eir::TensorView out = s.output(0);
  const auto* o = static_cast<const uint8_t*>(out.data);
  return std::vector<uint8_t>(o, o + out.bytes);
}

// Keeps the model bytes alive next to the model that borrows them.
struct Loaded {
  std::vector<uint8_t> bytes;
  eir::Model model;
};

Loaded load(const eir::test::ModelSpec& spec) {
  std::vector<uint8_t> bytes = spec.build();
  auto m = eir::Model::load_buffer(bytes.data(), bytes.size());
  INFO(m.status().to_string());
  REQUIRE(m.ok());
  return Loaded{std::move(bytes), std::move(*m)};
}

std::unique_ptr<eir::Session> make_session(const eir::Model& model, const eir::SessionOptions& opts = {}) {
  auto s = eir::Session::create(model, opts);
  INFO(s.status().to_string());
  REQUIRE(s.ok());
  return std::move(*s);
}

std::string last_error() { return eir_last_error(); }

// Resident set size in bytes, from /proc/self/statm (second field, in pages).
size_t resident_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

// ============================== C++ API ==============================

TEST_CASE("C++: model and session tensor info", "[api]") {
  Loaded l = load(eir::test::add_model());
  const eir::Model& m = l.model;
  CHECK(m.num_inputs() == 1);
  CHECK(m.num_outputs() == 1);
  CHECK(m.num_nodes() == 1);
  CHECK(m.input_info(0).name == "x");
  CHECK(m.input_info(0).dtype == eir::DType::kF32);
  CHECK(m.input_info(0).shape == std::vector<int32_t>{1, 2, 2, 1});
  CHECK(m.input_info(0).quant.scales.empty());
  CHECK(m.output_info(0).name == "y");
  CHECK(m.output_info(0).shape == std::vector<int32_t>{1, 2, 2, 1});
  // Out-of-range info is an empty description, never an out-of-bounds read.
  CHECK(m.input_info(1).name.empty());
  CHECK(m.input_info(-1).dtype == eir::DType::kUnknown);
  CHECK(m.output_info(7).shape.empty());

  auto s = make_session(m);
  CHECK(s->num_inputs() == 1);
  CHECK(s->num_outputs() == 1);
  eir::TensorView in = s->input(0);
  REQUIRE(in.info != nullptr);
  CHECK(in.info->name == "x");
  CHECK(in.shape == std::vector<int32_t>{1, 2, 2, 1});
  CHECK(in.bytes == 16);
  CHECK(s->arena_bytes() > 0);
  CHECK(s->activation_bytes_unplanned() >= 32);
}

TEST_CASE("C++: zero-copy views are stable and alias the session's memory", "[api]") {
  Loaded l = load(eir::test::chain_model());
  auto s = make_session(l.model);
  eir::TensorView in = s->input(0), out = s->output(0);
  REQUIRE(in.data != nullptr);
  REQUIRE(out.data != nullptr);
  CHECK(in.data != out.data);
  for (int iter = 0; iter < 3; ++iter) {
    float* x = in.data_as<float>();
    for (int i = 0; i < 4; ++i) x[i] = static_cast<float>(iter + i);
    REQUIRE(s->run().ok());
    // Same pointers every time: the caller may keep the views across runs.
    CHECK(s->input(0).data == in.data);
    CHECK(s->output(0).data == out.data);
    const float* y = out.data_as<float>();
    for (int i = 0; i < 4; ++i) {
      const float c = static_cast<float>(i + 1);
      CHECK(y[i] == (static_cast<float>(iter + i) + c) * c);
    }
  }
}

TEST_CASE("C++: out-of-range indices give errors", "[api]") {
  Loaded l = load(eir::test::add_model());
  auto s = make_session(l.model);
  for (int bad : {-1, 1, 1000}) {
    auto in = s->input_checked(bad);
    REQUIRE_FALSE(in.ok());
    CHECK(in.status().code() == eir::StatusCode::kInvalidArgument);
    CHECK_THAT(in.status().message(), Catch::Contains("input index " + std::to_string(bad)) && Catch::Contains("1 inputs"));
    auto out = s->output_checked(bad);
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.status().message(), Catch::Contains("output index " + std::to_string(bad)));
    // The unchecked forms return an empty view.
    CHECK(s->input(bad).data == nullptr);
    CHECK(s->output(bad).bytes == 0);
    eir::Status r = s->resize_input(bad, {4});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.message(), Catch::Contains("input index " + std::to_string(bad)));
  }
}

TEST_CASE("C++: resize_input re-plans and computes with the new shape", "[api]") {
  // y = x + c with c of shape [1]: any input shape broadcasts.
  Loaded l = load(eir::test::add_model({1, 2, 2, 1}, {1}));
  auto s = make_session(l.model);
  for (std::vector<int32_t> shape : {std::vector<int32_t>{2, 3}, {1, 7, 5, 3}, {1}, {1, 2, 2, 1}}) {
    REQUIRE(s->resize_input(0, shape).ok());
    REQUIRE(s->prepare().ok());
    eir::TensorView in = s->input(0);
    CHECK(in.shape == shape);
    size_t n = 1;
    for (int32_t d : shape) n *= static_cast<size_t>(d);
    REQUIRE(in.bytes == n * sizeof(float));
    float* x = in.data_as<float>();
    for (size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i);
    REQUIRE(s->run().ok());
    eir::TensorView out = s->output(0);
    CHECK(out.shape == shape);
    REQUIRE(out.bytes == in.bytes);
    for (size_t i = 0; i < n; ++i) CHECK(out.data_as<float>()[i] == static_cast<float>(i) + 1.0f);
  }
  SECTION("resize without explicit prepare: run re-plans") {
    REQUIRE(s->resize_input(0, {3, 3}).ok());
    REQUIRE(s->run().ok());
    CHECK(s->output(0).shape == std::vector<int32_t>{3, 3});
  }
  SECTION("bad shapes") {
    eir::Status neg = s->resize_input(0, {2, -1});
    REQUIRE_FALSE(neg.ok());
    CHECK_THAT(neg.message(), Catch::Contains("negative"));
    eir::Status ovf = s->resize_input(0, {1 << 30, 1 << 30, 1 << 30});
    REQUIRE_FALSE(ovf.ok());
    CHECK_THAT(ovf.message(), Catch::Contains("overflow"));
  }
}

TEST_CASE("C++: a resize that makes the graph inconsistent is an error, not a crash", "[api]") {
  Loaded l = load(eir::test::add_model());  // c is [1,2,2,1]: no broadcast to [1,3,3,1]
  auto s = make_session(l.model);
  REQUIRE(s->resize_input(0, {1, 3, 3, 1}).ok());
  eir::Status p = s->prepare();
  REQUIRE_FALSE(p.ok());
  CHECK_THAT(p.message(), Catch::Contains("node 0") && Catch::Contains("ADD"));
  eir::Status r = s->run();
  CHECK_FALSE(r.ok());
  // Going back to a valid shape recovers.
  REQUIRE(s->resize_input(0, {1, 2, 2, 1}).ok());
  CHECK(s->run().ok());
}

TEST_CASE("C++: session options are validated", "[api]") {
  Loaded l = load(eir::test::add_model());
  eir::SessionOptions bad_threads;
  bad_threads.num_threads = 0;
  auto s1 = eir::Session::create(l.model, bad_threads);
  REQUIRE_FALSE(s1.ok());
  CHECK_THAT(s1.status().message(), Catch::Contains("num_threads"));
  eir::SessionOptions bad_delegate;
  bad_delegate.delegates = {"no-such-delegate"};
  auto s2 = eir::Session::create(l.model, bad_delegate);
  REQUIRE_FALSE(s2.ok());
  CHECK_THAT(s2.status().message(), Catch::Contains("no-such-delegate"));
  eir::Model copy = l.model;  // copies share the same immutable state
  CHECK(eir::Session::create(copy).ok());
}

TEST_CASE("C++: max_arena_bytes refuses with the needed size", "[api]") {
  Loaded l = load(eir::test::conv_model());
  auto unlimited = make_session(l.model);
  const size_t needed = unlimited->arena_bytes();
  REQUIRE(needed > 0);
  eir::SessionOptions opts;
  opts.max_arena_bytes = needed - 1;
  auto s = eir::Session::create(l.model, opts);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == eir::StatusCode::kResourceExhausted);
  CHECK_THAT(s.status().message(), Catch::Contains(std::to_string(needed)) && Catch::Contains("max_arena_bytes") &&
                                       Catch::Contains(std::to_string(needed - 1)));
  opts.max_arena_bytes = needed;
  CHECK(eir::Session::create(l.model, opts).ok());
}

TEST_CASE("C++: max_tensor_bytes refuses with the needed size", "[api]") {
  Loaded l = load(eir::test::conv_model());  // output y is [1,4,4,2] float = 128 bytes, the largest
  eir::SessionOptions opts;
  opts.max_tensor_bytes = 127;
  auto s = eir::Session::create(l.model, opts);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == eir::StatusCode::kResourceExhausted);
  CHECK_THAT(s.status().message(),
             Catch::Contains("128") && Catch::Contains("max_tensor_bytes") && Catch::Contains("127"));
  opts.max_tensor_bytes = 128;
  CHECK(eir::Session::create(l.model, opts).ok());

  SECTION("a resize above the limit is refused at prepare") {
    Loaded b = load(eir::test::add_model({4}, {1}));
    eir::SessionOptions small;
    small.max_tensor_bytes = 64;
    auto session = make_session(b.model, small);
    REQUIRE(session->resize_input(0, {100}).ok());
    eir::Status p = session->prepare();
    REQUIRE_FALSE(p.ok());
    CHECK(p.code() == eir::StatusCode::kResourceExhausted);
    CHECK_THAT(p.message(), Catch::Contains("400") && Catch::Contains("64"));
  }
}

TEST_CASE("C++: a session outlives its Model handle and a copied buffer", "[api]") {
  std::unique_ptr<eir::Session> s;
  {
    std::vector<uint8_t> bytes = eir::test::add_model().build();
    eir::LoadOptions lo;
    lo.copy_buffer = true;
    auto m = eir::Model::load_buffer(bytes.data(), bytes.size(), lo);
    REQUIRE(m.ok());
    s = make_session(*m);
    std::fill(bytes.begin(), bytes.end(), 0xEE);  // the copy must not alias these bytes
  }
  float* x = s->input(0).data_as<float>();
  for (int i = 0; i < 4; ++i) x[i] = 1.0f;
  REQUIRE(s->run().ok());
  CHECK(s->output(0).data_as<float>()[3] == 5.0f);
}

// ============================== C API ==============================

TEST_CASE("C: full flow", "[api][c]") {
  std::vector<uint8_t> bytes = eir::test::chain_model().build();
  eir_model* model = nullptr;
  REQUIRE(eir_model_load_buffer(bytes.data(), bytes.size(), 1, &model) == EIR_OK);
  REQUIRE(model != nullptr);
  CHECK(eir_model_num_inputs(model) == 1);
  CHECK(eir_model_num_outputs(model) == 1);
  eir_tensor_info info;
  REQUIRE(eir_model_input_info(model, 0, &info) == EIR_OK);
  CHECK(std::string(info.name) == "x");
  CHECK(info.dtype == EIR_DTYPE_FLOAT32);
  CHECK(info.rank == 4);
  CHECK(info.dims[1] == 2);
  CHECK(info.data == nullptr);
  CHECK(info.num_scales == 0);
  REQUIRE(eir_model_output_info(model, 0, &info) == EIR_OK);
  CHECK(std::string(info.name) == "y");

  eir_session_options opts = eir_session_options_default();
  CHECK(opts.struct_size == sizeof(eir_session_options));
  CHECK(opts.num_threads == 1);
  eir_session* session = nullptr;
  REQUIRE(eir_session_create(model, &opts, &session) == EIR_OK);
  eir_model_release(model);  // the session keeps the model alive
  CHECK(eir_session_num_inputs(session) == 1);
  CHECK(eir_session_arena_bytes(session) > 0);
  eir_tensor_info in, out;
  REQUIRE(eir_session_input(session, 0, &in) == EIR_OK);
  REQUIRE(in.data != nullptr);
  REQUIRE(in.bytes == 16);
  float* x = static_cast<float*>(in.data);
  for (int i = 0; i < 4; ++i) x[i] = 2.0f;
  REQUIRE(eir_session_run(session) == EIR_OK);
  REQUIRE(eir_session_output(session, 0, &out) == EIR_OK);
  const float* y = static_cast<const float*>(out.data);
  for (int i = 0; i < 4; ++i) CHECK(y[i] == (2.0f + static_cast<float>(i + 1)) * static_cast<float>(i + 1));

  const int32_t dims[2] = {2, 2};
  CHECK(eir_session_resize_input(session, 0, dims, 2) == EIR_OK);  // same element count, new rank
  eir_session_release(session);
}

TEST_CASE("C: NULL arguments give EIR_INVALID_ARGUMENT naming the argument", "[api][c]") {
  std::vector<uint8_t> bytes = eir::test::add_model().build();
  eir_model* model = nullptr;

  CHECK(eir_model_load_buffer(nullptr, 100, 0, &model) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("data"));
  CHECK(eir_model_load_buffer(bytes.data(), bytes.size(), 0, nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("out_model"));
  CHECK(eir_model_load_file(nullptr, &model) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("path"));
  CHECK(eir_model_load_file("/tmp/x.tflite", nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("out_model"));

  REQUIRE(eir_model_load_buffer(bytes.data(), bytes.size(), 1, &model) == EIR_OK);
  eir_tensor_info info;
  CHECK(eir_model_input_info(nullptr, 0, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_model_input_info: model is NULL"));
  CHECK(eir_model_input_info(model, 0, nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_model_input_info: out is NULL"));
  CHECK(eir_model_output_info(nullptr, 0, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_model_output_info: model is NULL"));
  CHECK(eir_model_output_info(model, 0, nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_model_output_info: out is NULL"));
  CHECK(eir_model_num_inputs(nullptr) == 0);
  CHECK(eir_model_num_outputs(nullptr) == 0);

  eir_session* session = nullptr;
  CHECK(eir_session_create(nullptr, nullptr, &session) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("model"));
  CHECK(eir_session_create(model, nullptr, nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("out_session"));
  REQUIRE(eir_session_create(model, nullptr, &session) == EIR_OK);  // NULL options = defaults

  CHECK(eir_session_input(nullptr, 0, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_session_input: session is NULL"));
  CHECK(eir_session_input(session, 0, nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_session_input: out is NULL"));
  CHECK(eir_session_output(nullptr, 0, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_session_output: session is NULL"));
  CHECK(eir_session_output(session, 0, nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("eir_session_output: out is NULL"));
  CHECK(eir_session_run(nullptr) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("session"));
  CHECK(eir_session_resize_input(nullptr, 0, nullptr, 0) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("session"));
  CHECK(eir_session_resize_input(session, 0, nullptr, 2) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("dims"));
  CHECK(eir_session_num_inputs(nullptr) == 0);
  CHECK(eir_session_num_outputs(nullptr) == 0);
  CHECK(eir_session_arena_bytes(nullptr) == 0);
  eir_session_release(nullptr);  // no-ops
  eir_model_release(nullptr);
  eir_session_release(session);
  eir_model_release(model);
}

TEST_CASE("C: out-of-range indices and bad values give errors", "[api][c]") {
  std::vector<uint8_t> bytes = eir::test::add_model().build();
  eir_model* model = nullptr;
  REQUIRE(eir_model_load_buffer(bytes.data(), bytes.size(), 0, &model) == EIR_OK);
  eir_tensor_info info;
  CHECK(eir_model_input_info(model, 3, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("index 3") && Catch::Contains("1 inputs"));
  CHECK(eir_model_output_info(model, -1, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("index -1"));

  eir_session* session = nullptr;
  eir_session_options opts = eir_session_options_default();
  opts.struct_size = 4;
  CHECK(eir_session_create(model, &opts, &session) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("struct_size"));
  opts = eir_session_options_default();
  opts.num_threads = -3;
  CHECK(eir_session_create(model, &opts, &session) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("num_threads"));
  opts = eir_session_options_default();
  opts.delegate = "warp-drive";
  CHECK(eir_session_create(model, &opts, &session) == EIR_UNSUPPORTED);
  CHECK_THAT(last_error(), Catch::Contains("warp-drive"));
  CHECK(session == nullptr);

  REQUIRE(eir_session_create(model, nullptr, &session) == EIR_OK);
  CHECK(eir_session_input(session, 1, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("input index 1"));
  CHECK(eir_session_output(session, 5, &info) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("output index 5"));
  const int32_t dims9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  CHECK(eir_session_resize_input(session, 0, dims9, 9) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("rank 9"));
  CHECK(eir_session_resize_input(session, 0, dims9, -1) == EIR_INVALID_ARGUMENT);
  const int32_t neg[2] = {2, -2};
  CHECK(eir_session_resize_input(session, 0, neg, 2) == EIR_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Contains("negative"));
  CHECK(eir_session_resize_input(session, 4, neg, 2) == EIR_INVALID_ARGUMENT);
  // A failed call leaves the session usable.
  CHECK(eir_session_run(session) == EIR_OK);

  // Model errors come through with their code.
  std::vector<uint8_t> garbage(64, 0x5A);
  eir_model* bad = nullptr;
  CHECK(eir_model_load_buffer(garbage.data(), garbage.size(), 1, &bad) == EIR_INVALID_MODEL);
  CHECK(bad == nullptr);
  CHECK_THAT(last_error(), Catch::Contains("TFL3"));
  CHECK(eir_model_load_file("/nonexistent/m.tflite", &bad) == EIR_IO_ERROR);
  CHECK_THAT(last_error(), Catch::Contains("/nonexistent/m.tflite"));

  eir_session_release(session);
  eir_model_release(model);
}

TEST_CASE("C: session limits refuse with the needed size", "[api][c]") {
  std::vector<uint8_t> bytes = eir::test::conv_model().build();
  eir_model* model = nullptr;
  REQUIRE(eir_model_load_buffer(bytes.data(), bytes.size(), 0, &model) == EIR_OK);
  eir_session* session = nullptr;
  REQUIRE(eir_session_create(model, nullptr, &session) == EIR_OK);
  const size_t needed = eir_session_arena_bytes(session);
  eir_session_release(session);
  session = nullptr;

  eir_session_options opts = eir_session_options_default();
  opts.max_arena_bytes = 64;
  CHECK(eir_session_create(model, &opts, &session) == EIR_RESOURCE_EXHAUSTED);
  CHECK_THAT(last_error(), Catch::Contains(std::to_string(needed)) && Catch::Contains("max_arena_bytes"));
  opts = eir_session_options_default();
  opts.max_tensor_bytes = 100;
  CHECK(eir_session_create(model, &opts, &session) == EIR_RESOURCE_EXHAUSTED);
  CHECK_THAT(last_error(), Catch::Contains("128") && Catch::Contains("max_tensor_bytes"));
  CHECK(session == nullptr);
  eir_model_release(model);
}

TEST_CASE("C: eir_last_error is per thread", "[api][c]") {
  eir_model* model = nullptr;
  CHECK(eir_model_load_file(nullptr, &model) == EIR_INVALID_ARGUMENT);
  const std::string mine = last_error();
  std::string theirs;
  std::thread t([&] {
    eir_model* m = nullptr;
    eir_model_load_file("/nonexistent/other.tflite", &m);
    theirs = eir_last_error();
  });
  t.join();
  CHECK_THAT(theirs, Catch::Contains("other.tflite"));
  CHECK(last_error() == mine);
}

// ============================== concurrency and soak ==============================

namespace {

std::vector<float> run_conv_once(eir::Session& s, float seed) {
  eir::TensorView in = s.input(0);
  float* x = in.data_as<float>();
  const size_t n = in.bytes / sizeof(float);
  for (size_t i = 0; i < n; ++i) x[i] = std::sin(seed + static_cast<float>(i));
  eir::Status st = s.run();
  if (!st.ok()) return {};
  eir::TensorView out = s.output(0);
  const float* y = out.data_as<float>();
  return std::vector<float>(y, y + out.bytes / sizeof(float));
}

}  // namespace

TEST_CASE("one Model backs several Sessions on several threads with identical results", "[api][concurrency]") {
  Loaded conv = load(eir::test::conv_model());
  Loaded chain = load(eir::test::chain_model());
  constexpr int kThreads = 4;
  constexpr int kRuns = 50;
  // Reference results computed on this thread.
  std::vector<std::vector<float>> expected(kThreads);
  {
    auto ref = make_session(conv.model);
    for (int t = 0; t < kThreads; ++t) expected[static_cast<size_t>(t)] = run_conv_once(*ref, static_cast<float>(t));
  }
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      eir::SessionOptions opts;
      opts.num_threads = 1 + t % 2;  // some sessions use their own kernel thread pool
      auto s = eir::Session::create(conv.model, opts);
      auto s2 = eir::Session::create(chain.model);
      if (!s.ok() || !s2.ok()) {
        ++failures;
        return;
      }
      for (int r = 0; r < kRuns; ++r) {
        std::vector<float> y = run_conv_once(**s, static_cast<float>(t));
        if (y != expected[static_cast<size_t>(t)]) ++mismatches;
        // A second model's session on the same thread, interleaved.
        float* x = (*s2)->input(0).data_as<float>();
        for (int i = 0; i < 4; ++i) x[i] = static_cast<float>(t * 100 + r);
        if (!(*s2)->run().ok()) ++failures;
        const float* y2 = (*s2)->output(0).data_as<float>();
        for (int i = 0; i < 4; ++i) {
          const float c = static_cast<float>(i + 1);
          if (y2[i] != (static_cast<float>(t * 100 + r) + c) * c) ++mismatches;
        }
      }
    });
  }
  // Meanwhile this thread loads more models and creates sessions from the shared one.
  for (int i = 0; i < 20; ++i) {
    auto s = eir::Session::create(conv.model);
    CHECK(s.ok());
    Loaded extra = load(eir::test::add_model());
    CHECK(extra.model.num_inputs() == 1);
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(mismatches == 0);
}

TEST_CASE("a real model shared by concurrent sessions gives identical results", "[api][concurrency][shared]") {
  const std::string path = real_model_path();
  if (path.empty()) {
    WARN("SKIPPED: tfm_micro_speech_quantized.tflite not found under " EIR_SHARED_DIR);
    return;
  }
  auto model = eir::Model::load_file(path);
  REQUIRE(model.ok());
  constexpr int kThreads = 4;
  constexpr int kRuns = 10;
  std::vector<std::vector<uint8_t>> expected(kThreads);
  {
    auto ref = make_session(*model);
    for (int t = 0; t < kThreads; ++t) {
      expected[static_cast<size_t>(t)] = run_pattern(*ref, static_cast<uint32_t>(t));
      REQUIRE_FALSE(expected[static_cast<size_t>(t)].empty());
    }
  }
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      eir::SessionOptions opts;
      opts.num_threads = 1 + t % 2;
      auto s = eir::Session::create(*model, opts);
      if (!s.ok()) {
        ++failures;
        return;
      }
      for (int r = 0; r < kRuns; ++r)
        if (run_pattern(**s, static_cast<uint32_t>(t)) != expected[static_cast<size_t>(t)]) ++mismatches;
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(mismatches == 0);
}

TEST_CASE("soak: many runs give identical results and flat memory", "[api][soak]") {
  Loaded l = load(eir::test::conv_model());
  auto s = make_session(l.model);
  const std::vector<float> first = run_conv_once(*s, 0.25f);
  REQUIRE_FALSE(first.empty());
  // Warm up (allocator pools, page faults in the arena) before taking the baseline.
  for (int i = 0; i < 200; ++i) REQUIRE(run_conv_once(*s, 0.25f) == first);
  const size_t rss_before = resident_bytes();
  int mismatches = 0;
  const eir::TensorView in = s->input(0), out = s->output(0);
  for (int i = 0; i < 20000; ++i) {
    float* x = in.data_as<float>();
    for (size_t k = 0; k < in.bytes / sizeof(float); ++k) x[k] = std::sin(0.25f + static_cast<float>(k));
    if (!s->run().ok()) ++mismatches;
    if (std::memcmp(out.data, first.data(), first.size() * sizeof(float)) != 0) ++mismatches;
  }
  const size_t rss_after = resident_bytes();
  CHECK(mismatches == 0);
  INFO("RSS before " << rss_before << " after " << rss_after);
  // Allow page-granular noise (another test's freed memory being reused, the allocator trimming).
  CHECK(rss_after <= rss_before + (size_t{1} << 20));
}

TEST_CASE("soak: a real model run many times gives identical results and flat memory", "[api][soak][shared]") {
  const std::string path = real_model_path();
  if (path.empty()) {
    WARN("SKIPPED: tfm_micro_speech_quantized.tflite not found under " EIR_SHARED_DIR);
    return;
  }
  auto model = eir::Model::load_file(path);
  REQUIRE(model.ok());
  auto s = make_session(*model);
  const std::vector<uint8_t> first = run_pattern(*s, 99);
  REQUIRE_FALSE(first.empty());
  for (int i = 0; i < 50; ++i) REQUIRE(run_pattern(*s, 99) == first);
  // The loop itself allocates nothing (views and inputs prepared once), so any growth is eir's.
  std::vector<eir::TensorView> inputs;
  std::vector<std::vector<uint8_t>> input_bytes;
  for (int i = 0; i < s->num_inputs(); ++i) {
    inputs.push_back(s->input(i));
    const auto* p = static_cast<const uint8_t*>(inputs.back().data);
    input_bytes.emplace_back(p, p + inputs.back().bytes);
  }
  const eir::TensorView out = s->output(0);
  REQUIRE(out.bytes == first.size());
  const size_t rss_before = resident_bytes();
  int mismatches = 0;
  for (int i = 0; i < 1000; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k) std::memcpy(inputs[k].data, input_bytes[k].data(), inputs[k].bytes);
    if (!s->run().ok()) ++mismatches;
    if (std::memcmp(out.data, first.data(), first.size()) != 0) ++mismatches;
  }
  const size_t rss_after = resident_bytes();
  CHECK(mismatches == 0);
  INFO("RSS before " << rss_before << " after " << rss_after);
  CHECK(rss_after <= rss_before + (size_t{1} << 20));
}

namespace {

// conv_model() with its [2,3,3,1] filter stored as float16 behind a DEQUANTIZE, the way fp16-weight
// models ship: loading folds it into a float32 constant of 2*3*3*1*4 = 72 bytes.
eir::test::ModelSpec fp16_conv_model() {
  eir::test::ModelSpec m = eir::test::conv_model();
  std::vector<uint8_t> halves;
  for (int i = 0; i < 18; ++i) {
    const uint16_t h = 0x3c00;  // 1.0
    halves.push_back(static_cast<uint8_t>(h & 0xff));
    halves.push_back(static_cast<uint8_t>(h >> 8));
  }
  const uint32_t hbuf = m.add_buffer(halves);
  const int32_t w16 = m.add_tensor({{2, 3, 3, 1}, false, tflite::TensorType::FLOAT16, hbuf, "w16"});
  m.tensors[1].buffer = 0;  // "w" becomes DEQUANTIZE's output
  m.opcodes.push_back({6, "", 2});  // DEQUANTIZE
  eir::test::OpSpec dq;
  dq.opcode_index = 1;
  dq.inputs = {w16};
  dq.outputs = {1};
  m.ops.insert(m.ops.begin(), dq);
  return m;
}

}  // namespace

TEST_CASE("C++: max_memory_bytes bounds what the model allocates, naming what did not fit", "[api]") {
  const std::vector<uint8_t> bytes = fp16_conv_model().build();
  eir::LoadOptions lo;
  lo.max_memory_bytes = 71;  // the folded float32 filter needs 72
  auto refused = eir::Model::load_buffer(bytes.data(), bytes.size(), lo);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == eir::StatusCode::kResourceExhausted);
  CHECK_THAT(refused.status().message(), Catch::Contains("DEQUANTIZE") && Catch::Contains("'w'") &&
                                             Catch::Contains("72") && Catch::Contains("max_memory_bytes is 71"));

  // Enough for the folded filter but not for the packed weights: the load succeeds and the first
  // session that runs the conv on eir's kernels is refused, naming the node.
  lo.max_memory_bytes = 72;
  lo.isa = "native";  // optimized kernels (scalar ones included) pack the filter; overrides EIR_ISA
  auto model = eir::Model::load_buffer(bytes.data(), bytes.size(), lo);
  REQUIRE(model.ok());
  auto optimized = eir::Session::create(*model);
  REQUIRE_FALSE(optimized.ok());
  CHECK(optimized.status().code() == eir::StatusCode::kResourceExhausted);
  CHECK_THAT(optimized.status().message(), Catch::Contains("CONV_2D") && Catch::Contains("packed weights"));
  lo.isa = "reference";  // reference kernels pack nothing
  auto reference = eir::Model::load_buffer(bytes.data(), bytes.size(), lo);
  REQUIRE(reference.ok());
  CHECK(eir::Session::create(*reference).ok());

  // A copied caller buffer counts too, and is refused before it is copied.
  lo = eir::LoadOptions{};
  lo.copy_buffer = true;
  lo.max_memory_bytes = bytes.size() - 1;
  auto copied = eir::Model::load_buffer(bytes.data(), bytes.size(), lo);
  REQUIRE_FALSE(copied.ok());
  CHECK_THAT(copied.status().message(), Catch::Contains("copy of the model buffer"));
  lo.max_memory_bytes = 0;  // no limit
  CHECK(eir::Model::load_buffer(bytes.data(), bytes.size(), lo).ok());
}
