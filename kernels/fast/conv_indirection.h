// The IGEMM indirection buffer shared by the CONV_2D GEMM drivers (float32 / fp16 and 8-bit
// quantized): for each output pixel and filter tap, a pointer to the input channels the tap reads,
// or to a row standing in for the padding (zeros, or the input zero point).
//
// Layout (run_igemm / run_qs8_igemm): for M tile t, the ks = KH*KW taps' groups of MR row
// pointers at ind + t * ks * MR, tap (ky, kx) at group ky * KW + kx. Rows past the last pixel
// repeat it (the microkernel computes but never stores them).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/reference/spatial_util.h"
#include "runtime/core/status.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/op_params.h"

namespace eir::fast {

// The indirection of `pixels` GEMM rows (rounded up to mr) by ks taps is kept within 4 GiB; `op`
// names the kernel in the message (e.g. "CONV_2D").
inline Status check_conv_indirection_size(size_t pixels, size_t ks, size_t mr, const char* op) {
  const size_t rows = (pixels + mr - 1) / mr * mr;
  // 512 MiB of row pointers is far beyond any real model (a 1024x1024 output with a 5x5 kernel
  // needs 200 MiB); larger requests come from hostile shapes and are refused before allocating.
  constexpr size_t kMaxIndirectionBytes = size_t{1} << 29;
  if (rows > kMaxIndirectionBytes / sizeof(void*) / ks)
    return resource_exhausted(op, " indirection buffer (", rows, " rows x ", ks, " taps) exceeds ",
                              kMaxIndirectionBytes, " bytes");
  return Status::Ok();
}

// Fills the pointers of M tiles [tile_begin, tile_end) of a convolution with `pixels` output
// pixels (batch * h.out * w.out); x is the GEMM's A (NHWC with the input's shape), zero the
// padding row.
template <class T>
void fill_conv_indirection(const ConvParams& p, const ref::WindowDim& h, const ref::WindowDim& w, const Tensor& in,
                           const Tensor& filter, size_t mr, size_t pixels, const T* x, const T* zero,
                           size_t tile_begin, size_t tile_end, const T** ind) {
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ic = in.dim(3);
  const int64_t kh = filter.dim(1), kw = filter.dim(2);
  const int64_t out_h = h.out, out_w = w.out;
  const size_t ks = static_cast<size_t>(kh * kw);
  for (size_t tile = tile_begin; tile < tile_end; ++tile) {
    const T** tp = ind + tile * ks * mr;
    for (size_t r = 0; r < mr; ++r) {
      const int64_t pix = static_cast<int64_t>(std::min(tile * mr + r, pixels - 1));
      const int64_t b = pix / (out_h * out_w), rem = pix % (out_h * out_w);
      const int64_t oy = rem / out_w, ox = rem % out_w;
      for (int64_t ky = 0; ky < kh; ++ky) {
        const int64_t iy = oy * p.stride_h - h.pad + ky * p.dilation_h;
        for (int64_t kx = 0; kx < kw; ++kx) {
          const int64_t ix = ox * p.stride_w - w.pad + kx * p.dilation_w;
          const bool inside = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
          tp[static_cast<size_t>(ky * kw + kx) * mr + r] = inside ? x + ((b * in_h + iy) * in_w + ix) * ic : zero;
        }
      }
    }
  }
}

}  // namespace eir::fast
