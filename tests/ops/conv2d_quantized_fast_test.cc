// The quantized CONV_2D and FULLY_CONNECTED fast drivers (kernels/fast/conv2d_quantized.cc,
// fully_connected_quantized.cc) against the reference kernels, through OpTester, for every qs8
// config this CPU can run: random uint8 / int8 convolutions (per-tensor and per-channel, strides,
// dilations, SAME / VALID, activations, odd channel counts, uint8 filters with and without the
// zero point 128) and fully connected layers, with 1 and 2 threads. Outputs must be identical
// byte for byte. Also: what the drivers decline.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/fast/fast_kernels.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

std::vector<const Qs8GemmConfig*> configs() { return qs8_gemm_configs_available(detected_cpu_features()); }

std::vector<uint8_t> random_bytes(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<uint8_t> v(n);
  for (auto& x : v) x = static_cast<uint8_t>(d(rng));
  return v;
}

void check_same(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  REQUIRE(got.size() == want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i]) {
      if (bad < 5) FAIL_CHECK("element " << i << ": fast " << int(got[i]) << " vs reference " << int(want[i]));
      ++bad;
    }
  CHECK(bad == 0);
}

struct QConvSpec {
  bool u8 = false;
  int batch = 1, h = 5, w = 5, ic = 3, oc = 4, kh = 3, kw = 3;
  ConvParams p;
  bool bias = true, per_channel = true;
  float in_scale = 0.05f, out_scale = 0.1f;
  int32_t in_zp = 0, out_zp = 0, w_zp = 0;
  std::vector<float> w_scales;  // oc (per-channel) or 1
};

std::string describe(const QConvSpec& s) {
  return str_cat(s.u8 ? "uint8" : "int8", " batch=", s.batch, " in=", s.h, "x", s.w, "x", s.ic, " oc=", s.oc,
                 " k=", s.kh, "x", s.kw, " stride=", s.p.stride_h, "x", s.p.stride_w, " dil=", s.p.dilation_h, "x",
                 s.p.dilation_w, s.p.padding == Padding::kSame ? " SAME" : " VALID",
                 " act=", static_cast<int>(s.p.activation), s.bias ? " bias" : "",
                 s.per_channel ? " per-channel" : " per-tensor", " zp in/w/out=", s.in_zp, "/", s.w_zp, "/", s.out_zp,
                 " scales in/out=", s.in_scale, "/", s.out_scale);
}

void randomize_quant(std::mt19937& rng, QConvSpec& s, int k_total) {
  std::uniform_int_distribution<int> u8zp(0, 255), i8zp(-128, 127), pick(0, 4);
  std::uniform_real_distribution<float> sc(0.002f, 0.05f), osc(0.01f, 0.5f);
  s.in_scale = sc(rng);
  s.out_scale = osc(rng) * std::sqrt(static_cast<float>(k_total)) * 0.1f;
  s.in_zp = s.u8 ? u8zp(rng) : i8zp(rng);
  s.out_zp = s.u8 ? u8zp(rng) : i8zp(rng);
  s.w_zp = s.u8 ? (pick(rng) == 0 ? 128 : u8zp(rng)) : 0;
  const int n = s.per_channel ? s.oc : 1;
  s.w_scales.resize(static_cast<size_t>(n));
  for (float& f : s.w_scales) f = sc(rng);
}

OpTester make_conv(const QConvSpec& s, const std::vector<uint8_t>& x, const std::vector<uint8_t>& f,
                   const std::vector<int32_t>& b) {
  const DType dt = s.u8 ? DType::kU8 : DType::kI8;
  OpTester t(BuiltinOp::kConv2D);
  t.add_input(dt, {s.batch, s.h, s.w, s.ic}, x, qp(s.in_scale, s.in_zp));
  QuantParams fq;
  fq.scales = s.w_scales;
  fq.zero_points.assign(s.w_scales.size(), s.w_zp);
  fq.axis = 0;
  t.add_constant(dt, {s.oc, s.kh, s.kw, s.ic}, f, fq);
  if (s.bias) t.add_constant(DType::kI32, {s.oc}, b);
  t.add_output(dt, qp(s.out_scale, s.out_zp));
  t.node().params = s.p;
  return t;
}

void compare_conv(const QConvSpec& s, std::mt19937& rng) {
  INFO(describe(s));
  const auto x = random_bytes(rng, static_cast<size_t>(s.batch * s.h * s.w * s.ic));
  const auto f = random_bytes(rng, static_cast<size_t>(s.oc * s.kh * s.kw * s.ic));
  std::uniform_int_distribution<int32_t> bd(-20000, 20000);
  std::vector<int32_t> b(static_cast<size_t>(s.oc));
  for (auto& v : b) v = bd(rng);
  OpTester ref = make_conv(s, x, f, b);
  const Status ref_status = ref.run(ref::conv2d_quantized_kernel());
  const int out = ref.node().outputs[0];
  for (const Qs8GemmConfig* c : configs()) {
    const Kernel k = fast::conv2d_quantized_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_conv(s, x, f, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      const Status st = t.run(k, threads);
      REQUIRE(st.ok() == ref_status.ok());
      if (!st.ok()) continue;  // both refuse (e.g. a VALID window larger than the input)
      CHECK(t.shape(out) == ref.shape(out));
      check_same(t.output_values<uint8_t>(out), ref.output_values<uint8_t>(out));
    }
  }
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

TEST_CASE("fast quantized conv2d matches the reference bit for bit", "[ops][conv][fast][quantized]") {
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> small(1, 4), size(1, 11), chans(1, 19), ocs(1, 41), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 150; ++iter) {
    QConvSpec s;
    s.u8 = coin(rng) != 0;
    s.batch = small(rng) <= 3 ? 1 : 2;
    s.h = size(rng);
    s.w = size(rng);
    s.ic = chans(rng);
    s.oc = ocs(rng);
    s.kh = small(rng);
    s.kw = small(rng);
    if (iter % 4 == 0) s.kh = s.kw = 1;
    s.p.stride_h = std::min(small(rng), 3);
    s.p.stride_w = std::min(small(rng), 3);
    if (iter % 8 == 0) s.p.stride_h = s.p.stride_w = 1;
    s.p.dilation_h = coin(rng) ? 1 : 2;
    s.p.dilation_w = coin(rng) ? 1 : 2;
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    s.bias = small(rng) != 1;
    s.per_channel = !s.u8 && coin(rng);
    randomize_quant(rng, s, s.kh * s.kw * s.ic);
    compare_conv(s, rng);
  }
}

TEST_CASE("fast quantized conv2d edge shapes", "[ops][conv][fast][quantized]") {
  std::mt19937 rng(9);
  for (bool u8 : {false, true}) {
    SECTION(std::string("1x1 stride 1 (direct GEMM), ") + (u8 ? "uint8" : "int8")) {
      QConvSpec s;
      s.u8 = u8, s.per_channel = !u8;
      s.h = 7, s.w = 9, s.ic = 19, s.oc = 35, s.kh = s.kw = 1;
      s.batch = 2;
      randomize_quant(rng, s, 19);
      compare_conv(s, rng);
      s.w_zp = u8 ? 77 : 0;  // row terms on the direct path
      s.p.activation = Activation::kRelu6;
      compare_conv(s, rng);
    }
    SECTION(std::string("first-layer-like: 3 channels, stride 2, SAME, ") + (u8 ? "uint8" : "int8")) {
      QConvSpec s;
      s.u8 = u8, s.per_channel = !u8;
      s.h = s.w = 33, s.ic = 3, s.oc = 32, s.kh = s.kw = 3;
      s.p.stride_h = s.p.stride_w = 2;
      s.p.padding = Padding::kSame;
      s.p.activation = Activation::kRelu6;
      randomize_quant(rng, s, 27);
      compare_conv(s, rng);
      s.w_zp = u8 ? 200 : 0;
      compare_conv(s, rng);
    }
    SECTION(std::string("wide and deep: N split across chunks, ") + (u8 ? "uint8" : "int8")) {
      QConvSpec s;
      s.u8 = u8, s.per_channel = !u8;
      s.h = s.w = 6, s.ic = 200, s.oc = 300, s.kh = s.kw = 3;
      s.p.padding = Padding::kSame;
      randomize_quant(rng, s, 1800);
      compare_conv(s, rng);
    }
    SECTION(std::string("SAME padding wider than the input, ") + (u8 ? "uint8" : "int8")) {
      QConvSpec s;
      s.u8 = u8, s.per_channel = !u8;
      s.h = 2, s.w = 1, s.ic = 2, s.oc = 3, s.kh = 5, s.kw = 5;
      s.p.padding = Padding::kSame;
      s.p.dilation_h = s.p.dilation_w = 2;
      randomize_quant(rng, s, 50);
      s.w_zp = u8 ? 3 : 0;
      compare_conv(s, rng);
    }
  }
}

// Few input channels (not a multiple of 4): the im2col path. Outputs large enough for several
// 64-row tiles per thread, depths K from 2 to 200 (row strides 8 to 64 and past 64), the last
// window touching the input's last byte, dilation, batch 2, uint8 filters with and without row
// terms.
TEST_CASE("fast quantized conv2d: im2col path", "[ops][conv][fast][quantized]") {
  std::mt19937 rng(2727);
  std::uniform_int_distribution<int> coin(0, 1), act(0, 3), size(5, 30), k3(1, 5), oc(1, 40);
  const int chans[] = {1, 2, 3, 3, 3, 5, 6, 7, 9, 11};
  for (int iter = 0; iter < 40; ++iter) {
    QConvSpec s;
    s.u8 = coin(rng) != 0;
    s.batch = iter % 5 == 0 ? 2 : 1;
    s.h = size(rng), s.w = size(rng);
    s.ic = chans[iter % 10];
    s.oc = iter % 3 == 0 ? 8 : oc(rng);
    s.kh = k3(rng), s.kw = k3(rng);
    if (s.kh * s.kw == 1) s.kw = 3;
    if (iter % 2 == 0) s.kh = s.kw = 3;
    s.p.stride_h = s.p.stride_w = 1 + iter % 2;
    s.p.dilation_h = s.p.dilation_w = iter % 7 == 3 ? 2 : 1;
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    s.per_channel = !s.u8 && coin(rng);
    randomize_quant(rng, s, s.kh * s.kw * s.ic);
    if (s.u8 && iter % 3 == 1) s.w_zp = 128;  // no row terms
    compare_conv(s, rng);
  }
}

// 3x3 stride-2 filters over 3 channels: the stem kernel where the config has one (the GEMM
// paths elsewhere, and for multipliers it does not take). Widths around its 16-pixel steps and
// 64-byte row windows, both paddings (left padding 0 or 1), channel counts around its blocks of 8.
TEST_CASE("fast quantized conv2d: 3x3 stride 2 stem", "[ops][conv][fast][quantized]") {
  std::mt19937 rng(3232);
  std::uniform_int_distribution<int> coin(0, 1), act(0, 3), size(1, 70), pick(0, 5);
  const int ocs[] = {1, 3, 7, 8, 8, 9, 16, 24, 32, 35};
  for (int iter = 0; iter < 60; ++iter) {
    QConvSpec s;
    s.u8 = coin(rng) != 0;
    s.batch = iter % 7 == 0 ? 2 : 1;
    s.h = size(rng), s.w = iter % 5 == 0 ? 224 : size(rng);
    s.ic = 3;
    s.oc = ocs[iter % 10];
    s.kh = s.kw = 3;
    s.p.stride_h = s.p.stride_w = 2;
    s.p.padding = pick(rng) < 4 ? Padding::kSame : Padding::kValid;
    if (s.p.padding == Padding::kValid) s.h = std::max(s.h, 3), s.w = std::max(s.w, 3);
    s.p.activation = kActs[act(rng)];
    s.bias = pick(rng) != 0;
    s.per_channel = !s.u8 && coin(rng);
    randomize_quant(rng, s, 27);
    if (iter % 11 == 5) s.out_scale = 1e-5f;  // left shifts: not the stem kernel's form
    compare_conv(s, rng);
  }
}

// Power-of-two scales put many results exactly on rounding ties (uint8 rounds them away from
// zero, int8 up): clamps below the zero point (ties matter) and at it (they may round up), on the
// direct, IGEMM, im2col and stem paths.
TEST_CASE("fast quantized conv2d: rounding ties", "[ops][conv][fast][quantized]") {
  std::mt19937 rng(78);
  for (bool u8 : {false, true})
    for (Activation act : kActs)
      for (int path = 0; path < 4; ++path) {
        QConvSpec s;
        s.u8 = u8;
        s.h = s.w = 9;
        s.ic = path == 0 ? 8 : path == 1 ? 12 : 3;
        s.oc = 8;
        s.kh = s.kw = path == 0 ? 1 : 3;
        s.p.stride_h = s.p.stride_w = path == 3 ? 2 : 1;
        s.p.padding = Padding::kSame;
        s.p.activation = act;
        s.in_scale = 0.5f, s.out_scale = 32.0f;
        s.w_scales = {0.25f};
        s.in_zp = u8 ? 100 : 3, s.out_zp = u8 ? 120 : -5, s.w_zp = u8 ? 130 : 0;
        compare_conv(s, rng);
      }
}

TEST_CASE("fast quantized conv2d saturates like the reference", "[ops][conv][fast][quantized]") {
  // Tiny output scales push nearly every accumulator to the clamp; huge ones to the zero point;
  // extreme zero points.
  std::mt19937 rng(17);
  for (int iter = 0; iter < 24; ++iter) {
    QConvSpec s;
    s.u8 = iter % 2 == 0;
    s.per_channel = !s.u8 && iter % 4 == 1;
    s.h = s.w = 5, s.ic = 9, s.oc = 18, s.kh = s.kw = 3;
    s.p.padding = Padding::kSame;
    randomize_quant(rng, s, 81);
    s.out_scale = iter % 3 == 0 ? 1e-5f : iter % 3 == 1 ? 50.0f : s.out_scale;
    if (iter % 5 == 0) s.in_zp = s.u8 ? 255 : -128, s.out_zp = s.u8 ? 0 : 127;
    compare_conv(s, rng);
  }
}

// ---- FULLY_CONNECTED ----

struct QFcSpec {
  bool u8 = false;
  Shape in_shape{2, 10};
  int units = 5, depth = 10;
  FullyConnectedParams p;
  bool bias = true, per_channel = false;
  float in_scale = 0.05f, out_scale = 0.2f;
  int32_t in_zp = 0, out_zp = 0, w_zp = 0;
  std::vector<float> w_scales{0.02f};
};

OpTester make_fc(const QFcSpec& s, const std::vector<uint8_t>& x, const std::vector<uint8_t>& w,
                 const std::vector<int32_t>& b) {
  const DType dt = s.u8 ? DType::kU8 : DType::kI8;
  OpTester t(BuiltinOp::kFullyConnected);
  t.add_input(dt, s.in_shape, x, qp(s.in_scale, s.in_zp));
  QuantParams wq;
  wq.scales = s.w_scales;
  wq.zero_points.assign(s.w_scales.size(), s.w_zp);
  t.add_constant(dt, {s.units, s.depth}, w, wq);
  if (s.bias) t.add_constant(DType::kI32, {s.units}, b);
  t.add_output(dt, qp(s.out_scale, s.out_zp));
  t.node().params = s.p;
  return t;
}

void compare_fc(const QFcSpec& s, std::mt19937& rng) {
  INFO((s.u8 ? "uint8" : "int8") << " units=" << s.units << " depth=" << s.depth << " batch elems="
                                  << s.in_shape.size() << " zp in/w/out=" << s.in_zp << "/" << s.w_zp << "/"
                                  << s.out_zp << (s.per_channel ? " per-channel" : ""));
  int64_t n = 1;
  for (int d : s.in_shape) n *= d;
  const auto x = random_bytes(rng, static_cast<size_t>(n));
  const auto w = random_bytes(rng, static_cast<size_t>(s.units * s.depth));
  std::uniform_int_distribution<int32_t> bd(-5000, 5000);
  std::vector<int32_t> b(static_cast<size_t>(s.units));
  for (auto& v : b) v = bd(rng);
  OpTester ref = make_fc(s, x, w, b);
  REQUIRE(ref.run(ref::fully_connected_quantized_kernel()).ok());
  const int out = ref.node().outputs[0];
  for (const Qs8GemmConfig* c : configs()) {
    const Kernel k = fast::fully_connected_quantized_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_fc(s, x, w, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      REQUIRE(t.run(k, threads).ok());
      CHECK(t.shape(out) == ref.shape(out));
      check_same(t.output_values<uint8_t>(out), ref.output_values<uint8_t>(out));
    }
  }
}

TEST_CASE("fast quantized fully_connected matches the reference bit for bit", "[ops][fc][fast][quantized]") {
  std::mt19937 rng(31);
  std::uniform_int_distribution<int> batch(1, 9), units(1, 80), depth(1, 300), coin(0, 1), act(0, 3), pick(0, 3);
  std::uniform_int_distribution<int> u8zp(0, 255), i8zp(-128, 127);
  std::uniform_real_distribution<float> sc(0.002f, 0.05f);
  for (int iter = 0; iter < 80; ++iter) {
    QFcSpec s;
    s.u8 = coin(rng) != 0;
    s.units = units(rng);
    s.depth = depth(rng);
    const int b = iter % 4 == 0 ? 1 : batch(rng);
    s.p.keep_num_dims = coin(rng) != 0;
    s.in_shape = s.p.keep_num_dims ? Shape{b, 1, s.depth} : Shape{b, s.depth};
    s.p.activation = kActs[act(rng)];
    s.bias = pick(rng) != 0;
    s.per_channel = !s.u8 && coin(rng);
    s.in_scale = sc(rng);
    s.out_scale = sc(rng) * sc(rng) * std::sqrt(static_cast<float>(s.depth)) * 40.0f;
    s.in_zp = s.u8 ? u8zp(rng) : i8zp(rng);
    s.out_zp = s.u8 ? u8zp(rng) : i8zp(rng);
    // uint8: any weight zero point; int8 per-tensor: sometimes nonzero (row terms).
    s.w_zp = s.u8 ? u8zp(rng) : (s.per_channel || pick(rng) != 0 ? 0 : i8zp(rng));
    s.w_scales.assign(s.per_channel ? static_cast<size_t>(s.units) : 1, 0.0f);
    for (float& f : s.w_scales) f = sc(rng);
    compare_fc(s, rng);
  }
}

TEST_CASE("fast quantized kernels decline what they do not handle", "[ops][conv][fc][fast][quantized]") {
  const Qs8GemmConfig& config = qs8_gemm_config(detected_cpu_features());
  const Kernel conv = fast::conv2d_quantized_kernel(config);
  std::vector<uint8_t> x(1 * 4 * 4 * 4, 1), f(2 * 3 * 3 * 4, 1);
  std::vector<int32_t> b(2, 0);
  QConvSpec s;
  s.h = s.w = 4, s.ic = 4, s.oc = 2;
  s.w_scales = {0.1f, 0.2f};
  {
    OpTester t = make_conv(s, x, f, b);
    CHECK(conv.supports(t.node(), t.tensors()));
  }
  SECTION("TANH activation") {
    s.p.activation = Activation::kTanh;
    OpTester t = make_conv(s, x, f, b);
    CHECK_FALSE(conv.supports(t.node(), t.tensors()));
  }
  SECTION("grouped convolution") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kI8, {1, 4, 4, 4}, x, qp(0.1f, 0));
    t.add_constant(DType::kI8, {2, 3, 3, 2}, std::vector<uint8_t>(36, 1), qp(0.1f, 0));
    t.add_output(DType::kI8, qp(0.1f, 0));
    t.node().params = ConvParams{};
    CHECK_FALSE(conv.supports(t.node(), t.tensors()));
  }
  SECTION("int16 activations") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kI16, {1, 4, 4, 4}, std::vector<int16_t>(64, 1), qp(0.1f, 0));
    t.add_constant(DType::kI8, {2, 3, 3, 4}, f, qp(0.1f, 0));
    t.add_output(DType::kI16, qp(0.1f, 0));
    t.node().params = ConvParams{};
    CHECK_FALSE(conv.supports(t.node(), t.tensors()));
  }
  SECTION("int8 filter with a nonzero zero point (the reference reports the error)") {
    s.w_zp = 3;
    OpTester t = make_conv(s, x, f, b);
    CHECK_FALSE(conv.supports(t.node(), t.tensors()));
  }
  SECTION("non-constant filter") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kI8, {1, 4, 4, 4}, x, qp(0.1f, 0));
    t.add_input(DType::kI8, {2, 3, 3, 4}, f, qp(0.1f, 0));
    t.add_output(DType::kI8, qp(0.1f, 0));
    t.node().params = ConvParams{};
    CHECK_FALSE(conv.supports(t.node(), t.tensors()));
  }
  SECTION("a multiplier shift beyond 30 (output scale far below input x filter)") {
    s.out_scale = 1e-14f;
    OpTester t = make_conv(s, x, f, b);
    CHECK_FALSE(conv.supports(t.node(), t.tensors()));
  }
  SECTION("FULLY_CONNECTED uint8 -> int16 and shuffled weights") {
    const Kernel fc = fast::fully_connected_quantized_kernel(config);
    OpTester t(BuiltinOp::kFullyConnected);
    t.add_input(DType::kU8, {1, 4}, std::vector<uint8_t>(4, 1), qp(0.1f, 3));
    t.add_constant(DType::kU8, {2, 4}, std::vector<uint8_t>(8, 1), qp(0.1f, 3));
    t.add_output(DType::kI16, qp(0.1f, 0));
    t.node().params = FullyConnectedParams{};
    CHECK_FALSE(fc.supports(t.node(), t.tensors()));
    OpTester t2(BuiltinOp::kFullyConnected);
    t2.add_input(DType::kU8, {1, 4}, std::vector<uint8_t>(4, 1), qp(0.1f, 3));
    t2.add_constant(DType::kU8, {2, 4}, std::vector<uint8_t>(8, 1), qp(0.1f, 3));
    t2.add_output(DType::kU8, qp(0.1f, 0));
    FullyConnectedParams fp;
    t2.node().params = fp;
    CHECK(fc.supports(t2.node(), t2.tensors()));
    fp.weights_format = 1;
    t2.node().params = fp;
    CHECK_FALSE(fc.supports(t2.node(), t2.tensors()));
  }
}

TEST_CASE("fast quantized conv2d without the load-time pack hook packs in prepare", "[ops][conv][fast][quantized]") {
  std::mt19937 rng(12);
  QConvSpec s;
  s.u8 = true;
  s.h = 6, s.w = 5, s.ic = 4, s.oc = 10;
  s.p.padding = Padding::kSame;
  s.per_channel = false;
  randomize_quant(rng, s, 36);
  const auto x = random_bytes(rng, 6 * 5 * 4), f = random_bytes(rng, 10 * 9 * 4);
  const std::vector<int32_t> b(10, 100);
  OpTester ref = make_conv(s, x, f, b);
  REQUIRE(ref.run(ref::conv2d_quantized_kernel()).ok());
  Kernel k = fast::conv2d_quantized_kernel(qs8_gemm_config(detected_cpu_features()));
  k.pack = nullptr;
  OpTester t = make_conv(s, x, f, b);
  REQUIRE(t.run(k, 2).ok());
  check_same(t.output_values<uint8_t>(t.node().outputs[0]), ref.output_values<uint8_t>(ref.node().outputs[0]));
}

}  // namespace
}  // namespace eir::testing
