// Helpers for the float_misc kernel tests (elementwise, activations, data movement, cast, ...):
// kernels are looked up through register_float_misc_kernels, so the tests also cover the
// registration (op, dtype key, version).
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "kernels/reference/reference_kernels.h"
#include "tests/ops/op_tester.h"

namespace eir::testing::misc {

inline const KernelRegistry& misc_registry() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    register_float_misc_kernels(r);
    return r;
  }();
  return registry;
}

// The kernel registered for the tester's node (keyed by its first input's dtype).
inline const Kernel& kernel_for(OpTester& t) {
  std::string why;
  const Kernel* k = misc_registry().find(t.node(), t.tensors(), &why);
  INFO("no kernel found: " << why);
  REQUIRE(k != nullptr);
  return *k;
}

// prepare + run through the registered kernel.
inline Status run(OpTester& t, int threads = 1) { return t.run(kernel_for(t), threads); }

inline void check_floats(const std::vector<float>& actual, const std::vector<float>& expected, double tol = 1e-6) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    INFO("element " << i);
    if (std::isnan(expected[i])) {
      CHECK(std::isnan(actual[i]));
    } else {
      CHECK(actual[i] == Approx(expected[i]).margin(tol).epsilon(tol));
    }
  }
}

}  // namespace eir::testing::misc
