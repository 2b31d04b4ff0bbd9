// f32 elementwise microkernels: GB/s (bytes read + written per second of this thread's CPU time)
// of the vbinary kernels (ADD/SUB/MUL, vector-vector and vector-scalar) and, for comparison, of
// the vunary activations (clamp, hard swish, sigmoid, PReLU), for every config this CPU can run,
// at sizes that live in L1 (16 KiB per operand), L2 (256 KiB) and beyond (4 MiB).
//
//   f32_vbinary_bench --benchmark_filter=avx512f/vadd
#include <benchmark/benchmark.h>

#include <string>
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
    for (const Size& s : kSizes)
      benchmark::RegisterBenchmark((isa + "/prelu_c32/" + s.name).c_str(), bm_prelu, c->prelu, s.n)
          ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) { return eir::bench::bench_main(argc, argv, nullptr, eir::register_all); }
