// f32 vchain (elementwise chain) microkernels of every config this CPU can run: each program
// against the same steps run one by one with the config's one-op microkernels (vbinary, vunary,
// prelu), which the chain must reproduce bit for bit; every length up to several main-loop steps
// (tails included), scalar and vector operands, NaN, in-place use (y == x, y == an operand) and
// nothing written past n.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/configs/f32_misc_config.h"

namespace eir::testing {
namespace {

constexpr float kPoison = -12345.0f;

std::vector<const F32MiscConfig*> configs() { return f32_misc_configs_available(detected_cpu_features()); }

bool same(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }

struct Program {
  std::vector<eir_f32_vchain_step> steps;
  std::vector<std::vector<float>> operands;  // per step (empty for unary steps)
};

// A random program of `len` steps over n elements.
Program random_program(std::mt19937& rng, size_t len, size_t n) {
  const float lowest = std::numeric_limits<float>::lowest(), highest = std::numeric_limits<float>::max();
  const float inf = std::numeric_limits<float>::infinity();
  std::uniform_int_distribution<int> op_dist(EIR_F32_VCHAIN_ADD, EIR_F32_VCHAIN_HSWISH);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  Program p;
  for (size_t k = 0; k < len; ++k) {
    eir_f32_vchain_step s{};
    s.op = static_cast<uint32_t>(op_dist(rng));
    const bool binary = s.op <= EIR_F32_VCHAIN_PRELU;
    s.scalar_operand = binary && rng() % 3 == 0 ? 1 : 0;
    // Clamp bounds as the drivers set them: TFLite's NONE range, or a RELU-like window.
    if (s.op == EIR_F32_VCHAIN_CLAMP) {
      s.min = rng() % 2 ? 0.0f : -1.0f;
      s.max = rng() % 2 ? inf : 6.0f;
    } else if (binary) {
      s.min = rng() % 2 ? lowest : 0.0f;
      s.max = rng() % 2 ? highest : 6.0f;
    }
    std::vector<float> operand;
    if (binary) {
      operand.resize(s.scalar_operand ? 1 : n);
      for (float& v : operand) v = value(rng);
    }
    p.steps.push_back(s);
    p.operands.push_back(std::move(operand));
  }
  return p;
}

// The program run step by step with the config's one-op microkernels (y = x first).
std::vector<float> one_by_one(const F32MiscConfig& c, const Program& p, const std::vector<float>& x) {
  std::vector<float> v = x;
  const size_t n = x.size();
  for (size_t k = 0; k < p.steps.size(); ++k) {
    const eir_f32_vchain_step& s = p.steps[k];
    const float* b = p.operands[k].data();
    const eir_f32_minmax_params params{s.min, s.max};
    switch (s.op) {
      case EIR_F32_VCHAIN_ADD: (s.scalar_operand ? c.vaddc : c.vadd)(n, v.data(), b, v.data(), &params); break;
      case EIR_F32_VCHAIN_SUB: (s.scalar_operand ? c.vsubc : c.vsub)(n, v.data(), b, v.data(), &params); break;
      case EIR_F32_VCHAIN_RSUB:
        if (s.scalar_operand) {
          c.vrsubc(n, v.data(), b, v.data(), &params);
        } else {
          c.vsub(n, b, v.data(), v.data(), &params);
        }
        break;
      case EIR_F32_VCHAIN_MUL: (s.scalar_operand ? c.vmulc : c.vmul)(n, v.data(), b, v.data(), &params); break;
      case EIR_F32_VCHAIN_PRELU:
        if (s.scalar_operand) {
          c.prelu(n, 1, v.data(), b, v.data());  // n rows of one channel
        } else {
          c.prelu(1, n, v.data(), b, v.data());
        }
        break;
      case EIR_F32_VCHAIN_CLAMP: c.vclamp(n, v.data(), v.data(), &params); break;
      case EIR_F32_VCHAIN_SIGMOID: c.vsigmoid(n, v.data(), v.data(), nullptr); break;
      default: c.vhswish(n, v.data(), v.data(), nullptr); break;
    }
  }
  return v;
}

std::vector<const float*> operand_pointers(const Program& p) {
  std::vector<const float*> ptrs;
  for (const auto& o : p.operands) ptrs.push_back(o.empty() ? nullptr : o.data());
  return ptrs;
}

TEST_CASE("f32 vchain microkernels equal the one-op microkernels run one by one", "[ops][ukernel][f32_vchain]") {
  std::mt19937 rng(23);
  std::uniform_real_distribution<float> value(-8.0f, 8.0f);
  for (const F32MiscConfig* c : configs()) {
    REQUIRE(c->vchain != nullptr);
    for (size_t n = 1; n <= 400; n += (n < 140 ? 1 : 37)) {
      for (size_t len : {size_t{1}, size_t{2}, size_t{5}, size_t{EIR_F32_VCHAIN_MAX_STEPS}}) {
        const Program p = random_program(rng, len, n);
        std::vector<float> x(n);
        for (float& v : x) v = value(rng);
        x[n / 2] = std::numeric_limits<float>::quiet_NaN();
        const std::vector<float> want = one_by_one(*c, p, x);
        const std::vector<const float*> ptrs = operand_pointers(p);
        INFO(c->isa << " n=" << n << " steps=" << len);
        std::vector<float> y(n + 5, kPoison);
        c->vchain(n, x.data(), ptrs.data(), y.data(), p.steps.data(), p.steps.size());
        for (size_t i = 0; i < n; ++i) {
          INFO("element " << i << " got " << y[i] << " want " << want[i]);
          REQUIRE(same(y[i], want[i]));
        }
        for (size_t i = n; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
        // In place over x.
        std::vector<float> inplace = x;
        c->vchain(n, inplace.data(), ptrs.data(), inplace.data(), p.steps.data(), p.steps.size());
        for (size_t i = 0; i < n; ++i) REQUIRE(same(inplace[i], want[i]));
      }
    }
  }
}

TEST_CASE("f32 vchain microkernels may write over a vector operand", "[ops][ukernel][f32_vchain]") {
  std::mt19937 rng(5);
  for (const F32MiscConfig* c : configs()) {
    const size_t n = 333;
    // clamp(value * b + b), with y == b.
    std::vector<eir_f32_vchain_step> steps = {
        {EIR_F32_VCHAIN_MUL, 0, std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max()},
        {EIR_F32_VCHAIN_ADD, 0, -3.0f, 3.0f}};
    std::uniform_real_distribution<float> value(-2.0f, 2.0f);
    std::vector<float> x(n), b(n);
    for (size_t i = 0; i < n; ++i) {
      x[i] = value(rng);
      b[i] = value(rng);
    }
    // The expectation from the one-op kernels (a plain x * b + b could be contracted to an FMA).
    std::vector<float> want(n);
    const eir_f32_minmax_params none{steps[0].min, steps[0].max}, window{steps[1].min, steps[1].max};
    c->vmul(n, x.data(), b.data(), want.data(), &none);
    c->vadd(n, want.data(), b.data(), want.data(), &window);
    const float* ptrs[2] = {b.data(), b.data()};
    c->vchain(n, x.data(), ptrs, b.data(), steps.data(), steps.size());
    INFO(c->isa);
    for (size_t i = 0; i < n; ++i) REQUIRE(b[i] == want[i]);
  }
}

}  // namespace
}  // namespace eir::testing
