// Tap pointers ("indirection") for the windowed NHWC float ops whose microkernels read their
// inputs through pointers: DEPTHWISE_CONV_2D, MAX_POOL_2D and AVERAGE_POOL_2D.
//
// For output pixel (b, oy, ox) and filter tap (ky, kx) the microkernel gets a pointer to the
// `channels` floats of input pixel (b, oy*sh - pad_h + ky*dh, ox*sw - pad_w + kx*dw), or, for a
// tap in the padding, to a zero buffer (kZero) or to the nearest pixel inside the image
// (kClampToEdge, for max pooling: that pixel is in the same window, so the max is unchanged).
//
// Taps are ordered kx-major, ky-minor (k = kx * kh + ky). Without dilation along the width (and
// with stride_w <= kernel_w, so that no column is skipped), neighbouring pixels of a row share
// their pointers: a row stores, for each input column the row touches, kh pointers, and pixel
// ox's taps start stride_w * kh pointers after pixel ox-1's (shares_columns()). So a 3x3 row
// costs ~3 pointers per pixel instead of 9. Otherwise each pixel gets its own ks pointers. Either
// way the microkernels see "pixel p's taps at row + p * pixel_step()".
//
// The pointers depend on the input's address; update() rebuilds them only when it changes (a
// session's arena keeps it fixed, so steady-state runs pay nothing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/core/status.h"

namespace eir {

class ThreadPool;

namespace fast {

struct WindowGeometry {
  int64_t batch = 1, in_h = 0, in_w = 0, channels = 0;
  int64_t out_h = 0, out_w = 0;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_h = 0, pad_w = 0;  // leading (top / left) padding
};

enum class WindowPadding { kZero, kClampToEdge };

class WindowIndirection {
 public:
  // Sizes the pointer buffer (allocates: call from prepare). Fails when it would exceed 1 GiB.
  Status plan(const WindowGeometry& g, WindowPadding padding);

  size_t taps() const { return static_cast<size_t>(g_.kernel_h * g_.kernel_w); }
  size_t pixel_step() const { return pixel_step_; }
  // Whether rows use the shared-column layout (tap (kx, ky) of pixel p at (p * stride_w + kx) *
  // kernel_h + ky), which the sliding-window depthwise kernels require.
  bool shares_columns() const { return shared_columns_; }
  // The taps of output row r = b * out_h + oy (valid after update()).
  const float* const* row(size_t r) const { return ptrs_.data() + r * row_ptrs_; }

  // Points the taps at input x (and `zero`, at least `channels` floats, for kZero padding);
  // rebuilds (split over pool's threads) only when x or zero differ from the last call.
  void update(const float* x, const float* zero, ThreadPool* pool);

 private:
  void fill_rows(const float* x, const float* zero, size_t begin, size_t end);

  WindowGeometry g_;
  WindowPadding padding_ = WindowPadding::kZero;
  bool shared_columns_ = false;  // no width dilation: pixels share columns of pointers
  size_t pixel_step_ = 0, row_ptrs_ = 0;
  std::vector<const float*> ptrs_;
  const float* built_x_ = nullptr;
  const float* built_zero_ = nullptr;
};

}  // namespace fast
}  // namespace eir
