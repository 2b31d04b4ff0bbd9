// f32 GEMM microkernels and the CONV_2D / FULLY_CONNECTED drivers: GFLOP/s and share of one
// core's FMA peak, for every config this CPU can run.
//
// Counters: GFLOPS (2*M*N*K per iteration; per second of this thread's CPU time when
// single-threaded, so that other processes on the machine distort it less, and of wall time
// with 2 threads), pct_peak (of the FMA throughput measured on this core
// at start-up with independent FMAs of the config's vector width: the achievable peak at the
// clock the core really runs), pct_nominal (of 2 FMA units x lanes x 2 flops x "cpu MHz" from
// /proc/cpuinfo). Both peaks and how they were derived are printed first.
//
//   f32_gemm_bench --benchmark_filter=avx512f --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <time.h>
#include <vector>

#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/f32_gemm_driver.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir {
namespace {

// ---- peak ----

double cpu_mhz() {
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
// 12 independent accumulator chains of FMAs (enough to cover latency x throughput on current
// cores); `lanes` selects ymm (8) or zmm (16). Returns seconds for `iters` x 12 FMAs.
__attribute__((target("avx512f,fma"))) double fma_loop(long iters, int lanes) {
  const auto t0 = std::chrono::steady_clock::now();
#define EIR_F12(r)                                                                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "0\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "1\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "2\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "3\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "4\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "5\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "6\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "7\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "8\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "9\n\t"                                                   \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "10\n\t"                                                  \
  "vfmadd231ps %%" r "15, %%" r "14, %%" r "11\n\t"
  if (lanes == 16) {
    __asm__ volatile("vpxord %%zmm14, %%zmm14, %%zmm14\n\tvpxord %%zmm15, %%zmm15, %%zmm15\n\t1:\n\t" EIR_F12("zmm")
                     "dec %0\n\tjnz 1b\n\t"
                     : "+r"(iters)::"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm14", "xmm15", "cc");
  } else {
    __asm__ volatile("vxorps %%ymm14, %%ymm14, %%ymm14\n\tvxorps %%ymm15, %%ymm15, %%ymm15\n\t1:\n\t" EIR_F12("ymm")
                     "dec %0\n\tjnz 1b\n\t"
                     : "+r"(iters)::"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm14", "xmm15", "cc", "memory");
  }
#undef EIR_F12
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Best of many short runs: robust against other processes sharing the core.
double measured_peak_gflops(int lanes) {
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

// Per config ISA: the vector width its widest FMA uses.
Peak peak_for(const F32GemmConfig& c) {
  static const double mhz = cpu_mhz();
  Peak p;
#if defined(__x86_64__)
  const CpuFeatures& f = detected_cpu_features();
  const std::string isa = c.isa;
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
  p.nominal = 2.0 * 4 * 2 * mhz / 1e3;  // NEON: 2 FMA units x 4 lanes x 2 flops
  p.measured = p.nominal;
#endif
  return p;
}

void print_peaks() {
  const double mhz = cpu_mhz();
  std::printf("cpu MHz (/proc/cpuinfo): %.0f\n", mhz);
#if defined(__x86_64__)
  const CpuFeatures& f = detected_cpu_features();
  if (f.avx512f) {
    const double zmm = measured_peak_gflops(16);
    std::printf("zmm FMA peak: measured %.1f GFLOP/s (12 independent vfmadd231ps zmm chains, best of 300 runs):"
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

void set_counters(benchmark::State& state, const F32GemmConfig& c, double flops_per_iter, double seconds) {
  const Peak peak = peak_for(c);
  const double gflops = flops_per_iter * static_cast<double>(state.iterations()) / std::max(seconds, 1e-12) / 1e9;
  state.counters["GFLOPS"] = gflops;
  state.counters["pct_peak"] = 100.0 * gflops / std::max(peak.measured, 1e-9);
  state.counters["pct_nominal"] = 100.0 * gflops / std::max(peak.nominal, 1e-9);
}

std::vector<float> random_vec(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// ---- GEMM through the driver (packed weights, N chunking, single thread) ----

void bm_gemm(benchmark::State& state, const F32GemmConfig* c, size_t m, size_t n, size_t k, int threads) {
  const F32GemmVariant& v = c->variant_for(n);
  const auto a = random_vec(m * k, 1), w = random_vec(n * k, 2), bias = random_vec(n, 3);
  std::vector<float> out(m * n);
  fast::PackedGemmWeights packed;
  if (!fast::pack_gemm_weights(v, n, k, w.data(), bias.data(), &packed).ok()) {
    state.SkipWithError("pack failed");
    return;
  }
  ThreadPool pool(threads);
  const eir_f32_gemm_params params{-1e30f, 1e30f};
  LoopTimer timer;
  for (auto _ : state) {
    fast::run_gemm(packed, m, a.data(), k, out.data(), n, params, &pool);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, *c, 2.0 * static_cast<double>(m) * n * k, threads == 1 ? timer.cpu() : timer.wall());
  state.SetLabel(v.name);
}

// ---- CONV_2D through the fast driver (pack, prepare once; run per iteration) ----

struct ConvHarness {
  std::vector<Tensor> tensors;
  Node node;
  std::shared_ptr<const PackedWeights> packed;
  std::unique_ptr<KernelState> state;
  std::vector<float> x, f, b, y;
  std::unique_ptr<OwnedBuffer> scratch;
  Kernel kernel;

  // NHWC input [1, h, w, ic], filter [oc, k, k, ic], SAME padding.
  bool init(const F32GemmConfig& c, int h, int w, int ic, int oc, int ks, int stride) {
    kernel = fast::conv2d_f32_kernel(c);
    x = random_vec(static_cast<size_t>(h) * w * ic, 4);
    f = random_vec(static_cast<size_t>(oc) * ks * ks * ic, 5);
    b = random_vec(static_cast<size_t>(oc), 6);
    auto add = [&](DType dt, Shape shape, float* data, TensorKind kind) {
      Tensor t;
      t.dtype = dt;
      t.shape = std::move(shape);
      t.kind = kind;
      t.data = reinterpret_cast<uint8_t*>(data);
      tensors.push_back(std::move(t));
      return static_cast<int>(tensors.size()) - 1;
    };
    node.op = static_cast<int>(BuiltinOp::kConv2D);
    node.inputs = {add(DType::kF32, {1, h, w, ic}, x.data(), TensorKind::kActivation),
                   add(DType::kF32, {oc, ks, ks, ic}, f.data(), TensorKind::kConstant),
                   add(DType::kF32, {oc}, b.data(), TensorKind::kConstant)};
    node.outputs = {add(DType::kF32, {}, nullptr, TensorKind::kActivation)};
    ConvParams p;
    p.padding = Padding::kSame;
    p.stride_h = p.stride_w = stride;
    p.activation = Activation::kRelu6;
    node.params = p;
    auto pk = kernel.pack(node, tensors);
    if (!pk.ok()) return false;
    packed = std::move(pk).value();
    KernelContext ctx(node, 0, tensors);
    ctx.set_packed(packed.get());
    ctx.bind(KernelPhase::kPrepare, &state, nullptr, nullptr);
    if (!kernel.prepare(ctx).ok()) return false;
    y.resize(static_cast<size_t>(tensors[3].num_elements()));
    tensors[3].data = reinterpret_cast<uint8_t*>(y.data());
    scratch = std::make_unique<OwnedBuffer>(ctx.scratch_bytes());
    return true;
  }
  void run(ThreadPool* pool) {
    KernelContext ctx(node, 0, tensors);
    ctx.set_packed(packed.get());
    ctx.bind(KernelPhase::kRun, &state, scratch->data(), pool);
    (void)kernel.run(ctx);
  }
  double flops() const {
    const Tensor& out = tensors[3];
    const Tensor& filter = tensors[1];
    return 2.0 * static_cast<double>(out.num_elements()) * filter.dim(1) * filter.dim(2) * filter.dim(3);
  }
};

void bm_conv(benchmark::State& state, const F32GemmConfig* c, int h, int w, int ic, int oc, int ks, int stride,
             int threads) {
  ConvHarness conv;
  if (!conv.init(*c, h, w, ic, oc, ks, stride)) {
    state.SkipWithError("conv init failed");
    return;
  }
  // With several threads, also compare the CPU time all threads spend with the single-thread
  // CPU time of the same conv: on a machine shared with other work, wall time says more about
  // the neighbours than about us, while the CPU-time ratio shows the parallel overhead.
  double t1_cpu = 0.0;
  if (threads > 1) {
    ThreadPool one(1);
    conv.run(&one);
    t1_cpu = 1e30;
    for (int r = 0; r < 10; ++r) {
      LoopTimer t;
      conv.run(&one);
      t1_cpu = std::min(t1_cpu, t.cpu());
    }
  }
  ThreadPool pool(threads);
  conv.run(&pool);  // builds the indirection buffer (once per input address)
  timespec p0{}, p1{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p0);
  LoopTimer timer;
  for (auto _ : state) {
    conv.run(&pool);
    benchmark::DoNotOptimize(conv.y.data());
    benchmark::ClobberMemory();
  }
  const double wall = timer.wall();
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p1);
  set_counters(state, *c, conv.flops(), threads == 1 ? timer.cpu() : wall);
  if (threads > 1) {
    const double all_cpu = static_cast<double>(p1.tv_sec - p0.tv_sec) + 1e-9 * static_cast<double>(p1.tv_nsec - p0.tv_nsec);
    const double per_iter = all_cpu / static_cast<double>(std::max<int64_t>(state.iterations(), 1));
    // work_eff: 1-thread CPU time / CPU time of all threads (1 = no parallel overhead);
    // est_speedup: threads x work_eff, the speedup on otherwise idle cores with balanced chunks.
    state.counters["work_eff"] = t1_cpu / std::max(per_iter, 1e-12);
    state.counters["est_speedup"] = threads * t1_cpu / std::max(per_iter, 1e-12);
  }
  state.SetLabel(c->variant_for(static_cast<size_t>(oc)).name);
}

struct GemmShape {
  const char* name;
  size_t m, n, k;
};
const GemmShape kGemmShapes[] = {
    {"64x64x64", 64, 64, 64},
    {"256x256x256", 256, 256, 256},
    {"1024x1024x1024", 1024, 1024, 1024},
    {"conv1_112x112_N32_K27", 112 * 112, 32, 27},
    {"conv_56x56_N64_K576", 56 * 56, 64, 576},
    {"pw_28x28_N256_K128", 28 * 28, 256, 128},
    {"pw_14x14_N512_K512", 14 * 14, 512, 512},
    {"fc_M1_N1000_K1024", 1, 1000, 1024},
    {"fc_M1_N1000_K1280", 1, 1000, 1280},
};

struct ConvShape {
  const char* name;
  int h, w, ic, oc, ks, stride;
};
const ConvShape kConvShapes[] = {
    {"224x224x3_3x3s2_32", 224, 224, 3, 32, 3, 2},
    {"56x56x64_3x3s1_64", 56, 56, 64, 64, 3, 1},
    {"28x28x128_3x3s1_128", 28, 28, 128, 128, 3, 1},
    {"14x14x256_3x3s1_256", 14, 14, 256, 256, 3, 1},
    {"56x56x64_1x1s1_256", 56, 56, 64, 256, 1, 1},
};

void register_all() {
  for (const F32GemmConfig* c : f32_gemm_configs_available(detected_cpu_features())) {
    for (const GemmShape& s : kGemmShapes) {
      benchmark::RegisterBenchmark((std::string("gemm/") + c->isa + "/" + s.name).c_str(), bm_gemm, c, s.m, s.n, s.k, 1)
          ->Unit(benchmark::kMicrosecond);
    }
    for (const ConvShape& s : kConvShapes) {
      for (int threads : {1, 2}) {
        benchmark::RegisterBenchmark(
            (std::string("conv/") + c->isa + "/" + s.name + "/threads:" + std::to_string(threads)).c_str(), bm_conv, c,
            s.h, s.w, s.ic, s.oc, s.ks, s.stride, threads)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  eir::print_peaks();
  eir::register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
