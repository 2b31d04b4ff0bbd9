// f32 activations: the vunary microkernels (clamp, hard swish, sigmoid, PReLU) of every config
// this CPU can run against scalar formulas (sigmoid within a few float ulps of TFLite's
// std::exp-based logistic over its whole range, NaN, tails), and the RELU / RELU6 / RELU_N1_TO_1 /
// HARD_SWISH / LOGISTIC / PRELU drivers and the PAD microkernel + driver against the reference kernels through OpTester
// with 1 and 2 threads.
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
#include "kernels/reference/misc_common.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

constexpr float kPoison = -12345.0f;

std::vector<float> random_vec(std::mt19937& rng, size_t n, float lo = -8.0f, float hi = 8.0f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<const F32MiscConfig*> configs() { return f32_misc_configs_available(detected_cpu_features()); }

float reference_logistic(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

TEST_CASE("f32 sigmoid microkernels are within a few ulps of TFLite's logistic", "[ops][ukernel][f32_vunary]") {
  // A dense sweep of [-30, 30] plus the saturation points and specials.
  std::vector<float> x;
  for (float v = -30.0f; v <= 30.0f; v += 0.00731f) x.push_back(v);
  for (float v : {0.0f, -0.0f, 16.619047164916992188f, 16.62f, -9.0f, -9.0001f, -87.0f, -88.5f, 1e-8f, -1e-8f, 80.0f})
    x.push_back(v);
  for (const F32MiscConfig* c : configs()) {
    INFO(c->isa);
    std::vector<float> y(x.size() + 3, kPoison);
    c->vsigmoid(x.size(), x.data(), y.data(), nullptr);
    for (size_t i = 0; i < x.size(); ++i) {
      const float want = reference_logistic(x[i]);
      if (want < 1e-30f) {  // exp below float's normal range: only "tiny" is required
        REQUIRE(y[i] >= 0.0f);
        REQUIRE(y[i] < 1e-30f);
        continue;
      }
      const double rel = std::fabs(static_cast<double>(y[i]) - want) / want;
      INFO("x=" << x[i] << " got " << y[i] << " want " << want);
      REQUIRE(rel <= 5e-7);
    }
    for (size_t i = x.size(); i < y.size(); ++i) REQUIRE(y[i] == kPoison);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    float ny = 0.0f;
    c->vsigmoid(1, &nan, &ny, nullptr);
    CHECK(std::isnan(ny));
  }
}

TEST_CASE("f32 clamp / hard swish / prelu microkernels match scalar formulas", "[ops][ukernel][f32_vunary]") {
  std::mt19937 rng(4);
  for (const F32MiscConfig* c : configs()) {
    for (size_t n = 1; n <= 150; n += (n < 70 ? 1 : 11)) {
      INFO(c->isa << " n=" << n);
      std::vector<float> x = random_vec(rng, n);
      x[n / 2] = std::numeric_limits<float>::quiet_NaN();
      std::vector<float> y(n + 3, kPoison);
      const eir_f32_minmax_params params{-1.0f, 6.0f};
      c->vclamp(n, x.data(), y.data(), &params);
      for (size_t i = 0; i < n; ++i) {
        if (std::isnan(x[i])) {
          REQUIRE(std::isnan(y[i]));
        } else {
          REQUIRE(y[i] == std::min(std::max(x[i], -1.0f), 6.0f));
        }
      }
      for (size_t i = n; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
      c->vhswish(n, x.data(), y.data(), nullptr);
      for (size_t i = 0; i < n; ++i) {
        const float want = x[i] * std::min(6.0f, std::max(0.0f, x[i] + 3.0f)) / 6.0f;
        if (std::isnan(want)) {
          REQUIRE(std::isnan(y[i]));
        } else {
          REQUIRE(std::fabs(y[i] - want) <= 2e-7f * std::max(1.0f, std::fabs(want)));
        }
      }
      for (size_t i = n; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
    }
    for (size_t ch : {size_t{1}, size_t{3}, size_t{8}, size_t{17}, size_t{64}, size_t{100}}) {
      for (size_t rows : {size_t{1}, size_t{5}}) {
        INFO(c->isa << " prelu rows=" << rows << " ch=" << ch);
        const std::vector<float> x = random_vec(rng, rows * ch), alpha = random_vec(rng, ch, -1.0f, 1.0f);
        std::vector<float> y(rows * ch + 3, kPoison);
        c->prelu(rows, ch, x.data(), alpha.data(), y.data());
        for (size_t r = 0; r < rows; ++r)
          for (size_t k = 0; k < ch; ++k) {
            const float v = x[r * ch + k];
            REQUIRE(y[r * ch + k] == (v >= 0.0f ? v : v * alpha[k]));
          }
        for (size_t i = rows * ch; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
      }
    }
  }
}

// ---- drivers against the reference kernels ----

const Kernel* reference_kernel(OpTester& t) {
  static KernelRegistry* registry = [] {
    auto* r = new KernelRegistry();
    ref::register_activation_kernels(*r);
    return r;
  }();
  std::string why;
  return registry->find(t.node(), t.tensors(), &why);
}

void check_close(const std::vector<float>& got, const std::vector<float>& want, float rel) {
  REQUIRE(got.size() == want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const bool ok = (std::isnan(got[i]) && std::isnan(want[i])) ||
                    std::fabs(got[i] - want[i]) <= rel * std::max(1e-30f, std::fabs(want[i]));
    if (!ok) {
      if (bad < 5) FAIL_CHECK("element " << i << ": fast " << got[i] << " vs reference " << want[i]);
      ++bad;
    }
  }
  CHECK(bad == 0);
}

TEST_CASE("fast activations f32 match the reference", "[ops][activation][fast]") {
  std::mt19937 rng(23);
  struct Case {
    BuiltinOp op;
    Kernel (*make)(const F32MiscConfig&);
    float rel;
  };
  const Case cases[] = {{BuiltinOp::kRelu, fast::relu_f32_kernel, 0.0f},
                        {BuiltinOp::kRelu6, fast::relu6_f32_kernel, 0.0f},
                        {BuiltinOp::kReluN1To1, fast::relu_n1_to_1_f32_kernel, 0.0f},
                        {BuiltinOp::kHardSwish, fast::hard_swish_f32_kernel, 2.5e-7f},
                        {BuiltinOp::kLogistic, fast::logistic_f32_kernel, 5e-7f}};
  for (const Shape& shape : {Shape{1, 13, 11, 7}, Shape{20001}, Shape{3}}) {
    std::vector<float> x = random_vec(rng, static_cast<size_t>(shape_num_elements(shape)), -12.0f, 12.0f);
    x[0] = std::numeric_limits<float>::quiet_NaN();
    for (const Case& cs : cases) {
      OpTester ref(cs.op);
      ref.add_input(DType::kF32, shape, x);
      const int out = ref.add_output(DType::kF32);
      const Kernel* rk = reference_kernel(ref);
      REQUIRE(rk != nullptr);
      REQUIRE(ref.run(*rk).ok());
      for (const F32MiscConfig* c : configs()) {
        for (int threads : {1, 2}) {
          INFO("op " << static_cast<int>(cs.op) << " config " << c->isa << " threads " << threads << " n " << x.size());
          OpTester t(cs.op);
          t.add_input(DType::kF32, shape, x);
          t.add_output(DType::kF32);
          const Kernel k = cs.make(*c);
          REQUIRE(k.supports(t.node(), t.tensors()));
          REQUIRE(t.run(k, threads).ok());
          CHECK(t.shape(out) == ref.shape(out));
          check_close(t.output_values<float>(out), ref.output_values<float>(out), cs.rel);
        }
      }
    }
  }
}

OpTester make_prelu(const Shape& sx, const Shape& sa, const std::vector<float>& x, const std::vector<float>& alpha) {
  OpTester t(BuiltinOp::kPrelu);
  t.add_input(DType::kF32, sx, x);
  t.add_constant(DType::kF32, sa, alpha);
  t.add_output(DType::kF32);
  return t;
}

TEST_CASE("fast prelu f32 matches the reference", "[ops][activation][fast]") {
  std::mt19937 rng(29);
  const std::vector<std::pair<Shape, Shape>> layouts = {
      {{1, 12, 12, 32}, {1, 1, 32}},  // MediaPipe's per-channel alpha
      {{1, 5, 7, 600}, {600}},        // long block
      {{2, 3, 17}, {1, 1, 1, 17}},    // alpha of higher rank
      {{4, 9}, {1}},                  // single alpha
      {{3, 4, 5}, {4, 5}},            // two-dim block
      {{1, 33, 3}, {1, 1, 3}},        // tiny block: replicated, with a short last row
  };
  for (const auto& [sx, sa] : layouts) {
    const auto x = random_vec(rng, static_cast<size_t>(shape_num_elements(sx)));
    const auto alpha = random_vec(rng, static_cast<size_t>(shape_num_elements(sa)), -1.0f, 1.0f);
    OpTester ref = make_prelu(sx, sa, x, alpha);
    const Kernel* rk = reference_kernel(ref);
    REQUIRE(rk != nullptr);
    REQUIRE(ref.run(*rk).ok());
    const int out = ref.node().outputs[0];
    for (const F32MiscConfig* c : configs()) {
      const Kernel k = fast::prelu_f32_kernel(*c);
      for (int threads : {1, 2}) {
        INFO("config " << c->isa << " threads " << threads << " x " << shape_num_elements(sx) << " alpha "
                       << shape_num_elements(sa));
        OpTester t = make_prelu(sx, sa, x, alpha);
        REQUIRE(k.supports(t.node(), t.tensors()));
        REQUIRE(t.run(k, threads).ok());
        CHECK(t.shape(out) == ref.shape(out));
        CHECK(t.output_values<float>(out) == ref.output_values<float>(out));
      }
    }
  }
  const Kernel k = fast::prelu_f32_kernel(f32_misc_config(detected_cpu_features()));
  OpTester outer = make_prelu({4, 1}, {1, 5}, std::vector<float>(4), std::vector<float>(5));
  CHECK_FALSE(k.supports(outer.node(), outer.tensors()));
  OpTester middle = make_prelu({2, 3, 4}, {3, 1}, std::vector<float>(24), std::vector<float>(3));
  CHECK_FALSE(k.supports(middle.node(), middle.tensors()));
}

// ---- PAD ----

TEST_CASE("f32 pad microkernels match a naive loop", "[ops][ukernel][f32_pad]") {
  std::mt19937 rng(43);
  for (const F32MiscConfig* c : configs()) {
    for (size_t channels : {size_t{0}, size_t{1}, size_t{5}, size_t{16}, size_t{24}, size_t{67}}) {
      for (size_t pre : {size_t{0}, size_t{1}, size_t{4}, size_t{19}}) {
        for (size_t post : {size_t{0}, size_t{3}, size_t{32}}) {
          const size_t rows = 1 + (channels + pre + post) % 4;
          INFO(c->isa << " rows=" << rows << " channels=" << channels << " pre=" << pre << " post=" << post);
          const size_t in_stride = channels + 2, out_len = pre + channels + post, out_stride = out_len + 3;
          const std::vector<float> x = random_vec(rng, rows * in_stride + 1);
          std::vector<float> y(rows * out_stride + 2, kPoison);
          c->pad(rows, channels, pre, post, x.data(), in_stride, y.data(), out_stride, 2.5f);
          for (size_t r = 0; r < rows; ++r) {
            for (size_t i = 0; i < out_stride; ++i) {
              const float got = y[r * out_stride + i];
              if (i < pre || (i >= pre + channels && i < out_len)) {
                REQUIRE(got == 2.5f);
              } else if (i < out_len) {
                REQUIRE(got == x[r * in_stride + i - pre]);
              } else {
                REQUIRE(got == kPoison);  // the gap between output rows is untouched
              }
            }
          }
        }
      }
    }
  }
}

OpTester make_pad(BuiltinOp op, const Shape& shape, const std::vector<float>& x, const std::vector<int32_t>& pads,
                  const float* value) {
  OpTester t(op);
  t.add_input(DType::kF32, shape, x);
  t.add_constant(DType::kI32, {static_cast<int>(shape.size()), 2}, pads);
  if (value) t.add_constant(DType::kF32, {}, std::vector<float>{*value});
  t.add_output(DType::kF32);
  return t;
}

TEST_CASE("fast pad f32 matches the reference", "[ops][pad][fast]") {
  std::mt19937 rng(41);
  struct Case {
    Shape shape;
    std::vector<int32_t> pads;
  };
  const Case cases[] = {
      {{1, 48, 48, 32}, {0, 0, 0, 0, 0, 0, 0, 32}},       // channel growth (MediaPipe residuals)
      {{1, 7, 9, 3}, {0, 0, 1, 2, 2, 1, 0, 0}},           // spatial
      {{2, 3, 4, 5}, {1, 1, 0, 2, 3, 0, 1, 1}},           // every dim
      {{4, 5}, {0, 0, 0, 0}},                             // nothing
      {{3}, {2, 5}},                                      // rank 1
      {{2, 1, 3, 1, 2}, {1, 0, 0, 1, 1, 1, 0, 2, 1, 0}},  // rank 5
      {{1, 0, 3}, {1, 1, 1, 1, 0, 1}},                    // empty input
      {{2, 3, 0}, {0, 1, 1, 0, 2, 2}},                    // empty rows
      {{1, 64, 64, 24}, {0, 0, 0, 0, 0, 0, 0, 4}},        // many short rows
  };
  const float seven = 7.5f;
  for (const Case& cs : cases) {
    const auto x = random_vec(rng, static_cast<size_t>(std::max<int64_t>(shape_num_elements(cs.shape), 1)));
    for (BuiltinOp op : {BuiltinOp::kPad, BuiltinOp::kPadV2}) {
      const float* value = op == BuiltinOp::kPadV2 ? &seven : nullptr;
      OpTester ref = make_pad(op, cs.shape, x, cs.pads, value);
      REQUIRE(ref.run(ref::pad_kernel()).ok());
      const int out = ref.node().outputs[0];
      for (const F32MiscConfig* c : configs()) {
        for (int threads : {1, 2}) {
          INFO("rank " << cs.shape.size() << " op " << static_cast<int>(op) << " config " << c->isa << " threads "
                       << threads);
          OpTester t = make_pad(op, cs.shape, x, cs.pads, value);
          const Kernel k = fast::pad_f32_kernel(*c);
          REQUIRE(k.supports(t.node(), t.tensors()));
          REQUIRE(t.run(k, threads).ok());
          CHECK(t.shape(out) == ref.shape(out));
          CHECK(t.output_values<float>(out) == ref.output_values<float>(out));
        }
      }
    }
  }
  SECTION("negative paddings are refused") {
    OpTester t = make_pad(BuiltinOp::kPad, {2, 2}, std::vector<float>(4), {0, -1, 0, 0}, nullptr);
    CHECK_FALSE(t.run(fast::pad_f32_kernel(f32_misc_config(detected_cpu_features()))).ok());
  }
}

}  // namespace
}  // namespace eir::testing
