// Shared by the microkernel benchmarks: this core's FMA peak (measured and nominal) and how it was
// derived, a loop timer (thread CPU time and wall time), random inputs, and main().
//
// The measured peak runs 12 independent FMA chains of the ISA's vector width (enough to cover
// latency x throughput on current cores), best of 300 short runs: the achievable peak at the clock
// the core really runs. The nominal one is 2 FMA units x lanes x 2 flops x "cpu MHz" from
// /proc/cpuinfo.
#pragma once

#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/cpu_features.h"

namespace eir::bench {

inline double cpu_mhz() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("cpu MHz", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return std::stod(line.substr(colon + 1));
    }
  }
  return 0.0;
}

#if defined(__x86_64__)
// 12 independent accumulator chains of FMAs; `lanes` selects ymm (8) or zmm (16). Returns seconds
// for `iters` x 12 FMAs.
__attribute__((target("avx512f,fma"))) inline double fma_loop(long iters, int lanes) {
  const auto t0 = std::chrono::steady_clock::now();
#define EIR_F12(r)                         \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "0\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "1\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "2\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "3\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "4\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "5\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "6\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "7\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "8\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "9\n\t"                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r \
  "10\n\t"                                 \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "11\n\t"
  if (lanes == 16) {
    __asm__ volatile("vpxord %%zmm14, %%zmm14, %%zmm14\n\tvpxord %%zmm15, %%zmm15, %%zmm15\n\t1:\n\t" EIR_F12(
                         "zmm") "dec %0\n\tjnz 1b\n\t"
                     : "+r"(iters)::"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm14", "xmm15", "cc");
  } else {
    __asm__ volatile("vxorps %%ymm14, %%ymm14, %%ymm14\n\tvxorps %%ymm15, %%ymm15, %%ymm15\n\t1:\n\t" EIR_F12(
                         "ymm") "dec %0\n\tjnz 1b\n\t"
                     : "+r"(iters)::"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm14", "xmm15", "cc", "memory");
  }
#undef EIR_F12
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Best of many short runs: robust against other processes sharing the core.
inline double measured_peak_gflops(int lanes) {
  const long iters = 100000;
  double best = 1e30;
  for (int r = 0; r < 300; ++r) best = std::min(best, fma_loop(iters, lanes));
  return 12.0 * iters * lanes * 2.0 / best / 1e9;
}
#endif

struct Peak {
  double measured = 0.0;  // GFLOP/s
  double nominal = 0.0;   // GFLOP/s
};

// The peak of the vector width a config ISA's FMAs use ("scalar", "avx2", "avx512f", "neon").
inline Peak peak_for_isa(const std::string& isa) {
  static const double mhz = cpu_mhz();
  Peak p;
#if defined(__x86_64__)
  const CpuFeatures& f = detected_cpu_features();
  if (isa == "avx512f" && f.avx512f) {
    static const double zmm = measured_peak_gflops(16);
    p.measured = zmm;
    p.nominal = 2.0 * 16 * 2 * mhz / 1e3;
  } else if (isa != "scalar" && f.avx2_fma) {
    static const double ymm = measured_peak_gflops(8);
    p.measured = ymm;
    p.nominal = 2.0 * 8 * 2 * mhz / 1e3;
  } else {
    p.measured = 2.0 * 2 * mhz / 1e3;  // scalar: 2 FMA units x 1 lane x 2 flops (nominal)
    p.nominal = p.measured;
  }
#else
  (void)isa;
  p.nominal = 2.0 * 4 * 2 * mhz / 1e3;  // NEON: 2 FMA units x 4 lanes x 2 flops
  p.measured = p.nominal;
#endif
  return p;
}

inline void print_peaks() {
  const double mhz = cpu_mhz();
  std::printf("cpu MHz (/proc/cpuinfo): %.0f\n", mhz);
#if defined(__x86_64__)
  const CpuFeatures& f = detected_cpu_features();
  if (f.avx512f) {
    const double zmm = measured_peak_gflops(16);
    std::printf(
        "zmm FMA peak: measured %.1f GFLOP/s (12 independent vfmadd231ps zmm chains, best of 300 runs):"
        " %.1f flops/cycle at the nominal %.0f MHz, or 32 flops/cycle (two 256-bit FMA pipes, as Zen 4) at"
        " %.0f MHz; nominal 2 FMA units x 16 lanes x 2 flops x %.0f MHz = %.1f GFLOP/s\n",
        zmm, zmm * 1e3 / mhz, mhz, zmm * 1e3 / 32, mhz, 2.0 * 16 * 2 * mhz / 1e3);
  }
  if (f.avx2_fma) {
    const double ymm = measured_peak_gflops(8);
    std::printf("ymm FMA peak: measured %.1f GFLOP/s; nominal 2 x 8 x 2 x %.0f MHz = %.1f GFLOP/s\n", ymm, mhz,
                2.0 * 8 * 2 * mhz / 1e3);
  }
#endif
  std::printf("pct_peak uses the measured peak of the config's vector width; pct_nominal the nominal one.\n");
}

// Times the benchmark loop itself: wall time (what a caller waits for; used with threads > 1) and
// this thread's CPU time (robust when other processes share the core; used single-threaded).
struct LoopTimer {
  std::chrono::steady_clock::time_point wall0;
  timespec cpu0{};
  LoopTimer() {
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    wall0 = std::chrono::steady_clock::now();
  }
  double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count(); }
  double cpu() const {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec - cpu0.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec - cpu0.tv_nsec);
  }
};

inline std::vector<float> random_vec(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// The benchmarks' main(): google-benchmark's flags, then the peaks and how they were derived
// (print_peaks, when given), then the benchmarks register_all adds.
inline int bench_main(int argc, char** argv, void (*print_peaks)(), void (*register_all)()) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (print_peaks != nullptr) print_peaks();
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace eir::bench
