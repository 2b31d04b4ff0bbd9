// qs8 depthwise-convolution microkernels and the quantized DEPTHWISE_CONV_2D driver: GOP/s
// (2 ops per multiply-add, 9 per output of a 3x3 filter) and share of one core's VNNI peak.
//
//   row3x3/...: one call of a 3x3 row kernel (stride 1: two output rows; stride 2: one) on
//               L1-resident rows: the microkernel's own speed, edges included;
//   dw/...:     whole DEPTHWISE_CONV_2D nodes through the driver of every config this CPU can
//               run, on MobileNet shapes (v1 0.25 at 224: 8 to 256 channels; v2 1.0: 32 to 960).
//
// Counters: GOPS (per second of this thread's CPU time), pct_vnni_peak (of the VPDPBUSD zmm
// throughput measured at start-up, see qs8_bench_util.h), pct_nominal (of one VPDPBUSD zmm per
// cycle at "cpu MHz"). A depthwise convolution cannot reach that peak: VPDPBUSD does 4 of its 9
// taps per lane at best, and each output needs its own requantization.
//
//   qs8_dwconv_bench --benchmark_filter=row3x3 --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/ukernels/bench_peak.h"
#include "benchmarks/ukernels/node_harness.h"
#include "benchmarks/ukernels/qs8_bench_util.h"
#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/fast/qs8_dwconv3x3_pack.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir {
namespace {

using bench::LoopTimer;
using bench_qs8::random_bytes;
using bench_qs8::set_counters;

// ---- one 3x3 row-kernel call ----

void bm_row3x3(benchmark::State& state, eir_qs8_dwconv3x3_ukernel_fn fn, int stride, size_t width, size_t channels,
               bool u8) {
  const size_t in_w = stride == 1 ? width : 2 * width;
  const bool pairs = stride == 1 && channels == 8;
  std::vector<uint8_t> filter = random_bytes(9 * channels, 3);
  std::vector<int32_t> bias(channels, 1000), mult(channels, 1500000000);
  std::vector<int> shift(channels, -8);
  fast::Qs8Dw3x3Filter f;
  f.channels = channels;
  f.u8 = u8;
  f.pixel_pairs = pairs;
  f.weights = filter.data();
  f.bias = bias.data();
  f.input_zero_point = u8 ? 3 : -3;
  f.weights_zero_point = u8 ? 120 : 0;
  f.multipliers = mult.data();
  f.shifts = shift.data();
  std::vector<uint8_t> packed(fast::qs8_dw3x3_packed_bytes(f));
  eir_qs8_dwconv3x3_params p{};
  p.output_zero_point = u8 ? 5 : -5;
  p.output_min = u8 ? 0 : -128;
  p.output_max = u8 ? 255 : 127;
  p.input_u8 = u8 ? 1 : 0;
  p.zero_byte = static_cast<uint8_t>(f.input_zero_point);
  p.simple_shift = fast::pack_qs8_dw3x3(f, packed.data()) ? 1 : 0;
  p.pixel_pairs = pairs ? 1 : 0;
  p.round_half_away = 1;  // TFLite's depthwise rounding (the clamp here does not make it moot)
  std::vector<std::vector<uint8_t>> rows;
  for (unsigned r = 0; r < 4; ++r) rows.push_back(random_bytes(in_w * channels, 10 + r));
  const uint8_t* rp[4] = {rows[0].data(), rows[1].data(), rows[2].data(), rows[3].data()};
  std::vector<uint8_t> out0(width * channels), out1(width * channels);
  LoopTimer timer;
  for (auto _ : state) {
    fn(channels, width, in_w, 1, rp, packed.data(), out0.data(), stride == 1 ? out1.data() : nullptr, &p);
    benchmark::ClobberMemory();
  }
  const double outputs = static_cast<double>(width * channels) * (stride == 1 ? 2 : 1);
  set_counters(state, 2.0 * 9.0 * outputs, timer.cpu());
}

// ---- DEPTHWISE_CONV_2D through the driver (pack and prepare once; run per iteration) ----

struct DwHarness : bench::NodeHarness {
  std::vector<uint8_t> x, f, y;
  std::vector<int32_t> b;

  bool init(Kernel k, int h, int w, int ch, int stride, bool u8) {
    kernel = std::move(k);
    const DType dt = u8 ? DType::kU8 : DType::kI8;
    x = random_bytes(static_cast<size_t>(h) * w * ch, 4);
    f = random_bytes(static_cast<size_t>(ch) * 9, 5);
    b.assign(static_cast<size_t>(ch), 100);
    auto q = [](float s, int32_t zp) {
      QuantParams qp;
      qp.scales = {s};
      qp.zero_points = {zp};
      return qp;
    };
    node.op = static_cast<int>(BuiltinOp::kDepthwiseConv2D);
    node.inputs = {add(dt, {1, h, w, ch}, x.data(), TensorKind::kActivation, q(0.02f, u8 ? 0 : -128)),
                   add(dt, {1, 3, 3, ch}, f.data(), TensorKind::kConstant, q(0.01f, u8 ? 120 : 0)),
                   add(DType::kI32, {ch}, b.data(), TensorKind::kConstant, QuantParams{})};
    node.outputs = {add(dt, {}, nullptr, TensorKind::kActivation, q(0.05f, u8 ? 0 : -128))};
    ConvParams p;
    p.padding = Padding::kSame;
    p.stride_h = p.stride_w = stride;
    p.activation = Activation::kRelu6;
    p.depth_multiplier = 1;
    node.params = p;
    if (!prepare()) return false;
    y.resize(static_cast<size_t>(output().num_elements()));
    output().data = y.data();
    return true;
  }
  double ops() const { return 2.0 * 9.0 * static_cast<double>(tensors[3].num_elements()); }
};

void bm_dw(benchmark::State& state, const Qs8DwconvConfig* c, int h, int w, int ch, int stride, bool u8, int threads) {
  DwHarness dw;
  if (!dw.init(fast::depthwise_conv2d_quantized_kernel(*c), h, w, ch, stride, u8)) {
    state.SkipWithError("dwconv init failed");
    return;
  }
  ThreadPool pool(threads);
  dw.run(&pool);
  LoopTimer timer;
  for (auto _ : state) {
    dw.run(&pool);
    benchmark::DoNotOptimize(dw.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, dw.ops(), threads == 1 ? timer.cpu() : timer.wall());
}

struct DwShape {
  const char* name;
  int h, w, ch, stride;
};
const DwShape kDwShapes[] = {
    // MobileNet v1 0.25 at 224 (input sizes)
    {"112x112x8_s1", 112, 112, 8, 1},
    {"112x112x16_s2", 112, 112, 16, 2},
    {"56x56x32_s1", 56, 56, 32, 1},
    {"28x28x64_s1", 28, 28, 64, 1},
    {"14x14x128_s1", 14, 14, 128, 1},
    {"7x7x256_s1", 7, 7, 256, 1},
    // MobileNet v2 1.0
    {"112x112x32_s1", 112, 112, 32, 1},
    {"112x112x96_s2", 112, 112, 96, 2},
    {"56x56x144_s1", 56, 56, 144, 1},
    {"14x14x576_s1", 14, 14, 576, 1},
    {"7x7x960_s1", 7, 7, 960, 1},
};

void register_all() {
  const CpuFeatures& features = detected_cpu_features();
  for (const Qs8DwconvConfig* c : qs8_dwconv_configs_available(features)) {
    for (int stride : {1, 2}) {
      eir_qs8_dwconv3x3_ukernel_fn fn = stride == 1 ? c->dw3x3_s1 : c->dw3x3_s2;
      if (fn == nullptr) continue;
      for (size_t ch : {8, 16, 32, 64, 128})
        for (bool u8 : {false, true})
          benchmark::RegisterBenchmark(("row3x3/" + std::string(c->isa) + "/s" + std::to_string(stride) +
                                        (u8 ? "/uint8/" : "/int8/") + "w56_c" + std::to_string(ch))
                                           .c_str(),
                                       bm_row3x3, fn, stride, size_t{56}, ch, u8);
    }
    for (const DwShape& s : kDwShapes)
      for (bool u8 : {false, true})
        benchmark::RegisterBenchmark(("dw/" + std::string(c->isa) + (u8 ? "/uint8/" : "/int8/") + s.name).c_str(),
                                     bm_dw, c, s.h, s.w, s.ch, s.stride, u8, 1)
            ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) {
  return eir::bench::bench_main(argc, argv, eir::bench_qs8::print_peaks, eir::register_all);
}
