// Small helpers for the float spatial kernel tests (conv, pooling, pad, resize, ...).
#pragma once

#include <catch2/catch.hpp>

#include <vector>

#include "kernels/reference/float_spatial.h"
#include "tests/ops/op_tester.h"

namespace eir::testing::spatial {

// 1, 2, ..., n as floats (or start, start+1, ...).
inline std::vector<float> iota_f(int n, float start = 1.0f) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = start + static_cast<float>(i);
  return v;
}

inline void check_close(const std::vector<float>& actual, const std::vector<float>& expected, double tol = 1e-5) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    INFO("element " << i);
    CHECK(actual[i] == Approx(expected[i]).margin(tol));
  }
}

inline ConvParams conv_params(Padding padding, int stride = 1, int dilation = 1,
                              Activation act = Activation::kNone) {
  ConvParams p;
  p.padding = padding;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dilation;
  p.activation = act;
  return p;
}

inline PoolParams pool_params(Padding padding, int filter, int stride, Activation act = Activation::kNone) {
  PoolParams p;
  p.padding = padding;
  p.filter_h = p.filter_w = filter;
  p.stride_h = p.stride_w = stride;
  p.activation = act;
  return p;
}

}  // namespace eir::testing::spatial
