// The opt-in fp16 arithmetic mode of the f32 GEMM-based drivers (LoadOptions::allow_fp16): weights
// packed to fp16 at load, A converted to fp16 by the driver, C written as float32 by the
// microkernel. The tiling and threading are the f32 drivers' (plan_gemm_tiling /
// for_each_gemm_tile in f32_gemm_driver.h); only the element type differs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "kernels/configs/f16_gemm_config.h"
#include "kernels/fast/f32_gemm_driver.h"

namespace eir::fast {

// PackedGemmWeights' layout with fp16 elements: for each block of NR columns, NR biases then K
// rows of NR weights, all rounded to fp16; columns past N are zero. 64-byte aligned.
struct PackedF16GemmWeights : PackedWeights {
  using Element = uint16_t;
  const F16GemmVariant* variant = nullptr;
  size_t n = 0, k = 0;
  std::unique_ptr<OwnedBuffer> storage;
  const uint16_t* data() const { return reinterpret_cast<const uint16_t*>(storage->data()); }
  size_t bytes() const override { return storage ? storage->size() : 0; }
};

// As pack_gemm_weights (w: N rows of K floats; bias: N floats or null), rounding to fp16
// (nearest even; magnitudes past 65504 become infinity).
Status pack_gemm_weights(const F16GemmVariant& variant, size_t n, size_t k, const float* w, const float* bias,
                         PackedF16GemmWeights* out);

// As run_gemm / run_igemm of f32_gemm_driver.h, with fp16 A (element strides) and float32 C.
void run_gemm(const PackedF16GemmWeights& w, size_t m, const uint16_t* a, size_t a_stride, float* c, size_t c_stride,
              const eir_f32_gemm_params& params, ThreadPool* pool);
void run_igemm(const PackedF16GemmWeights& w, size_t m, size_t kc, size_t ks, const uint16_t* const* indirection,
               float* c, size_t c_stride, const eir_f32_gemm_params& params, ThreadPool* pool);

// y[0, n) = fp16(x[0, n)) with config.cvt, split over pool's threads when n is large.
void convert_to_f16(const F16GemmConfig& config, size_t n, const float* x, uint16_t* y, ThreadPool* pool);

}  // namespace eir::fast
