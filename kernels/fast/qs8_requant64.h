// Packing of the "requant64" requantization constants (kernels/ukernels/qs8-gemm/qs8-gemm.h,
// eir::qs8_requant64) that the AVX-512 8-bit kernels read: 16 lanes per 576-byte section.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eir::fast {

// Whether every shift (TFLite exponents, positive = left) allows the simple form: a right shift
// of at least 1, no left shift.
bool requant64_simple(const int* shifts, size_t n);

// One section: lane l takes multipliers[l], shifts[l] for l < lanes (the rest: multiplier 0, a
// shift valid in either form). simple: the form requant64_simple allowed for the whole tensor.
void pack_requant64(uint8_t* section, const int32_t* multipliers, const int* shifts, size_t lanes, bool simple);

}  // namespace eir::fast
