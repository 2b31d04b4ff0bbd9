// SVDF reference kernels (float32, and int8 with an int16 state).
#include <catch2/catch.hpp>

#include "kernels/reference/sequence_kernels.h"
#include "tests/ops/op_tester.h"

using namespace eir;
using eir::testing::OpTester;

namespace {

QuantParams q(float scale, int32_t zp = 0) { return QuantParams{{scale}, {zp}, 0}; }

struct FloatSvdf {
  OpTester t{BuiltinOp::kSvdf};
  int input = -1, state = -1, output = -1;
  // input_size 2, memory 2; weights_feature [num_filters, 2], weights_time [num_filters, 2].
  FloatSvdf(int rank, const std::vector<float>& wf, const std::vector<float>& wt, const std::vector<float>& bias,
            Activation act) {
    const int num_filters = static_cast<int>(wf.size()) / 2;
    input = t.add_input(DType::kF32, {1, 2}, std::vector<float>{0, 0});
    t.add_constant(DType::kF32, {num_filters, 2}, wf);
    t.add_constant(DType::kF32, {num_filters, 2}, wt);
    if (bias.empty()) t.add_absent_input();
    else t.add_constant(DType::kF32, {static_cast<int>(bias.size())}, bias);
    state = t.add_input(DType::kF32, {1, 2 * num_filters}, std::vector<float>(static_cast<size_t>(2 * num_filters), 0.0f));
    t.tensor(state).kind = TensorKind::kVariable;
    output = t.add_output(DType::kF32);
    t.node().params = SvdfParams{rank, act, false};
  }
  Status run(std::vector<float> x) {
    std::copy(x.begin(), x.end(), t.tensor(input).as<float>());
    return t.run(ref::svdf_f32_kernel());
  }
};

}  // namespace

TEST_CASE("SVDF float: memory shifts across runs (hand-computed)", "[ops][svdf]") {
  // Filter 0: feature [1, 2], time [1, 10] (oldest, newest); filter 1: feature [0.5, -1], time [2, -1].
  FloatSvdf m(1, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {0.5f, -0.5f}, Activation::kNone);
  REQUIRE(m.run({1, 1}).ok());
  CHECK(m.t.shape(m.output) == Shape{1, 2});
  // Activations 3 and -0.5 enter the newest slots: outputs 10*3 + 0.5 and -1*-0.5 - 0.5.
  CHECK(m.t.output_values<float>(m.output) == std::vector<float>{30.5f, 0.0f});
  CHECK(m.t.output_values<float>(m.state) == std::vector<float>{0, 3, 0, -0.5f});
  REQUIRE(m.run({2, 0}).ok());
  // State [3, 2 | -0.5, 1]: 1*3 + 10*2 + 0.5 and 2*-0.5 - 1*1 - 0.5.
  CHECK(m.t.output_values<float>(m.state) == std::vector<float>{3, 2, -0.5f, 1});
  CHECK(m.t.output_values<float>(m.output) == std::vector<float>{23.5f, -2.5f});
}

TEST_CASE("SVDF float: rank 2 sums filter pairs; RELU; no bias", "[ops][svdf]") {
  FloatSvdf m(2, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kRelu);
  REQUIRE(m.run({1, 1}).ok());
  CHECK(m.t.shape(m.output) == Shape{1, 1});
  CHECK(m.t.output_values<float>(m.output)[0] == Approx(30.0f + 0.5f));
  FloatSvdf neg(2, {-1, -2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kRelu);
  REQUIRE(neg.run({1, 1}).ok());
  CHECK(neg.t.output_values<float>(neg.output)[0] == 0.0f);  // -30 + 0.5 clamped by RELU
}

TEST_CASE("SVDF float: malformed nodes are refused", "[ops][svdf]") {
  SECTION("rank does not divide num_filters") {
    FloatSvdf m(3, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kNone);
    CHECK(!m.run({1, 1}).ok());
  }
  SECTION("rank 0") {
    FloatSvdf m(0, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kNone);
    CHECK(!m.run({1, 1}).ok());
  }
  SECTION("state of the wrong size") {
    FloatSvdf m(1, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kNone);
    m.t.tensor(m.state).shape = {1, 3};
    CHECK(!m.run({1, 1}).ok());
  }
  SECTION("state not a variable") {
    FloatSvdf m(1, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kNone);
    m.t.tensor(m.state).kind = TensorKind::kActivation;
    CHECK(!m.run({1, 1}).ok());
  }
  SECTION("bias of the wrong size") {
    FloatSvdf m(1, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {1, 2}, Activation::kNone);
    m.t.tensor(m.t.node().inputs[3]).shape = {1};
    CHECK(!m.run({1, 1}).ok());
  }
  SECTION("hybrid weights") {
    FloatSvdf m(1, {1, 2, 0.5f, -1}, {1, 10, 2, -1}, {}, Activation::kNone);
    m.t.tensor(m.t.node().inputs[1]).dtype = DType::kI8;
    CHECK(m.run({1, 1}).code() == StatusCode::kUnsupported);
  }
}

namespace {

struct IntSvdf {
  OpTester t{BuiltinOp::kSvdf};
  int input = -1, state = -1, output = -1;
  IntSvdf(float input_scale, int32_t input_zp, Activation act = Activation::kRelu) {
    input = t.add_input(DType::kI8, {1, 2}, std::vector<int8_t>{0, 0}, q(input_scale, input_zp));
    t.add_constant(DType::kI8, {2, 2}, std::vector<int8_t>{1, 2, 3, -1}, q(1.0f));
    t.add_constant(DType::kI16, {2, 2}, std::vector<int16_t>{1, 10, 2, -1}, q(1.0f));
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{5, 0}, q(1.0f));
    state = t.add_input(DType::kI16, {1, 4}, std::vector<int16_t>{0, 0, 0, 0}, q(1.0f));
    t.tensor(state).kind = TensorKind::kVariable;
    output = t.add_output(DType::kI8, q(1.0f, -128));
    t.node().params = SvdfParams{1, act, false};
  }
  Status run(std::vector<int8_t> x) {
    std::copy(x.begin(), x.end(), t.tensor(input).as<int8_t>());
    return t.run(ref::svdf_int8_kernel());
  }
  std::vector<int8_t> out() const { return t.output_values<int8_t>(output); }
  std::vector<int16_t> st() const { return t.output_values<int16_t>(state); }
};

}  // namespace

TEST_CASE("SVDF int8: unit scales, input zero point, int8 clamp as RELU", "[ops][svdf][quantized]") {
  IntSvdf m(1.0f, /*input_zp=*/1);
  REQUIRE(m.run({3, 1}).ok());  // (x - zp) = [2, 0]: activations 2 and 6
  CHECK(m.st() == std::vector<int16_t>{0, 2, 0, 6});
  // Outputs 10*2 + 5 - 128 = -103 and -1*6 + 0 - 128 -> clamped to -128.
  CHECK(m.out() == std::vector<int8_t>{-103, -128});
  REQUIRE(m.run({3, 1}).ok());
  CHECK(m.st() == std::vector<int16_t>{2, 2, 6, 6});
  CHECK(m.out() == std::vector<int8_t>{-101, -122});  // 2 + 20 + 5 and 12 - 6
}

TEST_CASE("SVDF int8: requantization rounds and saturates the int16 state", "[ops][svdf][quantized]") {
  SECTION("half-way values round away from zero") {
    IntSvdf m(0.5f, 0);
    REQUIRE(m.run({1, 1}).ok());  // activations 3 * 0.5 = 1.5 -> 2 and 2 * 0.5 = 1
    CHECK(m.st() == std::vector<int16_t>{0, 2, 0, 1});
  }
  SECTION("large activations saturate at int16") {
    IntSvdf m(100000.0f, 0);
    REQUIRE(m.run({1, -1}).ok());  // activations -100000 and 400000
    CHECK(m.st() == std::vector<int16_t>{0, -32768, 0, 32767});
  }
}

TEST_CASE("SVDF int8: malformed nodes are refused", "[ops][svdf][quantized]") {
  SECTION("activation other than RELU") {
    IntSvdf m(1.0f, 0, Activation::kNone);
    CHECK(m.run({1, 1}).code() == StatusCode::kUnsupported);
  }
  SECTION("int8 time weights") {
    IntSvdf m(1.0f, 0);
    m.t.tensor(m.t.node().inputs[2]).dtype = DType::kI8;
    CHECK(!m.run({1, 1}).ok());
  }
  SECTION("missing quantization") {
    IntSvdf m(1.0f, 0);
    m.t.tensor(m.state).quant = QuantParams{};
    CHECK(!m.run({1, 1}).ok());
  }
}
