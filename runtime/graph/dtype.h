// Element types of eir tensors.
#pragma once

#include <cstddef>
#include <cstdint>

#include "eir/dtype.hpp"

namespace eir {

inline bool is_quantizable_int(DType t) {
  return t == DType::kI8 || t == DType::kU8 || t == DType::kI16 || t == DType::kI32;
}

}  // namespace eir
