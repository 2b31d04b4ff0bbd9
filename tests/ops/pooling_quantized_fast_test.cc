// The quantized AVERAGE_POOL_2D fast driver (kernels/fast/pooling_quantized.cc) against the
// reference kernel, through OpTester: random uint8 / int8 inputs, windows, strides, SAME / VALID,
// activations and zero points (the output keeps the input's quantization; the clamp uses the
// output's), global windows, a window above 2^15 elements (the integer division), and 1 or 2
// threads. Outputs must be identical byte for byte.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

QuantParams qparams(float scale, int32_t zp) {
  QuantParams q;
  q.scales = {scale};
  q.zero_points = {zp};
  return q;
}

struct PoolSpec {
  bool u8 = true;
  int batch = 1, h = 7, w = 7, c = 16;
  PoolParams p;
  float in_scale = 0.02f, out_scale = 0.02f;
  int32_t in_zp = 0, out_zp = 0;
};

OpTester make_pool(const PoolSpec& s, const std::vector<uint8_t>& x) {
  const DType dt = s.u8 ? DType::kU8 : DType::kI8;
  OpTester t(BuiltinOp::kAveragePool2D);
  t.add_input(dt, {s.batch, s.h, s.w, s.c}, x, qparams(s.in_scale, s.in_zp));
  t.add_output(dt, qparams(s.out_scale, s.out_zp));
  t.node().params = s.p;
  return t;
}

void compare_pool(const PoolSpec& s, std::mt19937& rng) {
  INFO((s.u8 ? "uint8" : "int8") << " " << s.batch << "x" << s.h << "x" << s.w << "x" << s.c << " window "
                                 << s.p.filter_h << "x" << s.p.filter_w << " stride " << s.p.stride_h << "x"
                                 << s.p.stride_w << (s.p.padding == Padding::kSame ? " SAME" : " VALID") << " act "
                                 << static_cast<int>(s.p.activation) << " zp in/out " << s.in_zp << "/" << s.out_zp);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> x(static_cast<size_t>(s.batch) * s.h * s.w * s.c);
  // Runs of extremes as well as uniform bytes: sums at the ends of their range.
  const int mode = byte(rng) % 3;
  for (auto& v : x) v = static_cast<uint8_t>(mode == 0 ? byte(rng) : mode == 1 ? (s.u8 ? 255 : 127) : (s.u8 ? 0 : 128));
  OpTester ref = make_pool(s, x);
  const Status ref_status = ref.run(ref::average_pool2d_quantized_kernel());
  const int out = ref.node().outputs[0];
  const Kernel k = fast::average_pool2d_quantized_kernel();
  for (int threads : {1, 2}) {
    OpTester t = make_pool(s, x);
    REQUIRE(k.supports(t.node(), t.tensors()));
    const Status st = t.run(k, threads);
    REQUIRE(st.ok() == ref_status.ok());
    if (!st.ok()) continue;
    CHECK(t.shape(out) == ref.shape(out));
    CHECK(t.output_values<uint8_t>(out) == ref.output_values<uint8_t>(out));
  }
}

const Activation kActs[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};

TEST_CASE("fast quantized average pool matches the reference bit for bit", "[ops][pool][fast][quantized]") {
  std::mt19937 rng(606);
  std::uniform_int_distribution<int> coin(0, 1), size(1, 12), win(1, 5), stride(1, 3), chans(1, 150), act(0, 3);
  std::uniform_int_distribution<int> u8zp(0, 255), i8zp(-128, 127);
  for (int iter = 0; iter < 120; ++iter) {
    PoolSpec s;
    s.u8 = coin(rng) != 0;
    s.batch = iter % 6 == 0 ? 2 : 1;
    s.h = size(rng), s.w = size(rng), s.c = chans(rng);
    s.p.filter_h = win(rng), s.p.filter_w = win(rng);
    s.p.stride_h = stride(rng), s.p.stride_w = stride(rng);
    s.p.padding = coin(rng) ? Padding::kSame : Padding::kValid;
    s.p.activation = kActs[act(rng)];
    s.in_zp = s.u8 ? u8zp(rng) : i8zp(rng);
    s.out_zp = s.u8 ? u8zp(rng) : i8zp(rng);
    s.out_scale = coin(rng) ? s.in_scale : 0.05f;
    compare_pool(s, rng);
  }
}

TEST_CASE("fast quantized average pool: global windows and large counts", "[ops][pool][fast][quantized]") {
  std::mt19937 rng(607);
  for (bool u8 : {true, false}) {
    PoolSpec s;
    s.u8 = u8;
    s.h = s.w = 7, s.c = 256;  // MobileNet's global pool
    s.p.filter_h = s.p.filter_w = 7;
    compare_pool(s, rng);
    s.h = s.w = 14, s.c = 70;
    s.p.filter_h = s.p.filter_w = 14;
    compare_pool(s, rng);
    s.h = s.w = 200, s.c = 2;  // 40000 elements: past the float quotient's range
    s.p.filter_h = s.p.filter_w = 200;
    compare_pool(s, rng);
  }
}

}  // namespace
}  // namespace eir::testing
