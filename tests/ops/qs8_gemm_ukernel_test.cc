// The qs8 GEMM / IGEMM microkernels (kernels/ukernels/qs8-gemm), through the packer and the
// tiled drivers of kernels/fast/qs8_gemm_driver, against TFLite's integer arithmetic as the
// reference kernels compute it (kernels/reference/quant_utils.h): every variant this CPU can run,
// int8 and uint8, random shapes with odd edges, random zero points, biases large enough to wrap
// the int32 accumulator, multipliers and shifts across their whole range, both rounding modes,
// and clamps. Every output byte must be identical.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/fast/qs8_gemm_driver.h"
#include "kernels/reference/quant_utils.h"
#include "runtime/executor/thread_pool.h"

namespace eir::testing {
namespace {

struct GemmCase {
  size_t m = 1, n = 1, kc = 1, ks = 1;
  bool u8 = false;
  int32_t zx = 0, zw = 0, zy = 0;
  int32_t lo = -128, hi = 127;
  bool half_away = false;
  bool bias = true;
  std::vector<uint8_t> a;   // m rows x (ks * kc), row-major (IGEMM: tap-major within a row)
  std::vector<uint8_t> w;   // n rows x (ks * kc)
  std::vector<int32_t> b;   // n
  std::vector<int32_t> mult;
  std::vector<int> shift;
};

std::string describe(const GemmCase& c) {
  return str_cat("m=", c.m, " n=", c.n, " kc=", c.kc, " ks=", c.ks, c.u8 ? " uint8" : " int8", " zx=", c.zx,
                 " zw=", c.zw, " zy=", c.zy, " clamp=[", c.lo, ",", c.hi, "]", c.half_away ? " tflite" : " ruy",
                 c.bias ? " bias" : "");
}

// Multipliers as TFLite makes them (significand in [2^30, 2^31)), shifts over [-31, 30] but
// mostly where real models put them; occasionally 0 (a flushed multiplier).
void random_requant(std::mt19937& rng, GemmCase& c) {
  std::uniform_int_distribution<int32_t> sig(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int> pick(0, 9), wide(-31, 30), typical(-12, 1);
  c.mult.resize(c.n);
  c.shift.resize(c.n);
  for (size_t j = 0; j < c.n; ++j) {
    const int kind = pick(rng);
    c.mult[j] = kind == 0 ? 0 : kind == 1 ? (1 << 30) : kind == 2 ? INT32_MAX : sig(rng);
    c.shift[j] = pick(rng) < 3 ? wide(rng) : typical(rng);
    if (c.mult[j] == 0) c.shift[j] = 0;
  }
}

GemmCase random_case(std::mt19937& rng, bool u8, size_t m, size_t n, size_t kc, size_t ks) {
  GemmCase c;
  c.m = m, c.n = n, c.kc = kc, c.ks = ks, c.u8 = u8;
  std::uniform_int_distribution<int> byte(0, 255), coin(0, 1), pick(0, 9);
  const int32_t tlo = u8 ? 0 : -128, thi = u8 ? 255 : 127;
  std::uniform_int_distribution<int32_t> zp(tlo, thi);
  c.zx = zp(rng);
  // uint8 weights: any zero point (128 needs no row terms, others do); int8: mostly symmetric
  // (convolutions) but sometimes not (per-tensor FULLY_CONNECTED).
  c.zw = u8 ? (pick(rng) < 2 ? 128 : zp(rng)) : (pick(rng) < 7 ? 0 : zp(rng));
  c.zy = zp(rng);
  c.lo = tlo, c.hi = thi;
  if (coin(rng)) {
    std::uniform_int_distribution<int32_t> in(tlo, thi);
    c.lo = in(rng), c.hi = in(rng);
    if (c.lo > c.hi) std::swap(c.lo, c.hi);
  }
  c.half_away = coin(rng) != 0;
  c.bias = pick(rng) != 0;
  const size_t k = ks * kc;
  c.a.resize(m * k);
  c.w.resize(n * k);
  // Saturation edges: runs of extreme values, not only uniform bytes.
  auto fill = [&](std::vector<uint8_t>& v) {
    const int mode = pick(rng);
    for (uint8_t& x : v) {
      if (mode == 0) x = coin(rng) ? 0x80 : 0x7F;        // int8 extremes (uint8 128 / 127)
      else if (mode == 1) x = coin(rng) ? 0x00 : 0xFF;   // uint8 extremes (int8 0 / -1)
      else x = static_cast<uint8_t>(byte(rng));
    }
  };
  fill(c.a);
  fill(c.w);
  c.b.resize(n);
  std::uniform_int_distribution<int32_t> small(-100000, 100000), any(INT32_MIN, INT32_MAX);
  for (int32_t& x : c.b) x = pick(rng) == 0 ? any(rng) : small(rng);
  random_requant(rng, c);
  return c;
}

// The reference formula (conv2d_quantized.cc / fully_connected_quantized.cc), one output.
int32_t expected(const GemmCase& c, size_t r, size_t j) {
  const size_t k = c.ks * c.kc;
  int64_t acc = 0;
  for (size_t i = 0; i < k; ++i) {
    const int32_t x = c.u8 ? c.a[r * k + i] : static_cast<int8_t>(c.a[r * k + i]);
    const int32_t w = c.u8 ? c.w[j * k + i] : static_cast<int8_t>(c.w[j * k + i]);
    acc += static_cast<int64_t>(w - c.zw) * (x - c.zx);
  }
  if (c.bias) acc += c.b[j];
  const ref::QuantizedMultiplier q{c.mult[j], c.shift[j]};
  int32_t v = ref::requantize(acc, q, c.half_away ? ref::Requantize::kTflite : ref::Requantize::kRuyX86);
  v = ref::wrapping_add(v, c.zy);
  v = std::min(std::max(v, c.lo), c.hi);
  return c.u8 ? v : v & 0xFF;
}

fast::Qs8GemmProblem problem_of(const GemmCase& c) {
  fast::Qs8GemmProblem pr;
  pr.n = c.n, pr.kc = c.kc, pr.ks = c.ks;
  pr.weights = c.w.data();
  pr.weights_u8 = c.u8;
  pr.weights_zero_point = c.zw;
  pr.bias = c.bias ? c.b.data() : nullptr;
  pr.input_u8 = c.u8;
  pr.input_zero_point = c.zx;
  pr.multipliers = c.mult.data();
  pr.shifts = c.shift.data();
  return pr;
}

eir_qs8_gemm_params params_of(const GemmCase& c, const fast::PackedQs8Weights& p) {
  eir_qs8_gemm_params prm{};
  prm.output_zero_point = c.zy;
  prm.output_min = c.lo;
  prm.output_max = c.hi;
  prm.a_xor = p.a_xor;
  prm.round_half_away = c.half_away ? 1 : 0;
  return prm;
}

void check_output(const GemmCase& c, const std::vector<uint8_t>& y, size_t y_stride) {
  size_t bad = 0;
  for (size_t r = 0; r < c.m; ++r)
    for (size_t j = 0; j < c.n; ++j) {
      const int32_t want = expected(c, r, j) & 0xFF;
      const int32_t got = y[r * y_stride + j];
      if (got != want) {
        if (bad < 5) FAIL_CHECK("row " << r << " column " << j << ": got " << got << ", want " << want);
        ++bad;
      }
    }
  CHECK(bad == 0);
}

// Row terms through the driver helper (GEMM layout: row r's K bytes contiguous).
std::vector<int32_t> row_terms_of(const GemmCase& c, const fast::PackedQs8Weights& p, ThreadPool* pool) {
  std::vector<int32_t> t(c.m);
  fast::qs8_gemm_row_terms(p, c.m, c.a.data(), c.ks * c.kc, t.data(), pool);
  return t;
}

// y_pad: bytes between output rows (0: rows back to back, as convolutions write them).
void run_gemm_case(const Qs8GemmVariant& v, const GemmCase& c, int threads, size_t y_pad = 3) {
  INFO(describe(c) << " variant " << v.name << " threads " << threads << " row padding " << y_pad);
  fast::PackedQs8Weights p;
  REQUIRE(fast::pack_qs8_gemm_weights(v, problem_of(c), &p).ok());
  ThreadPool pool(threads);
  const std::vector<int32_t> terms = row_terms_of(c, p, &pool);
  const size_t k = c.ks * c.kc, y_stride = c.n + y_pad;
  std::vector<uint8_t> y(c.m * y_stride + 1, 0xCD);
  fast::run_qs8_gemm(p, c.m, c.a.data(), k, y.data(), y_stride, p.row_scale ? terms.data() : nullptr,
                     params_of(c, p), &pool);
  check_output(c, y, y_stride);
  // Nothing written between rows (past column n).
  for (size_t r = 0; r < c.m; ++r)
    for (size_t j = c.n; j < y_stride && r * y_stride + j < y.size(); ++j) REQUIRE(y[r * y_stride + j] == 0xCD);
}

// IGEMM: the same data seen through an indirection buffer, one pointer per row and tap (into a
// copy of A with the taps scattered, so that tap pointers are not simply contiguous).
void run_igemm_case(const Qs8GemmVariant& v, const GemmCase& c, int threads) {
  INFO(describe(c) << " variant " << v.name << " (IGEMM) threads " << threads);
  fast::PackedQs8Weights p;
  REQUIRE(fast::pack_qs8_gemm_weights(v, problem_of(c), &p).ok());
  ThreadPool pool(threads);
  const std::vector<int32_t> terms = row_terms_of(c, p, &pool);
  const size_t k = c.ks * c.kc, mr = v.mr;
  // Each (row, tap) slice in its own spot, in reverse order, with a gap after it.
  const size_t slot = c.kc + 5;
  std::vector<uint8_t> scattered(c.m * c.ks * slot + 1, 0xEE);
  const size_t tiles = (c.m + mr - 1) / mr;
  std::vector<const uint8_t*> ind(tiles * c.ks * mr);
  for (size_t r = 0; r < c.m; ++r)
    for (size_t t = 0; t < c.ks; ++t) {
      uint8_t* dst = scattered.data() + ((c.m - 1 - r) * c.ks + t) * slot;
      std::copy(c.a.begin() + static_cast<std::ptrdiff_t>(r * k + t * c.kc),
                c.a.begin() + static_cast<std::ptrdiff_t>(r * k + (t + 1) * c.kc), dst);
    }
  for (size_t tile = 0; tile < tiles; ++tile)
    for (size_t t = 0; t < c.ks; ++t)
      for (size_t i = 0; i < mr; ++i) {
        const size_t r = std::min(tile * mr + i, c.m - 1);
        ind[(tile * c.ks + t) * mr + i] = scattered.data() + ((c.m - 1 - r) * c.ks + t) * slot;
      }
  const size_t y_stride = c.n + 1;
  std::vector<uint8_t> y(c.m * y_stride, 0xCD);
  fast::run_qs8_igemm(p, c.m, ind.data(), y.data(), y_stride, p.row_scale ? terms.data() : nullptr, params_of(c, p),
                      &pool);
  check_output(c, y, y_stride);
}

std::vector<const Qs8GemmVariant*> variants() {
  std::vector<const Qs8GemmVariant*> out;
  for (const Qs8GemmConfig* c : qs8_gemm_configs_available(detected_cpu_features()))
    for (size_t i = 0; i < c->num_variants; ++i) out.push_back(&c->variants[i]);
  return out;
}

TEST_CASE("qs8 GEMM microkernels are bit-exact on random problems", "[ops][qs8][ukernel]") {
  std::mt19937 rng(77);
  std::uniform_int_distribution<size_t> ms(1, 19), ns(1, 70), ks(1, 70), coin(0, 1);
  for (const Qs8GemmVariant* v : variants()) {
    for (int iter = 0; iter < 60; ++iter) {
      const GemmCase c = random_case(rng, coin(rng) != 0, ms(rng), ns(rng), ks(rng), 1);
      run_gemm_case(*v, c, iter % 3 == 0 ? 2 : 1);
    }
  }
}

TEST_CASE("qs8 GEMM microkernels: edge shapes", "[ops][qs8][ukernel]") {
  std::mt19937 rng(5);
  // (m, n, k): K = 1, N = 1, M = 1 (the 1-row kernels), K around the KR multiples (1-3 and 1-7
  // byte remainders, the 8-k unrolled single-row loop), N around NR multiples, large K.
  const size_t shapes[][3] = {{1, 1, 1},   {1, 17, 1},  {5, 1, 9},   {1, 64, 8},  {1, 33, 12}, {9, 32, 4},
                              {8, 16, 3},  {8, 48, 5},  {3, 8, 7},   {4, 9, 15},  {2, 31, 16}, {17, 65, 17},
                              {16, 96, 64}, {1, 96, 300}, {7, 40, 1000}, {25, 3, 2}};
  for (const Qs8GemmVariant* v : variants())
    for (const auto& s : shapes)
      for (bool u8 : {false, true}) run_gemm_case(*v, random_case(rng, u8, s[0], s[1], s[2], 1), 1);
}

// Output rows back to back (stride = N): with N = NR the kernels store several rows at once.
TEST_CASE("qs8 GEMM microkernels: back-to-back output rows", "[ops][qs8][ukernel]") {
  std::mt19937 rng(15);
  for (const Qs8GemmVariant* v : variants())
    for (size_t n : {8, 16, 31, 32, 48, 64})
      for (size_t m : {1, 3, 7, 8, 9, 16, 17, 33})
        run_gemm_case(*v, random_case(rng, m % 2 == 0, m, n, 12, 1), m % 3 == 0 ? 2 : 1, 0);
}

TEST_CASE("qs8 IGEMM microkernels are bit-exact on random problems", "[ops][qs8][ukernel]") {
  std::mt19937 rng(99);
  std::uniform_int_distribution<size_t> ms(1, 21), ns(1, 50), kcs(1, 20), kss(1, 10), coin(0, 1);
  for (const Qs8GemmVariant* v : variants()) {
    for (int iter = 0; iter < 50; ++iter) {
      const GemmCase c = random_case(rng, coin(rng) != 0, ms(rng), ns(rng), kcs(rng), kss(rng));
      run_igemm_case(*v, c, iter % 3 == 0 ? 2 : 1);
    }
  }
}

TEST_CASE("qs8 GEMM requantization covers its whole input range", "[ops][qs8][ukernel]") {
  // One column per (multiplier, shift) pair, rows whose accumulators sweep int32 edges: K = 1
  // with w - zw = 1 and the bias carrying the value, so acc = bias + (x - zx).
  std::mt19937 rng(3);
  const int32_t accs[] = {0, 1, -1, 2, -2, 3, -3, 127, -128, 1 << 20, -(1 << 20), (1 << 30) + 1, -(1 << 30) - 1,
                          INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 0x40000000, -0x40000000,
                          12345678, -12345678};
  for (const Qs8GemmVariant* v : variants()) {
    for (bool half_away : {false, true}) {
      GemmCase c;
      c.u8 = false, c.kc = 1, c.ks = 1, c.half_away = half_away;
      c.zx = 0, c.zw = 0, c.zy = 0, c.lo = -128, c.hi = 127;
      // Columns: shifts -31..30 with a few multipliers each.
      const int32_t mults[] = {1 << 30, (1 << 30) + 1, 1518500250, INT32_MAX};
      for (int sh = -31; sh <= 30; ++sh)
        for (int32_t m : mults) {
          c.mult.push_back(m);
          c.shift.push_back(sh);
        }
      c.n = c.mult.size();
      c.w.assign(c.n, 1);
      c.m = sizeof(accs) / sizeof(accs[0]);
      c.a.assign(c.m, 0);
      // Each row needs its own accumulator: put it in x (|x| <= 127) plus a per-column bias
      // is not per-row, so run one problem per accumulator value instead.
      for (int32_t acc : accs) {
        GemmCase one = c;
        one.m = 3;
        one.a = {0, 1, 0xFF};  // x = 0, 1, -1
        one.b.assign(one.n, acc);
        one.bias = true;
        std::uniform_int_distribution<int32_t> zp(-128, 127);
        one.zy = zp(rng);
        run_gemm_case(*v, one, 1);
      }
    }
  }
}

TEST_CASE("qs8 row-sum kernels are exact", "[ops][qs8][ukernel]") {
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  for (const Qs8GemmVariant* v : variants()) {
    // Strided rows, and contiguous rows (stride = k: the multi-row paths for k = 8 ... 64, with
    // row counts around their 8-row steps).
    for (size_t k : {0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 300, 8, 16, 32, 64})
    for (bool contiguous : {false, true}) {
      const size_t rows = contiguous ? 1 + static_cast<size_t>(byte(rng) % 40) : 1 + static_cast<size_t>(byte(rng) % 9);
      const size_t stride = contiguous ? k : k + 3;
      std::vector<uint8_t> a(rows * stride + 1);
      for (auto& x : a) x = static_cast<uint8_t>(byte(rng));
      for (uint8_t x : {uint8_t{0}, uint8_t{0x80}}) {
        const int32_t scale = byte(rng) % 2 ? any(rng) : 1;
        std::vector<int32_t> out(rows + 1, 0x5A5A5A5A);
        v->rsum(rows, k, a.data(), stride, x, scale, out.data());
        for (size_t r = 0; r < rows; ++r) {
          uint32_t sum = 0;
          for (size_t i = 0; i < k; ++i) sum += static_cast<uint32_t>(static_cast<int8_t>(a[r * stride + i] ^ x));
          INFO(v->name << " k=" << k << " row " << r << " xor " << int(x));
          CHECK(out[r] == static_cast<int32_t>(sum * static_cast<uint32_t>(scale)));
        }
        CHECK(out[rows] == 0x5A5A5A5A);
      }
    }
  }
}

TEST_CASE("qs8 packing rejects shifts the kernels cannot apply", "[ops][qs8][ukernel]") {
  std::mt19937 rng(1);
  GemmCase c = random_case(rng, false, 1, 2, 3, 1);
  c.shift[1] = 31;
  fast::PackedQs8Weights p;
  CHECK_FALSE(fast::pack_qs8_gemm_weights(*variants()[0], problem_of(c), &p).ok());
}

}  // namespace
}  // namespace eir::testing
