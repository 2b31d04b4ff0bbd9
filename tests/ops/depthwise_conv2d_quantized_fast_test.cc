// The quantized DEPTHWISE_CONV_2D fast driver (kernels/fast/depthwise_conv2d_quantized.cc, qs8
// dwconv microkernels) against the reference kernel, through OpTester, for every config this CPU
// can run: random uint8 (any filter zero point) and int8 (per-tensor / per-channel) depthwise
// convolutions with channel counts around the tiles, strides, dilations (with and without
// shared tap pointers), SAME / VALID, activations, batch 2, and 1 or 2 threads. Outputs must be
// identical byte for byte. Also: what the driver declines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

QuantParams qparams(std::vector<float> scales, std::vector<int32_t> zps, int axis = 0) {
  QuantParams q;
  q.scales = std::move(scales);
  q.zero_points = std::move(zps);
  q.axis = axis;
  return q;
}

struct DwSpec {
  bool u8 = false;
  int batch = 1, h = 6, w = 6, c = 8, kh = 3, kw = 3;
  ConvParams p;
  bool bias = true, per_channel = false;
  float in_scale = 0.02f, out_scale = 0.05f;
  int32_t in_zp = 0, out_zp = 0, w_zp = 0;
  std::vector<float> w_scales{0.01f};
};

std::string describe(const DwSpec& s) {
  return str_cat(s.u8 ? "uint8" : "int8", " batch=", s.batch, " in=", s.h, "x", s.w, "x", s.c, " k=", s.kh, "x",
                 s.kw, " stride=", s.p.stride_h, "x", s.p.stride_w, " dil=", s.p.dilation_h, "x", s.p.dilation_w,
                 s.p.padding == Padding::kSame ? " SAME" : " VALID", " act=", static_cast<int>(s.p.activation),
                 s.bias ? " bias" : "", s.per_channel ? " per-channel" : "", " zp in/w/out=", s.in_zp, "/", s.w_zp,
                 "/", s.out_zp);
}

OpTester make_dw(const DwSpec& s, const std::vector<uint8_t>& x, const std::vector<uint8_t>& f,
                 const std::vector<int32_t>& b) {
  const DType dt = s.u8 ? DType::kU8 : DType::kI8;
  OpTester t(BuiltinOp::kDepthwiseConv2D);
  t.add_input(dt, {s.batch, s.h, s.w, s.c}, x, qparams({s.in_scale}, {s.in_zp}));
  t.add_constant(dt, {1, s.kh, s.kw, s.c}, f,
                 qparams(s.w_scales, std::vector<int32_t>(s.w_scales.size(), s.w_zp), s.per_channel ? 3 : 0));
  if (s.bias) t.add_constant(DType::kI32, {s.c}, b);
  t.add_output(dt, qparams({s.out_scale}, {s.out_zp}));
  ConvParams p = s.p;
  p.depth_multiplier = 1;
  t.node().params = p;
  return t;
}

void compare_dw(const DwSpec& s, std::mt19937& rng) {
  INFO(describe(s));
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> x(static_cast<size_t>(s.batch * s.h * s.w * s.c)), f(static_cast<size_t>(s.kh * s.kw * s.c));
  for (auto& v : x) v = static_cast<uint8_t>(byte(rng));
  for (auto& v : f) v = static_cast<uint8_t>(byte(rng));
  std::uniform_int_distribution<int32_t> bd(-3000, 3000);
  std::vector<int32_t> b(static_cast<size_t>(s.c));
  for (auto& v : b) v = bd(rng);
  OpTester ref = make_dw(s, x, f, b);
  const Status ref_status = ref.run(ref::depthwise_conv2d_quantized_kernel());
  const int out = ref.node().outputs[0];
  for (const Qs8DwconvConfig* c : qs8_dwconv_configs_available(detected_cpu_features())) {
    const Kernel k = fast::depthwise_conv2d_quantized_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " (" << c->variant_for(static_cast<size_t>(s.c)).name << ") threads " << threads);
      OpTester t = make_dw(s, x, f, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      const Status st = t.run(k, threads);
      REQUIRE(st.ok() == ref_status.ok());
      if (!st.ok()) continue;
      CHECK(t.shape(out) == ref.shape(out));
      const auto got = t.output_values<uint8_t>(out), want = ref.output_values<uint8_t>(out);
      REQUIRE(got.size() == want.size());
      size_t bad = 0;
      for (size_t i = 0; i < got.size(); ++i)
        if (got[i] != want[i]) {
          if (bad < 5) FAIL_CHECK("element " << i << ": fast " << int(got[i]) << " vs reference " << int(want[i]));
          ++bad;
        }
      CHECK(bad == 0);
    }
  }
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

DwSpec random_spec(std::mt19937& rng) {
  std::uniform_int_distribution<int> small(1, 4), size(1, 12), chans(1, 70), coin(0, 1), act(0, 3), pick(0, 4);
  std::uniform_int_distribution<int> u8zp(0, 255), i8zp(-128, 127);
  std::uniform_real_distribution<float> sc(0.002f, 0.05f), osc(0.005f, 0.2f);
  DwSpec s;
  s.u8 = coin(rng) != 0;
  s.batch = pick(rng) == 0 ? 2 : 1;
  s.h = size(rng), s.w = size(rng), s.c = chans(rng);
  s.kh = small(rng), s.kw = small(rng);
  if (pick(rng) < 2) s.kh = s.kw = 3;
  s.p.stride_h = std::min(small(rng), 3), s.p.stride_w = std::min(small(rng), 3);
  s.p.dilation_h = coin(rng) ? 1 : 2, s.p.dilation_w = pick(rng) == 0 ? 2 : 1;
  s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
  s.p.activation = kActs[act(rng)];
  s.bias = pick(rng) != 0;
  s.per_channel = !s.u8 && coin(rng);
  s.in_scale = sc(rng);
  s.out_scale = osc(rng);
  s.in_zp = s.u8 ? u8zp(rng) : i8zp(rng);
  s.out_zp = s.u8 ? u8zp(rng) : i8zp(rng);
  // uint8: any filter zero point; int8: TFLite ignores it, so try nonzero ones too.
  s.w_zp = s.u8 ? u8zp(rng) : (pick(rng) == 0 ? i8zp(rng) : 0);
  s.w_scales.assign(s.per_channel ? static_cast<size_t>(s.c) : 1, 0.0f);
  for (float& f : s.w_scales) f = sc(rng);
  return s;
}

TEST_CASE("fast quantized depthwise conv2d matches the reference bit for bit", "[ops][dwconv][fast][quantized]") {
  std::mt19937 rng(808);
  for (int iter = 0; iter < 150; ++iter) {
    DwSpec s = random_spec(rng);
    compare_dw(s, rng);
  }
}

TEST_CASE("fast quantized depthwise conv2d: mobile shapes and saturation", "[ops][dwconv][fast][quantized]") {
  std::mt19937 rng(21);
  for (bool u8 : {false, true}) {
    for (int c : {16, 24, 32, 96, 144}) {
      DwSpec s;
      s.u8 = u8;
      s.h = s.w = 9, s.c = c;
      s.p.padding = Padding::kSame;
      s.p.stride_h = s.p.stride_w = c == 24 ? 2 : 1;
      s.p.activation = Activation::kRelu6;
      s.in_zp = u8 ? 128 : -1, s.out_zp = u8 ? 0 : -128, s.w_zp = u8 ? 120 : 0;
      s.per_channel = !u8;
      s.w_scales.assign(u8 ? 1 : static_cast<size_t>(c), 0.02f);
      compare_dw(s, rng);
      s.out_scale = 1e-5f;  // everything clamps
      compare_dw(s, rng);
      s.out_scale = 40.0f;  // everything rounds to the zero point
      compare_dw(s, rng);
    }
  }
}

// The 3x3 row kernels (stride 1 with two output rows per call and the 8-channel pixel pairs,
// stride 2): widths and heights around the pairing, both paddings, channel counts around the
// 16-lane blocks, zero points and multipliers anywhere (left shifts and right shifts of 0 take
// the general requantization).
TEST_CASE("fast quantized depthwise conv2d: 3x3 row kernels", "[ops][dwconv][fast][quantized]") {
  std::mt19937 rng(3303);
  std::uniform_int_distribution<int> coin(0, 1), pick(0, 4), size(1, 9), act(0, 3);
  std::uniform_int_distribution<int> u8zp(0, 255), i8zp(-128, 127);
  std::uniform_real_distribution<float> sc(0.002f, 0.05f), osc(0.005f, 0.2f);
  const int chans[] = {1, 3, 7, 8, 8, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 64};
  for (int iter = 0; iter < 200; ++iter) {
    DwSpec s;
    s.u8 = coin(rng) != 0;
    s.batch = pick(rng) == 0 ? 2 : 1;
    s.h = size(rng), s.w = size(rng);
    s.c = chans[std::uniform_int_distribution<int>(0, 15)(rng)];
    s.kh = s.kw = 3;
    s.p.stride_h = s.p.stride_w = coin(rng) ? 1 : 2;
    s.p.padding = pick(rng) < 3 ? Padding::kSame : Padding::kValid;
    if (s.p.padding == Padding::kValid) s.h = std::max(s.h, 3), s.w = std::max(s.w, 3);
    s.p.activation = kActs[act(rng)];
    s.bias = pick(rng) != 0;
    s.per_channel = !s.u8 && coin(rng);
    s.in_scale = sc(rng);
    // Mostly real-model multipliers (right shifts); sometimes multipliers >= 0.5 (no right shift)
    // or far above 1 (left shifts), for the general requantization.
    const int kind = pick(rng);
    s.out_scale = kind == 0 ? 2e-4f : kind == 1 ? 1e-5f : osc(rng);
    s.in_zp = s.u8 ? u8zp(rng) : i8zp(rng);
    s.out_zp = s.u8 ? u8zp(rng) : i8zp(rng);
    s.w_zp = s.u8 ? std::max(1, u8zp(rng)) : (pick(rng) == 0 ? i8zp(rng) : 0);
    s.w_scales.assign(s.per_channel ? static_cast<size_t>(s.c) : 1, 0.0f);
    for (float& f : s.w_scales) f = sc(rng);
    compare_dw(s, rng);
  }
}

// Power-of-two scales put many results exactly on rounding ties: ties away from zero (TFLite) vs
// up must match the reference, with clamps below the zero point (NONE, RELU_N1_TO_1: ties matter)
// and at it (RELU, RELU6: the kernels may round ties up).
TEST_CASE("fast quantized depthwise conv2d: rounding ties", "[ops][dwconv][fast][quantized]") {
  std::mt19937 rng(77);
  for (bool u8 : {false, true})
    for (Activation act : kActs)
      for (int stride : {1, 2})
        for (int c : {8, 16, 24}) {
          DwSpec s;
          s.u8 = u8;
          s.h = s.w = 7, s.c = c;
          s.p.stride_h = s.p.stride_w = stride;
          s.p.padding = Padding::kSame;
          s.p.activation = act;
          s.in_scale = 0.5f, s.out_scale = 8.0f;  // multiplier 2^-5 x the weight scale
          s.w_scales = {0.25f};
          s.in_zp = u8 ? 100 : 3, s.out_zp = u8 ? 120 : -5, s.w_zp = u8 ? 130 : 0;
          compare_dw(s, rng);
        }
}

TEST_CASE("fast quantized depthwise conv2d declines what it does not handle", "[ops][dwconv][fast][quantized]") {
  const Kernel k = fast::depthwise_conv2d_quantized_kernel(qs8_dwconv_config(detected_cpu_features()));
  DwSpec s;
  std::vector<uint8_t> x(6 * 6 * 8, 1), f(9 * 8, 1);
  std::vector<int32_t> b(8, 0);
  {
    OpTester t = make_dw(s, x, f, b);
    CHECK(k.supports(t.node(), t.tensors()));
  }
  SECTION("depth multiplier 2") {
    OpTester t(BuiltinOp::kDepthwiseConv2D);
    t.add_input(DType::kI8, {1, 6, 6, 4}, std::vector<uint8_t>(144, 1), qparams({0.1f}, {0}));
    t.add_constant(DType::kI8, {1, 3, 3, 8}, f, qparams({0.1f}, {0}));
    t.add_output(DType::kI8, qparams({0.1f}, {0}));
    ConvParams p;
    p.depth_multiplier = 2;
    t.node().params = p;
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("TANH activation") {
    s.p.activation = Activation::kTanh;
    OpTester t = make_dw(s, x, f, b);
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("int16 activations") {
    OpTester t(BuiltinOp::kDepthwiseConv2D);
    t.add_input(DType::kI16, {1, 6, 6, 8}, std::vector<int16_t>(288, 1), qparams({0.1f}, {0}));
    t.add_constant(DType::kI8, {1, 3, 3, 8}, f, qparams({0.1f}, {0}));
    t.add_output(DType::kI16, qparams({0.1f}, {0}));
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
}

}  // namespace
}  // namespace eir::testing
