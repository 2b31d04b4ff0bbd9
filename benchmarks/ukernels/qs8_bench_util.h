// Shared by the 8-bit benchmarks (qs8_gemm_bench, qs8_dwconv_bench): this core's VNNI peak
// (measured and nominal) and how it was derived, the GOPS / pct_vnni_peak / pct_nominal
// counters, random bytes.
//
// The measured peak runs 12 independent VPDPBUSD zmm chains (64 multiply-adds = 128 ops each),
// best of 300 short runs; the nominal one assumes one VPDPBUSD zmm per cycle at "cpu MHz".
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "benchmarks/ukernels/bench_peak.h"
#include "kernels/configs/cpu_features.h"

namespace eir::bench_qs8 {

#if defined(__x86_64__)
// 12 independent VPDPBUSD zmm chains; seconds for `iters` x 12 instructions.
__attribute__((target("avx512f,avx512vnni"))) inline double vnni_loop(long iters) {
  const auto t0 = std::chrono::steady_clock::now();
#define EIR_D(i) "vpdpbusd %%zmm15, %%zmm14, %%zmm" #i "\n\t"
  __asm__ volatile("vpxord %%zmm14, %%zmm14, %%zmm14\n\tvpxord %%zmm15, %%zmm15, %%zmm15\n\t1:\n\t" EIR_D(0) EIR_D(1)
                       EIR_D(2) EIR_D(3) EIR_D(4) EIR_D(5) EIR_D(6) EIR_D(7) EIR_D(8) EIR_D(9) EIR_D(10)
                           EIR_D(11) "dec %0\n\tjnz 1b\n\t"
                   : "+r"(iters)::"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                     "xmm10", "xmm11", "xmm14", "xmm15", "cc");
#undef EIR_D
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Best of many short runs: robust against other processes sharing the core.
inline double measured_vnni_gops() {
  const long iters = 100000;
  double best = 1e30;
  for (int r = 0; r < 300; ++r) best = std::min(best, vnni_loop(iters));
  return 12.0 * iters * 128.0 / best / 1e9;
}
#endif

// GOP/s, measured and nominal.
inline const bench::Peak& vnni_peak() {
  static const bench::Peak p = [] {
    bench::Peak r;
    r.nominal = 128.0 * bench::cpu_mhz() / 1e3;
#if defined(__x86_64__)
    if (detected_cpu_features().avx512vnni) r.measured = measured_vnni_gops();
#endif
    if (r.measured == 0.0) r.measured = r.nominal;
    return r;
  }();
  return p;
}

inline void print_peaks() {
  const double mhz = bench::cpu_mhz();
  const bench::Peak& p = vnni_peak();
  std::printf("cpu MHz (/proc/cpuinfo): %.0f\n", mhz);
  std::printf(
      "VNNI peak: measured %.1f GOP/s (12 independent vpdpbusd zmm chains, 64 multiply-adds = 128 ops "
      "each, best of 300 runs) = %.2f vpdpbusd zmm per cycle at the nominal %.0f MHz; nominal 1 per cycle "
      "x 128 ops x %.0f MHz = %.1f GOP/s\n",
      p.measured, p.measured * 1e3 / 128.0 / std::max(mhz, 1.0), mhz, mhz, p.nominal);
}

inline void set_counters(benchmark::State& state, double ops_per_iter, double seconds) {
  const double gops = ops_per_iter * static_cast<double>(state.iterations()) / std::max(seconds, 1e-12) / 1e9;
  state.counters["GOPS"] = gops;
  state.counters["pct_vnni_peak"] = 100.0 * gops / vnni_peak().measured;
  state.counters["pct_nominal"] = 100.0 * gops / vnni_peak().nominal;
}

inline std::vector<uint8_t> random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<uint8_t> v(n);
  for (auto& x : v) x = static_cast<uint8_t>(d(rng));
  return v;
}

}  // namespace eir::bench_qs8
