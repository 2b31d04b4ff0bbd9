// The float32 -> int8 / uint8 / int16 QUANTIZE microkernels and fast driver against the reference
// QUANTIZE kernel, bit for bit: exact ties (which round away from zero), values one ulp either side
// of a tie, signed zeros, huge values, infinities and NaN (which TFLite's x86 conversion turns into
// INT32_MIN before the zero point is added), every tail length, 1 and 2 threads.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

std::vector<const F32MiscConfig*> configs() { return f32_misc_configs_available(detected_cpu_features()); }

// Inputs that probe every rounding and conversion rule at `scale`.
std::vector<float> tricky_inputs(float scale, size_t random_count, uint32_t seed) {
  std::vector<float> x;
  for (int k = -300; k <= 300; ++k) {
    const float tie = (static_cast<float>(k) + 0.5f) * scale;
    x.push_back(tie);
    x.push_back(std::nextafter(tie, INFINITY));
    x.push_back(std::nextafter(tie, -INFINITY));
    x.push_back(static_cast<float>(k) * scale);
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(), 1e30f, -1e30f,
                  2147483520.0f * scale, -2147483648.0f * scale, 3e9f * scale, 40000.0f * scale})
    x.push_back(v);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-400.0f * scale, 400.0f * scale);
  for (size_t i = 0; i < random_count; ++i) x.push_back(d(rng));
  return x;
}

// The reference kernel's output bytes for x quantized to (dtype, scale, zero_point).
std::vector<uint8_t> reference_bytes(const std::vector<float>& x, DType dtype, float scale, int32_t zp,
                                     const Kernel& kernel, int threads = 1) {
  OpTester t(BuiltinOp::kQuantize);
  t.add_input(DType::kF32, {static_cast<int32_t>(x.size())}, x);
  const int y = t.add_output(dtype, qp(scale, zp));
  const Status s = t.run(kernel, threads);
  INFO(s.message());
  REQUIRE(s.ok());
  const Tensor& out = t.tensors()[static_cast<size_t>(y)];
  return std::vector<uint8_t>(out.data, out.data + out.bytes());
}

TEST_CASE("f32 -> int quantize microkernels match the reference bit for bit", "[ukernel][quantize]") {
  struct Target {
    DType dtype;
    int32_t zero_point, lo, hi;
  };
  const Target targets[] = {{DType::kI8, -5, -128, 127}, {DType::kU8, 128, 0, 255}, {DType::kI16, 0, -32768, 32767}};
  for (float scale : {0.5f, 0.0078125f, 0.0235294f, 3.7f}) {
    const std::vector<float> x = tricky_inputs(scale, 3000, 7);
    for (const Target& t : targets) {
      const std::vector<uint8_t> want = reference_bytes(x, t.dtype, scale, t.zero_point, ref::quantize_kernel());
      const eir_f32_qvcvt_params params{static_cast<double>(scale), t.zero_point, t.lo, t.hi};
      for (const F32MiscConfig* c : configs()) {
        INFO("config " << c->isa << " dtype " << dtype_name(t.dtype) << " scale " << scale);
        std::vector<uint8_t> got(want.size(), 0xA5);
        switch (t.dtype) {
          case DType::kI8: c->f32_to_qs8(x.size(), x.data(), reinterpret_cast<int8_t*>(got.data()), &params); break;
          case DType::kU8: c->f32_to_qu8(x.size(), x.data(), got.data(), &params); break;
          default: c->f32_to_qs16(x.size(), x.data(), reinterpret_cast<int16_t*>(got.data()), &params); break;
        }
        CHECK(got == want);
      }
    }
  }
}

TEST_CASE("f32 -> int quantize: hand-checked values and tails", "[ukernel][quantize]") {
  const float inf = std::numeric_limits<float>::infinity();
  // scale 0.5, zero point 3, int8: r = x / 0.5.
  const std::vector<float> x = {0.25f, -0.25f, 0.74f, -0.75f, 1.25f, inf, -inf, NAN, 1e10f, 100.0f, -100.0f};
  // 0.5 -> 1 (+3), -0.5 -> -1, 1.48 -> 1, -1.5 -> -2, 2.5 -> 3; inf, NaN and 1e10 (2e10 does not fit
  // int32) become INT32_MIN, + 3, clamped to -128; 200 -> 127; -200 -> -128.
  const std::vector<int8_t> want = {4, 2, 4, 1, 6, -128, -128, -128, -128, 127, -128};
  const eir_f32_qvcvt_params params{0.5, 3, -128, 127};
  for (const F32MiscConfig* c : configs()) {
    for (size_t n = 0; n <= x.size(); ++n) {
      INFO("config " << c->isa << " n " << n);
      std::vector<int8_t> got(x.size() + 4, 99);
      c->f32_to_qs8(n, x.data(), got.data(), &params);
      for (size_t i = 0; i < n; ++i) CHECK(got[i] == want[i]);
      for (size_t i = n; i < got.size(); ++i) CHECK(got[i] == 99);  // nothing written past n
    }
  }
}

TEST_CASE("fast QUANTIZE driver matches the reference kernel", "[ops][quantize][fast]") {
  const std::vector<float> x = tricky_inputs(0.0235294f, 40000, 11);
  for (DType dtype : {DType::kI8, DType::kU8, DType::kI16}) {
    const int32_t zp = dtype == DType::kU8 ? 121 : dtype == DType::kI8 ? -7 : 0;
    const auto want = reference_bytes(x, dtype, 0.0235294f, zp, ref::quantize_kernel());
    for (const F32MiscConfig* c : configs())
      for (int threads : {1, 2}) {
        INFO("config " << c->isa << " threads " << threads << " dtype " << dtype_name(dtype));
        CHECK(reference_bytes(x, dtype, 0.0235294f, zp, fast::quantize_f32_kernel(*c), threads) == want);
      }
  }
  // Per-channel outputs are left to the reference kernel.
  OpTester t(BuiltinOp::kQuantize);
  t.add_input(DType::kF32, {2, 2}, std::vector<float>{1, 2, 3, 4});
  QuantParams per_channel;
  per_channel.scales = {0.5f, 0.25f};
  per_channel.zero_points = {0, 0};
  per_channel.axis = 1;
  t.add_output(DType::kI8, per_channel);
  const Kernel k = fast::quantize_f32_kernel(*configs().front());
  CHECK_FALSE(k.supports(t.node(), t.tensors()));
}

}  // namespace
}  // namespace eir::testing

namespace eir::testing {
namespace {

TEST_CASE("same-scale 8-bit requantize matches the reference kernel", "[ops][quantize][fast]") {
  std::vector<uint8_t> u(70000);
  std::vector<int8_t> s(70000);
  for (size_t i = 0; i < u.size(); ++i) {
    u[i] = static_cast<uint8_t>(i * 37 + 11);
    s[i] = static_cast<int8_t>(u[i]);
  }
  struct Case {
    DType in, out;
    int32_t zp_in, zp_out;
  };
  // The uint8 -> int8 input layer of a model (zero points 128 apart), and shifts that clamp.
  const Case cases[] = {{DType::kU8, DType::kI8, 128, 0}, {DType::kU8, DType::kI8, 100, -20},
                        {DType::kI8, DType::kU8, -5, 140}, {DType::kU8, DType::kU8, 0, 30}, {DType::kI8, DType::kI8, 7, -3}};
  for (const Case& c : cases) {
    auto run = [&](const Kernel& k, int threads) {
      OpTester t(BuiltinOp::kQuantize);
      if (c.in == DType::kU8)
        t.add_input(DType::kU8, {70000}, u, qp(0.0235294f, c.zp_in));
      else
        t.add_input(DType::kI8, {70000}, s, qp(0.0235294f, c.zp_in));
      const int y = t.add_output(c.out, qp(0.0235294f, c.zp_out));
      REQUIRE((k.supports == nullptr || k.supports(t.node(), t.tensors())));
      REQUIRE(t.run(k, threads).ok());
      const Tensor& out = t.tensors()[static_cast<size_t>(y)];
      return std::vector<uint8_t>(out.data, out.data + out.bytes());
    };
    INFO("zp " << c.zp_in << " -> " << c.zp_out);
    const auto want = run(ref::quantize_kernel(), 1);
    for (int threads : {1, 2}) CHECK(run(fast::requantize_8bit_same_scale_kernel(), threads) == want);
  }
  // A real rescale is left to the reference kernel.
  OpTester t(BuiltinOp::kQuantize);
  t.add_input(DType::kU8, {2}, std::vector<uint8_t>{1, 2}, qp(0.5f, 0));
  t.add_output(DType::kI8, qp(0.25f, 0));
  CHECK_FALSE(fast::requantize_8bit_same_scale_kernel().supports(t.node(), t.tensors()));
}

}  // namespace
}  // namespace eir::testing
