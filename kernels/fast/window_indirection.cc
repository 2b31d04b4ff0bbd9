#include "kernels/fast/window_indirection.h"

#include <algorithm>

#include "runtime/executor/thread_pool.h"

namespace eir::fast {

namespace {
constexpr size_t kMaxIndirectionBytes = size_t{1} << 30;
}  // namespace

Status WindowIndirection::plan(const WindowGeometry& g, WindowPadding padding) {
  g_ = g;
  padding_ = padding;
  built_x_ = nullptr;
  built_zero_ = nullptr;
  const size_t kh = static_cast<size_t>(g.kernel_h), kw = static_cast<size_t>(g.kernel_w);
  const size_t out_w = static_cast<size_t>(std::max<int64_t>(g.out_w, 0));
  const size_t rows = static_cast<size_t>(std::max<int64_t>(g.batch * g.out_h, 0));
  shared_columns_ = g.dilation_w == 1 && g.stride_w <= g.kernel_w;
  const size_t max_ptrs = kMaxIndirectionBytes / sizeof(void*);
  // Every factor is bounded by int32 model dims, so one division-based check per product suffices.
  if (kh * kw == 0 || kh > max_ptrs / kw) return resource_exhausted("window of ", kh, "x", kw, " taps is too large");
  if (shared_columns_) {
    pixel_step_ = static_cast<size_t>(g.stride_w) * kh;
    const size_t cols = out_w == 0 ? 0 : (out_w - 1) * static_cast<size_t>(g.stride_w) + kw;
    if (cols != 0 && kh > max_ptrs / cols) return resource_exhausted("indirection row too large");
    row_ptrs_ = cols * kh;
  } else {
    pixel_step_ = kh * kw;
    if (out_w != 0 && pixel_step_ > max_ptrs / out_w) return resource_exhausted("indirection row too large");
    row_ptrs_ = out_w * pixel_step_;
  }
  if (rows != 0 && row_ptrs_ > max_ptrs / rows)
    return resource_exhausted("indirection buffer (", rows, " rows x ", row_ptrs_, " pointers) exceeds ",
                              kMaxIndirectionBytes, " bytes");
  ptrs_.assign(rows * row_ptrs_, nullptr);
  return Status::Ok();
}

void WindowIndirection::fill_rows(const float* x, const float* zero, size_t begin, size_t end) {
  const int64_t kh = g_.kernel_h, kw = g_.kernel_w;
  const int64_t in_h = g_.in_h, in_w = g_.in_w, ch = g_.channels;
  const bool clamp = padding_ == WindowPadding::kClampToEdge;
  // Pointer to input pixel (b, iy, ix), or the padding's stand-in.
  auto at = [&](int64_t b, int64_t iy, int64_t ix) -> const float* {
    if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) {
      if (!clamp) return zero;
      iy = std::min(std::max<int64_t>(iy, 0), in_h - 1);
      ix = std::min(std::max<int64_t>(ix, 0), in_w - 1);
    }
    return x + ((b * in_h + iy) * in_w + ix) * ch;
  };
  for (size_t r = begin; r < end; ++r) {
    const int64_t b = static_cast<int64_t>(r) / g_.out_h, oy = static_cast<int64_t>(r) % g_.out_h;
    const int64_t iy0 = oy * g_.stride_h - g_.pad_h;
    const float** out = ptrs_.data() + r * row_ptrs_;
    if (shared_columns_) {
      const int64_t cols = static_cast<int64_t>(row_ptrs_) / kh;
      for (int64_t col = 0; col < cols; ++col)
        for (int64_t ky = 0; ky < kh; ++ky) *out++ = at(b, iy0 + ky * g_.dilation_h, col - g_.pad_w);
    } else {
      for (int64_t ox = 0; ox < g_.out_w; ++ox)
        for (int64_t kx = 0; kx < kw; ++kx)
          for (int64_t ky = 0; ky < kh; ++ky)
            *out++ = at(b, iy0 + ky * g_.dilation_h, ox * g_.stride_w - g_.pad_w + kx * g_.dilation_w);
    }
  }
}

void WindowIndirection::update(const float* x, const float* zero, ThreadPool* pool) {
  if (x == built_x_ && zero == built_zero_) return;
  const size_t rows = static_cast<size_t>(std::max<int64_t>(g_.batch * g_.out_h, 0));
  pool->parallel_for(rows, 8, [&](size_t begin, size_t end) { fill_rows(x, zero, begin, end); });
  built_x_ = x;
  built_zero_ = zero;
}

}  // namespace eir::fast
