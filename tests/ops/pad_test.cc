// PAD / PADV2 reference kernel: any dtype, constant paddings, zero-point padding of quantized types.
#include <catch2/catch.hpp>

#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::pad_kernel;

TEST_CASE("pad float32 with int32 and int64 paddings", "[ops][pad]") {
  const std::vector<float> expected = {0, 0, 0, 0, 0,  //
                                       1, 2, 3, 0, 0,  //
                                       4, 5, 6, 0, 0};
  SECTION("int32 paddings") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kF32, {2, 3}, iota_f(6));
    t.add_constant(DType::kI32, {2, 2}, std::vector<int32_t>{1, 0, 0, 2});
    int y = t.add_output(DType::kF32);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.shape(y) == Shape{3, 5});
    CHECK(t.output_values<float>(y) == expected);
  }
  SECTION("int64 paddings") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kF32, {2, 3}, iota_f(6));
    t.add_constant(DType::kI64, {2, 2}, std::vector<int64_t>{1, 0, 0, 2});
    int y = t.add_output(DType::kF32);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<float>(y) == expected);
  }
}

TEST_CASE("pad an NHWC image (rank 4) and a rank-5 tensor", "[ops][pad]") {
  SECTION("rank 4, two channels") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kF32, {1, 1, 1, 2}, std::vector<float>{7, 8});
    t.add_constant(DType::kI32, {4, 2}, std::vector<int32_t>{0, 0, 1, 0, 0, 1, 0, 0});
    int y = t.add_output(DType::kF32);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.shape(y) == Shape{1, 2, 2, 2});
    CHECK(t.output_values<float>(y) == std::vector<float>{0, 0, 0, 0, 7, 8, 0, 0});
  }
  SECTION("rank 5") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kI32, {1, 1, 1, 1, 2}, std::vector<int32_t>{3, 4});
    t.add_constant(DType::kI32, {5, 2}, std::vector<int32_t>{1, 0, 0, 0, 0, 0, 0, 0, 1, 1});
    int y = t.add_output(DType::kI32);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.shape(y) == Shape{2, 1, 1, 1, 4});
    CHECK(t.output_values<int32_t>(y) == std::vector<int32_t>{0, 0, 0, 0, 0, 3, 4, 0});
  }
}

TEST_CASE("pad value by dtype and quantization", "[ops][pad]") {
  SECTION("uint8 pads with the output zero point") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kU8, {2}, std::vector<uint8_t>{1, 2}, qp(0.5f, 128));
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{1, 1});
    int y = t.add_output(DType::kU8, qp(0.5f, 128));
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{128, 1, 2, 128});
  }
  SECTION("quantized int8 pads with the output zero point") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kI8, {2}, std::vector<int8_t>{1, 2}, qp(0.5f, -3));
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{0, 1});
    int y = t.add_output(DType::kI8, qp(0.5f, -3));
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{1, 2, -3});
  }
  SECTION("quantized int16 pads with the output zero point") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kI16, {1}, std::vector<int16_t>{300}, qp(0.5f, 0));
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{1, 0});
    int y = t.add_output(DType::kI16, qp(0.5f, 0));
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<int16_t>(y) == std::vector<int16_t>{0, 300});
  }
  SECTION("plain int8 pads with 0") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kI8, {1}, std::vector<int8_t>{5});
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{1, 0});
    int y = t.add_output(DType::kI8);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{0, 5});
  }
  SECTION("PADV2 uses its constant value") {
    OpTester t(BuiltinOp::kPadV2);
    t.add_input(DType::kF32, {2}, std::vector<float>{1, 2});
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{1, 2});
    t.add_constant(DType::kF32, {}, std::vector<float>{-9.5f});
    int y = t.add_output(DType::kF32);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<float>(y) == std::vector<float>{-9.5f, 1, 2, -9.5f, -9.5f});
  }
  SECTION("PADV2 quantized uint8 constant") {
    OpTester t(BuiltinOp::kPadV2);
    t.add_input(DType::kU8, {1}, std::vector<uint8_t>{7}, qp(0.5f, 10));
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{0, 1});
    t.add_constant(DType::kU8, {1}, std::vector<uint8_t>{200}, qp(0.5f, 10));
    int y = t.add_output(DType::kU8, qp(0.5f, 10));
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{7, 200});
  }
  SECTION("a scalar input is copied") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kF32, {}, std::vector<float>{3});
    t.add_constant(DType::kI32, {0, 2}, std::vector<int32_t>{});
    int y = t.add_output(DType::kF32);
    REQUIRE(t.run(pad_kernel()).ok());
    CHECK(t.output_values<float>(y) == std::vector<float>{3});
  }
}

TEST_CASE("pad rejects bad paddings and values", "[ops][pad]") {
  auto make = [](DType pad_dtype, Shape pad_shape, std::vector<int32_t> pads, bool constant = true) {
    auto t = std::make_unique<OpTester>(BuiltinOp::kPad);
    t->add_input(DType::kF32, {2, 3}, iota_f(6));
    if (constant) t->add_constant(pad_dtype, pad_shape, pads);
    else t->add_input(pad_dtype, pad_shape, pads);
    t->add_output(DType::kF32);
    return t;
  };
  SECTION("negative padding") { CHECK(!make(DType::kI32, {2, 2}, {0, -1, 0, 0})->run(pad_kernel()).ok()); }
  SECTION("paddings of the wrong shape") { CHECK(!make(DType::kI32, {1, 2}, {1, 1})->run(pad_kernel()).ok()); }
  SECTION("float paddings") { CHECK(!make(DType::kF32, {2, 2}, {0, 0, 0, 0})->run(pad_kernel()).ok()); }
  SECTION("non-constant paddings") {
    CHECK(make(DType::kI32, {2, 2}, {0, 0, 0, 0}, false)->run(pad_kernel()).code() == StatusCode::kUnsupported);
  }
  SECTION("rank 6") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kF32, {1, 1, 1, 1, 1, 1}, std::vector<float>{1});
    t.add_constant(DType::kI32, {6, 2}, std::vector<int32_t>(12, 0));
    t.add_output(DType::kF32);
    CHECK(t.run(pad_kernel()).code() == StatusCode::kUnsupported);
  }
  SECTION("PADV2 constant of another dtype") {
    OpTester t(BuiltinOp::kPadV2);
    t.add_input(DType::kF32, {1}, std::vector<float>{1});
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{1, 1});
    t.add_constant(DType::kI32, {}, std::vector<int32_t>{1});
    t.add_output(DType::kF32);
    CHECK(!t.run(pad_kernel()).ok());
  }
  SECTION("PADV2 quantized constant with another zero point") {
    OpTester t(BuiltinOp::kPadV2);
    t.add_input(DType::kU8, {1}, std::vector<uint8_t>{7}, qp(0.5f, 10));
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{0, 1});
    t.add_constant(DType::kU8, {1}, std::vector<uint8_t>{200}, qp(0.5f, 11));
    t.add_output(DType::kU8, qp(0.5f, 10));
    CHECK(!t.run(pad_kernel()).ok());
  }
  SECTION("output dtype differs") {
    OpTester t(BuiltinOp::kPad);
    t.add_input(DType::kF32, {1}, std::vector<float>{1});
    t.add_constant(DType::kI32, {1, 2}, std::vector<int32_t>{1, 1});
    t.add_output(DType::kI32);
    CHECK(!t.run(pad_kernel()).ok());
  }
}

}  // namespace
}  // namespace eir::testing
