#include "kernels/fast/f32_gemm_driver.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "runtime/executor/thread_pool.h"

namespace eir::fast {

namespace {

// Packed weights larger than this are refused (a hostile model could otherwise ask for anything).
constexpr size_t kMaxPackedBytes = size_t{1} << 34;
// Packed weight columns one task streams, sized to stay in the L2 cache (1 MiB per core on the
// Zen 4 EPYC this is tuned for, 512 KiB+ on most others) while it is reused by every M tile.
constexpr size_t kWeightChunkBytes = 384 * 1024;
// Below this many multiply-adds (a few microseconds) waking other threads costs more than it saves.
constexpr double kMinParallelMacs = 256.0 * 1024;

size_t round_up(size_t v, size_t q) { return (v + q - 1) / q * q; }
size_t div_up(size_t v, size_t q) { return (v + q - 1) / q; }

}  // namespace

GemmTiling plan_gemm_tiling(size_t m, size_t n, size_t k, size_t mr, size_t nr, size_t weight_bytes, int threads) {
  GemmTiling t;
  if (static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) < kMinParallelMacs) threads = 1;
  t.parallel = threads > 1;
  t.m_tiles = div_up(m, mr);
  const size_t col_bytes = (k + 1) * weight_bytes;
  size_t nc = std::max(nr, kWeightChunkBytes / col_bytes / nr * nr);
  nc = std::min(nc, round_up(n, nr));
  if (threads > 1) {
    // Enough tasks for every thread (and some slack for balance) even when m is small, e.g. a
    // FULLY_CONNECTED with batch 1: then the columns are split instead of the rows.
    const size_t want = static_cast<size_t>(threads) * 4;
    if (t.m_tiles * div_up(n, nc) < want) {
      const size_t chunks = div_up(want, t.m_tiles);
      nc = std::max(nr, round_up(div_up(n, chunks), nr));
    }
  }
  t.nc = nc;
  t.n_chunks = div_up(n, nc);
  return t;
}

Status pack_gemm_weights(const F32GemmVariant& variant, size_t n, size_t k, const float* w, const float* bias,
                         PackedGemmWeights* out) {
  const size_t nr = variant.nr;
  const size_t blocks = div_up(n, nr);
  // (k + 1) * nr floats per block, checked for overflow.
  if (k >= kMaxPackedBytes / sizeof(float) || blocks > kMaxPackedBytes / sizeof(float) / nr / (k + 1))
    return resource_exhausted("packed GEMM weights (", n, " x ", k, ") exceed ", kMaxPackedBytes, " bytes");
  const size_t block_floats = (k + 1) * nr;
  out->variant = &variant;
  out->n = n;
  out->k = k;
  out->storage = std::make_unique<OwnedBuffer>(blocks * block_floats * sizeof(float));
  float* dst = reinterpret_cast<float*>(out->storage->data());
  for (size_t b = 0; b < blocks; ++b) {
    float* blk = dst + b * block_floats;
    const size_t n0 = b * nr;
    const size_t cols = std::min(nr, n - n0);
    std::memset(blk, 0, block_floats * sizeof(float));
    for (size_t j = 0; j < cols; ++j) blk[j] = bias ? bias[n0 + j] : 0.0f;
    // Transpose the block: weight row (column of the GEMM) n0+j becomes lane j of every k row.
    for (size_t j = 0; j < cols; ++j) {
      const float* src = w + (n0 + j) * k;
      float* col = blk + nr + j;
      for (size_t kk = 0; kk < k; ++kk) col[kk * nr] = src[kk];
    }
  }
  return Status::Ok();
}

void run_gemm(const PackedGemmWeights& w, size_t m, const float* a, size_t a_stride, float* c, size_t c_stride,
              const eir_f32_gemm_params& params, ThreadPool* pool) {
  const F32GemmVariant& v = *w.variant;
  const size_t mr = v.mr, nr = v.nr, n = w.n, k = w.k;
  if (m == 0 || n == 0) return;
  const GemmTiling t = plan_gemm_tiling(m, n, k, mr, nr, sizeof(float), pool->num_threads());
  const size_t block_floats = (k + 1) * nr;
  const float* packed = w.data();
  for_each_gemm_tile(t, m, n, mr, pool, [&](size_t, size_t m0, size_t rows, size_t n0, size_t cols) {
    // A single row runs the 1 x NR kernel: the MR-row one would compute MR copies of it.
    eir_f32_gemm_ukernel_fn fn = rows == 1 && v.gemm1 ? v.gemm1 : v.gemm;
    fn(rows, cols, k, a + m0 * a_stride, a_stride, packed + (n0 / nr) * block_floats, c + m0 * c_stride + n0,
       c_stride, &params);
  });
}

void run_igemm(const PackedGemmWeights& w, size_t m, size_t kc, size_t ks, const float* const* indirection,
               float* c, size_t c_stride, const eir_f32_gemm_params& params, ThreadPool* pool) {
  const F32GemmVariant& v = *w.variant;
  const size_t mr = v.mr, nr = v.nr, n = w.n, k = w.k;
  if (m == 0 || n == 0) return;
  const GemmTiling t = plan_gemm_tiling(m, n, k, mr, nr, sizeof(float), pool->num_threads());
  const size_t block_floats = (k + 1) * nr;
  const float* packed = w.data();
  for_each_gemm_tile(t, m, n, mr, pool, [&](size_t tile, size_t m0, size_t rows, size_t n0, size_t cols) {
    v.igemm(rows, cols, kc, ks, indirection + tile * ks * mr, packed + (n0 / nr) * block_floats,
            c + m0 * c_stride + n0, c_stride, &params);
  });
}

}  // namespace eir::fast
