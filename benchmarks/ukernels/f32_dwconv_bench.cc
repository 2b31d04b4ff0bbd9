// f32 depthwise convolution: GFLOP/s and share of one core's FMA peak (bench_peak.h) of every
// dwconv microkernel variant this CPU can run, on the layer shapes of the benchmark models
// (one output row per call, as the driver does), and of the DEPTHWISE_CONV_2D driver of each
// config with 1 and 2 threads.
//
// Counters: GFLOPS (2 * output elements * taps per iteration; per second of this thread's CPU
// time single-threaded, of wall time with 2 threads), pct_peak (of the measured FMA peak of the
// variant's vector width), pct_nominal (of 2 FMA units x lanes x 2 flops x "cpu MHz").
//
//   f32_dwconv_bench --benchmark_filter=avx512f --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/ukernels/bench_peak.h"
#include "benchmarks/ukernels/node_harness.h"
#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/window_indirection.h"
#include "kernels/reference/common.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir {
namespace {

struct DwShape {
  const char* name;
  int h, w, ch, k, stride;
};
// SAME padding, as in the models.
const DwShape kShapes[] = {
    {"face_64x64x24_3x3s1", 64, 64, 24, 3, 1},   {"face_32x32x32_3x3s1", 32, 32, 32, 3, 1},
    {"face_16x16x88_3x3s1", 16, 16, 88, 3, 1},   {"face_128x128x24_3x3s2", 128, 128, 24, 3, 2},
    {"mnv1_112x112x8_3x3s1", 112, 112, 8, 3, 1}, {"mnv1_56x56x32_3x3s1", 56, 56, 32, 3, 1},
    {"mnv1_14x14x128_3x3s1", 14, 14, 128, 3, 1}, {"palm_96x96x32_5x5s1", 96, 96, 32, 5, 1},
    {"palm_48x48x64_5x5s1", 48, 48, 64, 5, 1},   {"palm_24x24x128_5x5s1", 24, 24, 128, 5, 1},
    {"selfie_32x32x88_5x5s1", 32, 32, 88, 5, 1}, {"selfie_128x128x16_3x3s1", 128, 128, 16, 3, 1},
};

const char* isa_of(const F32DwconvVariant& v) {
  const std::string n = v.name;
  if (n.rfind("avx512f", 0) == 0) return "avx512f";
  if (n.rfind("avx2", 0) == 0) return "avx2";
  if (n.rfind("neon", 0) == 0) return "neon";
  return "scalar";
}

void set_counters(benchmark::State& state, const char* isa, double flops_per_iter, double seconds) {
  const bench::Peak peak = bench::peak_for_isa(isa);
  const double gflops = flops_per_iter * static_cast<double>(state.iterations()) / std::max(seconds, 1e-12) / 1e9;
  state.counters["GFLOPS"] = gflops;
  state.counters["pct_peak"] = 100.0 * gflops / std::max(peak.measured, 1e-9);
  state.counters["pct_nominal"] = 100.0 * gflops / std::max(peak.nominal, 1e-9);
}

fast::WindowGeometry geometry(const DwShape& s) {
  fast::WindowGeometry g;
  g.in_h = s.h;
  g.in_w = s.w;
  g.channels = s.ch;
  g.kernel_h = g.kernel_w = s.k;
  g.stride_h = g.stride_w = s.stride;
  g.out_h = ref::conv_output_size(Padding::kSame, s.h, s.k, s.stride, 1);
  g.out_w = ref::conv_output_size(Padding::kSame, s.w, s.k, s.stride, 1);
  g.pad_h = ref::conv_leading_padding(Padding::kSame, s.h, s.k, s.stride, 1, static_cast<int>(g.out_h));
  g.pad_w = ref::conv_leading_padding(Padding::kSame, s.w, s.k, s.stride, 1, static_cast<int>(g.out_w));
  return g;
}

// ---- one microkernel variant over a whole layer, single thread ----

void bm_ukernel(benchmark::State& state, const F32DwconvVariant* v, DwShape s) {
  const fast::WindowGeometry g = geometry(s);
  const size_t ch = static_cast<size_t>(s.ch), ks = static_cast<size_t>(s.k * s.k), ct = v->channel_tile;
  const auto x = bench::random_vec(static_cast<size_t>(s.h) * s.w * ch, 1);
  const std::vector<float> zero(ch, 0.0f);
  // Packed weights: the values do not matter for timing.
  const auto w = bench::random_vec((ch + ct - 1) / ct * (ks + 1) * ct, 2);
  std::vector<float> y(static_cast<size_t>(g.out_h * g.out_w) * ch);
  fast::WindowIndirection ind;
  if (!ind.plan(g, fast::WindowPadding::kZero).ok()) {
    state.SkipWithError("plan failed");
    return;
  }
  ThreadPool one(1);
  ind.update(x.data(), zero.data(), &one);
  const eir_f32_dwconv_ukernel_fn fn = v->select(s.k, s.k, s.stride, 1);
  const eir_f32_minmax_params params{0.0f, 6.0f};
  const size_t out_w = static_cast<size_t>(g.out_w), rows = static_cast<size_t>(g.out_h);
  bench::LoopTimer timer;
  for (auto _ : state) {
    for (size_t r = 0; r < rows; ++r)
      fn(ch, out_w, ks, ind.row(r), ind.pixel_step(), w.data(), y.data() + r * out_w * ch, &params);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, isa_of(*v), 2.0 * static_cast<double>(y.size()) * ks, timer.cpu());
  state.SetLabel(v->name);
}

// ---- the DEPTHWISE_CONV_2D driver (pack, prepare once; run per iteration) ----

struct DwHarness : bench::NodeHarness {
  std::vector<float> x, f, b, y;

  bool init(const F32MiscConfig& c, const DwShape& s) {
    kernel = fast::depthwise_conv2d_f32_kernel(c);
    x = bench::random_vec(static_cast<size_t>(s.h) * s.w * s.ch, 4);
    f = bench::random_vec(static_cast<size_t>(s.k) * s.k * s.ch, 5);
    b = bench::random_vec(static_cast<size_t>(s.ch), 6);
    node.op = static_cast<int>(BuiltinOp::kDepthwiseConv2D);
    node.inputs = {add(DType::kF32, {1, s.h, s.w, s.ch}, x.data(), TensorKind::kActivation),
                   add(DType::kF32, {1, s.k, s.k, s.ch}, f.data(), TensorKind::kConstant),
                   add(DType::kF32, {s.ch}, b.data(), TensorKind::kConstant)};
    node.outputs = {add(DType::kF32, {}, nullptr, TensorKind::kActivation)};
    ConvParams p;
    p.padding = Padding::kSame;
    p.stride_h = p.stride_w = s.stride;
    p.activation = Activation::kRelu6;
    node.params = p;
    if (!prepare()) return false;
    y.resize(static_cast<size_t>(output().num_elements()));
    output().data = reinterpret_cast<uint8_t*>(y.data());
    return true;
  }
};

void bm_driver(benchmark::State& state, const F32MiscConfig* c, DwShape s, int threads) {
  DwHarness dw;
  if (!dw.init(*c, s)) {
    state.SkipWithError("init failed");
    return;
  }
  ThreadPool pool(threads);
  dw.run(&pool);  // builds the indirection (once per input address)
  bench::LoopTimer timer;
  for (auto _ : state) {
    dw.run(&pool);
    benchmark::DoNotOptimize(dw.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, c->isa, 2.0 * static_cast<double>(dw.y.size()) * s.k * s.k,
               threads == 1 ? timer.cpu() : timer.wall());
  state.SetLabel(c->dwconv_for(static_cast<size_t>(s.ch)).name);
}

void register_all() {
  const CpuFeatures& f = detected_cpu_features();
  for (const F32DwconvVariant* v : f32_dwconv_variants_available(f))
    for (const DwShape& s : kShapes)
      benchmark::RegisterBenchmark((std::string("ukernel/") + v->name + "/" + s.name).c_str(), bm_ukernel, v, s)
          ->Unit(benchmark::kMicrosecond);
  for (const F32MiscConfig* c : f32_misc_configs_available(f))
    for (const DwShape& s : kShapes)
      for (int threads : {1, 2})
        benchmark::RegisterBenchmark(
            (std::string("driver/") + c->isa + "/" + s.name + "/threads:" + std::to_string(threads)).c_str(), bm_driver,
            c, s, threads)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) { return eir::bench::bench_main(argc, argv, eir::bench::print_peaks, eir::register_all); }
