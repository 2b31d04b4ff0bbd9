// qs8 GEMM microkernels, the 3x3 stride-2 stem kernel, the quantized CONV_2D / FULLY_CONNECTED
// drivers and the quantized DEPTHWISE_CONV_2D driver: GOP/s (2 ops per multiply-add: 2*M*N*K for
// a GEMM) and share of one core's VNNI peak, for every config this CPU can run.
//
// Counters: GOPS (per second of this thread's CPU time when single-threaded, of wall time with 2
// threads), pct_vnni_peak and pct_nominal (qs8_bench_util.h: the VPDPBUSD zmm throughput measured
// on this core at start-up, and one VPDPBUSD zmm per cycle at "cpu MHz"). Both peaks, and how
// they were derived, are printed first. Every config is compared with the same VNNI peak, so the AVX2 and scalar
// numbers show how far they are from what this core can do with 8-bit integers.
//
//   qs8_gemm_bench --benchmark_filter=avx512vnni --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/ukernels/bench_peak.h"
#include "benchmarks/ukernels/node_harness.h"
#include "benchmarks/ukernels/qs8_bench_util.h"
#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/fast/qs8_conv3x3s2c3_pack.h"
#include "kernels/fast/qs8_gemm_driver.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir {
namespace {

using bench::LoopTimer;
using bench_qs8::print_peaks;
using bench_qs8::random_bytes;
using bench_qs8::set_counters;

struct PackedProblem {
  std::vector<uint8_t> w;
  std::vector<int32_t> bias, mult;
  std::vector<int> shift;
  fast::PackedQs8Weights packed;
  eir_qs8_gemm_params params{};
  bool init(const Qs8GemmVariant& v, size_t n, size_t kc, size_t ks, bool u8, int32_t wzp) {
    w = random_bytes(n * kc * ks, 2);
    bias.assign(n, 1000);
    mult.assign(n, 1500000000);
    shift.assign(n, -9);
    fast::Qs8GemmProblem pr;
    pr.n = n, pr.kc = kc, pr.ks = ks;
    pr.weights = w.data();
    pr.weights_u8 = u8;
    pr.weights_zero_point = wzp;
    pr.bias = bias.data();
    pr.input_u8 = u8;
    pr.input_zero_point = u8 ? 128 : 0;
    pr.multipliers = mult.data();
    pr.shifts = shift.data();
    if (!fast::pack_qs8_gemm_weights(v, pr, &packed).ok()) return false;
    params.output_zero_point = 3;
    params.output_min = u8 ? 0 : -128;
    params.output_max = u8 ? 255 : 127;
    params.a_xor = packed.a_xor;
    params.round_half_away = u8 ? 1 : 0;
    params.simple_shift = packed.simple_shift ? 1 : 0;  // what run_qs8_gemm passes (bm_tile calls the kernel)
    return true;
  }
};

// ---- one microkernel call on an L1-resident tile (MR x NR x K): the kernel's own speed ----

void bm_tile(benchmark::State& state, const Qs8GemmVariant* v, size_t k, bool u8) {
  PackedProblem p;
  if (!p.init(*v, v->nr, k, 1, u8, u8 ? 128 : 0)) {
    state.SkipWithError("pack failed");
    return;
  }
  const auto a = random_bytes(v->mr * k, 1);
  std::vector<uint8_t> c(v->mr * v->nr);
  LoopTimer timer;
  for (auto _ : state) {
    v->gemm(v->mr, v->nr, k, reinterpret_cast<const int8_t*>(a.data()), k, p.packed.data(),
            reinterpret_cast<int8_t*>(c.data()), v->nr, nullptr, &p.params);
    benchmark::ClobberMemory();
  }
  set_counters(state, 2.0 * static_cast<double>(v->mr) * v->nr * k, timer.cpu());
  state.SetLabel(v->name);
}

// ---- the 3x3 stride-2 3-channel stem kernel: one output row (L1-resident input rows) ----

void bm_stem(benchmark::State& state, eir_qs8_conv3x3s2c3_ukernel_fn fn, size_t out_w, size_t oc, bool u8) {
  const size_t in_w = 2 * out_w;
  const auto filter = random_bytes(oc * 27, 3);
  std::vector<int32_t> bias(oc, 1000), mult(oc, 1500000000);
  std::vector<int> shift(oc, -8);
  fast::Qs8Conv3x3s2c3Filter f;
  f.output_channels = oc;
  f.u8 = u8;
  f.weights = filter.data();
  f.bias = bias.data();
  f.input_zero_point = u8 ? 128 : 0;
  f.weights_zero_point = u8 ? 120 : 0;
  f.multipliers = mult.data();
  f.shifts = shift.data();
  std::vector<uint8_t> packed(fast::qs8_conv3x3s2c3_packed_bytes(f));
  fast::pack_qs8_conv3x3s2c3(f, packed.data());
  eir_qs8_conv3x3s2c3_params p{};
  p.output_zero_point = 0;
  p.output_min = u8 ? 0 : -128;
  p.output_max = u8 ? 255 : 127;
  p.input_u8 = u8 ? 1 : 0;
  p.zero_byte = static_cast<uint8_t>(f.input_zero_point);
  p.round_half_away = 0;  // a RELU6-like clamp at the zero point: ties up
  std::vector<std::vector<uint8_t>> rows;
  for (unsigned r = 0; r < 3; ++r) rows.push_back(random_bytes(in_w * 3, 10 + r));
  const uint8_t* rp[3] = {rows[0].data(), rows[1].data(), rows[2].data()};
  std::vector<uint8_t> out(out_w * oc);
  LoopTimer timer;
  for (auto _ : state) {
    fn(out_w, oc, in_w, 0, rp, packed.data(), out.data(), &p);
    benchmark::ClobberMemory();
  }
  set_counters(state, 2.0 * 27.0 * static_cast<double>(out_w * oc), timer.cpu());
}

// ---- GEMM through the driver (packed weights, N chunking) ----

void bm_gemm(benchmark::State& state, const Qs8GemmConfig* c, size_t m, size_t n, size_t k, bool u8, int32_t wzp,
             int threads) {
  const Qs8GemmVariant& v = c->variant_for(n);
  PackedProblem p;
  if (!p.init(v, n, k, 1, u8, wzp)) {
    state.SkipWithError("pack failed");
    return;
  }
  const auto a = random_bytes(m * k, 1);
  std::vector<uint8_t> out(m * n);
  std::vector<int32_t> terms(m);
  ThreadPool pool(threads);
  LoopTimer timer;
  for (auto _ : state) {
    const int32_t* t = nullptr;
    if (p.packed.row_scale != 0) {
      fast::qs8_gemm_row_terms(p.packed, m, a.data(), k, terms.data(), &pool);
      t = terms.data();
    }
    fast::run_qs8_gemm(p.packed, m, a.data(), k, out.data(), n, t, p.params, &pool);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, 2.0 * static_cast<double>(m) * n * k, threads == 1 ? timer.cpu() : timer.wall());
  state.SetLabel(v.name);
}

// ---- CONV_2D through the fast driver (pack, prepare once; run per iteration) ----

struct ConvHarness : bench::NodeHarness {
  std::vector<uint8_t> x, f, y;
  std::vector<int32_t> b;

  // depthwise: DEPTHWISE_CONV_2D with oc == ic channels (kernel from the dwconv config).
  bool init(Kernel k, bool depthwise, int h, int w, int ic, int oc, int ks, int stride, bool u8, int32_t wzp) {
    kernel = std::move(k);
    const DType dt = u8 ? DType::kU8 : DType::kI8;
    x = random_bytes(static_cast<size_t>(h) * w * ic, 4);
    f = random_bytes(static_cast<size_t>(oc) * ks * ks * (depthwise ? 1 : ic), 5);
    b.assign(static_cast<size_t>(oc), 100);
    auto q = [](float s, int32_t zp) {
      QuantParams qp;
      qp.scales = {s};
      qp.zero_points = {zp};
      return qp;
    };
    node.op = static_cast<int>(depthwise ? BuiltinOp::kDepthwiseConv2D : BuiltinOp::kConv2D);
    const Shape fshape = depthwise ? Shape{1, ks, ks, oc} : Shape{oc, ks, ks, ic};
    node.inputs = {add(dt, {1, h, w, ic}, x.data(), TensorKind::kActivation, q(0.02f, u8 ? 120 : -3)),
                   add(dt, fshape, f.data(), TensorKind::kConstant, q(0.01f, u8 ? wzp : 0)),
                   add(DType::kI32, {oc}, b.data(), TensorKind::kConstant, QuantParams{})};
    node.outputs = {add(dt, {}, nullptr, TensorKind::kActivation, q(0.5f, u8 ? 7 : 2))};
    ConvParams p;
    p.padding = Padding::kSame;
    p.stride_h = p.stride_w = stride;
    p.activation = Activation::kRelu6;
    node.params = p;
    if (!prepare()) return false;
    y.resize(static_cast<size_t>(output().num_elements()));
    output().data = y.data();
    return true;
  }
  double ops() const {
    const Tensor& filter = tensors[1];
    const double per_output = node.op == static_cast<int>(BuiltinOp::kDepthwiseConv2D)
                                  ? static_cast<double>(filter.dim(1)) * filter.dim(2)
                                  : static_cast<double>(filter.dim(1)) * filter.dim(2) * filter.dim(3);
    return 2.0 * static_cast<double>(tensors[3].num_elements()) * per_output;
  }
};

void bm_conv(benchmark::State& state, const Qs8GemmConfig* c, int h, int w, int ic, int oc, int ks, int stride,
             bool u8, int32_t wzp, int threads) {
  ConvHarness conv;
  if (!conv.init(fast::conv2d_quantized_kernel(*c), false, h, w, ic, oc, ks, stride, u8, wzp)) {
    state.SkipWithError("conv init failed");
    return;
  }
  ThreadPool pool(threads);
  conv.run(&pool);  // builds the indirection buffer (once per input address)
  LoopTimer timer;
  for (auto _ : state) {
    conv.run(&pool);
    benchmark::DoNotOptimize(conv.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, conv.ops(), threads == 1 ? timer.cpu() : timer.wall());
  state.SetLabel(c->variant_for(static_cast<size_t>(oc)).name);
}

// ---- DEPTHWISE_CONV_2D through the fast driver ----

void bm_dwconv(benchmark::State& state, const Qs8DwconvConfig* c, int h, int w, int ch, int ks, int stride, bool u8,
               int threads) {
  ConvHarness conv;
  if (!conv.init(fast::depthwise_conv2d_quantized_kernel(*c), true, h, w, ch, ch, ks, stride, u8, u8 ? 110 : 0)) {
    state.SkipWithError("dwconv init failed");
    return;
  }
  ThreadPool pool(threads);
  conv.run(&pool);
  LoopTimer timer;
  for (auto _ : state) {
    conv.run(&pool);
    benchmark::DoNotOptimize(conv.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, conv.ops(), threads == 1 ? timer.cpu() : timer.wall());
  state.SetLabel(c->variant_for(static_cast<size_t>(ch)).name);
}

struct GemmShape {
  const char* name;
  size_t m, n, k;
};
const GemmShape kGemmShapes[] = {
    {"256x256x256", 256, 256, 256},
    {"pw_112x112_N16_K32", 112 * 112, 16, 32},
    {"pw_56x56_N24_K144", 56 * 56, 24, 144},
    {"pw_28x28_N192_K32", 28 * 28, 192, 32},
    {"pw_14x14_N384_K64", 14 * 14, 384, 64},
    {"pw_7x7_N960_K160", 7 * 7, 960, 160},
    {"pw_7x7_N1280_K320", 7 * 7, 1280, 320},
    {"fc_M1_N1001_K1280", 1, 1001, 1280},
};

struct ConvShape {
  const char* name;
  int h, w, ic, oc, ks, stride;
};
const ConvShape kConvShapes[] = {
    {"224x224x3_3x3s2_32", 224, 224, 3, 32, 3, 2},
    {"224x224x3_3x3s2_8", 224, 224, 3, 8, 3, 2},
    {"112x112x8_1x1s1_16", 112, 112, 8, 16, 1, 1},
    {"56x56x16_1x1s1_32", 56, 56, 16, 32, 1, 1},
    {"56x56x32_1x1s1_32", 56, 56, 32, 32, 1, 1},
    {"14x14x128_1x1s1_128", 14, 14, 128, 128, 1, 1},
    {"56x56x64_3x3s1_64", 56, 56, 64, 64, 3, 1},
    {"14x14x256_3x3s1_256", 14, 14, 256, 256, 3, 1},
    {"56x56x64_1x1s1_256", 56, 56, 64, 256, 1, 1},
};

struct DwShape {
  const char* name;
  int h, w, ch, ks, stride;
};
const DwShape kDwShapes[] = {
    {"112x112x32_3x3s1", 112, 112, 32, 3, 1},
    {"112x112x96_3x3s2", 112, 112, 96, 3, 2},
    {"56x56x144_3x3s1", 56, 56, 144, 3, 1},
    {"14x14x576_3x3s1", 14, 14, 576, 3, 1},
    {"7x7x960_3x3s1", 7, 7, 960, 3, 1},
};

void register_all() {
  for (const Qs8GemmConfig* c : qs8_gemm_configs_available(detected_cpu_features())) {
    if (c->conv3x3s2c3 == nullptr) continue;
    for (size_t oc : {8, 16, 32})
      for (bool u8 : {false, true})
        benchmark::RegisterBenchmark(("stem/" + std::string(c->isa) + (u8 ? "/uint8" : "/int8") + "/w112_oc" +
                                      std::to_string(oc))
                                         .c_str(),
                                     bm_stem, c->conv3x3s2c3, size_t{112}, oc, u8);
  }
  for (const Qs8DwconvConfig* c : qs8_dwconv_configs_available(detected_cpu_features()))
    for (const DwShape& s : kDwShapes)
      for (bool u8 : {false, true})
        benchmark::RegisterBenchmark(("dwconv/" + std::string(c->isa) + (u8 ? "/uint8/" : "/int8/") + s.name).c_str(),
                                     bm_dwconv, c, s.h, s.w, s.ch, s.ks, s.stride, u8, 1)
            ->Unit(benchmark::kMicrosecond);
  for (const Qs8GemmConfig* c : qs8_gemm_configs_available(detected_cpu_features())) {
    const std::string isa = c->isa;
    for (size_t i = 0; i < c->num_variants; ++i)
      for (size_t k : {64, 256, 1024})
        benchmark::RegisterBenchmark(("tile/" + std::string(c->variants[i].name) + "/K" + std::to_string(k)).c_str(),
                                     bm_tile, &c->variants[i], k, false);
    for (const GemmShape& s : kGemmShapes) {
      // int8 (symmetric weights), uint8 with weight zero point 128 (no row terms) and 100 (row terms).
      const struct {
        const char* tag;
        bool u8;
        int32_t wzp;
      } kinds[] = {{"int8", false, 0}, {"uint8", true, 128}, {"uint8_zw100", true, 100}};
      for (const auto& kd : kinds)
        benchmark::RegisterBenchmark(("gemm/" + isa + "/" + kd.tag + "/" + s.name).c_str(), bm_gemm, c, s.m, s.n, s.k,
                                     kd.u8, kd.wzp, 1)
            ->Unit(benchmark::kMicrosecond);
    }
    for (const ConvShape& s : kConvShapes)
      for (bool u8 : {false, true})
        for (int threads : {1, 2})
          benchmark::RegisterBenchmark(("conv/" + isa + (u8 ? "/uint8/" : "/int8/") + s.name + "/threads:" +
                                        std::to_string(threads))
                                           .c_str(),
                                       bm_conv, c, s.h, s.w, s.ic, s.oc, s.ks, s.stride, u8, u8 ? 110 : 0, threads)
              ->Unit(benchmark::kMicrosecond)
              ->UseRealTime();
  }
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) {
  return eir::bench::bench_main(argc, argv, eir::bench_qs8::print_peaks, eir::register_all);
}
