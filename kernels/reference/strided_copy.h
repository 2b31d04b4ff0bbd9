// A strided gather of elements into a dense output, shared by STRIDED_SLICE, SLICE and TRANSPOSE:
// output element (i0, ..., iR-1) = input element at start + sum(ik * step[k]). Prepare fills a
// StridedCopyState (after checking that every visited offset lies inside the input); run walks
// the output in row-major order with an odometer and no allocation.
#pragma once

#include <cstdint>
#include <cstring>

#include "runtime/executor/kernel.h"

namespace eir::ref {

inline constexpr int kMaxCopyDims = 8;

struct StridedCopyState : KernelState {
  int rank = 0;
  int64_t start = 0;                 // element offset of the first element copied
  int64_t count[kMaxCopyDims] = {};  // output extent along each dim
  int64_t step[kMaxCopyDims] = {};   // input element offset between neighbours (may be negative)
  size_t elem = 0;                   // element size in bytes
};

// Copies from input 0 into output 0 as described by the kernel's StridedCopyState.
inline Status strided_copy_run(KernelContext& ctx) {
  const StridedCopyState& st = *ctx.state<StridedCopyState>();
  const uint8_t* in = ctx.input(0).data;
  uint8_t* out = ctx.output(0).data;
  const int64_t elem = static_cast<int64_t>(st.elem);
  for (int d = 0; d < st.rank; ++d)
    if (st.count[d] == 0) return Status::Ok();
  if (st.rank == 0) {
    std::memcpy(out, in + st.start * elem, st.elem);
    return Status::Ok();
  }
  int64_t idx[kMaxCopyDims] = {};
  int64_t offset = st.start;
  const int inner = st.rank - 1;
  const int64_t run = st.count[inner];
  const int64_t run_step = st.step[inner];
  for (;;) {
    if (run_step == 1) {  // contiguous run
      std::memcpy(out, in + offset * elem, static_cast<size_t>(run * elem));
      out += run * elem;
    } else {
      int64_t o = offset;
      for (int64_t k = 0; k < run; ++k, o += run_step) {
        std::memcpy(out, in + o * elem, st.elem);
        out += elem;
      }
    }
    int d = inner - 1;
    for (; d >= 0; --d) {  // advance the outer dims like an odometer
      offset += st.step[d];
      if (++idx[d] < st.count[d]) break;
      offset -= st.step[d] * idx[d];
      idx[d] = 0;
    }
    if (d < 0) return Status::Ok();
  }
}

// Row-major element strides of `shape` (rank <= kMaxCopyDims).
inline void row_major_strides(const Shape& shape, int64_t* strides) {
  int64_t s = 1;
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[static_cast<size_t>(d)];
  }
}

}  // namespace eir::ref
