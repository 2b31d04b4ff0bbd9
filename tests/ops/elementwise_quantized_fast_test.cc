// The quantized ADD / SUB fast driver (kernels/fast/elementwise_quantized.cc, qs8 vadd
// microkernels) against the reference kernel, through OpTester, for every config this CPU can
// run: random uint8 / int8 tensors, scales (including very different input scales), zero points
// at the extremes, activations, sizes around the vector width, 1 and 2 threads. Outputs must be
// identical byte for byte. Also: what the driver declines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/qs8_vadd_config.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

struct VaddSpec {
  bool u8 = false, sub = false;
  Shape shape{1, 5, 5, 3};
  float sa = 0.1f, sb = 0.1f, so = 0.2f;
  int32_t za = 0, zb = 0, zo = 0;
  Activation act = Activation::kNone;
};

OpTester make(const VaddSpec& s, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  const DType dt = s.u8 ? DType::kU8 : DType::kI8;
  OpTester t(s.sub ? BuiltinOp::kSub : BuiltinOp::kAdd);
  t.add_input(dt, s.shape, a, qp(s.sa, s.za));
  t.add_input(dt, s.shape, b, qp(s.sb, s.zb));
  t.add_output(dt, qp(s.so, s.zo));
  ActivationParams p;
  p.activation = s.act;
  t.node().params = p;
  return t;
}

void compare(const VaddSpec& s, std::mt19937& rng) {
  INFO((s.sub ? "SUB " : "ADD ") << (s.u8 ? "uint8" : "int8") << " scales " << s.sa << "/" << s.sb << "/" << s.so
                                 << " zps " << s.za << "/" << s.zb << "/" << s.zo << " act " << int(s.act));
  int64_t n = 1;
  for (int d : s.shape) n *= d;
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> a(static_cast<size_t>(n)), b(static_cast<size_t>(n));
  for (auto& v : a) v = static_cast<uint8_t>(byte(rng));
  for (auto& v : b) v = static_cast<uint8_t>(byte(rng));
  OpTester ref = make(s, a, b);
  const Kernel rk = s.sub ? ref::sub_quantized_kernel() : ref::add_quantized_kernel();
  REQUIRE(ref.run(rk).ok());
  const int out = ref.node().outputs[0];
  for (const Qs8VaddConfig* c : qs8_vadd_configs_available(detected_cpu_features())) {
    const Kernel k = s.sub ? fast::sub_quantized_kernel(*c) : fast::add_quantized_kernel(*c);
    for (int threads : {1, 2}) {
      INFO("config " << c->isa << " threads " << threads);
      OpTester t = make(s, a, b);
      REQUIRE(k.supports(t.node(), t.tensors()));
      REQUIRE(t.run(k, threads).ok());
      CHECK(t.shape(out) == ref.shape(out));
      const auto got = t.output_values<uint8_t>(out), want = ref.output_values<uint8_t>(out);
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

TEST_CASE("fast quantized add/sub match the reference bit for bit", "[ops][add][fast][quantized]") {
  std::mt19937 rng(123);
  std::uniform_int_distribution<int> coin(0, 1), act(0, 3), dim(1, 40), pick(0, 5);
  std::uniform_int_distribution<int> u8zp(0, 255), i8zp(-128, 127);
  std::uniform_real_distribution<float> logscale(-9.0f, -1.0f);
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};
  for (int iter = 0; iter < 200; ++iter) {
    VaddSpec s;
    s.u8 = coin(rng) != 0;
    s.sub = pick(rng) == 0;
    s.shape = {1, dim(rng), dim(rng), pick(rng) + 1};
    s.sa = std::exp(logscale(rng));
    s.sb = pick(rng) == 0 ? s.sa : std::exp(logscale(rng));
    s.so = std::exp(logscale(rng)) * 2.0f;
    s.za = s.u8 ? u8zp(rng) : i8zp(rng);
    s.zb = s.u8 ? u8zp(rng) : i8zp(rng);
    s.zo = s.u8 ? u8zp(rng) : i8zp(rng);
    if (pick(rng) == 0) s.za = s.u8 ? 255 : -128, s.zo = s.u8 ? 0 : 127;
    s.act = acts[act(rng)];
    // The reference refuses output rescale factors >= 1; keep the output scale large enough.
    const float mx = std::max(s.sa, s.sb);
    if (2.0f * mx / (1048576.0f * s.so) >= 1.0f) s.so = mx;
    compare(s, rng);
  }
}

// Every (a, b) byte pair through each microkernel, against the reference formula: rare rounding
// ties of the intermediate rescales only show in a few outputs, so all pairs are tried.
TEST_CASE("qs8 vadd microkernels are exact on every input pair", "[ops][add][ukernel][quantized]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> logscale(-9.0f, -1.0f), ratio(0.01f, 1.0f);
  std::uniform_int_distribution<int> coin(0, 1), u8zp(0, 255), i8zp(-128, 127);
  std::vector<uint8_t> a(65536), b(65536), y(65536);
  for (size_t i = 0; i < 65536; ++i) a[i] = static_cast<uint8_t>(i & 255), b[i] = static_cast<uint8_t>(i >> 8);
  for (int iter = 0; iter < 40; ++iter) {
    const bool u8 = coin(rng) != 0, sub = coin(rng) != 0;
    const float sa = std::exp(logscale(rng)), sb = coin(rng) ? sa * ratio(rng) : sa / ratio(rng);
    // Output scales from "everything saturates" to "the 20-bit headroom barely suffices".
    const float mx = std::max(sa, sb);
    const float so = iter % 4 == 0 ? mx * 2.0f / 1048576.0f * 1.01f : mx * std::exp(logscale(rng) + 4.0f);
    const double twice_max = 2.0 * static_cast<double>(mx);
    const double real_out = twice_max / (1048576.0 * static_cast<double>(so));
    if (!(real_out < 1.0)) continue;
    const ref::QuantizedMultiplier m1 = ref::quantize_multiplier(static_cast<double>(sa) / twice_max);
    const ref::QuantizedMultiplier m2 = ref::quantize_multiplier(static_cast<double>(sb) / twice_max);
    const ref::QuantizedMultiplier mo = ref::quantize_multiplier(real_out);
    eir_qs8_vadd_params p{};
    p.u8 = u8 ? 1 : 0;
    p.a_zero_point = u8 ? u8zp(rng) : i8zp(rng);
    p.b_zero_point = u8 ? u8zp(rng) : i8zp(rng);
    p.output_zero_point = u8 ? u8zp(rng) : i8zp(rng);
    p.a_multiplier = m1.multiplier, p.a_right = -m1.shift;
    p.b_multiplier = m2.multiplier, p.b_right = -m2.shift;
    p.out_multiplier = mo.multiplier, p.out_right = -mo.shift;
    p.output_min = u8 ? 0 : -128, p.output_max = u8 ? 255 : 127;
    for (const Qs8VaddConfig* c : qs8_vadd_configs_available(detected_cpu_features())) {
      INFO("config " << c->isa << " iter " << iter << (sub ? " SUB" : " ADD") << (u8 ? " uint8" : " int8"));
      (sub ? c->vsub : c->vadd)(65536, a.data(), b.data(), y.data(), &p);
      size_t bad = 0;
      for (size_t i = 0; i < 65536; ++i) {
        const int32_t va = u8 ? a[i] : static_cast<int8_t>(a[i]), vb = u8 ? b[i] : static_cast<int8_t>(b[i]);
        const int32_t s1 = ref::multiply_by_quantized_multiplier_smaller_than_one_exp(
            ref::wrapping_shift_left(va - p.a_zero_point, 20), m1.multiplier, m1.shift);
        const int32_t s2 = ref::multiply_by_quantized_multiplier_smaller_than_one_exp(
            ref::wrapping_shift_left(vb - p.b_zero_point, 20), m2.multiplier, m2.shift);
        int32_t v = ref::multiply_by_quantized_multiplier_smaller_than_one_exp(
                        sub ? ref::wrapping_sub(s1, s2) : ref::wrapping_add(s1, s2), mo.multiplier, mo.shift) +
                    p.output_zero_point;
        v = std::min(std::max(v, p.output_min), p.output_max);
        if (y[i] != static_cast<uint8_t>(v)) {
          if (bad < 5) FAIL_CHECK("a=" << va << " b=" << vb << ": got " << int(y[i]) << ", want " << (v & 255));
          ++bad;
        }
      }
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("fast quantized add declines broadcasting and int16", "[ops][add][fast][quantized]") {
  const Kernel k = fast::add_quantized_kernel(qs8_vadd_config(detected_cpu_features()));
  {
    OpTester t(BuiltinOp::kAdd);
    t.add_input(DType::kI8, {1, 4}, std::vector<uint8_t>(4, 1), qp(0.1f, 0));
    t.add_input(DType::kI8, {1, 1}, std::vector<uint8_t>(1, 1), qp(0.1f, 0));
    t.add_output(DType::kI8, qp(0.1f, 0));
    t.node().params = ActivationParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
  {
    OpTester t(BuiltinOp::kAdd);
    t.add_input(DType::kI16, {1, 4}, std::vector<int16_t>(4, 1), qp(0.1f, 0));
    t.add_input(DType::kI16, {1, 4}, std::vector<int16_t>(4, 1), qp(0.1f, 0));
    t.add_output(DType::kI16, qp(0.1f, 0));
    t.node().params = ActivationParams{};
    CHECK_FALSE(k.supports(t.node(), t.tensors()));
  }
}

}  // namespace
}  // namespace eir::testing
