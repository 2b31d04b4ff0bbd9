// The float16 -> float32 conversion microkernels against the portable reference conversion on
// every one of the 65536 half values, odd lengths and tails, and the fast DEQUANTIZE driver against
// the reference DEQUANTIZE kernel.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/reference/fp16.h"
#include "kernels/reference/reference_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

std::vector<const F32MiscConfig*> configs() { return f32_misc_configs_available(detected_cpu_features()); }

uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

// Same value bit for bit; a NaN only has to stay a NaN of the same sign (hardware converters quiet
// signalling NaNs).
bool same_conversion(float got, float want) {
  if (std::isnan(want)) return std::isnan(got) && std::signbit(got) == std::signbit(want);
  return bits_of(got) == bits_of(want);
}

TEST_CASE("f16->f32 vcvt microkernels convert every half exactly", "[ukernel][vcvt]") {
  std::vector<uint16_t> all(65536);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint16_t>(i);
  for (const F32MiscConfig* c : configs()) {
    INFO("config " << c->isa);
    REQUIRE(c->f16_to_f32 != nullptr);
    std::vector<float> y(all.size());
    c->f16_to_f32(all.size(), all.data(), y.data());
    size_t bad = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      if (!same_conversion(y[i], ref::half_to_float(all[i]))) {
        if (bad < 5) FAIL_CHECK("half 0x" << std::hex << i << ": got " << y[i] << " want " << ref::half_to_float(all[i]));
        ++bad;
      }
    }
    CHECK(bad == 0);
  }
  // Spot values fixed by IEEE 754, independent of the reference converter.
  const uint16_t halves[] = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x3555};
  const float floats[] = {1.0f, -2.0f, 65504.0f, 5.9604644775390625e-8f, -0.0f, INFINITY, 0.333251953125f};
  for (const F32MiscConfig* c : configs()) {
    float y[7];
    c->f16_to_f32(7, halves, y);
    for (int i = 0; i < 7; ++i) CHECK(bits_of(y[i]) == bits_of(floats[i]));
  }
}

TEST_CASE("f16->f32 vcvt microkernels stay inside the arrays on every length", "[ukernel][vcvt]") {
  std::mt19937 rng(5);
  constexpr float kPoison = -777.0f;
  for (const F32MiscConfig* c : configs()) {
    for (size_t n = 0; n <= 70; ++n) {
      INFO("config " << c->isa << " n " << n);
      std::vector<uint16_t> x(n);
      for (auto& v : x) v = static_cast<uint16_t>(rng() & 0x7bff);  // finite values
      std::vector<float> y(n + 8, kPoison);
      c->f16_to_f32(n, x.data(), y.data());
      for (size_t i = 0; i < n; ++i) REQUIRE(bits_of(y[i]) == bits_of(ref::half_to_float(x[i])));
      for (size_t i = n; i < y.size(); ++i) REQUIRE(y[i] == kPoison);
    }
  }
}

TEST_CASE("fast DEQUANTIZE float16 matches the reference kernel", "[ops][dequantize][fast]") {
  std::mt19937 rng(9);
  KernelRegistry reference;
  register_reference_kernels(reference);
  for (const Shape& shape : {Shape{3}, Shape{2, 3, 5, 7}, Shape{40001}}) {
    std::vector<uint16_t> x(static_cast<size_t>(shape_num_elements(shape)));
    for (auto& v : x) v = static_cast<uint16_t>(rng() & 0x7bff);
    OpTester want(BuiltinOp::kDequantize);
    want.add_input(DType::kF16, shape, x);
    const int out = want.add_output(DType::kF32);
    std::string why;
    const Kernel* rk = reference.find(want.node(), want.tensors(), &why);
    REQUIRE(rk != nullptr);
    REQUIRE(want.run(*rk).ok());
    for (const F32MiscConfig* c : configs()) {
      for (int threads : {1, 2}) {
        INFO("config " << c->isa << " threads " << threads << " shape " << shape_to_string(shape));
        OpTester t(BuiltinOp::kDequantize);
        t.add_input(DType::kF16, shape, x);
        t.add_output(DType::kF32);
        REQUIRE(t.run(fast::dequantize_f16_kernel(*c), threads).ok());
        CHECK(t.shape(out) == shape);
        CHECK(t.output_values<float>(out) == want.output_values<float>(out));
      }
    }
  }
  // A float16 input with a non-float32 output is refused.
  OpTester bad(BuiltinOp::kDequantize);
  bad.add_input(DType::kF16, {2}, std::vector<uint16_t>{1, 2});
  bad.add_output(DType::kI8);
  const Status s = bad.run(fast::dequantize_f16_kernel(*configs().front()));
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("float32"));
}

}  // namespace
}  // namespace eir::testing
