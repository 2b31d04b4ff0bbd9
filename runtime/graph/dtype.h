// Element types of eir tensors.
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
inline bool is_quantizable_int(DType t) {
  return t == DType::kI8 || t == DType::kU8 || t == DType::kI16 || t == DType::kI32;
}

}  // namespace eir
