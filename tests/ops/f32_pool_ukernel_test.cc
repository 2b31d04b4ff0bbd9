// f32 pooling: the max / average / global-average microkernels of every config this CPU can run
// against naive loops (odd channel counts, tails, NaN, divisors, clamp, nothing written past the
// channels), and the MAX_POOL_2D / AVERAGE_POOL_2D / MEAN drivers against the reference kernels
// through OpTester on random shapes, strides, paddings and activations, with 1 and 2 threads.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cfloat>
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

std::vector<const F32MiscConfig*> configs() { return f32_misc_configs_available(detected_cpu_features()); }

const size_t kChannels[] = {1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 64, 65, 100};

TEST_CASE("f32 max/avg pool microkernels match naive loops", "[ops][ukernel][f32_pool]") {
  std::mt19937 rng(5);
  for (const F32MiscConfig* c : configs()) {
    for (size_t ch : kChannels) {
      for (size_t ks : {size_t{1}, size_t{4}, size_t{9}}) {
        for (size_t width : {size_t{1}, size_t{3}, size_t{6}}) {
          INFO(c->isa << " ch=" << ch << " ks=" << ks << " width=" << width);
          const size_t pool_pixels = 7;
          std::vector<float> pixels = random_vec(rng, pool_pixels * ch);
          pixels[ch / 2] = std::numeric_limits<float>::quiet_NaN();  // skipped by max, kept by average
          const size_t stride = ks + 1;
          std::vector<const float*> ind(width * stride);
          std::uniform_int_distribution<size_t> pick(0, pool_pixels - 1);
          for (const float*& p : ind) p = pixels.data() + pick(rng) * ch;
          std::vector<float> divisors(width);
          for (size_t p = 0; p < width; ++p) divisors[p] = static_cast<float>(1 + (p + ks) % 5);
          const eir_f32_minmax_params params{-0.8f, 0.7f};
          std::vector<float> mx(width * ch + 3, kPoison), av(width * ch + 3, kPoison);
          c->maxpool(ch, width, ks, ind.data(), stride, mx.data(), &params);
          c->avgpool(ch, width, ks, ind.data(), stride, divisors.data(), av.data(), &params);
          for (size_t p = 0; p < width; ++p) {
            for (size_t k = 0; k < ch; ++k) {
              float m = -FLT_MAX, s = 0.0f;
              for (size_t t = 0; t < ks; ++t) {
                const float v = ind[p * stride + t][k];
                m = m < v ? v : m;
                s += v;
              }
              const float want_max = std::min(std::max(m, params.min), params.max);
              REQUIRE(mx[p * ch + k] == want_max);
              const float avg = s / divisors[p];
              if (std::isnan(avg)) {
                REQUIRE(std::isnan(av[p * ch + k]));
              } else {
                REQUIRE(std::fabs(av[p * ch + k] - std::min(std::max(avg, params.min), params.max)) <= 1e-6f);
              }
            }
          }
          for (size_t i = width * ch; i < mx.size(); ++i) {
            REQUIRE(mx[i] == kPoison);
            REQUIRE(av[i] == kPoison);
          }
        }
      }
    }
  }
}

TEST_CASE("f32 global average pool microkernels match TFLite's in-order sum", "[ops][ukernel][f32_pool]") {
  std::mt19937 rng(6);
  for (const F32MiscConfig* c : configs()) {
    for (size_t ch : kChannels) {
      for (size_t rows : {size_t{1}, size_t{2}, size_t{49}, size_t{256}}) {
        INFO(c->isa << " ch=" << ch << " rows=" << rows);
        const size_t stride = ch + 2;
        const std::vector<float> x = random_vec(rng, rows * stride);
        const eir_f32_minmax_params params{-std::numeric_limits<float>::infinity(),
                                           std::numeric_limits<float>::infinity()};
        std::vector<float> y(ch + 3, kPoison);
        c->gavgpool(rows, ch, x.data(), stride, static_cast<float>(rows), y.data(), &params);
        for (size_t k = 0; k < ch; ++k) {
          float s = 0.0f;
          for (size_t r = 0; r < rows; ++r) s += x[r * stride + k];
          REQUIRE(y[k] == s / static_cast<float>(rows));  // same additions, same order
        }
        for (size_t i = ch; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
      }
    }
  }
}

// ---- drivers against the reference kernels ----

void check_matches(const std::vector<float>& got, const std::vector<float>& want, float rel = 1e-5f) {
  REQUIRE(got.size() == want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const float tol = rel * std::max(1.0f, std::fabs(want[i]));
    if (!(std::fabs(got[i] - want[i]) <= tol)) {
      if (bad < 5) FAIL_CHECK("element " << i << ": fast " << got[i] << " vs reference " << want[i]);
      ++bad;
    }
  }
  CHECK(bad == 0);
}

struct PoolSpec {
  int batch = 1, h = 5, w = 5, ch = 3;
  PoolParams p;
};

OpTester make_pool(BuiltinOp op, const PoolSpec& s, const std::vector<float>& x) {
  OpTester t(op);
  t.add_input(DType::kF32, {s.batch, s.h, s.w, s.ch}, x);
  t.add_output(DType::kF32);
  t.node().params = s.p;
  return t;
}

void compare_pool(const PoolSpec& s, std::mt19937& rng) {
  INFO("batch=" << s.batch << " in=" << s.h << "x" << s.w << "x" << s.ch << " filter=" << s.p.filter_h << "x"
                << s.p.filter_w << " stride=" << s.p.stride_h << "x" << s.p.stride_w
                << (s.p.padding == Padding::kSame ? " SAME" : " VALID") << " act=" << static_cast<int>(s.p.activation));
  const auto x = random_vec(rng, static_cast<size_t>(s.batch * s.h * s.w * s.ch));
  for (BuiltinOp op : {BuiltinOp::kMaxPool2D, BuiltinOp::kAveragePool2D}) {
    const bool avg = op == BuiltinOp::kAveragePool2D;
    OpTester ref = make_pool(op, s, x);
    const Status ref_status = ref.run(avg ? ref::average_pool2d_f32_kernel() : ref::max_pool2d_f32_kernel());
    const int out = ref.node().outputs[0];
    for (const F32MiscConfig* c : configs()) {
      const Kernel k = avg ? fast::average_pool2d_f32_kernel(*c) : fast::max_pool2d_f32_kernel(*c);
      for (int threads : {1, 2}) {
        INFO((avg ? "average" : "max") << " config " << c->isa << " threads " << threads);
        OpTester t = make_pool(op, s, x);
        REQUIRE(k.supports(t.node(), t.tensors()));
        const Status st = t.run(k, threads);
        REQUIRE(st.ok() == ref_status.ok());
        if (!st.ok()) continue;
        CHECK(t.shape(out) == ref.shape(out));
        check_matches(t.output_values<float>(out), ref.output_values<float>(out));
      }
    }
  }
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

TEST_CASE("fast max/average pool f32 match the reference on random configurations", "[ops][pool][fast]") {
  std::mt19937 rng(31);
  std::uniform_int_distribution<int> size(1, 12), chans(1, 40), filt(1, 4), stride(1, 3), coin(0, 1), act(0, 3);
  for (int iter = 0; iter < 80; ++iter) {
    PoolSpec s;
    s.batch = coin(rng) && coin(rng) ? 2 : 1;
    s.h = size(rng);
    s.w = size(rng);
    s.ch = chans(rng);
    s.p.filter_h = filt(rng);
    s.p.filter_w = filt(rng);
    s.p.stride_h = stride(rng);
    s.p.stride_w = stride(rng);
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    compare_pool(s, rng);
  }
}

TEST_CASE("fast max/average pool f32 model shapes", "[ops][pool][fast]") {
  std::mt19937 rng(8);
  PoolSpec s;
  SECTION("2x2 stride 2 SAME on an odd size") {
    s.h = s.w = 25, s.ch = 48;
    s.p.filter_h = s.p.filter_w = s.p.stride_h = s.p.stride_w = 2;
    s.p.padding = Padding::kSame;
    compare_pool(s, rng);
  }
  SECTION("global: the window is the image (VALID), several batches") {
    s.batch = 3, s.h = 7, s.w = 6, s.ch = 130;
    s.p.filter_h = 7, s.p.filter_w = 6, s.p.stride_h = 7, s.p.stride_w = 6;
    compare_pool(s, rng);
  }
  SECTION("global through SAME padding larger than the image") {
    s.h = 3, s.w = 4, s.ch = 5;
    s.p.filter_h = s.p.filter_w = 9;
    s.p.stride_h = s.p.stride_w = 9;
    s.p.padding = Padding::kSame;
    compare_pool(s, rng);
  }
  SECTION("3x3 stride 1 SAME") {
    s.h = 9, s.w = 11, s.ch = 21;
    s.p.filter_h = s.p.filter_w = 3;
    s.p.padding = Padding::kSame;
    s.p.activation = Activation::kRelu6;
    compare_pool(s, rng);
  }
}

TEST_CASE("fast max pool f32 skips NaN and padding like TFLite", "[ops][pool][fast]") {
  PoolSpec s;
  s.h = 2, s.w = 2, s.ch = 1;
  s.p.filter_h = s.p.filter_w = 3;
  s.p.padding = Padding::kSame;
  const std::vector<float> x = {-5.0f, std::numeric_limits<float>::quiet_NaN(), -7.0f, -6.0f};
  OpTester t = make_pool(BuiltinOp::kMaxPool2D, s, x);
  REQUIRE(t.run(fast::max_pool2d_f32_kernel(f32_misc_config(detected_cpu_features()))).ok());
  // Every window holds all four pixels; padding (which TFLite never reads) must not add a 0.
  CHECK(t.output_values<float>(t.node().outputs[0]) == std::vector<float>{-5.0f, -5.0f, -5.0f, -5.0f});
}

// ---- MEAN ----

OpTester make_mean(const Shape& shape, const std::vector<float>& x, const std::vector<int32_t>& axes, bool keep) {
  OpTester t(BuiltinOp::kMean);
  t.add_input(DType::kF32, shape, x);
  t.add_constant(DType::kI32, {static_cast<int>(axes.size())}, axes);
  t.add_output(DType::kF32);
  ReducerParams p;
  p.keep_dims = keep;
  t.node().params = p;
  return t;
}

TEST_CASE("fast mean f32 over H and W matches the reference exactly", "[ops][mean][fast]") {
  std::mt19937 rng(21);
  const std::vector<std::vector<int32_t>> axes_sets = {{1, 2}, {2, 1}, {-3, -2}, {1, 2, 1}};
  for (const Shape& shape : {Shape{1, 7, 7, 67}, Shape{2, 3, 5, 130}, Shape{1, 1, 1, 3}, Shape{3, 16, 16, 16}}) {
    const auto x = random_vec(rng, static_cast<size_t>(shape_num_elements(shape)));
    for (const auto& axes : axes_sets) {
      for (bool keep : {false, true}) {
        INFO("shape " << shape[0] << "x" << shape[1] << "x" << shape[2] << "x" << shape[3] << " keep " << keep);
        OpTester ref = make_mean(shape, x, axes, keep);
        REQUIRE(ref.run(ref::mean_kernel()).ok());
        const int out = ref.node().outputs[0];
        for (const F32MiscConfig* c : configs()) {
          const Kernel k = fast::mean_f32_kernel(*c);
          for (int threads : {1, 2}) {
            OpTester t = make_mean(shape, x, axes, keep);
            REQUIRE(k.supports(t.node(), t.tensors()));
            REQUIRE(t.run(k, threads).ok());
            CHECK(t.shape(out) == ref.shape(out));
            CHECK(t.output_values<float>(out) == ref.output_values<float>(out));
          }
        }
      }
    }
  }
}

TEST_CASE("fast mean f32 declines other reductions", "[ops][mean][fast]") {
  const Kernel k = fast::mean_f32_kernel(f32_misc_config(detected_cpu_features()));
  const std::vector<float> x(2 * 3 * 4 * 5, 1.0f);
  for (const std::vector<int32_t>& axes : std::vector<std::vector<int32_t>>{{1}, {3}, {0, 1, 2}, {1, 2, 3}, {5}}) {
    OpTester t = make_mean({2, 3, 4, 5}, x, axes, false);
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  OpTester t3 = make_mean({3, 4, 10}, std::vector<float>(120, 1.0f), {1, 2}, false);
  CHECK_FALSE(k.supports(t3.node(), t3.tensors()));
}

}  // namespace
}  // namespace eir::testing
