// f32 ADD / SUB / MUL: the vbinary microkernels of every config this CPU can run against plain
// loops (every length up to a few vectors, in-place use, clamp, NaN, nothing written past n), and
// the fast drivers against the reference kernels through OpTester on same-shape, scalar and
// trailing-block broadcasts with every fused activation, 1 and 2 threads; plus what they decline.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/reference/misc_common.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

constexpr float kPoison = -12345.0f;

std::vector<float> random_vec(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> d(-3.0f, 3.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<const F32MiscConfig*> configs() { return f32_misc_configs_available(detected_cpu_features()); }

float clamp_keep_nan(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

struct Named {
  const char* name;
  eir_f32_vbinary_ukernel_fn F32MiscConfig::*fn;
  bool scalar_b;
  float (*op)(float, float);
};

const Named kKernels[] = {
    {"vadd", &F32MiscConfig::vadd, false, [](float a, float b) { return a + b; }},
    {"vsub", &F32MiscConfig::vsub, false, [](float a, float b) { return a - b; }},
    {"vmul", &F32MiscConfig::vmul, false, [](float a, float b) { return a * b; }},
    {"vaddc", &F32MiscConfig::vaddc, true, [](float a, float b) { return a + b; }},
    {"vsubc", &F32MiscConfig::vsubc, true, [](float a, float b) { return a - b; }},
    {"vrsubc", &F32MiscConfig::vrsubc, true, [](float a, float b) { return b - a; }},
    {"vmulc", &F32MiscConfig::vmulc, true, [](float a, float b) { return a * b; }},
};

TEST_CASE("f32 vbinary microkernels match plain loops", "[ops][ukernel][f32_vbinary]") {
  std::mt19937 rng(9);
  for (const F32MiscConfig* c : configs()) {
    for (const Named& k : kKernels) {
      for (size_t n = 1; n <= 140; n += (n < 70 ? 1 : 13)) {
        for (int clamp = 0; clamp < 2; ++clamp) {
          INFO(c->isa << " " << k.name << " n=" << n << " clamp=" << clamp);
          std::vector<float> a = random_vec(rng, n), b = random_vec(rng, k.scalar_b ? 1 : n);
          a[n / 2] = std::numeric_limits<float>::quiet_NaN();
          const eir_f32_minmax_params params =
              clamp ? eir_f32_minmax_params{-1.5f, 2.0f}
                    : eir_f32_minmax_params{std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max()};
          std::vector<float> y(n + 4, kPoison);
          (c->*k.fn)(n, a.data(), b.data(), y.data(), &params);
          for (size_t i = 0; i < n; ++i) {
            const float want = clamp_keep_nan(k.op(a[i], b[k.scalar_b ? 0 : i]), params.min, params.max);
            if (std::isnan(want)) {
              REQUIRE(std::isnan(y[i]));
            } else {
              REQUIRE(y[i] == want);
            }
          }
          for (size_t i = n; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
          // In place (y == a).
          std::vector<float> inplace = a;
          (c->*k.fn)(n, inplace.data(), b.data(), inplace.data(), &params);
          for (size_t i = 0; i < n; ++i) REQUIRE((inplace[i] == y[i] || (std::isnan(inplace[i]) && std::isnan(y[i]))));
        }
      }
    }
  }
}

TEST_CASE("f32 vbinary microkernels saturate overflow to FLT_MAX like TFLite", "[ops][ukernel][f32_vbinary]") {
  for (const F32MiscConfig* c : configs()) {
    INFO(c->isa);
    const std::vector<float> a(19, 3e38f), b(19, 3e38f);
    const eir_f32_minmax_params params{std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max()};
    std::vector<float> y(19);
    c->vadd(19, a.data(), b.data(), y.data(), &params);
    for (float v : y) CHECK(v == std::numeric_limits<float>::max());
  }
}

// ---- drivers against the reference kernels ----

const Kernel* reference_kernel(const OpTester& t_const) {
  static KernelRegistry* registry = [] {
    auto* r = new KernelRegistry();
    ref::register_elementwise_binary_kernels(*r);
    return r;
  }();
  OpTester& t = const_cast<OpTester&>(t_const);
  std::string why;
  return registry->find(t.node(), t.tensors(), &why);
}

OpTester make_binary(BuiltinOp op, const Shape& sa, const Shape& sb, const std::vector<float>& a,
                     const std::vector<float>& b, Activation act, bool b_constant) {
  OpTester t(op);
  t.add_input(DType::kF32, sa, a);
  if (b_constant) {
    t.add_constant(DType::kF32, sb, b);
  } else {
    t.add_input(DType::kF32, sb, b);
  }
  t.add_output(DType::kF32);
  ActivationParams p;
  p.activation = act;
  t.node().params = p;
  return t;
}

Kernel fast_kernel(BuiltinOp op, const F32MiscConfig& c) {
  if (op == BuiltinOp::kAdd) return fast::add_f32_kernel(c);
  if (op == BuiltinOp::kSub) return fast::sub_f32_kernel(c);
  return fast::mul_f32_kernel(c);
}

void compare_binary(BuiltinOp op, const Shape& sa, const Shape& sb, Activation act, std::mt19937& rng) {
  INFO("op " << static_cast<int>(op) << " act " << static_cast<int>(act) << " a rank " << sa.size() << " ("
             << shape_num_elements(sa) << ") b rank " << sb.size() << " (" << shape_num_elements(sb) << ")");
  const auto a = random_vec(rng, static_cast<size_t>(shape_num_elements(sa)));
  const auto b = random_vec(rng, static_cast<size_t>(shape_num_elements(sb)));
  OpTester ref = make_binary(op, sa, sb, a, b, act, false);
  const Kernel* rk = reference_kernel(ref);
  REQUIRE(rk != nullptr);
  REQUIRE(ref.run(*rk).ok());
  const int out = ref.node().outputs[0];
  for (const F32MiscConfig* c : configs()) {
    const Kernel k = fast_kernel(op, *c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make_binary(op, sa, sb, a, b, act, threads == 2);
      REQUIRE(k.supports(t.node(), t.tensors()));
      REQUIRE(t.run(k, threads).ok());
      CHECK(t.shape(out) == ref.shape(out));
      CHECK(t.output_values<float>(out) == ref.output_values<float>(out));  // same single operation per element
    }
  }
}

TEST_CASE("fast add/sub/mul f32 match the reference", "[ops][elementwise][fast]") {
  std::mt19937 rng(17);
  const std::vector<std::pair<Shape, Shape>> layouts = {
      {{1, 9, 7, 13}, {1, 9, 7, 13}},    // same shape
      {{40000}, {40000}},                // same shape, several tasks
      {{1, 8, 8, 24}, {1, 1, 1, 24}},    // per-channel (SE scale)
      {{2, 5, 3}, {3}},                  // trailing block
      {{100, 700}, {700}},               // long block, no replication
      {{1, 64, 64, 16}, {1, 1, 1, 16}},  // short block replicated, several tasks
      {{1, 1, 1, 24}, {1, 8, 8, 24}},    // first operand repeats
      {{3, 4, 5}, {4, 5}},               // two-dim block
      {{5, 7}, {1}},                     // scalar second
      {{1, 1}, {3, 1, 11}},              // scalar first
      {{1}, {1}},                        // both scalars
      {{1, 5}, {5}},                     // same count, different ranks
  };
  for (BuiltinOp op : {BuiltinOp::kAdd, BuiltinOp::kSub, BuiltinOp::kMul})
    for (const auto& [sa, sb] : layouts)
      for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1})
        compare_binary(op, sa, sb, act, rng);
}

TEST_CASE("fast add/sub/mul f32 decline general broadcasts", "[ops][elementwise][fast]") {
  const Kernel k = fast::add_f32_kernel(f32_misc_config(detected_cpu_features()));
  auto supports = [&](const Shape& sa, const Shape& sb) {
    OpTester t = make_binary(BuiltinOp::kAdd, sa, sb, std::vector<float>(static_cast<size_t>(shape_num_elements(sa))),
                             std::vector<float>(static_cast<size_t>(shape_num_elements(sb))), Activation::kNone, false);
    return k.supports(t.node(), t.tensors());
  };
  CHECK(supports({4, 5}, {5}));
  CHECK_FALSE(supports({4, 1}, {1, 5}));        // outer product
  CHECK_FALSE(supports({2, 3, 5}, {2, 1, 5}));  // middle-dim broadcast
  CHECK_FALSE(supports({4, 5}, {3}));           // incompatible
  OpTester ints(BuiltinOp::kAdd);
  ints.add_input(DType::kI32, {2}, std::vector<int32_t>{1, 2});
  ints.add_input(DType::kI32, {2}, std::vector<int32_t>{1, 2});
  ints.add_output(DType::kI32);
  CHECK_FALSE(k.supports(ints.node(), ints.tensors()));
}

}  // namespace
}  // namespace eir::testing
