// The f32 GEMM-based CONV_2D and FULLY_CONNECTED drivers (kernels/fast/) against the reference
// kernels, through OpTester, for every microkernel config this CPU can run, on random shapes,
// strides, dilations, paddings and activations, with 1 and 2 threads; plus what they decline and
// the errors they report.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/fast/fast_kernels.h"
#include "kernels/reference/float_spatial.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

std::vector<float> random_vec(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<const F32GemmConfig*> configs() { return f32_gemm_configs_available(detected_cpu_features()); }

// Float within 1e-5 of max(1, |reference|) per element (FMA reassociation only).
void check_matches(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const float tol = 1e-5f * std::max(1.0f, std::fabs(want[i])) * 4;
    if (!(std::fabs(got[i] - want[i]) <= tol)) {
      if (bad < 5) FAIL_CHECK("element " << i << ": fast " << got[i] << " vs reference " << want[i]);
      ++bad;
    }
  }
  CHECK(bad == 0);
}

struct ConvSpec {
  int batch = 1, h = 5, w = 5, ic = 3, oc = 4, kh = 3, kw = 3;
  ConvParams p;
  bool bias = true;
};

std::string describe(const ConvSpec& s) {
  return str_cat("batch=", s.batch, " in=", s.h, "x", s.w, "x", s.ic, " oc=", s.oc, " k=", s.kh, "x", s.kw,
                 " stride=", s.p.stride_h, "x", s.p.stride_w, " dil=", s.p.dilation_h, "x", s.p.dilation_w,
                 s.p.padding == Padding::kSame ? " SAME" : " VALID", " act=", static_cast<int>(s.p.activation),
                 s.bias ? " bias" : "");
}

OpTester make_conv(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& f,
                   const std::vector<float>& b) {
  OpTester t(BuiltinOp::kConv2D);
  t.add_input(DType::kF32, {s.batch, s.h, s.w, s.ic}, x);
  t.add_constant(DType::kF32, {s.oc, s.kh, s.kw, s.ic}, f);
  if (s.bias) t.add_constant(DType::kF32, {s.oc}, b);
  t.add_output(DType::kF32);
  t.node().params = s.p;
  return t;
}

// Runs the reference and the fast kernel of every config (1 and 2 threads) on the same data.
void compare_conv(const ConvSpec& s, std::mt19937& rng) {
  INFO(describe(s));
  const auto x = random_vec(rng, static_cast<size_t>(s.batch * s.h * s.w * s.ic));
  const auto f = random_vec(rng, static_cast<size_t>(s.oc * s.kh * s.kw * s.ic));
  const auto b = random_vec(rng, static_cast<size_t>(s.oc));
  OpTester ref = make_conv(s, x, f, b);
  const Status ref_status = ref.run(ref::conv2d_f32_kernel());
  const int out = ref.node().outputs[0];
  for (const F32GemmConfig* c : configs()) {
    const Kernel k = fast::conv2d_f32_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_conv(s, x, f, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      const Status st = t.run(k, threads);
      REQUIRE(st.ok() == ref_status.ok());
      if (!st.ok()) continue;  // both refuse the shape (e.g. a VALID window larger than the input)
      CHECK(t.shape(out) == ref.shape(out));
      check_matches(t.output_values<float>(out), ref.output_values<float>(out));
    }
  }
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

TEST_CASE("fast conv2d f32 matches the reference on random configurations", "[ops][conv][fast]") {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> small(1, 4), size(1, 11), chans(1, 9), ocs(1, 41), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 120; ++iter) {
    ConvSpec s;
    s.batch = small(rng) <= 3 ? 1 : 2;
    s.h = size(rng);
    s.w = size(rng);
    s.ic = chans(rng);
    s.oc = ocs(rng);
    s.kh = small(rng);
    s.kw = small(rng);
    s.p.stride_h = std::min(small(rng), 3);
    s.p.stride_w = std::min(small(rng), 3);
    s.p.dilation_h = coin(rng) ? 1 : 2;
    s.p.dilation_w = coin(rng) ? 1 : 2;
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    s.bias = coin(rng);
    compare_conv(s, rng);
  }
}

TEST_CASE("fast conv2d f32 matches the reference on larger random configurations (threaded split)",
          "[ops][conv][fast]") {
  // Large enough (> 256K multiply-adds) for the drivers to split the work over 2 threads.
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> size(12, 24), chans(8, 40), ocs(20, 80), k(1, 3), st(1, 2), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 12; ++iter) {
    ConvSpec s;
    s.batch = 1 + coin(rng);
    s.h = size(rng), s.w = size(rng), s.ic = chans(rng), s.oc = ocs(rng);
    s.kh = s.kw = 2 * k(rng) - 1;
    s.p.stride_h = s.p.stride_w = st(rng);
    s.p.dilation_h = s.p.dilation_w = 1 + (iter % 5 == 4);
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    compare_conv(s, rng);
  }
}

TEST_CASE("fast conv2d f32 edge shapes", "[ops][conv][fast]") {
  std::mt19937 rng(5);
  SECTION("1x1 stride 1 reads the input directly (GEMM path)") {
    ConvSpec s;
    s.h = 7, s.w = 9, s.ic = 19, s.oc = 35, s.kh = s.kw = 1;
    compare_conv(s, rng);
    s.batch = 3;
    s.p.padding = Padding::kSame;
    s.p.activation = Activation::kRelu6;
    compare_conv(s, rng);
  }
  SECTION("1x1 stride 2 (IGEMM with one tap)") {
    ConvSpec s;
    s.h = 8, s.w = 7, s.ic = 5, s.oc = 17, s.kh = s.kw = 1;
    s.p.stride_h = s.p.stride_w = 2;
    compare_conv(s, rng);
  }
  SECTION("filter as large as the input, one output pixel") {
    ConvSpec s;
    s.h = s.kh = 4, s.w = s.kw = 5, s.ic = 6, s.oc = 70;
    compare_conv(s, rng);
  }
  SECTION("SAME padding wider than the input") {
    ConvSpec s;
    s.h = 2, s.w = 1, s.ic = 2, s.oc = 3, s.kh = 5, s.kw = 5;
    s.p.padding = Padding::kSame;
    s.p.dilation_h = s.p.dilation_w = 2;
    compare_conv(s, rng);
  }
  SECTION("a first-layer-like conv: 3 input channels, stride 2, 32 outputs") {
    ConvSpec s;
    s.h = s.w = 33, s.ic = 3, s.oc = 32, s.kh = s.kw = 3;
    s.p.stride_h = s.p.stride_w = 2;
    s.p.padding = Padding::kSame;
    s.p.activation = Activation::kRelu6;
    compare_conv(s, rng);
  }
  SECTION("wide and deep: N split into chunks") {
    ConvSpec s;
    s.h = s.w = 6, s.ic = 200, s.oc = 300, s.kh = s.kw = 3;
    s.p.padding = Padding::kSame;
    compare_conv(s, rng);
  }
}

TEST_CASE("fast conv2d f32 without the load-time pack hook packs in prepare", "[ops][conv][fast]") {
  std::mt19937 rng(11);
  ConvSpec s;
  s.h = 6, s.w = 5, s.ic = 4, s.oc = 10;
  s.p.padding = Padding::kSame;
  const auto x = random_vec(rng, 6 * 5 * 4), f = random_vec(rng, 10 * 9 * 4), b = random_vec(rng, 10);
  OpTester ref = make_conv(s, x, f, b);
  REQUIRE(ref.run(ref::conv2d_f32_kernel()).ok());
  Kernel k = fast::conv2d_f32_kernel(f32_gemm_config(detected_cpu_features()));
  k.pack = nullptr;
  OpTester t = make_conv(s, x, f, b);
  REQUIRE(t.run(k, 2).ok());
  check_matches(t.output_values<float>(t.node().outputs[0]), ref.output_values<float>(ref.node().outputs[0]));
}

TEST_CASE("fast conv2d f32 declines what it does not handle", "[ops][conv][fast]") {
  const Kernel k = fast::conv2d_f32_kernel(f32_gemm_config(detected_cpu_features()));
  std::vector<float> x(1 * 4 * 4 * 4, 1.0f), f(2 * 3 * 3 * 4, 1.0f), b(2, 0.0f);
  ConvSpec s;
  s.h = s.w = 4, s.ic = 4, s.oc = 2;
  {
    OpTester t = make_conv(s, x, f, b);
    CHECK(k.supports(t.node(), t.tensors()));
  }
  SECTION("TANH and SIGN_BIT activations") {
    for (Activation a : {Activation::kTanh, Activation::kSignBit}) {
      s.p.activation = a;
      OpTester t = make_conv(s, x, f, b);
      CHECK_FALSE(k.supports(t.node(), t.tensors()));
    }
  }
  SECTION("grouped convolution (input channels = 2 x filter channels)") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 4, 4, 4}, x);
    t.add_constant(DType::kF32, {2, 3, 3, 2}, std::vector<float>(2 * 3 * 3 * 2, 1.0f));
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("a filter computed at run time") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 4, 4, 4}, x);
    t.add_input(DType::kF32, {2, 3, 3, 4}, f);
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("a bias of the wrong size") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 4, 4, 4}, x);
    t.add_constant(DType::kF32, {2, 3, 3, 4}, f);
    t.add_constant(DType::kF32, {3}, std::vector<float>(3, 0.0f));
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("the registry falls back to the reference kernel for declined nodes") {
    KernelRegistry registry;
    register_fast_f32_gemm_kernels(registry, detected_cpu_features());
    registry.add(BuiltinOp::kConv2D, DType::kF32, 8, ref::conv2d_f32_kernel());
    OpTester fast_node = make_conv(s, x, f, b);
    std::string why;
    const Kernel* chosen = registry.find(fast_node.node(), fast_node.tensors(), &why);
    REQUIRE(chosen != nullptr);
    CHECK(std::string(chosen->name).rfind("fast/conv2d_f32_", 0) == 0);
    s.p.activation = Activation::kTanh;
    OpTester tanh_node = make_conv(s, x, f, b);
    chosen = registry.find(tanh_node.node(), tanh_node.tensors(), &why);
    REQUIRE(chosen != nullptr);
    CHECK(std::string(chosen->name) == "reference/conv2d_f32");
  }
  SECTION("no fast kernels are registered for the reference ISA cap") {
    KernelRegistry registry;
    CpuFeatures none;
    none.optimized = false;
    register_fast_f32_gemm_kernels(registry, none);
    OpTester t = make_conv(s, x, f, b);
    std::string why;
    CHECK(registry.find(t.node(), t.tensors(), &why) == nullptr);
  }
}

TEST_CASE("fast conv2d f32 reports bad shapes as errors", "[ops][conv][fast]") {
  const Kernel k = fast::conv2d_f32_kernel(f32_gemm_config(detected_cpu_features()));
  SECTION("VALID window larger than the input") {
    ConvSpec s;
    s.h = s.w = 1, s.ic = 1, s.oc = 1, s.kh = s.kw = 3;
    OpTester t = make_conv(s, std::vector<float>(1, 1.0f), std::vector<float>(9, 1.0f), {0.0f});
    CHECK(t.run(k).code() == StatusCode::kInvalidModel);
  }
  SECTION("VALID window one larger than the input: an empty output, as the reference") {
    ConvSpec s;
    s.h = s.w = 2, s.ic = 1, s.oc = 1, s.kh = s.kw = 3;
    OpTester t = make_conv(s, std::vector<float>(4, 1.0f), std::vector<float>(9, 1.0f), {0.0f});
    REQUIRE(t.run(k, 2).ok());
    CHECK(t.shape(t.node().outputs[0]) == Shape{1, 0, 0, 1});
  }
  SECTION("grouped input channels reaching prepare directly") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 3, 3, 4}, std::vector<float>(36, 1.0f));
    t.add_constant(DType::kF32, {2, 1, 1, 2}, std::vector<float>(4, 1.0f));
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    Kernel no_pack = k;
    no_pack.pack = nullptr;
    CHECK_FALSE(t.run(no_pack).ok());
  }
  SECTION("output dtype other than float32") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 3, 3, 1}, std::vector<float>(9, 1.0f));
    t.add_constant(DType::kF32, {1, 1, 1, 1}, std::vector<float>{1.0f});
    t.add_output(DType::kI32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
    Kernel no_pack = k;
    no_pack.pack = nullptr;
    CHECK_FALSE(t.run(no_pack).ok());
  }
}

// ---- FULLY_CONNECTED ----

struct FcSpec {
  Shape in_shape;
  int units = 4;
  bool keep_num_dims = false, bias = true;
  Activation act = Activation::kNone;
};

OpTester make_fc(const FcSpec& s, const std::vector<float>& x, const std::vector<float>& w,
                 const std::vector<float>& b) {
  OpTester t(BuiltinOp::kFullyConnected);
  const int depth = s.in_shape.back();
  t.add_input(DType::kF32, s.in_shape, x);
  t.add_constant(DType::kF32, {s.units, depth}, w);
  if (s.bias) t.add_constant(DType::kF32, {s.units}, b);
  t.add_output(DType::kF32);
  FullyConnectedParams p;
  p.keep_num_dims = s.keep_num_dims;
  p.activation = s.act;
  t.node().params = p;
  return t;
}

void compare_fc(const FcSpec& s, std::mt19937& rng) {
  INFO("in=" << shape_to_string(s.in_shape) << " units=" << s.units << " keep=" << s.keep_num_dims);
  const int depth = s.in_shape.back();
  const auto x = random_vec(rng, static_cast<size_t>(shape_num_elements(s.in_shape)));
  const auto w = random_vec(rng, static_cast<size_t>(s.units * depth));
  const auto b = random_vec(rng, static_cast<size_t>(s.units));
  OpTester ref = make_fc(s, x, w, b);
  REQUIRE(ref.run(ref::fully_connected_f32_kernel()).ok());
  const int out = ref.node().outputs[0];
  for (const F32GemmConfig* c : configs()) {
    const Kernel k = fast::fully_connected_f32_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_fc(s, x, w, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      REQUIRE(t.run(k, threads).ok());
      CHECK(t.shape(out) == ref.shape(out));
      check_matches(t.output_values<float>(out), ref.output_values<float>(out));
    }
  }
}

TEST_CASE("fast fully_connected f32 matches the reference", "[ops][fc][fast]") {
  std::mt19937 rng(77);
  std::uniform_int_distribution<int> batch(1, 13), depth(1, 70), units(1, 70), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 40; ++iter) {
    FcSpec s;
    s.in_shape = {batch(rng), depth(rng)};
    s.units = units(rng);
    s.bias = coin(rng);
    s.act = kActs[act(rng)];
    compare_fc(s, rng);
  }
  SECTION("batch 1 (single-row kernel, columns split over threads)") {
    compare_fc(FcSpec{{1, 1024}, 1000}, rng);
  }
  SECTION("keep_num_dims keeps the leading dims") {
    FcSpec s{{2, 3, 5}, 7, true};
    compare_fc(s, rng);
  }
  SECTION("rank-3 input flattened to [batch, depth]") {
    FcSpec s{{2, 3, 4}, 6, false};
    compare_fc(s, rng);
  }
}

TEST_CASE("fast fully_connected f32 declines and refuses", "[ops][fc][fast]") {
  const Kernel k = fast::fully_connected_f32_kernel(f32_gemm_config(detected_cpu_features()));
  SECTION("non-constant weights are declined") {
    OpTester t(BuiltinOp::kFullyConnected);
    t.add_input(DType::kF32, {2, 3}, std::vector<float>(6, 1.0f));
    t.add_input(DType::kF32, {4, 3}, std::vector<float>(12, 1.0f));
    t.add_output(DType::kF32);
    t.node().params = FullyConnectedParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("TANH is declined") {
    FcSpec s{{2, 3}, 4};
    s.act = Activation::kTanh;
    OpTester t = make_fc(s, std::vector<float>(6, 1.0f), std::vector<float>(12, 1.0f), std::vector<float>(4, 0.0f));
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("input elements not a multiple of depth") {
    OpTester t(BuiltinOp::kFullyConnected);
    t.add_input(DType::kF32, {7}, std::vector<float>(7, 1.0f));
    t.add_constant(DType::kF32, {4, 3}, std::vector<float>(12, 1.0f));
    t.add_output(DType::kF32);
    t.node().params = FullyConnectedParams{};
    REQUIRE(k.supports(t.node(), t.tensors()));
    CHECK(t.run(k).code() == StatusCode::kInvalidModel);
  }
  SECTION("keep_num_dims with a last dim other than depth") {
    OpTester t(BuiltinOp::kFullyConnected);
    t.add_input(DType::kF32, {3, 2}, std::vector<float>(6, 1.0f));
    t.add_constant(DType::kF32, {4, 3}, std::vector<float>(12, 1.0f));
    t.add_output(DType::kF32);
    FullyConnectedParams p;
    p.keep_num_dims = true;
    t.node().params = p;
    CHECK(t.run(k).code() == StatusCode::kInvalidModel);
  }
}


// ---- TRANSPOSE_CONV and Convolution2DTransposeBias ----

struct TransposeSpec {
  int batch = 1, in_h = 3, in_w = 3, ic = 2, oc = 3, kh = 3, kw = 3, out_h = 0, out_w = 0;
  ConvParams p;
  bool bias = true;
  bool mediapipe = false;
};

OpTester make_transpose(const TransposeSpec& s, const std::vector<float>& x, const std::vector<float>& f,
                        const std::vector<float>& b) {
  if (s.mediapipe) {
    OpTester t("Convolution2DTransposeBias");
    t.add_input(DType::kF32, {s.batch, s.in_h, s.in_w, s.ic}, x);
    t.add_constant(DType::kF32, {s.oc, s.kh, s.kw, s.ic}, f);
    t.add_constant(DType::kF32, {s.oc}, b);
    t.add_output(DType::kF32);
    t.node().params = s.p;
    return t;
  }
  OpTester t(BuiltinOp::kTransposeConv);
  t.add_constant(DType::kI32, {4}, std::vector<int32_t>{s.batch, s.out_h, s.out_w, s.oc});
  t.add_constant(DType::kF32, {s.oc, s.kh, s.kw, s.ic}, f);
  t.add_input(DType::kF32, {s.batch, s.in_h, s.in_w, s.ic}, x);
  if (s.bias) t.add_constant(DType::kF32, {s.oc}, b);
  t.add_output(DType::kF32);
  t.node().params = s.p;
  return t;
}

void compare_transpose(const TransposeSpec& s, std::mt19937& rng) {
  INFO((s.mediapipe ? "Convolution2DTransposeBias" : "TRANSPOSE_CONV")
       << " batch=" << s.batch << " in=" << s.in_h << "x" << s.in_w << "x" << s.ic << " oc=" << s.oc << " k=" << s.kh
       << "x" << s.kw << " stride=" << s.p.stride_h << "x" << s.p.stride_w << " out=" << s.out_h << "x" << s.out_w
       << (s.p.padding == Padding::kSame ? " SAME" : " VALID") << " act=" << static_cast<int>(s.p.activation));
  const auto x = random_vec(rng, static_cast<size_t>(s.batch * s.in_h * s.in_w * s.ic));
  const auto f = random_vec(rng, static_cast<size_t>(s.oc * s.kh * s.kw * s.ic));
  const auto b = random_vec(rng, static_cast<size_t>(s.oc));
  OpTester ref = make_transpose(s, x, f, b);
  REQUIRE(ref.run(s.mediapipe ? ref::transpose_conv_bias_f32_kernel() : ref::transpose_conv_f32_kernel()).ok());
  const int out = ref.node().outputs[0];
  for (const F32GemmConfig* c : configs()) {
    const Kernel k = s.mediapipe ? fast::transpose_conv_bias_f32_kernel(*c) : fast::transpose_conv_f32_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_transpose(s, x, f, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      REQUIRE(t.run(k, threads).ok());
      CHECK(t.shape(out) == ref.shape(out));
      check_matches(t.output_values<float>(out), ref.output_values<float>(out));
    }
  }
}

TEST_CASE("fast transposed convolutions match the reference", "[ops][transpose_conv][fast]") {
  std::mt19937 rng(31);
  std::uniform_int_distribution<int> size(1, 7), chans(1, 9), ocs(1, 37), ks(1, 5), stride(1, 3), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 80; ++iter) {
    TransposeSpec s;
    s.mediapipe = iter % 4 == 3;
    s.batch = coin(rng) && coin(rng) ? 2 : 1;
    s.in_h = size(rng), s.in_w = size(rng), s.ic = chans(rng), s.oc = ocs(rng);
    s.kh = ks(rng), s.kw = ks(rng);
    s.p.stride_h = stride(rng), s.p.stride_w = stride(rng);
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.bias = s.mediapipe || coin(rng);
    if (!s.mediapipe) {
      s.p.activation = kActs[act(rng)];
      // An output size whose forward conv gives back the input size (TFLite requires it).
      auto pick = [&](int in, int k, int st) {
        const int lo = s.p.padding == Padding::kSame ? (in - 1) * st + 1 : (in - 1) * st + k;
        return lo + std::uniform_int_distribution<int>(0, st - 1)(rng);
      };
      s.out_h = pick(s.in_h, s.kh, s.p.stride_h);
      s.out_w = pick(s.in_w, s.kw, s.p.stride_w);
    }
    compare_transpose(s, rng);
  }
  SECTION("a 2x upsampling decoder layer (4x4 kernel, stride 2, SAME)") {
    TransposeSpec s;
    s.in_h = s.in_w = 9, s.ic = 24, s.oc = 16, s.kh = s.kw = 4, s.out_h = s.out_w = 18;
    s.p.stride_h = s.p.stride_w = 2;
    s.p.padding = Padding::kSame;
    compare_transpose(s, rng);
    s.mediapipe = true;
    compare_transpose(s, rng);
  }
}

TEST_CASE("fast transposed convolutions decline what they do not handle", "[ops][transpose_conv][fast]") {
  const Kernel k = fast::transpose_conv_f32_kernel(f32_gemm_config(detected_cpu_features()));
  TransposeSpec s;
  s.out_h = s.out_w = 5;
  const std::vector<float> x(9 * 2, 1.0f), f(3 * 9 * 2, 1.0f), b(3, 0.0f);
  {
    OpTester t = make_transpose(s, x, f, b);
    CHECK(k.supports(t.node(), t.tensors()));
  }
  SECTION("TANH") {
    s.p.activation = Activation::kTanh;
    OpTester t = make_transpose(s, x, f, b);
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("a non-constant output shape") {
    OpTester t(BuiltinOp::kTransposeConv);
    t.add_input(DType::kI32, {4}, std::vector<int32_t>{1, 5, 5, 3});
    t.add_constant(DType::kF32, {3, 3, 3, 2}, f);
    t.add_input(DType::kF32, {1, 3, 3, 2}, x);
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("an output size the forward conv does not map back to the input") {
    s.out_h = 9;
    OpTester t = make_transpose(s, x, f, b);
    REQUIRE(k.supports(t.node(), t.tensors()));
    CHECK(t.run(k).code() == StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace eir::testing
