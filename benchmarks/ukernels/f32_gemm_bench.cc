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

#include "benchmarks/ukernels/bench_peak.h"
#include "benchmarks/ukernels/node_harness.h"
#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/f32_gemm_driver.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir {
namespace {

// Peak derivation, loop timer and inputs shared by the microkernel benchmarks.
using bench::LoopTimer;
using bench::random_vec;

void set_counters(benchmark::State& state, const F32GemmConfig& c, double flops_per_iter, double seconds) {
  const bench::Peak peak = bench::peak_for_isa(c.isa);
  const double gflops = flops_per_iter * static_cast<double>(state.iterations()) / std::max(seconds, 1e-12) / 1e9;
  state.counters["GFLOPS"] = gflops;
  state.counters["pct_peak"] = 100.0 * gflops / std::max(peak.measured, 1e-9);
  state.counters["pct_nominal"] = 100.0 * gflops / std::max(peak.nominal, 1e-9);
}


// ---- GEMM through the driver (packed weights, N chunking, single thread) ----

// `variant`: an index into c->variants, or -1 for the one the drivers pick (variant_for).
void bm_gemm(benchmark::State& state, const F32GemmConfig* c, size_t m, size_t n, size_t k, int threads, int variant) {
  const F32GemmVariant& v = variant < 0 ? c->variant_for(n) : c->variants[variant];
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

struct ConvHarness : bench::NodeHarness {
  std::vector<float> x, f, b, y;

  // NHWC input [1, h, w, ic], filter [oc, k, k, ic], SAME padding.
  bool init(const F32GemmConfig& c, int h, int w, int ic, int oc, int ks, int stride) {
    kernel = fast::conv2d_f32_kernel(c);
    x = random_vec(static_cast<size_t>(h) * w * ic, 4);
    f = random_vec(static_cast<size_t>(oc) * ks * ks * ic, 5);
    b = random_vec(static_cast<size_t>(oc), 6);
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
    if (!prepare()) return false;
    y.resize(static_cast<size_t>(output().num_elements()));
    output().data = reinterpret_cast<uint8_t*>(y.data());
    return true;
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
// Layers with few output channels, run on every tile of the config: variant_for picks the tile
// that pads N the least; these show what that choice is worth.
const GemmShape kNarrowGemmShapes[] = {
    {"pw_112x112_N8_K8", 112 * 112, 8, 8},
    {"pw_112x112_N16_K8", 112 * 112, 16, 8},
    {"pw_56x56_N24_K96", 56 * 56, 24, 96},
    {"pw_28x28_N40_K144", 28 * 28, 40, 144},
};

struct ConvShape {
  const char* name;
  int h, w, ic, oc, ks, stride;
};
const ConvShape kConvShapes[] = {
    {"224x224x3_3x3s2_32", 224, 224, 3, 32, 3, 2},
    {"224x224x3_3x3s2_8", 224, 224, 3, 8, 3, 2},
    {"56x56x64_3x3s1_64", 56, 56, 64, 64, 3, 1},
    {"28x28x128_3x3s1_128", 28, 28, 128, 128, 3, 1},
    {"14x14x256_3x3s1_256", 14, 14, 256, 256, 3, 1},
    {"56x56x64_1x1s1_256", 56, 56, 64, 256, 1, 1},
};

void register_all() {
  for (const F32GemmConfig* c : f32_gemm_configs_available(detected_cpu_features())) {
    for (const GemmShape& s : kGemmShapes) {
      benchmark::RegisterBenchmark((std::string("gemm/") + c->isa + "/" + s.name).c_str(), bm_gemm, c, s.m, s.n, s.k, 1, -1)
          ->Unit(benchmark::kMicrosecond);
    }
    for (const GemmShape& s : kNarrowGemmShapes) {
      for (size_t v = 0; v < c->num_variants; ++v) {
        benchmark::RegisterBenchmark((std::string("gemm/") + c->isa + "/" + s.name + "/" + c->variants[v].name).c_str(),
                                     bm_gemm, c, s.m, s.n, s.k, 1, static_cast<int>(v))
            ->Unit(benchmark::kMicrosecond);
      }
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

int main(int argc, char** argv) { return eir::bench::bench_main(argc, argv, eir::bench::print_peaks, eir::register_all); }
