// NumPy .npy (format 1.0/2.0, little-endian, C order) reading and writing: the interchange format
// of the conformance goldens and of `eir run`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eir/dtype.hpp"
#include "eir/status.hpp"

namespace eir {

struct NpyArray {
  DType dtype = DType::kUnknown;
  std::vector<int32_t> shape;
  std::vector<uint8_t> data;  // raw little-endian elements
  size_t num_elements() const;
};

Result<NpyArray> read_npy(const std::string& path);
Result<NpyArray> parse_npy(const uint8_t* bytes, size_t size);  // for tests and fuzzing
Status write_npy(const std::string& path, DType dtype, const std::vector<int32_t>& shape, const void* data, size_t bytes);

}  // namespace eir
