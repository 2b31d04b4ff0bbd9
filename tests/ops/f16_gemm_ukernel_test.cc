// The opt-in fp16 arithmetic mode (LoadOptions::allow_fp16):
//   - the NEON fp16 GEMM / IGEMM microkernels against the scalar fp16 oracle (which rounds every
//     multiply-add to fp16 in the same order, so they agree to about one fp16 rounding), on
//     shapes with odd M, N, K, strided A and C, checking nothing outside the block is written;
//   - the scalar oracle itself against a double-precision GEMM of the fp16-rounded operands;
//   - the fp16 CONV_2D / FULLY_CONNECTED drivers against the float32 reference kernels within
//     fp16 tolerance (1e-2 relative to max(1, max|reference|)), for every fp16 config available
//     (the scalar one everywhere; the NEON one where the CPU has FP16 arithmetic);
//   - registration: fp16 kernels are chosen only with FP16 hardware AND the opt-in.
// NEON fp16 parts skip (with a message) on CPUs without ARMv8.2 FP16 (x86, Cortex-A53...).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/f16_gemm_config.h"
#include "kernels/fast/f16_gemm_driver.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/reference/float_spatial.h"
#include "kernels/reference/fp16.h"
#include "runtime/executor/model_impl.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

constexpr float kPoison = -12345.0f;

float round16(float x) { return ref::half_to_float(ref::float_to_half(x)); }

std::vector<float> random_vec(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<uint16_t> to_f16(const std::vector<float>& v) {
  std::vector<uint16_t> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = ref::float_to_half(v[i]);
  return out;
}

const F16GemmConfig* simd_config() {
  const auto configs = f16_gemm_configs_available(detected_cpu_features());
  return configs.size() > 1 ? configs.back() : nullptr;
}

struct Clamp {
  float lo, hi;
};
const Clamp kClamps[] = {{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()},
                         {0.0f, std::numeric_limits<float>::infinity()},
                         {-1.0f, 1.0f}};

// Runs `fn` on a GEMM of m rows (strided A and C, one poisoned row past m) and returns C.
template <class Fn>
std::vector<float> run_block(size_t m, size_t n, size_t c_stride, Fn&& fn) {
  std::vector<float> c((m + 1) * c_stride, kPoison);
  fn(c.data());
  return c;
}

// |got - want| for the first m x n of two C blocks; fails on writes outside it.
void check_block(const std::vector<float>& got, const std::vector<float>& want, size_t m, size_t n, size_t c_stride,
                 const std::vector<float>& bound) {
  size_t bad = 0;
  for (size_t i = 0; i <= m; ++i)
    for (size_t j = 0; j < c_stride; ++j) {
      const size_t at = i * c_stride + j;
      if (i == m || j >= n) {
        if (got[at] != kPoison && bad++ < 5) FAIL_CHECK("wrote outside the block at row " << i << " col " << j);
        continue;
      }
      if (!(std::fabs(got[at] - want[at]) <= bound[i * n + j]) && bad++ < 5)
        FAIL_CHECK("row " << i << " col " << j << ": " << got[at] << " vs " << want[at] << " (bound "
                          << bound[i * n + j] << ")");
    }
  CHECK(bad == 0);
}

// Per-element bound for a K-term fp16 accumulation: a few fp16 roundings of the running sum,
// whose size is at most |bias| + sum |a w|.
std::vector<float> fp16_bounds(const std::vector<std::vector<float>>& rows, const std::vector<float>& w,
                               const std::vector<float>& bias, size_t k, size_t n, float ulps) {
  std::vector<float> b(rows.size() * n);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < n; ++j) {
      double mag = std::fabs(bias[j]);
      for (size_t kk = 0; kk < k; ++kk) mag += std::fabs(double(rows[i][kk]) * w[j * k + kk]);
      b[i * n + j] = static_cast<float>(ulps * std::ldexp(mag, -11)) + 1e-6f;
    }
  return b;
}

TEST_CASE("f16 gemm: NEON fp16 microkernels match the scalar fp16 oracle", "[ops][ukernel][f16]") {
  const F16GemmConfig* simd = simd_config();
  if (simd == nullptr) {
    WARN("no FP16 vector arithmetic on this CPU: NEON fp16 microkernels skipped");
    return;
  }
  const F16GemmConfig& scalar = *f16_gemm_configs_available(detected_cpu_features()).front();
  std::mt19937 rng(16);
  const F16GemmVariant& v = simd->variant;
  const size_t nr = v.nr;
  for (int mode = 0; mode < 3; ++mode) {  // 0: gemm, 1: gemm1, 2: igemm
    const size_t max_rows = mode == 1 ? 1 : v.mr;
    for (size_t m = 1; m <= max_rows; ++m)
      for (size_t n : {size_t{1}, size_t{7}, nr - 1, nr, nr + 1, 2 * nr + 3})
        for (size_t k : {size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{5}, size_t{8}, size_t{19}, size_t{64}}) {
          const size_t ks = mode == 2 ? 1 + (m + k) % 3 : 1;  // IGEMM taps
          const size_t kc = k;
          const size_t ktot = ks * kc;
          const Clamp cl = kClamps[(m + n + k) % 3];
          const eir_f32_gemm_params params{cl.lo, cl.hi};
          INFO("mode " << mode << " m=" << m << " n=" << n << " kc=" << kc << " ks=" << ks);
          const auto w = random_vec(rng, n * ktot), bias = random_vec(rng, n);
          fast::PackedF16GemmWeights packed_simd, packed_scalar;
          REQUIRE(fast::pack_gemm_weights(v, n, ktot, w.data(), bias.data(), &packed_simd).ok());
          REQUIRE(fast::pack_gemm_weights(scalar.variant, n, ktot, w.data(), bias.data(), &packed_scalar).ok());
          const size_t c_stride = n + 3;
          // A: for the GEMM, m rows of kc at stride kc + 2; for the IGEMM, ks x MR row pointers
          // into a pool of distinct rows (rows past m repeat the last).
          std::vector<uint16_t> a16 = to_f16(random_vec(rng, (m * ks + 1) * (kc + 2) + 8));
          std::vector<const uint16_t*> ind_simd(ks * v.mr), ind_scalar(ks * scalar.variant.mr);
          std::vector<std::vector<float>> rows(m);  // each row's full K values (for the bound)
          for (size_t i = 0; i < m; ++i) {
            for (size_t p = 0; p < ks; ++p) {
              const uint16_t* row = a16.data() + (mode == 2 ? (p * m + i) : i) * (kc + 2);
              for (size_t kk = 0; kk < kc; ++kk) rows[i].push_back(ref::half_to_float(row[kk]));
            }
          }
          auto want = run_block(m, n, c_stride, [&](float* c) {
            // The oracle runs the scalar 4-row tile over row groups of at most 4.
            for (size_t i0 = 0; i0 < m; i0 += 4) {
              const size_t rr = std::min<size_t>(4, m - i0);
              if (mode == 2) {
                for (size_t p = 0; p < ks; ++p)
                  for (size_t r = 0; r < 4; ++r)
                    ind_scalar[p * 4 + r] = a16.data() + (p * m + i0 + std::min(r, rr - 1)) * (kc + 2);
                scalar.variant.igemm(rr, n, kc, ks, ind_scalar.data(), packed_scalar.data(), c + i0 * c_stride,
                                     c_stride, &params);
              } else {
                scalar.variant.gemm(rr, n, kc, a16.data() + i0 * (kc + 2), kc + 2, packed_scalar.data(),
                                    c + i0 * c_stride, c_stride, &params);
              }
            }
          });
          auto got = run_block(m, n, c_stride, [&](float* c) {
            if (mode == 2) {
              for (size_t p = 0; p < ks; ++p)
                for (size_t r = 0; r < v.mr; ++r)
                  ind_simd[p * v.mr + r] = a16.data() + (p * m + std::min(r, m - 1)) * (kc + 2);
              v.igemm(m, n, kc, ks, ind_simd.data(), packed_simd.data(), c, c_stride, &params);
            } else {
              (mode == 1 ? v.gemm1 : v.gemm)(m, n, kc, a16.data(), kc + 2, packed_simd.data(), c, c_stride, &params);
            }
          });
          // Same operations in the same order: only the oracle's rare double rounding differs.
          const auto w16 = [&] {
            std::vector<float> r(w.size());
            for (size_t i = 0; i < w.size(); ++i) r[i] = round16(w[i]);
            return r;
          }();
          check_block(got, want, m, n, c_stride, fp16_bounds(rows, w16, bias, ktot, n, 2.0f));
        }
  }
}

TEST_CASE("f16 gemm: the scalar oracle matches a double GEMM of fp16 operands", "[ops][ukernel][f16]") {
  const F16GemmConfig& scalar = *f16_gemm_configs_available(detected_cpu_features()).front();
  const F16GemmVariant& v = scalar.variant;
  std::mt19937 rng(61);
  for (size_t m : {size_t{1}, size_t{3}, size_t{4}})
    for (size_t n : {size_t{1}, size_t{8}, size_t{13}})
      for (size_t k : {size_t{0}, size_t{1}, size_t{9}, size_t{100}}) {
        INFO("m=" << m << " n=" << n << " k=" << k);
        const Clamp cl = kClamps[(m + n + k) % 3];
        const eir_f32_gemm_params params{cl.lo, cl.hi};
        const auto w = random_vec(rng, n * k), bias = random_vec(rng, n);
        const auto a16 = to_f16(random_vec(rng, m * k + 1));
        fast::PackedF16GemmWeights packed;
        REQUIRE(fast::pack_gemm_weights(v, n, k, w.data(), bias.data(), &packed).ok());
        auto got = run_block(m, n, n, [&](float* c) {
          (m == 1 ? v.gemm1 : v.gemm)(m, n, k, a16.data(), k, packed.data(), c, n, &params);
        });
        std::vector<float> want((m + 1) * n, kPoison), w16(w.size());
        for (size_t i = 0; i < w.size(); ++i) w16[i] = round16(w[i]);
        std::vector<std::vector<float>> rows(m);
        for (size_t i = 0; i < m; ++i) {
          for (size_t kk = 0; kk < k; ++kk) rows[i].push_back(ref::half_to_float(a16[i * k + kk]));
          for (size_t j = 0; j < n; ++j) {
            double acc = round16(bias[j]);
            for (size_t kk = 0; kk < k; ++kk) acc += double(rows[i][kk]) * w16[j * k + kk];
            want[i * n + j] = static_cast<float>(std::min<double>(std::max<double>(acc, cl.lo), cl.hi));
          }
        }
        // Error of a K-step fp16 accumulation: up to one rounding (half an ulp) per step.
        check_block(got, want, m, n, n, fp16_bounds(rows, w16, bias, k, n, 0.5f * float(k + 1)));
      }
}

// ---- drivers vs the float32 reference kernels ----

// Within fp16 tolerance: 1e-2 of max(1, max|reference|) (the conformance rule, loosened).
void check_close(const std::vector<float>& got, const std::vector<float>& want, double* worst = nullptr) {
  REQUIRE(got.size() == want.size());
  float max_ref = 1.0f;
  for (float x : want) max_ref = std::max(max_ref, std::fabs(x));
  const float tol = 1e-2f * max_ref;
  size_t bad = 0;
  double max_err = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const float e = std::fabs(got[i] - want[i]);
    max_err = std::max<double>(max_err, e / max_ref);
    if (!(e <= tol) && bad++ < 5) FAIL_CHECK("element " << i << ": fp16 " << got[i] << " vs reference " << want[i]);
  }
  CHECK(bad == 0);
  if (worst) *worst = std::max(*worst, max_err);
}

struct ConvSpec {
  int batch = 1, h = 5, w = 5, ic = 3, oc = 4, kh = 3, kw = 3;
  ConvParams p;
};

OpTester make_conv(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& f,
                   const std::vector<float>& b) {
  OpTester t(BuiltinOp::kConv2D);
  t.add_input(DType::kF32, {s.batch, s.h, s.w, s.ic}, x);
  t.add_constant(DType::kF32, {s.oc, s.kh, s.kw, s.ic}, f);
  t.add_constant(DType::kF32, {s.oc}, b);
  t.add_output(DType::kF32);
  t.node().params = s.p;
  return t;
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

TEST_CASE("f16 mode: conv2d f32 driver matches the reference within fp16 tolerance", "[ops][conv][fast][f16]") {
  std::mt19937 rng(1616);
  std::uniform_int_distribution<int> small(1, 3), size(1, 9), chans(1, 12), ocs(1, 37), coin(0, 1), act(0, 3);
  double worst = 0;
  for (const F16GemmConfig* c : f16_gemm_configs_available(detected_cpu_features())) {
    const Kernel k = fast::conv2d_f32_f16_kernel(*c);
    CHECK(std::string(k.name).find("f32_f16_") != std::string::npos);
    const int iters = std::string(c->isa) == "scalar" ? 12 : 40;  // the scalar oracle is slow
    for (int iter = 0; iter < iters; ++iter) {
      ConvSpec s;
      s.batch = coin(rng) ? 1 : 2;
      s.h = size(rng), s.w = size(rng), s.ic = chans(rng), s.oc = ocs(rng);
      s.kh = small(rng), s.kw = small(rng);
      if (iter % 5 == 0) s.kh = s.kw = 1;  // the direct (1x1, stride 1) GEMM path
      s.p.stride_h = iter % 5 == 0 ? 1 : small(rng);
      s.p.stride_w = iter % 5 == 0 ? 1 : small(rng);
      s.p.dilation_h = s.p.dilation_w = iter % 7 == 3 ? 2 : 1;
      s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
      s.p.activation = kActs[act(rng)];
      const auto x = random_vec(rng, size_t(s.batch * s.h * s.w * s.ic));
      const auto f = random_vec(rng, size_t(s.oc * s.kh * s.kw * s.ic)), b = random_vec(rng, size_t(s.oc));
      OpTester ref = make_conv(s, x, f, b);
      const Status ref_status = ref.run(ref::conv2d_f32_kernel());
      const int out = ref.node().outputs[0];
      for (int threads : {1, 2}) {
        INFO("config " << c->isa << " iter " << iter << " threads " << threads << " in " << s.h << "x" << s.w << "x"
                       << s.ic << " oc " << s.oc << " k " << s.kh << "x" << s.kw);
        OpTester t = make_conv(s, x, f, b);
        REQUIRE(k.supports(t.node(), t.tensors()));
        const Status st = t.run(k, threads);
        REQUIRE(st.ok() == ref_status.ok());
        if (!st.ok()) continue;
        CHECK(t.shape(out) == ref.shape(out));
        check_close(t.output_values<float>(out), ref.output_values<float>(out), &worst);
      }
    }
  }
  INFO("worst relative error " << worst);
  CHECK(worst > 0);  // fp16 arithmetic really ran (a float32 path would give ~1e-7)
}

TEST_CASE("f16 mode: conv2d on a larger input splits over threads", "[ops][conv][fast][f16]") {
  const F16GemmConfig* simd = simd_config();
  if (simd == nullptr) {
    WARN("no FP16 vector arithmetic on this CPU: skipped");
    return;
  }
  std::mt19937 rng(7);
  ConvSpec s;
  s.h = s.w = 16, s.ic = 16, s.oc = 40;
  s.p.padding = Padding::kSame;
  const auto x = random_vec(rng, size_t(16 * 16 * 16)), f = random_vec(rng, size_t(40 * 9 * 16)),
             b = random_vec(rng, 40);
  OpTester ref = make_conv(s, x, f, b);
  REQUIRE(ref.run(ref::conv2d_f32_kernel()).ok());
  for (bool pack : {true, false}) {
    Kernel k = fast::conv2d_f32_f16_kernel(*simd);
    if (!pack) k.pack = nullptr;  // packs in prepare instead
    OpTester t = make_conv(s, x, f, b);
    REQUIRE(t.run(k, 2).ok());
    check_close(t.output_values<float>(t.node().outputs[0]), ref.output_values<float>(ref.node().outputs[0]));
  }
}

TEST_CASE("f16 mode: fully_connected f32 driver matches the reference within fp16 tolerance",
          "[ops][fc][fast][f16]") {
  std::mt19937 rng(1717);
  std::uniform_int_distribution<int> batch(1, 9), depth(1, 80), units(1, 50), act(0, 3);
  for (const F16GemmConfig* c : f16_gemm_configs_available(detected_cpu_features())) {
    const Kernel k = fast::fully_connected_f32_f16_kernel(*c);
    const int iters = std::string(c->isa) == "scalar" ? 8 : 25;
    for (int iter = 0; iter < iters; ++iter) {
      const int bt = batch(rng), d = depth(rng), u = units(rng);
      const auto x = random_vec(rng, size_t(bt * d)), w = random_vec(rng, size_t(u * d)), b = random_vec(rng, size_t(u));
      const Activation a = kActs[act(rng)];
      auto make = [&] {
        OpTester t(BuiltinOp::kFullyConnected);
        t.add_input(DType::kF32, {bt, d}, x);
        t.add_constant(DType::kF32, {u, d}, w);
        t.add_constant(DType::kF32, {u}, b);
        t.add_output(DType::kF32);
        FullyConnectedParams p;
        p.activation = a;
        t.node().params = p;
        return t;
      };
      OpTester ref = make();
      OpTester t = make();
      REQUIRE(ref.run(ref::fully_connected_f32_kernel()).ok());
      INFO("config " << c->isa << " batch " << bt << " depth " << d << " units " << u);
      REQUIRE(k.supports(t.node(), t.tensors()));
      REQUIRE(t.run(k, 1 + iter % 2).ok());
      const int out = ref.node().outputs[0];
      CHECK(t.shape(out) == ref.shape(out));
      check_close(t.output_values<float>(out), ref.output_values<float>(out));
    }
  }
}

TEST_CASE("f16 mode: registered only with FP16 hardware and the opt-in", "[ops][fast][f16]") {
  CpuFeatures f = detected_cpu_features();
  f.fp16_arith_allowed = false;
  CpuFeatures allowed = f;
  allowed.fp16_arith_allowed = true;
  CHECK_FALSE(f == allowed);  // distinct registries
  CHECK_FALSE(f16_gemm_enabled(f));
  CHECK(f16_gemm_enabled(allowed) == (simd_config() != nullptr));

  OpTester conv(BuiltinOp::kConv2D);
  conv.add_input(DType::kF32, {1, 4, 4, 3}, std::vector<float>(48, 0.5f));
  conv.add_constant(DType::kF32, {2, 3, 3, 3}, std::vector<float>(54, 0.25f));
  conv.add_output(DType::kF32);
  conv.node().params = ConvParams{};
  const Kernel* plain = kernel_registry_for(f).find(conv.node(), conv.tensors(), nullptr);
  const Kernel* opted = kernel_registry_for(allowed).find(conv.node(), conv.tensors(), nullptr);
  REQUIRE(plain != nullptr);
  REQUIRE(opted != nullptr);
  CHECK(std::string(plain->name).find("f32_f16_") == std::string::npos);
  if (simd_config() != nullptr) {
    CHECK(std::string(opted->name) == "fast/conv2d_f32_f16_neonfp16arith");
  } else {
    WARN("no FP16 vector arithmetic: the opt-in keeps " << opted->name);
    CHECK(std::string(opted->name).find("f32_f16_") == std::string::npos);
  }
  // A CPU without FP16 (e.g. Cortex-A53) never gets the fp16 kernels, opt-in or not.
  CpuFeatures no_fp16 = allowed;
  no_fp16.neon_fp16 = false;
  CHECK_FALSE(f16_gemm_enabled(no_fp16));
}

}  // namespace
}  // namespace eir::testing
