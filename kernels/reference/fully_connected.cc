// FULLY_CONNECTED, float32. weights [units, depth], optional bias [units]. The input is read as
// [batch, depth] rows with batch = elements / depth (any rank). Output shape as TFLite:
// keep_num_dims -> the input shape with its last dim replaced by units (the last dim must then
// be depth); otherwise [batch, units].

#include <limits>
#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

struct FcState : KernelState {
  int64_t batch = 0;
  float act_lo = 0.0f, act_hi = 0.0f;
};

Status fc_prepare(KernelContext& ctx) {
  const FullyConnectedParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  if (p->weights_format != 0)
    return unsupported("FULLY_CONNECTED weights_format ", p->weights_format, " (only DEFAULT is supported)");
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kInput, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_float_weights(ctx, kWeights));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kWeights, 2));
  const Tensor& in = ctx.input(kInput);
  const Tensor& w = ctx.input(kWeights);
  if (in.rank() < 1) return invalid_model(ctx.describe_input(kInput), " must have rank >= 1");
  const int units = w.dim(0), depth = w.dim(1);
  if (ctx.has_input(kBias)) {
    EIR_RETURN_IF_ERROR(expect_float_weights(ctx, kBias));
    if (ctx.input(kBias).num_elements() != units)
      return invalid_model(ctx.describe_input(kBias), " must have ", units, " elements (units)");
  }
  auto state = std::make_unique<FcState>();
  if (depth > 0) {
    if (in.num_elements() % depth != 0)
      return invalid_model(ctx.describe_input(kInput), " has ", in.num_elements(),
                           " elements, not a multiple of the weights' depth ", depth);
    state->batch = in.num_elements() / depth;
  } else {
    // TFLite's special case for an empty depth: batch is the product of the leading dims.
    state->batch = shape_num_elements(Shape(in.shape.begin(), in.shape.end() - 1));
  }
  if (state->batch > std::numeric_limits<int32_t>::max())
    return invalid_model(ctx.describe_input(kInput), ": batch size overflows");
  Shape out_shape;
  if (p->keep_num_dims) {
    if (in.dim(in.rank() - 1) != depth)
      return invalid_model(ctx.describe_input(kInput), ": last dim must equal the weights' depth ", depth,
                           " when keep_num_dims is set");
    out_shape = in.shape;
    out_shape.back() = units;
  } else {
    out_shape = {static_cast<int32_t>(state->batch), units};
  }
  EIR_RETURN_IF_ERROR(fused_activation_clamp(p->activation, &state->act_lo, &state->act_hi));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status fc_run(KernelContext& ctx) {
  const FcState& s = *ctx.state<FcState>();
  const Tensor& w = ctx.input(kWeights);
  const float* x = ctx.input(kInput).as<float>();
  const float* wt = w.as<float>();
  const float* bias = ctx.has_input(kBias) ? ctx.input(kBias).as<float>() : nullptr;
  float* y = ctx.output(0).as<float>();
  const int64_t units = w.dim(0), depth = w.dim(1);

  // One task per output element (batch row b, unit u): a dot product of two contiguous rows.
  auto outputs = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const int64_t b = static_cast<int64_t>(i) / units, u = static_cast<int64_t>(i) % units;
      const float* xr = x + b * depth;
      const float* wr = wt + u * depth;
      float acc = 0.0f;
      for (int64_t d = 0; d < depth; ++d) acc += xr[d] * wr[d];
      if (bias) acc += bias[u];
      y[i] = clamp_to(acc, s.act_lo, s.act_hi);
    }
  };
  ctx.thread_pool()->parallel_for(static_cast<size_t>(s.batch * units), 16, std::move(outputs));
  return Status::Ok();
}

}  // namespace

Kernel fully_connected_f32_kernel() { return Kernel{"reference/fully_connected_f32", fc_prepare, fc_run}; }

}  // namespace eir::ref
