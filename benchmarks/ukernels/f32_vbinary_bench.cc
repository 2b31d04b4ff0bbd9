// f32 elementwise microkernels: GB/s (bytes read + written per second of this thread's CPU time)
// of the vbinary kernels (ADD/SUB/MUL, vector-vector and vector-scalar), of the vunary
// activations (clamp, hard swish, sigmoid, PReLU) and of the conversions (fp16 -> fp32 for weight
// folding, fp32 -> int8 / uint8 for QUANTIZE), for every config this CPU can run, at sizes that
// live in L1 (16 KiB per float operand), L2 (256 KiB) and beyond (4 MiB).
//
//   f32_vbinary_bench --benchmark_filter=avx512f/vadd
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "benchmarks/ukernels/bench_peak.h"
#include "kernels/configs/f32_misc_config.h"

namespace eir {
namespace {

void set_counters(benchmark::State& state, double bytes_per_iter, double elements_per_iter, double seconds) {
  const double iters = static_cast<double>(state.iterations());
  state.counters["GBps"] = bytes_per_iter * iters / std::max(seconds, 1e-12) / 1e9;
  state.counters["Gelem_per_s"] = elements_per_iter * iters / std::max(seconds, 1e-12) / 1e9;
}

void bm_binary(benchmark::State& state, eir_f32_vbinary_ukernel_fn fn, bool scalar_b, size_t n) {
  const auto a = bench::random_vec(n, 1), b = bench::random_vec(scalar_b ? 1 : n, 2);
  std::vector<float> y(n);
  const eir_f32_minmax_params params{-1e30f, 1e30f};
  bench::LoopTimer timer;
  for (auto _ : state) {
    fn(n, a.data(), b.data(), y.data(), &params);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, static_cast<double>(n) * sizeof(float) * (scalar_b ? 2 : 3), static_cast<double>(n), timer.cpu());
}

void bm_unary(benchmark::State& state, eir_f32_vunary_ukernel_fn fn, size_t n) {
  const auto x = bench::random_vec(n, 3);
  std::vector<float> y(n);
  const eir_f32_minmax_params params{0.0f, 6.0f};
  bench::LoopTimer timer;
  for (auto _ : state) {
    fn(n, x.data(), y.data(), &params);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, static_cast<double>(n) * sizeof(float) * 2, static_cast<double>(n), timer.cpu());
}

void bm_prelu(benchmark::State& state, eir_f32_prelu_ukernel_fn fn, size_t n) {
  const size_t channels = 32, rows = n / channels;
  const auto x = bench::random_vec(rows * channels, 4), alpha = bench::random_vec(channels, 5);
  std::vector<float> y(rows * channels);
  bench::LoopTimer timer;
  for (auto _ : state) {
    fn(rows, channels, x.data(), alpha.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, static_cast<double>(rows * channels) * sizeof(float) * 2, static_cast<double>(rows * channels),
               timer.cpu());
}

void bm_f16_to_f32(benchmark::State& state, eir_f16_f32_vcvt_ukernel_fn fn, size_t n) {
  std::vector<uint16_t> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = static_cast<uint16_t>(0x3000 + (i * 7) % 0x1000);  // finite halves
  std::vector<float> y(n);
  bench::LoopTimer timer;
  for (auto _ : state) {
    fn(n, x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, static_cast<double>(n) * (sizeof(uint16_t) + sizeof(float)), static_cast<double>(n), timer.cpu());
}

template <class Out, class Fn>
void bm_quantize(benchmark::State& state, Fn fn, size_t n) {
  const auto x = bench::random_vec(n, 6);
  std::vector<Out> y(n);
  const eir_f32_qvcvt_params params{0.0078125, std::is_signed<Out>::value ? 0 : 128, std::is_signed<Out>::value ? -128 : 0,
                                    std::is_signed<Out>::value ? 127 : 255};
  bench::LoopTimer timer;
  for (auto _ : state) {
    fn(n, x.data(), y.data(), &params);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, static_cast<double>(n) * (sizeof(float) + sizeof(Out)), static_cast<double>(n), timer.cpu());
}

struct Size {
  const char* name;
  size_t n;
};
const Size kSizes[] = {{"4K", 4096}, {"64K", 65536}, {"1M", 1 << 20}};

void register_all() {
  for (const F32MiscConfig* c : f32_misc_configs_available(detected_cpu_features())) {
    const std::string isa = c->isa;
    struct Binary {
      const char* name;
      eir_f32_vbinary_ukernel_fn fn;
      bool scalar_b;
    };
    const Binary binaries[] = {{"vadd", c->vadd, false},  {"vsub", c->vsub, false},    {"vmul", c->vmul, false},
                               {"vaddc", c->vaddc, true}, {"vrsubc", c->vrsubc, true}, {"vmulc", c->vmulc, true}};
    for (const Binary& k : binaries)
      for (const Size& s : kSizes)
        benchmark::RegisterBenchmark((isa + "/" + k.name + "/" + s.name).c_str(), bm_binary, k.fn, k.scalar_b, s.n)
            ->Unit(benchmark::kMicrosecond);
    struct Unary {
      const char* name;
      eir_f32_vunary_ukernel_fn fn;
    };
    const Unary unaries[] = {{"vclamp", c->vclamp}, {"vhswish", c->vhswish}, {"vsigmoid", c->vsigmoid}};
    for (const Unary& k : unaries)
      for (const Size& s : kSizes)
        benchmark::RegisterBenchmark((isa + "/" + k.name + "/" + s.name).c_str(), bm_unary, k.fn, s.n)
            ->Unit(benchmark::kMicrosecond);
    for (const Size& s : kSizes) {
      benchmark::RegisterBenchmark((isa + "/prelu_c32/" + s.name).c_str(), bm_prelu, c->prelu, s.n)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark((isa + "/f16_to_f32/" + s.name).c_str(), bm_f16_to_f32, c->f16_to_f32, s.n)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark((isa + "/f32_to_qs8/" + s.name).c_str(), bm_quantize<int8_t, eir_f32_qs8_vcvt_ukernel_fn>,
                                   c->f32_to_qs8, s.n)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark((isa + "/f32_to_qu8/" + s.name).c_str(), bm_quantize<uint8_t, eir_f32_qu8_vcvt_ukernel_fn>,
                                   c->f32_to_qu8, s.n)
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) { return eir::bench::bench_main(argc, argv, nullptr, eir::register_all); }
