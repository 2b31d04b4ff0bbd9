// RESIZE_BILINEAR (float32) and RESIZE_NEAREST_NEIGHBOR (any dtype): coordinate rules of TFLite.
#include <catch2/catch.hpp>

#include <random>

#include "kernels/fast/f32_misc_kernels.h"
#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::resize_bilinear_f32_kernel;
using ref::resize_nearest_neighbor_kernel;

ResizeParams resize_params(bool align_corners, bool half_pixel_centers) {
  ResizeParams p;
  p.align_corners = align_corners;
  p.half_pixel_centers = half_pixel_centers;
  return p;
}

// Resizes a float NHWC image with `kernel`; returns the output values (and checks the shape).
std::vector<float> bilinear_with(const Kernel& kernel, Shape in_shape, const std::vector<float>& in, int out_h,
                                 int out_w, ResizeParams p, int threads = 1) {
  OpTester t(BuiltinOp::kResizeBilinear);
  t.add_input(DType::kF32, in_shape, in);
  t.add_constant(DType::kI32, {2}, std::vector<int32_t>{out_h, out_w});
  int y = t.add_output(DType::kF32);
  t.node().params = p;
  const Status s = t.run(kernel, threads);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(t.shape(y) == Shape{in_shape[0], out_h, out_w, in_shape[3]});
  return t.output_values<float>(y);
}

// The reference kernel's output; the fast driver must agree with it (float rounding apart).
std::vector<float> bilinear(Shape in_shape, std::vector<float> in, int out_h, int out_w, ResizeParams p) {
  const std::vector<float> want = bilinear_with(resize_bilinear_f32_kernel(), in_shape, in, out_h, out_w, p);
  check_close(bilinear_with(fast::resize_bilinear_f32_kernel(), in_shape, in, out_h, out_w, p), want, 1e-6f);
  return want;
}

TEST_CASE("resize bilinear 2x2 -> 3x3, default coordinates", "[ops][resize]") {
  // scale 2/3: sources 0, 2/3, 4/3 (the last clamps to the edge pixel, hi = lo = 1).
  const float a = 2.0f / 3.0f;
  check_close(bilinear({1, 2, 2, 1}, {1, 2, 3, 4}, 3, 3, resize_params(false, false)),
              {1, 1 + a, 2,  //
               1 + 2 * a, 1 + 3 * a, 2 + 2 * a,  //
               3, 3 + a, 4});
}

TEST_CASE("resize bilinear align_corners", "[ops][resize]") {
  check_close(bilinear({1, 2, 2, 1}, {1, 2, 3, 4}, 3, 3, resize_params(true, false)),
              {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4});
}

TEST_CASE("resize bilinear half_pixel_centers clamps source coordinates at the edges", "[ops][resize]") {
  // Sources (d + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> effective 0, 0.25, 0.75, 1.
  // The input f(r, c) = 1 + 2r + c is linear, so out = 1 + 2*ry + cx.
  const float k[4] = {0, 0.25f, 0.75f, 1};
  std::vector<float> expected;
  for (float ry : k)
    for (float cx : k) expected.push_back(1 + 2 * ry + cx);
  check_close(bilinear({1, 2, 2, 1}, {1, 2, 3, 4}, 4, 4, resize_params(false, true)), expected);
}

TEST_CASE("resize bilinear downscale, channels and batches", "[ops][resize]") {
  SECTION("4x4 -> 2x2 picks pixels 0 and 2") {
    check_close(bilinear({1, 4, 4, 1}, iota_f(16), 2, 2, resize_params(false, false)), {1, 3, 9, 11});
  }
  SECTION("2 batches x 2 channels, 1x2 -> 1x4") {
    // Batch 0 channels (1,10) then (2,20); batch 1 the same plus 100.
    const std::vector<float> in = {1, 10, 2, 20, 101, 110, 102, 120};
    const auto y = bilinear({2, 1, 2, 2}, in, 1, 4, resize_params(false, false));
    // width sources 0, 0.5, 1, 1.5 -> 0, 0.5, 1, 1 (clamped).
    check_close(y, {1, 10, 1.5f, 15, 2, 20, 2, 20, 101, 110, 101.5f, 115, 102, 120, 102, 120});
  }
}

TEST_CASE("fast resize bilinear matches the reference on random images", "[ops][resize][fast]") {
  std::mt19937 rng(31);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  struct Case {
    Shape in;
    int out_h, out_w;
  };
  const Case cases[] = {{{1, 9, 9, 21}, 65, 65}, {{2, 5, 7, 3}, 11, 4}, {{1, 8, 8, 16}, 3, 5}, {{1, 1, 1, 5}, 4, 4}};
  for (const Case& c : cases) {
    std::vector<float> in(static_cast<size_t>(shape_num_elements(c.in)));
    for (float& v : in) v = value(rng);
    for (const ResizeParams& p : {resize_params(false, false), resize_params(true, false), resize_params(false, true)}) {
      INFO("in " << shape_to_string(c.in) << " -> " << c.out_h << "x" << c.out_w << " align " << p.align_corners
                 << " half " << p.half_pixel_centers);
      const auto want = bilinear_with(resize_bilinear_f32_kernel(), c.in, in, c.out_h, c.out_w, p);
      for (int threads : {1, 2})
        check_close(bilinear_with(fast::resize_bilinear_f32_kernel(), c.in, in, c.out_h, c.out_w, p, threads), want,
                    1e-5f);
    }
  }
}

TEST_CASE("resize bilinear rejects bad sizes and options", "[ops][resize]") {
  auto run_with = [](std::vector<int32_t> size, ResizeParams p, bool constant = true) {
    OpTester t(BuiltinOp::kResizeBilinear);
    t.add_input(DType::kF32, {1, 2, 2, 1}, std::vector<float>{1, 2, 3, 4});
    if (constant) t.add_constant(DType::kI32, {static_cast<int32_t>(size.size())}, size);
    else t.add_input(DType::kI32, {static_cast<int32_t>(size.size())}, size);
    t.add_output(DType::kF32);
    t.node().params = p;
    return t.run(resize_bilinear_f32_kernel());
  };
  CHECK(!run_with({3, 3}, resize_params(true, true)).ok());
  CHECK(!run_with({0, 3}, resize_params(false, false)).ok());
  CHECK(!run_with({3, 3, 3}, resize_params(false, false)).ok());
  CHECK(run_with({3, 3}, resize_params(false, false), false).code() == StatusCode::kUnsupported);
}

// Nearest neighbour over a [1,h,w,1] image of dtype T.
template <class T>
std::vector<T> nearest(DType dtype, Shape in_shape, std::vector<T> in, int out_h, int out_w, ResizeParams p) {
  OpTester t(BuiltinOp::kResizeNearestNeighbor);
  t.add_input(dtype, in_shape, in);
  t.add_constant(DType::kI32, {2}, std::vector<int32_t>{out_h, out_w});
  int y = t.add_output(dtype);
  t.node().params = p;
  REQUIRE(t.run(resize_nearest_neighbor_kernel()).ok());
  return t.output_values<T>(y);
}

TEST_CASE("resize nearest neighbor coordinate rules", "[ops][resize]") {
  SECTION("default: floor(d * in/out)") {
    CHECK(nearest<float>(DType::kF32, {1, 2, 2, 1}, {1, 2, 3, 4}, 4, 4, resize_params(false, false)) ==
          std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  }
  SECTION("align_corners rounds half away from zero") {
    // scale 1/2: round(0) = 0, round(0.5) = 1, round(1) = 1.
    CHECK(nearest<int8_t>(DType::kI8, {1, 1, 2, 1}, {-5, 7}, 1, 3, resize_params(true, false)) ==
          std::vector<int8_t>{-5, 7, 7});
  }
  SECTION("half_pixel_centers: floor((d + 0.5) * scale)") {
    // 3 -> 2: scale 1.5, sources floor(0.75) = 0 and floor(2.25) = 2.
    CHECK(nearest<uint8_t>(DType::kU8, {1, 1, 3, 1}, {10, 20, 30}, 1, 2, resize_params(false, true)) ==
          std::vector<uint8_t>{10, 30});
  }
}

}  // namespace
}  // namespace eir::testing
