#include "kernels/fast/f16_gemm_driver.h"

#include <algorithm>
#include <cstring>

#include "kernels/reference/fp16.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {

namespace {

constexpr size_t kMaxPackedBytes = size_t{1} << 34;  // as the f32 packing's limit
// Conversions shorter than this run inline (waking a thread costs more).
constexpr size_t kMinParallelConvert = 64 * 1024;

size_t div_up(size_t v, size_t q) { return (v + q - 1) / q; }

}  // namespace

Status pack_gemm_weights(const F16GemmVariant& variant, size_t n, size_t k, const float* w, const float* bias,
                         PackedF16GemmWeights* out) {
  const size_t nr = variant.nr;
  const size_t blocks = div_up(n, nr);
  if (k >= kMaxPackedBytes / sizeof(uint16_t) || blocks > kMaxPackedBytes / sizeof(uint16_t) / nr / (k + 1))
    return resource_exhausted("packed fp16 GEMM weights (", n, " x ", k, ") exceed ", kMaxPackedBytes, " bytes");
  const size_t block_elems = (k + 1) * nr;
  out->variant = &variant;
  out->n = n;
  out->k = k;
  out->storage = std::make_unique<OwnedBuffer>(blocks * block_elems * sizeof(uint16_t));
  uint16_t* dst = reinterpret_cast<uint16_t*>(out->storage->data());
  for (size_t b = 0; b < blocks; ++b) {
    uint16_t* blk = dst + b * block_elems;
    const size_t n0 = b * nr;
    const size_t cols = std::min(nr, n - n0);
    std::memset(blk, 0, block_elems * sizeof(uint16_t));  // +0.0 in fp16
    for (size_t j = 0; j < cols; ++j) blk[j] = ref::float_to_half(bias ? bias[n0 + j] : 0.0f);
    for (size_t j = 0; j < cols; ++j) {
      const float* src = w + (n0 + j) * k;
      uint16_t* col = blk + nr + j;
      for (size_t kk = 0; kk < k; ++kk) col[kk * nr] = ref::float_to_half(src[kk]);
    }
  }
  return Status::Ok();
}

void run_gemm(const PackedF16GemmWeights& w, size_t m, const uint16_t* a, size_t a_stride, float* c, size_t c_stride,
              const eir_f32_gemm_params& params, ThreadPool* pool) {
  const F16GemmVariant& v = *w.variant;
  const size_t mr = v.mr, nr = v.nr, n = w.n, k = w.k;
  if (m == 0 || n == 0) return;
  const GemmTiling t = plan_gemm_tiling(m, n, k, mr, nr, sizeof(uint16_t), pool->num_threads());
  const size_t block_elems = (k + 1) * nr;
  const uint16_t* packed = w.data();
  for_each_gemm_tile(t, m, n, mr, pool, [&](size_t, size_t m0, size_t rows, size_t n0, size_t cols) {
    eir_f16_gemm_ukernel_fn fn = rows == 1 && v.gemm1 ? v.gemm1 : v.gemm;
    fn(rows, cols, k, a + m0 * a_stride, a_stride, packed + (n0 / nr) * block_elems, c + m0 * c_stride + n0,
       c_stride, &params);
  });
}

void run_igemm(const PackedF16GemmWeights& w, size_t m, size_t kc, size_t ks, const uint16_t* const* indirection,
               float* c, size_t c_stride, const eir_f32_gemm_params& params, ThreadPool* pool) {
  const F16GemmVariant& v = *w.variant;
  const size_t mr = v.mr, nr = v.nr, n = w.n, k = w.k;
  if (m == 0 || n == 0) return;
  const GemmTiling t = plan_gemm_tiling(m, n, k, mr, nr, sizeof(uint16_t), pool->num_threads());
  const size_t block_elems = (k + 1) * nr;
  const uint16_t* packed = w.data();
  for_each_gemm_tile(t, m, n, mr, pool, [&](size_t tile, size_t m0, size_t rows, size_t n0, size_t cols) {
    v.igemm(rows, cols, kc, ks, indirection + tile * ks * mr, packed + (n0 / nr) * block_elems,
            c + m0 * c_stride + n0, c_stride, &params);
  });
}

void convert_to_f16(const F16GemmConfig& config, size_t n, const float* x, uint16_t* y, ThreadPool* pool) {
  if (n < kMinParallelConvert || pool->num_threads() == 1) {
    config.cvt(n, x, y);
    return;
  }
  // Chunks of 4K elements (multiples of 16: the SIMD loop's width).
  constexpr size_t kChunk = 4096;
  pool->parallel_for(div_up(n, kChunk), 1, [&](size_t begin, size_t end) {
    const size_t lo = begin * kChunk, hi = std::min(n, end * kChunk);
    config.cvt(hi - lo, x + lo, y + lo);
  });
}

}  // namespace eir::fast
