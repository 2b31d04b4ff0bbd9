// KernelContext-level checks shared by the quantized reference kernels: per-tensor activation
// quantization, output dtype, and typed element access.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/quant_utils.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {

// Input i must be a per-tensor quantized tensor of `dtype`; `symmetric` requires zero point 0
// (TFLite's int16 activations).
Status check_quantized_input(const KernelContext& ctx, int i, DType dtype, bool symmetric = false);
// The same for output i (its dtype is fixed by the model and must equal `dtype`).
Status check_quantized_output(const KernelContext& ctx, int i, DType dtype, bool symmetric = false);

// Input and output 0 have the same shape and dtype (unary elementwise ops); sets the output shape.
Status prepare_unary_same_shape(KernelContext& ctx);

// Runs fn(begin, end) over [0, n) on the context's thread pool (chunks of at least 1).
template <class Fn>
void parallel_rows(KernelContext& ctx, size_t n, const Fn& fn) {
  ctx.thread_pool()->parallel_for(n, 1, [&fn](size_t begin, size_t end) { fn(begin, end); });
}

// True for the dtypes these kernels handle as quantized activations.
inline bool is_quantized_activation_dtype(DType t) { return t == DType::kI8 || t == DType::kU8 || t == DType::kI16; }

// Reads element i of a uint8 / int8 / int16 / int32 buffer as int32.
inline int32_t load_q(const uint8_t* base, DType t, int64_t i) {
  switch (t) {
    case DType::kU8: return base[i];
    case DType::kI8: return reinterpret_cast<const int8_t*>(base)[i];
    case DType::kI16: return reinterpret_cast<const int16_t*>(base)[i];
    case DType::kI32: return reinterpret_cast<const int32_t*>(base)[i];
    default: return 0;
  }
}
// Writes a value already clamped to t's range.
inline void store_q(uint8_t* base, DType t, int64_t i, int32_t v) {
  switch (t) {
    case DType::kU8: base[i] = static_cast<uint8_t>(v); break;
    case DType::kI8: reinterpret_cast<int8_t*>(base)[i] = static_cast<int8_t>(v); break;
    case DType::kI16: reinterpret_cast<int16_t*>(base)[i] = static_cast<int16_t>(v); break;
    case DType::kI32: reinterpret_cast<int32_t*>(base)[i] = v; break;
    default: break;
  }
}

}  // namespace eir::ref
