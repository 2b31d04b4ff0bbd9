// f32 GEMM / IGEMM microkernels: every variant this CPU can run against a naive double-precision
// GEMM on random shapes (M, N, K not multiples of the tile, K = 0 and 1, N = 1, strided A and C),
// checking the clamp, that nothing is written outside the mr x nc block, and the tiled,
// multi-threaded drivers (kernels/fast/f32_gemm_driver.h) on shapes that split N into chunks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/f32_gemm_driver.h"
#include "runtime/executor/thread_pool.h"

namespace eir::testing {
namespace {

constexpr float kPoison = -12345.0f;

std::vector<const F32GemmVariant*> all_variants() {
  std::vector<const F32GemmVariant*> out;
  for (const F32GemmConfig* c : f32_gemm_configs_available(detected_cpu_features()))
    for (size_t i = 0; i < c->num_variants; ++i) {
      // A tile shared by two configs (avx2_6x16 in both "avx2" and "avx512f") is tested once.
      bool seen = false;
      for (const F32GemmVariant* v : out) seen = seen || std::string(v->name) == c->variants[i].name;
      if (!seen) out.push_back(&c->variants[i]);
    }
  return out;
}

std::vector<float> random_vec(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// Reference: C[i][j] = clamp(bias[j] + sum_k A[i][k] * W[j][k]) in double.
float expected_at(const std::vector<const float*>& rows, const float* w, const float* bias, size_t k, size_t j,
                  size_t row, float lo, float hi) {
  double acc = bias ? bias[j] : 0.0;
  for (size_t kk = 0; kk < k; ++kk) acc += static_cast<double>(rows[row][kk]) * w[j * k + kk];
  return static_cast<float>(std::min<double>(std::max<double>(acc, lo), hi));
}

// Tolerance for a K-term sum of products of values in [-1, 1] in float with FMA.
float tolerance(size_t k) { return 1e-5f * static_cast<float>(k + 1); }

struct Clamp {
  float lo, hi;
};
const Clamp kClamps[] = {{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()},
                         {0.0f, std::numeric_limits<float>::infinity()},
                         {-0.5f, 0.25f}};

TEST_CASE("f32 gemm microkernels match a naive GEMM", "[ops][ukernel][f32_gemm]") {
  std::mt19937 rng(1234);
  for (const F32GemmVariant* v : all_variants()) {
    const size_t mr = v->mr, nr = v->nr;
    for (int use_gemm1 = 0; use_gemm1 < 2; ++use_gemm1) {
      const size_t max_rows = use_gemm1 ? 1 : mr;
      const eir_f32_gemm_ukernel_fn fn = use_gemm1 ? v->gemm1 : v->gemm;
      for (size_t m = 1; m <= max_rows; ++m) {
        for (size_t n : {size_t{1}, nr - 1, nr, nr + 1, 2 * nr + 3, 3 * nr}) {
          if (n == 0) continue;
          for (size_t k : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{4}, size_t{5}, size_t{8}, size_t{17},
                           size_t{64}}) {
            const Clamp cl = kClamps[(m + n + k) % 3];
            INFO(v->name << (use_gemm1 ? " gemm1" : " gemm") << " m=" << m << " n=" << n << " k=" << k);
            const size_t a_stride = k + 3, c_stride = n + 5;
            std::vector<float> a = random_vec(rng, m * a_stride + 1);
            std::vector<float> w = random_vec(rng, n * k), bias = random_vec(rng, n);
            fast::PackedGemmWeights packed;
            REQUIRE(fast::pack_gemm_weights(*v, n, k, w.data(), bias.data(), &packed).ok());
            // One extra row beyond m: it must stay untouched.
            std::vector<float> c((m + 1) * c_stride, kPoison);
            const eir_f32_gemm_params params{cl.lo, cl.hi};
            fn(m, n, k, a.data(), a_stride, packed.data(), c.data(), c_stride, &params);
            std::vector<const float*> rows;
            for (size_t i = 0; i < m; ++i) rows.push_back(a.data() + i * a_stride);
            bool ok = true;
            for (size_t i = 0; i <= m && ok; ++i) {
              for (size_t j = 0; j < c_stride && ok; ++j) {
                const float got = c[i * c_stride + j];
                if (i == m || j >= n) {
                  ok = got == kPoison;
                  if (!ok) FAIL_CHECK("wrote outside the block at row " << i << " col " << j);
                } else {
                  const float want = expected_at(rows, w.data(), bias.data(), k, j, i, cl.lo, cl.hi);
                  ok = std::fabs(got - want) <= tolerance(k);
                  if (!ok) FAIL_CHECK("C[" << i << "][" << j << "] = " << got << ", expected " << want);
                }
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("f32 igemm microkernels match a naive GEMM over gathered rows", "[ops][ukernel][f32_gemm]") {
  std::mt19937 rng(99);
  for (const F32GemmVariant* v : all_variants()) {
    const size_t mr = v->mr, nr = v->nr;
    for (size_t m = 1; m <= mr; ++m) {
      for (size_t n : {size_t{1}, nr - 1, nr + 1, 2 * nr}) {
        if (n == 0) continue;
        for (size_t ks : {size_t{1}, size_t{2}, size_t{9}}) {
          for (size_t kc : {size_t{1}, size_t{3}, size_t{4}, size_t{7}, size_t{16}}) {
            INFO(v->name << " igemm m=" << m << " n=" << n << " ks=" << ks << " kc=" << kc);
            const Clamp cl = kClamps[(m + n + ks + kc) % 3];
            const size_t k = ks * kc;
            // A pool of input rows plus a zero row, as a convolution's padding taps read.
            const size_t pool_rows = 7;
            std::vector<float> pool = random_vec(rng, pool_rows * kc);
            std::vector<float> zero(kc, 0.0f);
            std::vector<const float*> ind(ks * mr);
            std::uniform_int_distribution<size_t> pick(0, pool_rows);  // pool_rows = the zero row
            for (size_t p = 0; p < ks; ++p) {
              for (size_t r = 0; r < mr; ++r) {
                if (r < m) {
                  const size_t q = pick(rng);
                  ind[p * mr + r] = q == pool_rows ? zero.data() : pool.data() + q * kc;
                } else {
                  ind[p * mr + r] = ind[p * mr + m - 1];  // rows past mr repeat the last one
                }
              }
            }
            // Gathered A rows for the reference: row r = concat over taps of ind[p][r].
            std::vector<float> a(m * k);
            for (size_t r = 0; r < m; ++r)
              for (size_t p = 0; p < ks; ++p)
                std::copy(ind[p * mr + r], ind[p * mr + r] + kc, a.begin() + static_cast<long>(r * k + p * kc));
            std::vector<float> w = random_vec(rng, n * k), bias = random_vec(rng, n);
            fast::PackedGemmWeights packed;
            REQUIRE(fast::pack_gemm_weights(*v, n, k, w.data(), bias.data(), &packed).ok());
            const size_t c_stride = n + 2;
            std::vector<float> c((m + 1) * c_stride, kPoison);
            const eir_f32_gemm_params params{cl.lo, cl.hi};
            v->igemm(m, n, kc, ks, ind.data(), packed.data(), c.data(), c_stride, &params);
            std::vector<const float*> rows;
            for (size_t i = 0; i < m; ++i) rows.push_back(a.data() + i * k);
            bool ok = true;
            for (size_t i = 0; i <= m && ok; ++i) {
              for (size_t j = 0; j < c_stride && ok; ++j) {
                const float got = c[i * c_stride + j];
                if (i == m || j >= n) {
                  ok = got == kPoison;
                  if (!ok) FAIL_CHECK("wrote outside the block at row " << i << " col " << j);
                } else {
                  const float want = expected_at(rows, w.data(), bias.data(), k, j, i, cl.lo, cl.hi);
                  ok = std::fabs(got - want) <= tolerance(k);
                  if (!ok) FAIL_CHECK("C[" << i << "][" << j << "] = " << got << ", expected " << want);
                }
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("f32 gemm drivers tile and thread correctly", "[ops][ukernel][f32_gemm]") {
  std::mt19937 rng(7);
  struct Shape3 {
    size_t m, n, k;
  };
  // The last shapes have (K + 1) * 4 bytes per column large enough to split N into chunks.
  const Shape3 shapes[] = {{1, 1, 1}, {1, 77, 33}, {13, 5, 9}, {37, 70, 19}, {3, 300, 1500}, {20, 130, 4000}};
  for (const F32GemmVariant* v : all_variants()) {
    for (const Shape3& s : shapes) {
      for (int threads : {1, 2, 3}) {
        INFO(v->name << " m=" << s.m << " n=" << s.n << " k=" << s.k << " threads=" << threads);
        std::vector<float> a = random_vec(rng, s.m * s.k), w = random_vec(rng, s.n * s.k), bias = random_vec(rng, s.n);
        fast::PackedGemmWeights packed;
        REQUIRE(fast::pack_gemm_weights(*v, s.n, s.k, w.data(), bias.data(), &packed).ok());
        const eir_f32_gemm_params params{-std::numeric_limits<float>::infinity(), 2.0f};
        ThreadPool pool(threads);
        std::vector<float> c(s.m * s.n, kPoison);
        fast::run_gemm(packed, s.m, a.data(), s.k, c.data(), s.n, params, &pool);
        // Same product as an IGEMM with ks = 1: one pointer per row, in tile order.
        const size_t mr = v->mr;
        std::vector<const float*> ind(fast::indirection_size(s.m, 1, mr));
        for (size_t i = 0; i < ind.size(); ++i) ind[i] = a.data() + std::min(i, s.m - 1) * s.k;
        std::vector<float> c2(s.m * s.n, kPoison);
        fast::run_igemm(packed, s.m, s.k, 1, ind.data(), c2.data(), s.n, params, &pool);
        std::vector<const float*> rows;
        for (size_t i = 0; i < s.m; ++i) rows.push_back(a.data() + i * s.k);
        size_t bad = 0;
        for (size_t i = 0; i < s.m; ++i) {
          for (size_t j = 0; j < s.n; ++j) {
            const float want = expected_at(rows, w.data(), bias.data(), s.k, j, i, params.min, params.max);
            const float tol = 1e-6f * static_cast<float>(s.k + 1) * 4;
            if (std::fabs(c[i * s.n + j] - want) > tol || std::fabs(c2[i * s.n + j] - want) > tol) ++bad;
          }
        }
        CHECK(bad == 0);
      }
    }
  }
}

TEST_CASE("f32 gemm config picks the allowed tile that pads N the least", "[ops][ukernel][f32_gemm]") {
  for (const F32GemmConfig* c : f32_gemm_configs_available(detected_cpu_features())) {
    REQUIRE(c->num_variants >= 1);
    for (size_t n : {1, 8, 16, 17, 24, 32, 33, 48, 64, 100}) {
      const F32GemmVariant& v = c->variant_for(n);
      CHECK((v.max_n == 0 || n <= v.max_n));
      for (size_t i = 0; i < c->num_variants; ++i) {
        if (c->variants[i].max_n != 0 && n > c->variants[i].max_n) continue;
        const size_t nr = c->variants[i].nr;
        CHECK((n + v.nr - 1) / v.nr * v.nr <= (n + nr - 1) / nr * nr);
      }
    }
  }
  // The best config for this CPU is the last one available; a scalar cap gives the scalar one.
  CHECK(std::string(f32_gemm_config(CpuFeatures{}).isa) == "scalar");
}

TEST_CASE("f32 gemm packing refuses sizes that overflow", "[ops][ukernel][f32_gemm]") {
  const F32GemmVariant& v = f32_gemm_config(CpuFeatures{}).variants[0];
  fast::PackedGemmWeights packed;
  const float dummy = 0.0f;
  const Status s = fast::pack_gemm_weights(v, size_t{1} << 40, size_t{1} << 30, &dummy, nullptr, &packed);
  CHECK(s.code() == StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace eir::testing
