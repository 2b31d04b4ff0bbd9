// f32 depthwise convolution: every microkernel variant this CPU can run against a naive
// double-precision loop (odd channel counts, all pixel-block remainders, 9 / 25 / other tap counts,
// zero-buffer taps, the clamp, nothing written past the channels), and the DEPTHWISE_CONV_2D
// driver of every config against the reference kernel through OpTester, with 1 and 2 threads.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/reference/float_spatial.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

constexpr float kPoison = -12345.0f;

std::vector<float> random_vec(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// Packs per the f32-dwconv.h layout: per tile of ct channels, ct biases then ks rows of ct weights.
std::vector<float> pack(const std::vector<float>& w /* [ks][ch] */, const std::vector<float>& bias, size_t ks,
                        size_t ch, size_t ct) {
  const size_t tiles = (ch + ct - 1) / ct;
  std::vector<float> out(tiles * (ks + 1) * ct, 0.0f);
  for (size_t t = 0; t < tiles; ++t) {
    float* tile = out.data() + t * (ks + 1) * ct;
    for (size_t j = 0; j < ct && t * ct + j < ch; ++j) {
      tile[j] = bias[t * ct + j];
      for (size_t k = 0; k < ks; ++k) tile[ct + k * ct + j] = w[k * ch + t * ct + j];
    }
  }
  return out;
}

// Naive check of one call: out[p][c] = clamp(bias[c] + sum_k ind[p * stride + k][c] * w[k][c]).
void check_call(eir_f32_dwconv_ukernel_fn fn, size_t ch, size_t ct, size_t width, size_t ks,
                const std::vector<const float*>& ind, size_t stride, std::mt19937& rng, float lo, float hi) {
  const std::vector<float> w = random_vec(rng, ks * ch), bias = random_vec(rng, ch);
  const std::vector<float> packed = pack(w, bias, ks, ch, ct);
  const eir_f32_minmax_params params{lo, hi};
  std::vector<float> out(width * ch + 5, kPoison);
  fn(ch, width, ks, ind.data(), stride, packed.data(), out.data(), &params);
  for (size_t p = 0; p < width; ++p) {
    for (size_t c = 0; c < ch; ++c) {
      double acc = bias[c];
      for (size_t k = 0; k < ks; ++k) acc += static_cast<double>(ind[p * stride + k][c]) * w[k * ch + c];
      const float want = static_cast<float>(std::min<double>(std::max<double>(acc, lo), hi));
      INFO("pixel " << p << " channel " << c);
      REQUIRE(std::fabs(out[p * ch + c] - want) <= 1e-5f * (ks + 1));
    }
  }
  for (size_t i = width * ch; i < out.size(); ++i) REQUIRE(out[i] == kPoison);
}

const size_t kWidths[] = {1, 2, 3, 5, 7, 8, 9, 12, 17};

std::vector<size_t> channel_counts(size_t ct) {
  std::vector<size_t> out = {1, 3, 42, ct, ct + 1, 2 * ct + 3};
  if (ct > 1) out.push_back(ct - 1);
  return out;
}

TEST_CASE("f32 dwconv any-filter microkernels match a naive loop", "[ops][ukernel][f32_dwconv]") {
  std::mt19937 rng(77);
  for (const F32DwconvVariant* v : f32_dwconv_variants_available(detected_cpu_features())) {
    for (size_t ks : {size_t{1}, size_t{4}, size_t{7}, size_t{9}, size_t{25}}) {
      for (size_t ch : channel_counts(v->channel_tile)) {
        for (size_t width : kWidths) {
          INFO(v->name << " any ks=" << ks << " ch=" << ch << " width=" << width);
          // A pool of input pixels plus a zero row; each tap picks one at random (or zeros).
          const size_t pool_pixels = 11;
          const std::vector<float> pixels = random_vec(rng, pool_pixels * ch);
          const std::vector<float> zero(ch, 0.0f);
          const size_t stride = ks + (width % 3);  // pointers between pixels; some unused
          std::vector<const float*> ind(width * stride + ks);
          std::uniform_int_distribution<size_t> pick(0, pool_pixels);
          for (const float*& p : ind) {
            const size_t i = pick(rng);
            p = i == pool_pixels ? zero.data() : pixels.data() + i * ch;
          }
          const bool clamp = width % 2 == 1;
          check_call(v->any, ch, v->channel_tile, width, ks, ind, stride, rng,
                     clamp ? -0.7f : -std::numeric_limits<float>::infinity(),
                     clamp ? 0.6f : std::numeric_limits<float>::infinity());
        }
      }
    }
  }
}

TEST_CASE("f32 dwconv window microkernels match a naive loop", "[ops][ukernel][f32_dwconv]") {
  std::mt19937 rng(78);
  for (const F32DwconvVariant* v : f32_dwconv_variants_available(detected_cpu_features())) {
    for (size_t k : {size_t{3}, size_t{5}}) {
      for (size_t s : {size_t{1}, size_t{2}}) {
        const eir_f32_dwconv_ukernel_fn fn =
            v->select(static_cast<int>(k), static_cast<int>(k), static_cast<int>(s), 1);
        REQUIRE(fn != v->any);
        for (size_t ch : channel_counts(v->channel_tile)) {
          for (size_t width : kWidths) {
            INFO(v->name << " " << k << "x" << k << " stride " << s << " ch=" << ch << " width=" << width);
            // Shared-column layout: (width - 1) * s + k columns of k pointers; pixel p's tap
            // (kx, ky) is column p * s + kx, row ky. Columns point at random pixels or zeros.
            const size_t cols = (width - 1) * s + k;
            const size_t pool_pixels = 13;
            const std::vector<float> pixels = random_vec(rng, pool_pixels * ch);
            const std::vector<float> zero(ch, 0.0f);
            std::vector<const float*> ind(cols * k);
            std::uniform_int_distribution<size_t> pick(0, pool_pixels);
            for (const float*& p : ind) {
              const size_t i = pick(rng);
              p = i == pool_pixels ? zero.data() : pixels.data() + i * ch;
            }
            const bool clamp = width % 2 == 0;
            check_call(fn, ch, v->channel_tile, width, k * k, ind, s * k, rng,
                       clamp ? -0.5f : -std::numeric_limits<float>::infinity(),
                       clamp ? 0.9f : std::numeric_limits<float>::infinity());
          }
        }
      }
    }
  }
}

TEST_CASE("f32 dwconv microkernels let NaN through the clamp", "[ops][ukernel][f32_dwconv]") {
  for (const F32DwconvVariant* v : f32_dwconv_variants_available(detected_cpu_features())) {
    INFO(v->name);
    const size_t ch = v->channel_tile, ks = 9;
    std::vector<float> x(ch, 1.0f);
    x[0] = std::numeric_limits<float>::quiet_NaN();
    std::vector<const float*> ind(ks, x.data());
    const std::vector<float> packed = pack(std::vector<float>(ks * ch, 1.0f), std::vector<float>(ch, 0.0f), ks, ch, ch);
    const eir_f32_minmax_params params{0.0f, 6.0f};
    for (eir_f32_dwconv_ukernel_fn fn : {v->k3s1, v->any}) {
      std::vector<float> out(ch);
      fn(ch, 1, ks, ind.data(), 3, packed.data(), out.data(), &params);
      CHECK(std::isnan(out[0]));
      CHECK(out[ch - 1] == 6.0f);
    }
  }
}

// ---- the driver against the reference kernel ----

void check_matches(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const float tol = 4e-5f * std::max(1.0f, std::fabs(want[i]));
    if (!(std::fabs(got[i] - want[i]) <= tol)) {
      if (bad < 5) FAIL_CHECK("element " << i << ": fast " << got[i] << " vs reference " << want[i]);
      ++bad;
    }
  }
  CHECK(bad == 0);
}

struct DwSpec {
  int batch = 1, h = 5, w = 5, ch = 3, kh = 3, kw = 3;
  ConvParams p;
  bool bias = true;
};

std::string describe(const DwSpec& s) {
  return str_cat("batch=", s.batch, " in=", s.h, "x", s.w, "x", s.ch, " k=", s.kh, "x", s.kw, " stride=", s.p.stride_h,
                 "x", s.p.stride_w, " dil=", s.p.dilation_h, "x", s.p.dilation_w,
                 s.p.padding == Padding::kSame ? " SAME" : " VALID", " act=", static_cast<int>(s.p.activation),
                 s.bias ? " bias" : "");
}

OpTester make_dw(const DwSpec& s, const std::vector<float>& x, const std::vector<float>& f,
                 const std::vector<float>& b) {
  OpTester t(BuiltinOp::kDepthwiseConv2D);
  t.add_input(DType::kF32, {s.batch, s.h, s.w, s.ch}, x);
  t.add_constant(DType::kF32, {1, s.kh, s.kw, s.ch}, f);
  if (s.bias) t.add_constant(DType::kF32, {s.ch}, b);
  t.add_output(DType::kF32);
  t.node().params = s.p;
  return t;
}

void compare_dw(const DwSpec& s, std::mt19937& rng) {
  INFO(describe(s));
  const auto x = random_vec(rng, static_cast<size_t>(s.batch * s.h * s.w * s.ch));
  const auto f = random_vec(rng, static_cast<size_t>(s.kh * s.kw * s.ch));
  const auto b = random_vec(rng, static_cast<size_t>(s.ch));
  OpTester ref = make_dw(s, x, f, b);
  const Status ref_status = ref.run(ref::depthwise_conv2d_f32_kernel());
  const int out = ref.node().outputs[0];
  for (const F32MiscConfig* c : f32_misc_configs_available(detected_cpu_features())) {
    const Kernel k = fast::depthwise_conv2d_f32_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_dw(s, x, f, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      const Status st = t.run(k, threads);
      REQUIRE(st.ok() == ref_status.ok());
      if (!st.ok()) continue;
      CHECK(t.shape(out) == ref.shape(out));
      check_matches(t.output_values<float>(out), ref.output_values<float>(out));
    }
  }
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

TEST_CASE("fast depthwise conv2d f32 matches the reference on random configurations", "[ops][dwconv][fast]") {
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> size(1, 13), chans(1, 45), ksz(1, 5), stride(1, 3), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 100; ++iter) {
    DwSpec s;
    s.batch = coin(rng) && coin(rng) ? 2 : 1;
    s.h = size(rng);
    s.w = size(rng);
    s.ch = chans(rng);
    // Mostly the 3x3 and 5x5 filters of real models, plus other sizes for the any-tap kernel.
    const int shape = iter % 4;
    s.kh = s.kw = shape == 0 ? 3 : shape == 1 ? 5 : ksz(rng);
    if (shape == 3) s.kw = ksz(rng);
    s.p.stride_h = stride(rng);
    s.p.stride_w = coin(rng) ? s.p.stride_h : stride(rng);
    s.p.dilation_h = iter % 5 == 0 ? 2 : 1;
    s.p.dilation_w = iter % 7 == 0 ? 2 : 1;
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    s.bias = iter % 6 != 0;
    compare_dw(s, rng);
  }
}

TEST_CASE("fast depthwise conv2d f32 model-like shapes", "[ops][dwconv][fast]") {
  std::mt19937 rng(3);
  DwSpec s;
  s.p.padding = Padding::kSame;
  SECTION("3x3 stride 1, 32 channels") {
    s.h = s.w = 20, s.ch = 32;
    compare_dw(s, rng);
  }
  SECTION("3x3 stride 2, 24 channels, RELU6") {
    s.h = s.w = 19, s.ch = 24;
    s.p.stride_h = s.p.stride_w = 2;
    s.p.activation = Activation::kRelu6;
    compare_dw(s, rng);
  }
  SECTION("5x5 stride 1 and 2, 42 channels") {
    s.h = s.w = 12, s.ch = 42, s.kh = s.kw = 5;
    compare_dw(s, rng);
    s.p.stride_h = s.p.stride_w = 2;
    s.p.padding = Padding::kValid;
    compare_dw(s, rng);
  }
  SECTION("1x1 (per-channel scale)") {
    s.h = 4, s.w = 9, s.ch = 17, s.kh = s.kw = 1;
    s.p.padding = Padding::kValid;
    compare_dw(s, rng);
  }
  SECTION("filter larger than the input with SAME padding") {
    s.h = 2, s.w = 3, s.ch = 5, s.kh = s.kw = 5;
    compare_dw(s, rng);
  }
}

TEST_CASE("fast depthwise conv2d f32 without the pack hook, and after the input moves", "[ops][dwconv][fast]") {
  std::mt19937 rng(12);
  DwSpec s;
  s.h = 6, s.w = 7, s.ch = 19;
  s.p.padding = Padding::kSame;
  const auto x = random_vec(rng, 6 * 7 * 19), f = random_vec(rng, 9 * 19), b = random_vec(rng, 19);
  OpTester ref = make_dw(s, x, f, b);
  REQUIRE(ref.run(ref::depthwise_conv2d_f32_kernel()).ok());
  Kernel k = fast::depthwise_conv2d_f32_kernel(f32_misc_config(detected_cpu_features()));
  k.pack = nullptr;
  OpTester t = make_dw(s, x, f, b);
  REQUIRE(t.run(k, 2).ok());
  check_matches(t.output_values<float>(t.node().outputs[0]), ref.output_values<float>(ref.node().outputs[0]));
}

TEST_CASE("fast depthwise conv2d f32 declines what it does not handle", "[ops][dwconv][fast]") {
  const Kernel k = fast::depthwise_conv2d_f32_kernel(f32_misc_config(detected_cpu_features()));
  std::vector<float> x(4 * 4 * 2, 1.0f), f(9 * 4, 1.0f), b(4, 0.0f);
  SECTION("depth multiplier 2") {
    OpTester t(BuiltinOp::kDepthwiseConv2D);
    t.add_input(DType::kF32, {1, 4, 4, 2}, x);
    t.add_constant(DType::kF32, {1, 3, 3, 4}, f);
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("TANH activation") {
    OpTester t(BuiltinOp::kDepthwiseConv2D);
    t.add_input(DType::kF32, {1, 4, 2, 4}, x);
    t.add_constant(DType::kF32, {1, 3, 3, 4}, f);
    t.add_output(DType::kF32);
    ConvParams p;
    p.activation = Activation::kTanh;
    t.node().params = p;
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  SECTION("non-constant filter") {
    OpTester t(BuiltinOp::kDepthwiseConv2D);
    t.add_input(DType::kF32, {1, 4, 2, 4}, x);
    t.add_input(DType::kF32, {1, 3, 3, 4}, f);
    t.add_output(DType::kF32);
    t.node().params = ConvParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
}

}  // namespace
}  // namespace eir::testing
