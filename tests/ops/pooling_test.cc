// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D float32 reference kernels: hand-computed cases.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::average_pool2d_f32_kernel;
using ref::l2_pool2d_f32_kernel;
using ref::max_pool2d_f32_kernel;

// A 1-high, 2-wide window moving 2 along the width.
PoolParams pool_1x2_stride_2(Padding padding, Activation act = Activation::kNone) {
  PoolParams p = pool_params(padding, 1, 1, act);
  p.filter_w = 2;
  p.stride_w = 2;
  return p;
}

struct PoolCase {
  OpTester t{BuiltinOp::kAveragePool2D};
  int out = -1;
  PoolCase(Shape in_shape, std::vector<float> in, PoolParams p) {
    t.add_input(DType::kF32, in_shape, in);
    out = t.add_output(DType::kF32);
    t.node().params = p;
  }
};

TEST_CASE("average pool counts only the valid elements of a padded window", "[ops][pool]") {
  SECTION("2x2 stride 2 SAME on 3x3: padding only at the end") {
    PoolCase c({1, 3, 3, 1}, iota_f(9), pool_params(Padding::kSame, 2, 2));
    REQUIRE(c.t.run(average_pool2d_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{1, 2, 2, 1});
    check_close(c.t.output_values<float>(c.out), {3, 4.5f, 7.5f, 9});
  }
  SECTION("3x3 stride 1 SAME on 3x3: one leading pad") {
    PoolCase c({1, 3, 3, 1}, iota_f(9), pool_params(Padding::kSame, 3, 1));
    REQUIRE(c.t.run(average_pool2d_f32_kernel()).ok());
    const auto y = c.t.output_values<float>(c.out);
    CHECK(y[0] == Approx((1 + 2 + 4 + 5) / 4.0));
    CHECK(y[1] == Approx((1 + 2 + 3 + 4 + 5 + 6) / 6.0));
    CHECK(y[4] == Approx(5));
    CHECK(y[8] == Approx((5 + 6 + 8 + 9) / 4.0));
  }
}

TEST_CASE("max pool, channels and batches", "[ops][pool]") {
  SECTION("2x2 stride 2 SAME on 3x3") {
    PoolCase c({1, 3, 3, 1}, iota_f(9), pool_params(Padding::kSame, 2, 2));
    REQUIRE(c.t.run(max_pool2d_f32_kernel()).ok());
    check_close(c.t.output_values<float>(c.out), {5, 6, 8, 9});
  }
  SECTION("per channel over 2 batches, VALID") {
    // Batch b, channel c holds (b*2 + c)*10 + position.
    std::vector<float> in;
    for (int b = 0; b < 2; ++b)
      for (int pos = 0; pos < 4; ++pos)
        for (int ch = 0; ch < 2; ++ch) in.push_back(static_cast<float>((b * 2 + ch) * 10 + pos));
    PoolCase c({2, 2, 2, 2}, in, pool_params(Padding::kValid, 2, 2));
    REQUIRE(c.t.run(max_pool2d_f32_kernel(), 2).ok());
    CHECK(c.t.shape(c.out) == Shape{2, 1, 1, 2});
    check_close(c.t.output_values<float>(c.out), {3, 13, 23, 33});
  }
  SECTION("RELU6 clamps both ways") {
    PoolCase c({1, 1, 4, 1}, {-5, -3, 7, 9}, pool_1x2_stride_2(Padding::kValid, Activation::kRelu6));
    REQUIRE(c.t.run(max_pool2d_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{1, 1, 2, 1});
    check_close(c.t.output_values<float>(c.out), {0, 6});
  }
}

TEST_CASE("L2 pool is the root mean square of the valid elements", "[ops][pool]") {
  // SAME over width 3: windows [0,1] and [2,3) clipped to [2].
  PoolCase c({1, 1, 3, 1}, {3, 4, 12}, pool_1x2_stride_2(Padding::kSame));
  REQUIRE(c.t.run(l2_pool2d_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 1, 2, 1});
  check_close(c.t.output_values<float>(c.out), {std::sqrt(12.5f), 12});
}

TEST_CASE("pooling rejects bad options and tensors", "[ops][pool]") {
  SECTION("filter 0") {
    PoolCase c({1, 2, 2, 1}, iota_f(4), pool_params(Padding::kValid, 0, 1));
    CHECK(!c.t.run(average_pool2d_f32_kernel()).ok());
  }
  SECTION("stride 0") {
    PoolCase c({1, 2, 2, 1}, iota_f(4), pool_params(Padding::kValid, 1, 0));
    CHECK(!c.t.run(max_pool2d_f32_kernel()).ok());
  }
  SECTION("rank 3 input") {
    PoolCase c({2, 2, 1}, iota_f(4), pool_params(Padding::kValid, 1, 1));
    CHECK(!c.t.run(max_pool2d_f32_kernel()).ok());
  }
  SECTION("int8 input goes to another kernel") {
    OpTester t(BuiltinOp::kMaxPool2D);
    t.add_input(DType::kI8, {1, 1, 1, 1}, std::vector<int8_t>{1});
    t.add_output(DType::kI8);
    t.node().params = pool_params(Padding::kValid, 1, 1);
    CHECK(!t.run(max_pool2d_f32_kernel()).ok());
  }
}

}  // namespace
}  // namespace eir::testing
