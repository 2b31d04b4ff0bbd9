// densify_constant (TFLite's sparse constant format) on hand-built CSR and block-sparse tensors,
// on corrupted metadata (which must fail cleanly without touching memory it does not own), and
// the DENSIFY op.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/reference/densify.h"
#include "tests/ops/misc_test_util.h"

using namespace eir;
using eir::testing::OpTester;
using eir::testing::misc::run;

namespace {

SparseDimension dense_dim(int32_t size) {
  SparseDimension d;
  d.dense = true;
  d.dense_size = size;
  return d;
}

SparseDimension csr_dim(std::vector<int32_t> segments, std::vector<int32_t> indices) {
  SparseDimension d;
  d.dense = false;
  d.segments = std::move(segments);
  d.indices = std::move(indices);
  return d;
}

constexpr uint8_t kGuard = 0xAB;
constexpr size_t kGuardBytes = 64;

// Runs densify_constant into a buffer with guard bytes on both sides; checks they survive.
template <class T>
Status densify(const SparsityInfo& s, const Shape& shape, DType dtype, const std::vector<T>& values,
               std::vector<T>* dense, size_t value_bytes_override = SIZE_MAX) {
  const size_t n = static_cast<size_t>(shape_num_elements(shape));
  std::vector<uint8_t> buf(n * sizeof(T) + 2 * kGuardBytes, kGuard);
  const size_t value_bytes = value_bytes_override == SIZE_MAX ? values.size() * sizeof(T) : value_bytes_override;
  Status st = densify_constant(s, shape, dtype, reinterpret_cast<const uint8_t*>(values.data()), value_bytes,
                               buf.data() + kGuardBytes);
  for (size_t i = 0; i < kGuardBytes; ++i) {
    REQUIRE(buf[i] == kGuard);
    REQUIRE(buf[buf.size() - 1 - i] == kGuard);
  }
  dense->resize(n);
  std::memcpy(dense->data(), buf.data() + kGuardBytes, n * sizeof(T));
  return st;
}

// The TFLite documentation's 4x4 example with 2x2 blocks:
//   [1 0 | 2 3]
//   [0 4 | 0 0]
//   [0 0 | 5 0]
//   [0 0 | 0 6]
// Block row 0 stores block columns 0 and 1, block row 1 only block column 1.
SparsityInfo block_4x4() {
  SparsityInfo s;
  s.traversal_order = {0, 1, 2, 3};
  s.block_map = {0, 1};
  s.dims = {dense_dim(2), csr_dim({0, 2, 3}, {0, 1, 1}), dense_dim(2), dense_dim(2)};
  return s;
}
const std::vector<float> kBlockValues = {1, 0, 0, 4, 2, 3, 0, 0, 5, 0, 0, 6};

}  // namespace

TEST_CASE("densify a CSR matrix", "[ops][densify]") {
  SparsityInfo s;
  s.traversal_order = {0, 1};
  s.dims = {dense_dim(3), csr_dim({0, 2, 2, 3}, {0, 3, 1})};
  std::vector<float> dense;
  Status st = densify<float>(s, {3, 4}, DType::kF32, {1, 2, 3}, &dense);
  INFO(st.to_string());
  REQUIRE(st.ok());
  CHECK(dense == std::vector<float>{1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0});
}

TEST_CASE("densify with a column-major traversal order", "[ops][densify]") {
  SparsityInfo s;
  s.traversal_order = {1, 0};  // columns outer, rows inner
  s.dims = {dense_dim(3), csr_dim({0, 1, 1, 2}, {1, 0})};
  std::vector<float> dense;
  REQUIRE(densify<float>(s, {2, 3}, DType::kF32, {7, 9}, &dense).ok());
  CHECK(dense == std::vector<float>{0, 0, 9, 7, 0, 0});
}

TEST_CASE("densify a 2x2 block-sparse matrix", "[ops][densify]") {
  std::vector<float> dense;
  Status st = densify<float>(block_4x4(), {4, 4}, DType::kF32, kBlockValues, &dense);
  INFO(st.to_string());
  REQUIRE(st.ok());
  CHECK(dense == std::vector<float>{1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6});
}

TEST_CASE("densify 1x4 blocks along the inner dim (float16 and int8)", "[ops][densify]") {
  SparsityInfo s;
  s.traversal_order = {0, 1, 2};
  s.block_map = {1};
  s.dims = {dense_dim(2), csr_dim({0, 1, 2}, {1, 0}), dense_dim(4)};
  std::vector<uint16_t> dense16;
  REQUIRE(densify<uint16_t>(s, {2, 8}, DType::kF16, {1, 2, 3, 4, 5, 6, 7, 8}, &dense16).ok());
  CHECK(dense16 == std::vector<uint16_t>{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0});
  std::vector<int8_t> dense8;
  REQUIRE(densify<int8_t>(s, {2, 8}, DType::kI8, {1, 2, 3, 4, -5, -6, -7, -8}, &dense8).ok());
  CHECK(dense8 == std::vector<int8_t>{0, 0, 0, 0, 1, 2, 3, 4, -5, -6, -7, -8, 0, 0, 0, 0});
}

TEST_CASE("densify the layout of mp_pose_detection's 1x1 conv weights", "[ops][densify]") {
  // [out=3, 1, 1, in=4]: three dense levels then CSR over the input channels.
  SparsityInfo s;
  s.traversal_order = {0, 1, 2, 3};
  s.dims = {dense_dim(3), dense_dim(1), dense_dim(1), csr_dim({0, 2, 2, 4}, {1, 3, 0, 2})};
  std::vector<float> dense;
  REQUIRE(densify<float>(s, {3, 1, 1, 4}, DType::kF32, {1, 2, 3, 4}, &dense).ok());
  CHECK(dense == std::vector<float>{0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0});
}

TEST_CASE("densify refuses corrupted sparsity metadata without writing", "[ops][densify]") {
  auto expect_invalid = [](const SparsityInfo& s, const Shape& shape, const std::vector<float>& values,
                           size_t value_bytes = SIZE_MAX) {
    std::vector<float> dense;
    Status st = densify<float>(s, shape, DType::kF32, values, &dense, value_bytes);
    INFO(st.to_string());
    CHECK_FALSE(st.ok());
    CHECK((st.code() == StatusCode::kInvalidModel || st.code() == StatusCode::kUnsupported));
    // Validation precedes any write: the output is untouched (still the guard pattern).
    for (float f : dense) {
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      CHECK(bits == 0xABABABABu);
    }
  };
  SparsityInfo s;
  s.traversal_order = {0, 1};
  s.dims = {dense_dim(3), csr_dim({0, 2, 2, 3}, {0, 3, 1})};
  const std::vector<float> v = {1, 2, 3};

  SECTION("index outside the dim") {
    s.dims[1].indices = {0, 4, 1};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("negative index") {
    s.dims[1].indices = {0, -1, 1};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("segments decrease") {
    s.dims[1].segments = {0, 2, 1, 3};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("too few segments") {
    s.dims[1].segments = {0, 2, 3};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("segments run past the indices") {
    s.dims[1].segments = {0, 2, 2, 4};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("segments do not start at 0") {
    s.dims[1].segments = {1, 2, 2, 3};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("fewer values than leaves") { expect_invalid(s, {3, 4}, {1, 2}); }
  SECTION("more values than leaves") { expect_invalid(s, {3, 4}, {1, 2, 3, 4}); }
  SECTION("value bytes not a whole element") { expect_invalid(s, {3, 4}, v, 11); }
  SECTION("dense size disagrees with the shape") {
    s.dims[0].dense_size = 4;
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("traversal order is not a permutation") {
    s.traversal_order = {0, 0};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("traversal order out of range") {
    s.traversal_order = {0, 5};
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("metadata count disagrees with the rank") {
    s.dims.pop_back();
    expect_invalid(s, {3, 4}, v);
  }
  SECTION("block size does not divide the dim") {
    SparsityInfo b = block_4x4();
    b.dims[2].dense_size = 3;
    expect_invalid(b, {4, 4}, kBlockValues);
  }
  SECTION("block map out of range") {
    SparsityInfo b = block_4x4();
    b.block_map = {0, 2};
    expect_invalid(b, {4, 4}, kBlockValues);
  }
  SECTION("block dims placed before dense dims in the traversal") {
    SparsityInfo b = block_4x4();
    b.traversal_order = {2, 1, 0, 3};
    expect_invalid(b, {4, 4}, kBlockValues);
  }
}

TEST_CASE("densify survives randomly corrupted metadata", "[ops][densify]") {
  std::mt19937 rng(1234);
  const SparsityInfo base = block_4x4();
  int ok_count = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    SparsityInfo s = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      auto pick = [&](std::vector<int32_t>& v) {
        if (v.empty()) return;
        v[rng() % v.size()] = static_cast<int32_t>(rng() % 9) - 2;
      };
      switch (rng() % 6) {
        case 0: pick(s.dims[1].segments); break;
        case 1: pick(s.dims[1].indices); break;
        case 2: s.dims[rng() % 4].dense_size = static_cast<int32_t>(rng() % 5) - 1; break;
        case 3: pick(s.traversal_order); break;
        case 4: pick(s.block_map); break;
        case 5:
          if (rng() % 2)
            s.dims[1].indices.push_back(static_cast<int32_t>(rng() % 3));
          else if (!s.dims[1].segments.empty())
            s.dims[1].segments.pop_back();
          break;
      }
    }
    std::vector<float> dense;
    Status st = densify<float>(s, {4, 4}, DType::kF32, kBlockValues, &dense);  // guards checked inside
    if (st.ok()) ++ok_count;
  }
  CHECK(ok_count > 0);  // some edits are harmless (e.g. rewriting a value with itself)
}

TEST_CASE("DENSIFY op copies its already-dense input", "[ops][densify]") {
  OpTester t(BuiltinOp::kDensify);
  t.add_constant(DType::kF16, {2, 2}, std::vector<uint16_t>{0x3c00, 0, 0, 0x4000});
  int y = t.add_output(DType::kF16);
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{2, 2});
  CHECK(t.output_values<uint16_t>(y) == std::vector<uint16_t>{0x3c00, 0, 0, 0x4000});
}
