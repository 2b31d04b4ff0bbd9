// FULLY_CONNECTED float32 reference kernel: hand-computed cases and output-shape rules.
#include <catch2/catch.hpp>

#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::fully_connected_f32_kernel;

FullyConnectedParams fc_params(Activation act = Activation::kNone, bool keep_num_dims = false) {
  FullyConnectedParams p;
  p.activation = act;
  p.keep_num_dims = keep_num_dims;
  return p;
}

// weights [2 units, 3] = [[1,0,1],[0,1,-1]].
struct FcCase {
  OpTester t{BuiltinOp::kFullyConnected};
  int out = -1;
  FcCase(Shape in_shape, std::vector<float> in, std::vector<float> bias, FullyConnectedParams p) {
    t.add_input(DType::kF32, in_shape, in);
    t.add_constant(DType::kF32, {2, 3}, std::vector<float>{1, 0, 1, 0, 1, -1});
    if (!bias.empty()) t.add_constant(DType::kF32, {static_cast<int32_t>(bias.size())}, bias);
    out = t.add_output(DType::kF32);
    t.node().params = p;
  }
};

TEST_CASE("fully connected with bias, and with RELU", "[ops][fc]") {
  SECTION("no activation") {
    FcCase c({2, 3}, iota_f(6), {1, -10}, fc_params());
    REQUIRE(c.t.run(fully_connected_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{2, 2});
    check_close(c.t.output_values<float>(c.out), {5, -11, 11, -11});
  }
  SECTION("RELU") {
    FcCase c({2, 3}, iota_f(6), {1, -10}, fc_params(Activation::kRelu));
    REQUIRE(c.t.run(fully_connected_f32_kernel(), 3).ok());
    check_close(c.t.output_values<float>(c.out), {5, 0, 11, 0});
  }
  SECTION("bias absent") {
    FcCase c({1, 3}, iota_f(3), {}, fc_params());
    REQUIRE(c.t.run(fully_connected_f32_kernel()).ok());
    check_close(c.t.output_values<float>(c.out), {4, -1});
  }
}

TEST_CASE("fully connected output shapes", "[ops][fc]") {
  SECTION("rank 3 input flattened to [batch, units]") {
    FcCase c({1, 2, 3}, iota_f(6), {}, fc_params());
    REQUIRE(c.t.run(fully_connected_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{2, 2});
  }
  SECTION("keep_num_dims keeps the leading dims") {
    FcCase c({1, 2, 3}, iota_f(6), {}, fc_params(Activation::kNone, true));
    REQUIRE(c.t.run(fully_connected_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{1, 2, 2});
    check_close(c.t.output_values<float>(c.out), {4, -1, 10, -1});
  }
  SECTION("a flat input is split into rows of depth") {
    FcCase c({6}, iota_f(6), {}, fc_params());
    REQUIRE(c.t.run(fully_connected_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{2, 2});
  }
}

TEST_CASE("fully connected rejects inconsistent models", "[ops][fc]") {
  SECTION("input elements not a multiple of depth") {
    FcCase c({5}, iota_f(5), {}, fc_params());
    CHECK(!c.t.run(fully_connected_f32_kernel()).ok());
  }
  SECTION("keep_num_dims with a last dim other than depth") {
    FcCase c({3, 2}, iota_f(6), {}, fc_params(Activation::kNone, true));
    CHECK(!c.t.run(fully_connected_f32_kernel()).ok());
  }
  SECTION("bias length") {
    FcCase c({1, 3}, iota_f(3), {1, 2, 3}, fc_params());
    CHECK(!c.t.run(fully_connected_f32_kernel()).ok());
  }
  SECTION("shuffled weights format") {
    FullyConnectedParams p = fc_params();
    p.weights_format = 1;
    FcCase c({1, 3}, iota_f(3), {}, p);
    CHECK(c.t.run(fully_connected_f32_kernel()).code() == StatusCode::kUnsupported);
  }
  SECTION("weights of rank 3") {
    OpTester t(BuiltinOp::kFullyConnected);
    t.add_input(DType::kF32, {1, 3}, iota_f(3));
    t.add_constant(DType::kF32, {1, 2, 3}, iota_f(6));
    t.add_output(DType::kF32);
    t.node().params = fc_params();
    CHECK(!t.run(fully_connected_f32_kernel()).ok());
  }
}

}  // namespace
}  // namespace eir::testing
