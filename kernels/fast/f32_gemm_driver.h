// Shared machinery of the f32 GEMM-based drivers (CONV_2D, FULLY_CONNECTED): weight packing at
// load, and the tiled, multi-threaded GEMM / IGEMM loops that call the microkernels chosen by
// kernels/configs/f32_gemm_config.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>

#include "kernels/configs/f32_gemm_config.h"
#include "runtime/core/status.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"
#include "runtime/graph/graph.h"

namespace eir {
namespace fast {

// How an m x n GEMM (reduction depth k) is cut into tasks: M tiles of MR rows times N chunks of
// nc columns (a multiple of NR; the last chunk may be narrower), numbered chunk-major so that
// consecutive tasks (which one thread takes together) reuse the same packed weight chunk. Shared
// by the f32 drivers and the fp16 mode (f16_gemm_driver.h), which differ only in element size.
struct GemmTiling {
  size_t m_tiles = 0;
  size_t nc = 0;
  size_t n_chunks = 0;
  bool parallel = false;  // worth splitting over the pool's threads
  size_t tasks() const { return m_tiles * n_chunks; }
};

// weight_bytes: bytes of one packed weight element (4 for f32, 2 for fp16).
GemmTiling plan_gemm_tiling(size_t m, size_t n, size_t k, size_t mr, size_t nr, size_t weight_bytes, int threads);

// Calls fn(tile, m0, rows, n0, cols) for every task of `t` (an m x n output, tile height mr),
// over pool's threads when t.parallel.
template <class TileFn>
void for_each_gemm_tile(const GemmTiling& t, size_t m, size_t n, size_t mr, ThreadPool* pool, TileFn&& fn) {
  auto task = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const size_t chunk = i / t.m_tiles, tile = i % t.m_tiles;
      const size_t n0 = chunk * t.nc, m0 = tile * mr;
      fn(tile, m0, std::min(mr, m - m0), n0, std::min(t.nc, n - n0));
    }
  };
  if (t.parallel) {
    pool->parallel_for(t.tasks(), 1, task);
  } else {
    task(0, t.tasks());
  }
}

// Weights of an N x K GEMM in a variant's layout: for each block of NR columns, NR biases then
// K rows of NR weights; columns past N are zero. 64-byte aligned.
struct PackedGemmWeights : PackedWeights {
  using Element = float;  // of A and W (the fp16 mode's PackedF16GemmWeights holds uint16_t)
  const F32GemmVariant* variant = nullptr;
  size_t n = 0, k = 0;
  std::unique_ptr<OwnedBuffer> storage;
  const float* data() const { return reinterpret_cast<const float*>(storage->data()); }
  size_t bytes() const override { return storage ? storage->size() : 0; }
};

// Packs w (N rows of K floats, row r at w + r * K: FULLY_CONNECTED's [units, depth] and
// CONV_2D's OHWI filter flattened to [O, KH*KW*I]) and the optional bias (N floats; null = 0).
// Fails (resource_exhausted) when the packed size would overflow.
Status pack_gemm_weights(const F32GemmVariant& variant, size_t n, size_t k, const float* w, const float* bias,
                         PackedGemmWeights* out);

// C[m x n] = clamp(A[m x k] * W + bias): row i of A at a + i * a_stride, of C at c + i * c_stride.
// Work is split over pool's threads (pool must not be null; a 1-thread pool runs inline).
void run_gemm(const PackedGemmWeights& w, size_t m, const float* a, size_t a_stride, float* c, size_t c_stride,
              const eir_f32_gemm_params& params, ThreadPool* pool);

// The IGEMM form: K = ks * kc, A given by `indirection` in tile order: for M tile t (rows
// t*MR ... t*MR+MR-1), ks groups of MR row pointers at indirection + t * ks * MR (rows past m
// repeat the last real row). See indirection_size().
void run_igemm(const PackedGemmWeights& w, size_t m, size_t kc, size_t ks, const float* const* indirection,
               float* c, size_t c_stride, const eir_f32_gemm_params& params, ThreadPool* pool);

// Number of pointers an IGEMM over m rows and ks taps needs with tile height mr.
inline size_t indirection_size(size_t m, size_t ks, size_t mr) { return (m + mr - 1) / mr * mr * ks; }

}  // namespace fast
}  // namespace eir
