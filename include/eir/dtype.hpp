// Element types of eir tensors (public).
#pragma once

#include <cstddef>
#include <cstdint>

namespace eir {

enum class DType : uint8_t {
  kUnknown = 0,
  kF32,
  kF16,
  kF64,
  kI8,
  kU8,
  kI16,
  kU16,
  kI32,
  kU32,
  kI64,
  kBool,
  kString,  // only ever seen (and refused) in model files
};

// Size of one element in bytes; 0 for kUnknown and kString.
size_t dtype_size(DType t);
// Lower-case NumPy-like name: "float32", "int8", ...
const char* dtype_name(DType t);

}  // namespace eir
