// MEAN for float32, int32 and int64 (the quantized MEAN lives with the quantized kernels).
// axis: constant int32, any shape; negative values count from the end; repeats are ignored.
// As TFLite: sums accumulate in float for float32 and in int64 for integers, visiting the input
// in row-major order; the mean is sum / count (integer division truncates toward zero).
// An empty input gives NaN (float) or 0 (integers).
#include <cmath>
#include <limits>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/mean_util.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

struct MeanState : KernelState {
  MeanAxes axes;
};

Status mean_prepare(KernelContext& ctx) {
  const ReducerParams p = params_or_default<ReducerParams>(ctx);
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  if (in.dtype != DType::kF32 && in.dtype != DType::kI32 && in.dtype != DType::kI64)
    return unsupported("this MEAN kernel takes float32/int32/int64, got ", dtype_name(in.dtype));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  auto state = std::make_unique<MeanState>();
  Shape out_shape;
  // A scalar input has nothing to reduce; TFLite ignores its axes.
  EIR_RETURN_IF_ERROR(resolve_mean_axes(ctx, p.keep_dims, /*scalar_ignores_axes=*/true, &state->axes, &out_shape));
  const int64_t outputs = shape_num_elements(out_shape);
  ctx.request_scratch(static_cast<size_t>(outputs) * (in.dtype == DType::kF32 ? sizeof(float) : sizeof(int64_t)));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

// Integer sums wrap on overflow (as TFLite's int64 accumulator does in practice) instead of UB.
inline float add_to(float acc, float v) { return acc + v; }
inline int64_t add_to(int64_t acc, int64_t v) {
  return static_cast<int64_t>(static_cast<uint64_t>(acc) + static_cast<uint64_t>(v));
}

// Sums every input element into its output's accumulator (acc, zeroed), in input order.
template <class T, class Acc>
void accumulate(const Tensor& in, const MeanState& s, Acc* acc) {
  const T* x = in.as<T>();
  for_each_mean_element(in, s.axes, [&](int64_t o, int64_t i) { acc[o] = add_to(acc[o], static_cast<Acc>(x[i])); });
}

template <class T, class Acc>
void mean_typed(KernelContext& ctx) {
  const MeanState& s = *ctx.state<MeanState>();
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  T* y = out.as<T>();
  const int64_t outputs = out.num_elements();
  if (in.num_elements() == 0) {
    for (int64_t i = 0; i < outputs; ++i) y[i] = std::numeric_limits<T>::quiet_NaN();  // 0 for integers
    return;
  }
  Acc* acc = reinterpret_cast<Acc*>(ctx.scratch());
  for (int64_t i = 0; i < outputs; ++i) acc[i] = Acc(0);
  accumulate<T, Acc>(in, s, acc);
  for (int64_t i = 0; i < outputs; ++i) y[i] = static_cast<T>(acc[i] / static_cast<Acc>(s.axes.count));
}

Status mean_run(KernelContext& ctx) {
  switch (ctx.input(0).dtype) {
    case DType::kF32: mean_typed<float, float>(ctx); break;
    case DType::kI32: mean_typed<int32_t, int64_t>(ctx); break;
    case DType::kI64: mean_typed<int64_t, int64_t>(ctx); break;
    default: return internal_error("MEAN run with an unprepared dtype");
  }
  return Status::Ok();
}

}  // namespace

Kernel mean_kernel() { return Kernel{"reference/mean", mean_prepare, mean_run}; }

}  // namespace eir::ref
