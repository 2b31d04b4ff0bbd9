// Shared machinery of the 8-bit quantized GEMM-based drivers (CONV_2D, FULLY_CONNECTED): weight
// packing at load (zero points, bias and the kernel's activation encoding folded into one int32
// per column, TFLite's per-channel multipliers split into the kernels' shift form), the row terms
// needed when the weights have a nonzero zero point, and the tiled, multi-threaded GEMM / IGEMM
// loops that call the microkernels chosen by kernels/configs/qs8_gemm_config.
//
// Arithmetic (see kernels/ukernels/qs8-gemm/qs8-gemm.h): with canonical int8 values a (inputs)
// and b (weights) and canonical zero points za, zb (uint8 values and zero points minus 128),
//   sum_k (a - za) (b - zb) = sum_k a b  - za sum_k b + K za zb   - zb sum_k a
//                             (kernel)     (packed bias, constant)   (row term, per row)
// all modulo 2^32, which is exactly TFLite's wrapping int32 accumulator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "kernels/configs/qs8_gemm_config.h"
#include "runtime/core/status.h"
#include "runtime/executor/kernel.h"
#include "runtime/graph/graph.h"

namespace eir {

class ThreadPool;

namespace fast {

// What the packer needs to know about one quantized GEMM: N columns, K = ks * kc.
struct Qs8GemmProblem {
  size_t n = 0, kc = 0, ks = 1;
  const uint8_t* weights = nullptr;  // N rows of K bytes (FULLY_CONNECTED [units, depth], OHWI filters)
  bool weights_u8 = false;           // uint8 weights (else int8)
  int32_t weights_zero_point = 0;    // raw stored zero point; 0 for symmetric / per-channel int8
  const int32_t* bias = nullptr;     // N values or null
  bool input_u8 = false;             // uint8 activations (else int8)
  int32_t input_zero_point = 0;      // raw stored zero point
  const int32_t* multipliers = nullptr;  // N Q0.31 significands (TFLite QuantizeMultiplier)
  const int* shifts = nullptr;           // N exponents, positive = left; within [-31, 30]
};

// Weights of a Qs8GemmProblem in a variant's layout (kernels/ukernels/qs8-gemm/qs8-gemm.h).
struct PackedQs8Weights : PackedWeights {
  const Qs8GemmVariant* variant = nullptr;
  size_t n = 0, kc = 0, ks = 1;
  size_t block_bytes = 0;      // bytes per NR columns
  uint8_t a_xor = 0;           // eir_qs8_gemm_params::a_xor for this input type and kernel
  bool input_u8 = false;
  int32_t input_zero_point = 0;  // raw
  // Row terms are row_scale * (sum over the row's K canonical activations); 0 when the weights'
  // canonical zero point is 0 (no row terms).
  int32_t row_scale = 0;
  // requant64 variants: every column's shift allows the simple form (eir_qs8_gemm_params::
  // simple_shift, which run_qs8_gemm / run_qs8_igemm set from this).
  bool simple_shift = false;
  std::unique_ptr<OwnedBuffer> storage;
  const uint8_t* data() const { return storage->data(); }
  size_t bytes() const override { return storage ? storage->size() : 0; }
};

// Fails (resource_exhausted) when the packed size would overflow; invalid_argument on shifts the
// kernels cannot apply.
Status pack_qs8_gemm_weights(const Qs8GemmVariant& variant, const Qs8GemmProblem& problem, PackedQs8Weights* out);

// Whether a quantized multiplier's shift is one the kernels apply exactly (left shifts up to 30).
inline bool qs8_shift_supported(int shift) { return shift >= -31 && shift <= 30; }

// row_terms[r] for r < m of a GEMM whose row r is the K = kc bytes at a + r * a_stride.
void qs8_gemm_row_terms(const PackedQs8Weights& w, size_t m, const uint8_t* a, size_t a_stride, int32_t* row_terms,
                        ThreadPool* pool);

// out[r] = scale * (sum of the k canonical values of row r), r < m (the variant's rsum kernel,
// split over pool's threads); all modulo 2^32.
void qs8_row_sums(const Qs8GemmVariant& v, size_t m, size_t k, const uint8_t* a, size_t a_stride, bool input_u8,
                  int32_t scale, int32_t* out, ThreadPool* pool);

// C[m x n] bytes: row i of A at a + i * a_stride, of C at c + i * c_stride. row_terms: m values
// or null (required when w.row_scale != 0). Work is split over pool's threads.
void run_qs8_gemm(const PackedQs8Weights& w, size_t m, const uint8_t* a, size_t a_stride, uint8_t* c,
                  size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params& params, ThreadPool* pool);

// The same on the calling thread only (drivers that split the work across threads themselves).
void run_qs8_gemm_serial(const PackedQs8Weights& w, size_t m, const uint8_t* a, size_t a_stride, uint8_t* c,
                         size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params& params);

// The IGEMM form: A given by `indirection` in tile order (for M tile t, ks groups of MR row
// pointers at indirection + t * ks * MR; rows past m repeat the last real row).
void run_qs8_igemm(const PackedQs8Weights& w, size_t m, const uint8_t* const* indirection, uint8_t* c,
                   size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params& params, ThreadPool* pool);

}  // namespace fast
}  // namespace eir
