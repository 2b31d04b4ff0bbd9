// RELU, RELU6, RELU_N1_TO_1, HARD_SWISH, LOGISTIC and PRELU float32 through the f32 vunary
// microkernels, split across threads in chunks.
//
// PRELU is handled when alpha repeats along the input's leading dims (its shape without leading
// 1s equals the input's trailing dims: the per-channel [1,1,C] of real models, or a single value)
// and the output has the input's shape; a short alpha block is first copied several times into
// scratch so that each microkernel row is >= 512 elements. Other broadcasts are declined.

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/f32_misc_util.h"
#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr size_t kChunk = 8192;        // elements per task
constexpr size_t kMinAlphaSpan = 512;  // alpha blocks shorter than this are replicated

enum class Act { kRelu, kRelu6, kReluN1To1, kHardSwish, kLogistic };

struct UnaryState : KernelState {
  eir_f32_vunary_ukernel_fn ukernel = nullptr;
  eir_f32_minmax_params params{};
  size_t total = 0;
};

bool unary_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node.inputs, tensors, 0);
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  return in && out && in->dtype == DType::kF32 && out->dtype == DType::kF32;
}

template <Act kAct>
Status unary_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  auto state = std::make_unique<UnaryState>();
  state->total = ref::element_count(ctx.input(0));
  const float inf = std::numeric_limits<float>::infinity();
  switch (kAct) {
    case Act::kRelu:
      state->params = {0.0f, inf};
      break;
    case Act::kRelu6:
      state->params = {0.0f, 6.0f};
      break;
    case Act::kReluN1To1:
      state->params = {-1.0f, 1.0f};
      break;
    default:
      break;
  }
  state->ukernel = kAct == Act::kHardSwish ? config.vhswish : kAct == Act::kLogistic ? config.vsigmoid : config.vclamp;
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, ctx.input(0).shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status unary_run(KernelContext& ctx) {
  const UnaryState& s = *ctx.state<UnaryState>();
  const float* x = ctx.input(0).as<const float>();
  float* y = ctx.output(0).as<float>();
  const size_t chunks = (s.total + kChunk - 1) / kChunk;
  ctx.thread_pool()->parallel_for(chunks, 1, [&](size_t begin, size_t end) {
    const size_t i0 = begin * kChunk, n = std::min(end * kChunk, s.total) - i0;
    s.ukernel(n, x + i0, y + i0, &s.params);
  });
  return Status::Ok();
}

// ---- PRELU ----

// Whether alpha (without its leading 1s) equals the trailing dims of the input, and the
// broadcast output is the input's shape.
bool prelu_layout_ok(const Shape& in, const Shape& alpha) {
  const Result<Shape> out = ref::broadcast_shapes(in, alpha);
  if (!out.ok() || shape_num_elements(out.value()) != shape_num_elements(in)) return false;
  size_t first = 0;
  while (first < alpha.size() && alpha[first] == 1) ++first;
  const size_t n = alpha.size() - first;
  if (n > in.size()) return false;
  for (size_t i = 0; i < n; ++i)
    if (alpha[first + i] != in[in.size() - n + i]) return false;
  return true;
}

bool prelu_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node.inputs, tensors, 0);
  const Tensor* alpha = tensor_at(node.inputs, tensors, 1);
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  return in && alpha && out && in->dtype == DType::kF32 && alpha->dtype == DType::kF32 && out->dtype == DType::kF32 &&
         prelu_layout_ok(in->shape, alpha->shape);
}

struct PreluState : KernelState {
  eir_f32_prelu_ukernel_fn ukernel = nullptr;
  size_t total = 0, block = 0, reps = 1;
};

Status prelu_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(1, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  const Tensor& in = ctx.input(0);
  const Tensor& alpha = ctx.input(1);
  EIR_ASSIGN_OR_RETURN(Shape out_shape, ref::broadcast_shapes(in.shape, alpha.shape));
  if (!prelu_layout_ok(in.shape, alpha.shape))
    return unsupported("this PRELU kernel handles an alpha repeating along the input's leading dims only");
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  auto state = std::make_unique<PreluState>();
  state->ukernel = config.prelu;
  state->total = ref::element_count(in);
  state->block = ref::element_count(alpha);
  if (state->block != 0 && state->block < kMinAlphaSpan) {
    state->reps = (kMinAlphaSpan + state->block - 1) / state->block;
    ctx.request_scratch(state->reps * state->block * sizeof(float));
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status prelu_run(KernelContext& ctx) {
  const PreluState& s = *ctx.state<PreluState>();
  const float* x = ctx.input(0).as<const float>();
  const float* alpha = ctx.input(1).as<const float>();
  float* y = ctx.output(0).as<float>();
  if (s.total == 0 || s.block == 0) return Status::Ok();
  if (s.reps > 1) {
    float* copies = reinterpret_cast<float*>(ctx.scratch());
    for (size_t r = 0; r < s.reps; ++r) std::memcpy(copies + r * s.block, alpha, s.block * sizeof(float));
    alpha = copies;
  }
  // Rows of `span` elements against the (replicated) alpha; a last, shorter row has fewer blocks.
  const size_t span = s.reps * s.block;
  const size_t full_rows = s.total / span, tail = s.total - full_rows * span;
  const size_t grain = std::max<size_t>(1, kChunk / span);
  ctx.thread_pool()->parallel_for(full_rows + (tail != 0 ? 1 : 0), grain, [&](size_t begin, size_t end) {
    const size_t full_end = std::min(end, full_rows);
    if (begin < full_end) s.ukernel(full_end - begin, span, x + begin * span, alpha, y + begin * span);
    if (end > full_rows) s.ukernel(1, tail, x + full_rows * span, alpha, y + full_rows * span);
  });
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

Kernel relu_f32_kernel(const F32MiscConfig& config) {
  return make("fast/relu_f32_", config, prepare_for<unary_prepare<Act::kRelu>>(config), unary_run, unary_supports);
}
Kernel relu6_f32_kernel(const F32MiscConfig& config) {
  return make("fast/relu6_f32_", config, prepare_for<unary_prepare<Act::kRelu6>>(config), unary_run, unary_supports);
}
Kernel relu_n1_to_1_f32_kernel(const F32MiscConfig& config) {
  return make("fast/relu_n1_to_1_f32_", config, prepare_for<unary_prepare<Act::kReluN1To1>>(config), unary_run,
              unary_supports);
}
Kernel hard_swish_f32_kernel(const F32MiscConfig& config) {
  return make("fast/hard_swish_f32_", config, prepare_for<unary_prepare<Act::kHardSwish>>(config), unary_run,
              unary_supports);
}
Kernel logistic_f32_kernel(const F32MiscConfig& config) {
  return make("fast/logistic_f32_", config, prepare_for<unary_prepare<Act::kLogistic>>(config), unary_run,
              unary_supports);
}
Kernel prelu_f32_kernel(const F32MiscConfig& config) {
  return make("fast/prelu_f32_", config, prepare_for<prelu_prepare>(config), prelu_run, prelu_supports);
}

}  // namespace eir::fast
