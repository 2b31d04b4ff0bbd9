// MAX_POOL_2D, AVERAGE_POOL_2D and MEAN (over H and W) float32 through the f32 pool microkernels.
//
// Windows follow TFLite: clipped to the image, the average dividing by the number of valid
// elements. The microkernels read windows through tap pointers (window_indirection.h): for the
// average, padding taps point at zeros and each output pixel's divisor (precomputed per node)
// counts only valid taps; for the max, padding taps point at the nearest valid pixel of the same
// window, which leaves the max unchanged. An average pool whose single output pixel covers the
// whole image, and MEAN over axes {1, 2}, sum each channel over all pixels in order (the global
// average kernel): the same additions in the same order as TFLite's.

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/f32_misc_util.h"
#include "kernels/fast/window_indirection.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

// Channels per task of a global average, so that a single image still splits across threads.
constexpr size_t kGlobalChannelChunk = 64;

struct PoolState : KernelState {
  const F32MiscConfig* config = nullptr;
  eir_f32_minmax_params params{};
  bool global = false;  // one output pixel per image covering all of it
  size_t batch = 0, rows = 0, out_w = 0, channels = 0, pixels = 0;
  std::vector<float> zero;      // padding taps of the average
  std::vector<float> divisors;  // average: valid taps per output pixel (out_h * out_w)
  WindowIndirection indirection;
};

bool pool_supports(const Node& node, const std::vector<Tensor>& tensors) {
  const PoolParams* p = node.params_as<PoolParams>();
  if (p == nullptr || !ref::activation_is_clamp(p->activation)) return false;
  if (p->stride_h <= 0 || p->stride_w <= 0 || p->filter_h <= 0 || p->filter_w <= 0) return false;
  if (node.inputs.size() != 1 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node.inputs, tensors, 0);
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  // Empty images are left to the reference kernel (TFLite's behaviour for them is an error).
  return in && out && in->dtype == DType::kF32 && in->rank() == 4 && out->dtype == DType::kF32 && in->dim(1) > 0 &&
         in->dim(2) > 0;
}

// Runs a global average of each image of x ([batch, pixels, channels]) into y ([batch, channels]).
void run_global(const PoolState& s, const float* x, float* y, ThreadPool* pool) {
  const size_t chunks = (s.channels + kGlobalChannelChunk - 1) / kGlobalChannelChunk;
  const float divisor = static_cast<float>(s.pixels);
  pool->parallel_for(s.batch * chunks, 1, [&](size_t begin, size_t end) {
    for (size_t t = begin; t < end; ++t) {
      const size_t b = t / chunks, c0 = (t % chunks) * kGlobalChannelChunk;
      const size_t n = std::min(kGlobalChannelChunk, s.channels - c0);
      s.config->gavgpool(s.pixels, n, x + b * s.pixels * s.channels + c0, s.channels, divisor, y + b * s.channels + c0,
                         &s.params);
    }
  });
}

template <bool kAverage>
Status pool_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  const PoolParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  const Tensor& in = ctx.input(0);
  if (in.dim(0) < 0) return invalid_model(ctx.describe_input(0), ": batch must be >= 0");
  auto state = std::make_unique<PoolState>();
  state->config = &config;
  ref::WindowDim h, w;
  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(1), p->filter_h, p->stride_h, 1, "height", &h));
  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(2), p->filter_w, p->stride_w, 1, "width", &w));
  EIR_RETURN_IF_ERROR(ref::fused_activation_clamp(p->activation, &state->params.min, &state->params.max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), h.out, w.out, in.dim(3)}));

  const int64_t in_h = in.dim(1), in_w = in.dim(2);
  if (in_h <= 0 || in_w <= 0) return unsupported(ctx.describe_input(0), ": empty image");
  if (ctx.validating()) return Status::Ok();
  state->batch = static_cast<size_t>(in.dim(0));
  state->rows = state->batch * static_cast<size_t>(h.out);
  state->out_w = static_cast<size_t>(w.out);
  state->channels = static_cast<size_t>(in.dim(3));
  state->pixels = static_cast<size_t>(in_h) * static_cast<size_t>(in_w);
  // Valid taps of a window starting at `start` (may be negative) of `filter` over [0, size).
  auto valid = [](int64_t start, int64_t filter, int64_t size) {
    return std::max<int64_t>(std::min(start + filter, size) - std::max<int64_t>(start, 0), 0);
  };
  if (kAverage && h.out == 1 && w.out == 1 && valid(-h.pad, p->filter_h, in_h) == in_h &&
      valid(-w.pad, p->filter_w, in_w) == in_w) {
    state->global = true;
  } else if (state->rows != 0 && state->out_w != 0 && state->channels != 0) {
    if (kAverage) {
      state->divisors.resize(static_cast<size_t>(h.out) * state->out_w);
      for (int64_t oy = 0; oy < h.out; ++oy) {
        const int64_t vy = valid(oy * p->stride_h - h.pad, p->filter_h, in_h);
        for (int64_t ox = 0; ox < w.out; ++ox) {
          const int64_t count = vy * valid(ox * p->stride_w - w.pad, p->filter_w, in_w);
          // Cannot happen with windows from compute_window_dim; TFLite fails the same way.
          if (count == 0) return invalid_model("a pooling window covers no input element");
          state->divisors[static_cast<size_t>(oy * w.out + ox)] = static_cast<float>(count);
        }
      }
    }
    WindowGeometry g;
    g.batch = in.dim(0);
    g.in_h = in_h;
    g.in_w = in_w;
    g.channels = in.dim(3);
    g.out_h = h.out;
    g.out_w = w.out;
    g.kernel_h = p->filter_h;
    g.kernel_w = p->filter_w;
    g.stride_h = p->stride_h;
    g.stride_w = p->stride_w;
    g.pad_h = h.pad;
    g.pad_w = w.pad;
    EIR_RETURN_IF_ERROR(state->indirection.plan(g, kAverage ? WindowPadding::kZero : WindowPadding::kClampToEdge));
    state->zero.assign(state->channels, 0.0f);
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

template <bool kAverage>
Status pool_run(KernelContext& ctx) {
  PoolState& s = *ctx.state<PoolState>();
  const float* x = ctx.input(0).as<const float>();
  float* y = ctx.output(0).as<float>();
  ThreadPool* pool = ctx.thread_pool();
  if (s.global) {
    if (s.batch != 0 && s.channels != 0) run_global(s, x, y, pool);
    return Status::Ok();
  }
  if (s.rows == 0 || s.out_w == 0 || s.channels == 0) return Status::Ok();
  s.indirection.update(x, s.zero.data(), pool);
  const size_t row_floats = s.out_w * s.channels, taps = s.indirection.taps(), step = s.indirection.pixel_step();
  const size_t out_h = s.rows / s.batch;
  pool->parallel_for(s.rows, 1, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      if constexpr (kAverage) {
        s.config->avgpool(s.channels, s.out_w, taps, s.indirection.row(r), step,
                          s.divisors.data() + (r % out_h) * s.out_w, y + r * row_floats, &s.params);
      } else {
        s.config->maxpool(s.channels, s.out_w, taps, s.indirection.row(r), step, y + r * row_floats, &s.params);
      }
    }
  });
  return Status::Ok();
}

// ---- MEAN over H and W ----

constexpr int kMeanAxes = 1;

// The node's axes if they are exactly {1, 2} of a rank-4 input (any order, repeats, negatives).
bool mean_axes_are_hw(const Tensor& axes, int rank) {
  if (rank != 4 || !axes.is_constant() || axes.data == nullptr) return false;
  const int64_t n = axes.num_elements();
  if (n <= 0 || n > 16) return false;
  bool seen[4] = {false, false, false, false};
  for (int64_t i = 0; i < n; ++i) {
    int64_t a = 0;
    if (axes.dtype == DType::kI32) {
      a = axes.as<const int32_t>()[i];
    } else if (axes.dtype == DType::kI64) {
      a = axes.as<const int64_t>()[i];
    } else {
      return false;
    }
    if (a < -rank || a >= rank) return false;
    seen[a < 0 ? a + rank : a] = true;
  }
  return !seen[0] && seen[1] && seen[2] && !seen[3];
}

bool mean_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node.inputs, tensors, 0);
  const Tensor* axes = tensor_at(node.inputs, tensors, kMeanAxes);
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  return in && axes && out && in->dtype == DType::kF32 && out->dtype == DType::kF32 &&
         mean_axes_are_hw(*axes, in->rank());
}

Status mean_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_constant_input(kMeanAxes));
  const Tensor& in = ctx.input(0);
  if (!mean_axes_are_hw(ctx.input(kMeanAxes), in.rank()))
    return unsupported("this MEAN kernel reduces axes {1, 2} of a 4-D input only");
  const ReducerParams p = ref::params_or_default<ReducerParams>(ctx);
  auto state = std::make_unique<PoolState>();
  state->config = &config;
  state->global = true;
  state->params.min = -std::numeric_limits<float>::infinity();
  state->params.max = std::numeric_limits<float>::infinity();
  state->batch = static_cast<size_t>(in.dim(0));
  state->channels = static_cast<size_t>(in.dim(3));
  state->pixels = static_cast<size_t>(in.dim(1)) * static_cast<size_t>(in.dim(2));
  if (p.keep_dims) {
    EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), 1, 1, in.dim(3)}));
  } else {
    EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), in.dim(3)}));
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status mean_run(KernelContext& ctx) {
  const PoolState& s = *ctx.state<PoolState>();
  float* y = ctx.output(0).as<float>();
  if (s.batch == 0 || s.channels == 0) return Status::Ok();
  if (s.pixels == 0) {  // TFLite: 0 / 0
    std::fill(y, y + s.batch * s.channels, std::numeric_limits<float>::quiet_NaN());
    return Status::Ok();
  }
  run_global(s, ctx.input(0).as<const float>(), y, ctx.thread_pool());
  return Status::Ok();
}

Kernel make(const char* prefix, const F32MiscConfig& config, Status (*prepare)(KernelContext&),
            Status (*run)(KernelContext&), bool (*supports)(const Node&, const std::vector<Tensor>&)) {
  Kernel k;
  k.name = config_kernel_name(prefix, config);
  k.prepare = prepare;
  k.run = run;
  k.supports = supports;
  return k;
}

}  // namespace

Kernel max_pool2d_f32_kernel(const F32MiscConfig& config) {
  return make("fast/max_pool2d_f32_", config, prepare_for<pool_prepare<false>>(config), pool_run<false>, pool_supports);
}

Kernel average_pool2d_f32_kernel(const F32MiscConfig& config) {
  return make("fast/average_pool2d_f32_", config, prepare_for<pool_prepare<true>>(config), pool_run<true>,
              pool_supports);
}

Kernel mean_f32_kernel(const F32MiscConfig& config) {
  return make("fast/mean_f32_", config, prepare_for<mean_prepare>(config), mean_run, mean_supports);
}

}  // namespace eir::fast
