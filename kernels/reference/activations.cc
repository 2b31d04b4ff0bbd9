// Float32 activations: RELU, RELU6, RELU_N1_TO_1, LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU and
// PRELU (alpha broadcast against the input). Quantized versions live in register_quantized.cc.
// The element functions are in float_elementwise.h (shared with the fused-chain kernel).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "kernels/reference/common.h"
#include "kernels/reference/float_elementwise.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

enum class Act { kRelu, kRelu6, kReluN1To1, kLogistic, kTanh, kHardSwish, kLeakyRelu };

template <Act A>
float apply(float x, float alpha) {
  if constexpr (A == Act::kRelu) return relu_f32(x);
  if constexpr (A == Act::kRelu6) return clamp_keep_nan(x, 0.0f, 6.0f);
  if constexpr (A == Act::kReluN1To1) return clamp_keep_nan(x, -1.0f, 1.0f);
  if constexpr (A == Act::kLogistic) return logistic_f32(x);
  if constexpr (A == Act::kTanh) return std::tanh(x);
  if constexpr (A == Act::kHardSwish) return hard_swish_f32(x);
  // alpha may be > 1 or negative, so this is a select, not a max.
  if constexpr (A == Act::kLeakyRelu) return x > 0.0f ? x : x * alpha;
}

struct AlphaState : KernelState {
  float alpha = 0.0f;
};

Status unary_f32_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  auto state = std::make_unique<AlphaState>();
  if (const auto* p = ctx.node().params_as<LeakyReluParams>()) state->alpha = p->alpha;
  ctx.set_state(std::move(state));
  return ctx.set_output_shape(0, ctx.input(0).shape);
}

template <Act A>
Status unary_f32_run(KernelContext& ctx) {
  const float alpha = ctx.state<AlphaState>()->alpha;
  const float* in = ctx.input(0).as<const float>();
  float* out = ctx.output(0).as<float>();
  ctx.thread_pool()->parallel_for(element_count(ctx.input(0)), 8192, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) out[i] = apply<A>(in[i], alpha);
  });
  return Status::Ok();
}

template <Act A>
Kernel act_kernel(const char* name) {
  return Kernel{name, &unary_f32_prepare, &unary_f32_run<A>};
}

// ---- PRELU: out = x >= 0 ? x : x * alpha, alpha broadcast (usually per channel) ----

struct PreluState : KernelState {
  PreluState(const Shape& a, const Shape& b, const Shape& out) : indexer(a, b, out) {}
  BroadcastIndexer indexer;
};

Status prelu_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(1, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  EIR_ASSIGN_OR_RETURN(Shape out_shape, broadcast_shapes(ctx.input(0).shape, ctx.input(1).shape));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::make_unique<PreluState>(ctx.input(0).shape, ctx.input(1).shape, out_shape));
  return Status::Ok();
}

Status prelu_run(KernelContext& ctx) {
  const float* in = ctx.input(0).as<const float>();
  const float* alpha = ctx.input(1).as<const float>();
  float* out = ctx.output(0).as<float>();
  ctx.state<PreluState>()->indexer.for_each([&](int64_t o, int64_t ix, int64_t ia) {
    out[o] = prelu_f32(in[ix], alpha[ia]);
  });
  return Status::Ok();
}

}  // namespace

void register_activation_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kRelu, DType::kF32, 3, act_kernel<Act::kRelu>("reference/relu_f32"));
  r.add(BuiltinOp::kRelu6, DType::kF32, 3, act_kernel<Act::kRelu6>("reference/relu6_f32"));
  r.add(BuiltinOp::kReluN1To1, DType::kF32, 1, act_kernel<Act::kReluN1To1>("reference/relu_n1_to_1_f32"));
  r.add(BuiltinOp::kLogistic, DType::kF32, 3, act_kernel<Act::kLogistic>("reference/logistic_f32"));
  r.add(BuiltinOp::kTanh, DType::kF32, 3, act_kernel<Act::kTanh>("reference/tanh_f32"));
  r.add(BuiltinOp::kHardSwish, DType::kF32, 1, act_kernel<Act::kHardSwish>("reference/hard_swish_f32"));
  r.add(BuiltinOp::kLeakyRelu, DType::kF32, 2, act_kernel<Act::kLeakyRelu>("reference/leaky_relu_f32"));
  r.add(BuiltinOp::kPrelu, DType::kF32, 1, Kernel{"reference/prelu_f32", &prelu_prepare, &prelu_run});
}

}  // namespace eir::ref
