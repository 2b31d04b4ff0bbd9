// SOFTMAX, float32, over the last axis: out = exp((x - max) * beta) / sum(exp((x - max) * beta)).
// Subtracting the row maximum keeps exp() from overflowing; it does not change the result.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

struct SoftmaxState : KernelState {
  float beta = 1.0f;
  size_t rows = 0;
  size_t depth = 0;
};

Status softmax_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  const Tensor& in = ctx.input(0);
  if (in.rank() < 1) return invalid_model(ctx.describe_input(0), " must have rank >= 1 for SOFTMAX");
  auto state = std::make_unique<SoftmaxState>();
  if (const auto* p = ctx.node().params_as<SoftmaxParams>()) state->beta = p->beta;
  state->depth = static_cast<size_t>(in.dim(in.rank() - 1));
  state->rows = state->depth == 0 ? 0 : element_count(in) / state->depth;
  ctx.set_state(std::move(state));
  return ctx.set_output_shape(0, in.shape);
}

Status softmax_run(KernelContext& ctx) {
  const SoftmaxState& st = *ctx.state<SoftmaxState>();
  const float* in = ctx.input(0).as<const float>();
  float* out = ctx.output(0).as<float>();
  const size_t depth = st.depth;
  const float beta = st.beta;
  ctx.thread_pool()->parallel_for(st.rows, 16, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      const float* x = in + r * depth;
      float* y = out + r * depth;
      float max = std::numeric_limits<float>::lowest();
      for (size_t c = 0; c < depth; ++c) max = std::max(max, x[c]);
      float sum = 0.0f;
      for (size_t c = 0; c < depth; ++c) {
        y[c] = std::exp((x[c] - max) * beta);
        sum += y[c];
      }
      for (size_t c = 0; c < depth; ++c) y[c] /= sum;
    }
  });
  return Status::Ok();
}

}  // namespace

void register_softmax_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kSoftmax, DType::kF32, 4, Kernel{"reference/softmax_f32", &softmax_prepare, &softmax_run});
}

}  // namespace eir::ref
