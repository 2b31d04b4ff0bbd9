#include "kernels/fast/qs8_gemm_driver.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kernels/fast/qs8_requant64.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {

namespace {

constexpr size_t kMaxPackedBytes = size_t{1} << 34;
constexpr size_t kMaxNR = 64;  // widest requant64 block the packer stages
// Packed weight columns one task streams, sized to stay in the L2 cache while every M tile of
// the task reuses them (see f32_gemm_driver.cc).
constexpr size_t kWeightChunkBytes = 384 * 1024;

size_t round_up(size_t v, size_t q) { return (v + q - 1) / q * q; }
size_t div_up(size_t v, size_t q) { return (v + q - 1) / q; }

uint32_t wrap(int64_t v) { return static_cast<uint32_t>(static_cast<uint64_t>(v)); }

// Column order inside a block: slot s holds column perm(s).
size_t slot_column(const Qs8GemmVariant& v, size_t slot) {
  if (!v.paired_columns) return slot;
  const size_t half = v.nr / 2;  // 0 4 1 5 2 6 3 7 for NR = 8
  return (slot % 2) * half + slot / 2;
}

struct Tiling {
  size_t m_tiles = 0;
  size_t nc = 0;  // columns per chunk, a multiple of NR
  size_t n_chunks = 0;
  size_t tasks() const { return m_tiles * n_chunks; }
};

Tiling plan_tiling(size_t m, size_t n, size_t block_bytes, size_t mr, size_t nr, int threads) {
  Tiling t;
  t.m_tiles = div_up(m, mr);
  size_t nc = std::max(nr, kWeightChunkBytes / block_bytes * nr);
  nc = std::min(nc, round_up(n, nr));
  if (threads > 1) {
    // Enough tasks for every thread even when m is small (FULLY_CONNECTED with batch 1).
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

}  // namespace

Status pack_qs8_gemm_weights(const Qs8GemmVariant& v, const Qs8GemmProblem& pr, PackedQs8Weights* out) {
  const size_t nr = v.nr, kr = v.kr, eb = v.int16_weights ? 2 : 1;
  if (v.requant64 && (nr % 16 != 0 || nr > kMaxNR))
    return internal_error("requant64 GEMM variant ", v.name, " has NR ", nr);
  const size_t n = pr.n, kc = pr.kc, ks = pr.ks;
  if (ks == 0 || kc > kMaxPackedBytes || ks > kMaxPackedBytes / (kc + kr))
    return resource_exhausted("packed quantized GEMM weights (", n, " x ", ks, " x ", kc, ") are too large");
  const size_t kcp = round_up(kc, kr);
  const size_t weight_bytes_per_col = ks * kcp * eb;
  const size_t requant_bytes = v.requant64 ? nr / 16 * qs8_requant64::kBytes : 4 * nr * 4;
  const size_t block_bytes = nr * 4 + weight_bytes_per_col * nr + requant_bytes;
  const size_t blocks = div_up(n, nr);
  if (weight_bytes_per_col > kMaxPackedBytes / nr || blocks > kMaxPackedBytes / block_bytes)
    return resource_exhausted("packed quantized GEMM weights (", n, " x ", ks * kc, ") exceed ", kMaxPackedBytes,
                              " bytes");
  for (size_t j = 0; j < n; ++j)
    if (!qs8_shift_supported(pr.shifts[j]))
      return invalid_argument("quantized multiplier shift ", pr.shifts[j], " of column ", j, " is out of range");

  // Canonical (signed) zero points; see the header.
  const int64_t za = pr.input_u8 ? pr.input_zero_point - 128 : pr.input_zero_point;
  const int64_t zb = pr.weights_u8 ? pr.weights_zero_point - 128 : pr.weights_zero_point;
  const int64_t a_offset = v.unsigned_activations ? 128 : 0;
  const int64_t k_total = static_cast<int64_t>(ks * kc);

  out->variant = &v;
  out->n = n;
  out->kc = kc;
  out->ks = ks;
  out->block_bytes = block_bytes;
  out->a_xor = pr.input_u8 != v.unsigned_activations ? 0x80 : 0;
  out->input_u8 = pr.input_u8;
  out->input_zero_point = pr.input_zero_point;
  out->row_scale = static_cast<int32_t>(wrap(-zb));
  out->simple_shift = v.requant64 && requant64_simple(pr.shifts, n);
  out->storage = std::make_unique<OwnedBuffer>(std::max<size_t>(blocks * block_bytes, 1));
  uint8_t* dst = out->storage->data();
  std::memset(dst, 0, blocks * block_bytes);
  for (size_t b = 0; b < blocks; ++b) {
    uint8_t* blk = dst + b * block_bytes;
    int32_t* bias = reinterpret_cast<int32_t*>(blk);
    uint8_t* wts = blk + nr * 4;
    uint8_t* requant = wts + weight_bytes_per_col * nr;
    int32_t* q = reinterpret_cast<int32_t*>(requant);
    int32_t mult[kMaxNR];
    int shift[kMaxNR];
    size_t cols = 0;
    for (size_t slot = 0; slot < nr; ++slot) {
      const size_t col = slot_column(v, slot);
      const size_t j = b * nr + col;
      if (j >= n) continue;
      const uint8_t* src = pr.weights + j * ks * kc;
      int64_t colsum = 0;
      for (size_t t = 0; t < ks; ++t) {
        // Element (t, k) of this column: group k / KR, lane k % KR (no divisions per weight).
        for (size_t k0 = 0; k0 < kc; k0 += kr) {
          const size_t e0 = t * kcp * nr + k0 * nr + slot * kr;
          for (size_t r = 0; r < kr && k0 + r < kc; ++r) {
            const uint8_t raw = src[t * kc + k0 + r];
            const int32_t val = pr.weights_u8 ? static_cast<int32_t>(raw) - 128 : static_cast<int8_t>(raw);
            colsum += val;
            if (eb == 2) {
              const int16_t v16 = static_cast<int16_t>(val);
              std::memcpy(wts + 2 * (e0 + r), &v16, 2);
            } else {
              wts[e0 + r] = static_cast<uint8_t>(static_cast<int8_t>(val));
            }
          }
        }
      }
      const int64_t b0 = pr.bias ? pr.bias[j] : 0;
      bias[col] = static_cast<int32_t>(wrap(b0 + k_total * za * zb - za * colsum - a_offset * colsum));
      if (v.requant64) {
        mult[col] = pr.multipliers[j];
        shift[col] = pr.shifts[j];
        cols = std::max(cols, col + 1);
        continue;
      }
      const int sh = pr.shifts[j];
      const int left = sh > 0 ? sh : 0, right = sh > 0 ? 0 : -sh;
      q[col] = pr.multipliers[j];
      q[nr + col] = left;
      q[2 * nr + col] = right;
      q[3 * nr + col] = static_cast<int32_t>((uint32_t{1} << right) - 1u);
    }
    // Columns past n: multiplier 0 (pack_requant64 fills lanes past `cols`).
    if (v.requant64)
      for (size_t s16 = 0; s16 < nr / 16; ++s16)
        pack_requant64(requant + s16 * qs8_requant64::kBytes, mult + 16 * s16, shift + 16 * s16,
                       cols > 16 * s16 ? std::min<size_t>(16, cols - 16 * s16) : 0, out->simple_shift);
  }
  return Status::Ok();
}

void qs8_gemm_row_terms(const PackedQs8Weights& w, size_t m, const uint8_t* a, size_t a_stride, int32_t* row_terms,
                        ThreadPool* pool) {
  qs8_row_sums(*w.variant, m, w.kc * w.ks, a, a_stride, w.input_u8, w.row_scale, row_terms, pool);
}

void qs8_row_sums(const Qs8GemmVariant& v, size_t m, size_t k, const uint8_t* a, size_t a_stride, bool input_u8,
                  int32_t scale, int32_t* out, ThreadPool* pool) {
  const uint8_t canonical_xor = input_u8 ? 0x80 : 0;
  pool->parallel_for(m, 256, [&](size_t begin, size_t end) {
    v.rsum(end - begin, k, a + begin * a_stride, a_stride, canonical_xor, scale, out + begin);
  });
}

void run_qs8_gemm(const PackedQs8Weights& w, size_t m, const uint8_t* a, size_t a_stride, uint8_t* c,
                  size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params& params, ThreadPool* pool) {
  const Qs8GemmVariant& v = *w.variant;
  const size_t mr = v.mr, nr = v.nr, n = w.n;
  if (m == 0 || n == 0) return;
  const Tiling t = plan_tiling(m, n, w.block_bytes, mr, nr, pool->num_threads());
  const uint8_t* packed = w.data();
  eir_qs8_gemm_params prm = params;
  prm.simple_shift = w.simple_shift ? 1 : 0;
  auto task = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end;) {
      const size_t chunk = i / t.m_tiles, tile = i % t.m_tiles;
      // Kernels that take many tiles get the task's consecutive tiles of this column chunk at once.
      const size_t tiles = v.any_m ? std::min(t.m_tiles - tile, end - i) : 1;
      const size_t n0 = chunk * t.nc, m0 = tile * mr;
      const size_t cols = std::min(t.nc, n - n0), rows = std::min(tiles * mr, m - m0);
      eir_qs8_gemm_ukernel_fn fn = rows == 1 && v.gemm1 ? v.gemm1 : v.gemm;
      fn(rows, cols, w.kc, reinterpret_cast<const int8_t*>(a + m0 * a_stride), a_stride,
         packed + (n0 / nr) * w.block_bytes, reinterpret_cast<int8_t*>(c + m0 * c_stride + n0), c_stride,
         row_terms ? row_terms + m0 : nullptr, &prm);
      i += tiles;
    }
  };
  pool->parallel_for(t.tasks(), 1, std::move(task));
}

void run_qs8_gemm_serial(const PackedQs8Weights& w, size_t m, const uint8_t* a, size_t a_stride, uint8_t* c,
                         size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params& params) {
  const Qs8GemmVariant& v = *w.variant;
  const size_t mr = v.mr, n = w.n;
  if (m == 0 || n == 0) return;
  eir_qs8_gemm_params prm = params;
  prm.simple_shift = w.simple_shift ? 1 : 0;
  // One call covers every column block (the kernels loop over NR blocks), and every row where the
  // kernels take many tiles.
  const size_t step = v.any_m ? m : mr;
  for (size_t m0 = 0; m0 < m; m0 += step) {
    const size_t rows = std::min(step, m - m0);
    eir_qs8_gemm_ukernel_fn fn = rows == 1 && v.gemm1 ? v.gemm1 : v.gemm;
    fn(rows, n, w.kc, reinterpret_cast<const int8_t*>(a + m0 * a_stride), a_stride, w.data(),
       reinterpret_cast<int8_t*>(c + m0 * c_stride), c_stride, row_terms ? row_terms + m0 : nullptr, &prm);
  }
}

void run_qs8_igemm(const PackedQs8Weights& w, size_t m, const uint8_t* const* indirection, uint8_t* c,
                   size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params& params, ThreadPool* pool) {
  const Qs8GemmVariant& v = *w.variant;
  const size_t mr = v.mr, nr = v.nr, n = w.n, ks = w.ks;
  if (m == 0 || n == 0) return;
  const Tiling t = plan_tiling(m, n, w.block_bytes, mr, nr, pool->num_threads());
  const uint8_t* packed = w.data();
  eir_qs8_gemm_params prm = params;
  prm.simple_shift = w.simple_shift ? 1 : 0;
  auto task = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end;) {
      const size_t chunk = i / t.m_tiles, tile = i % t.m_tiles;
      const size_t tiles = v.any_m ? std::min(t.m_tiles - tile, end - i) : 1;
      const size_t n0 = chunk * t.nc, m0 = tile * mr;
      const size_t cols = std::min(t.nc, n - n0), rows = std::min(tiles * mr, m - m0);
      v.igemm(rows, cols, w.kc, ks, reinterpret_cast<const int8_t* const*>(indirection + tile * ks * mr),
              packed + (n0 / nr) * w.block_bytes, reinterpret_cast<int8_t*>(c + m0 * c_stride + n0), c_stride,
              row_terms ? row_terms + m0 : nullptr, &prm);
      i += tiles;
    }
  };
  pool->parallel_for(t.tasks(), 1, std::move(task));
}

}  // namespace eir::fast
