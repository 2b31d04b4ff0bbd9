// ADD, SUB and MUL float32 through the f32 vbinary microkernels.
//
// Handled layouts (anything else is declined and runs on the reference kernel):
//   - both operands have the output's element count: one flat pass;
//   - one operand is a single value: the vector-scalar kernels (SUB with the scalar first uses
//     the reversed one, y = c - a);
//   - one operand repeats along the other's leading dims (its shape, without leading 1s, is the
//     output's trailing dims: [C] or [1,1,1,C] against [N,H,W,C], the squeeze-and-excite scale):
//     rows of the big operand against the small one. When the repeated block is short it is first
//     copied several times into scratch, so that each microkernel call still covers >= 512
//     elements.
// The fused activation is the microkernel clamp with TFLite's bounds: NONE clamps to
// [lowest, max] (so an overflow to inf becomes FLT_MAX, as in TFLite), NaN survives.

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

enum class Op { kAdd, kSub, kMul };
enum class Layout { kSame, kScalarA, kScalarB, kRepeatA, kRepeatB };

// Elements per task of the flat layouts.
constexpr size_t kChunk = 8192;
// A repeated block shorter than this is replicated in scratch up to at least this length.
constexpr size_t kMinRepeatSpan = 512;

// Whether `small` (without its leading 1s) equals the trailing dims of `big`.
bool is_trailing_block(const Shape& small, const Shape& big) {
  size_t first = 0;
  while (first < small.size() && small[first] == 1) ++first;
  const size_t n = small.size() - first;
  if (n > big.size()) return false;
  for (size_t i = 0; i < n; ++i)
    if (small[first + i] != big[big.size() - n + i]) return false;
  return true;
}

// The layout of a (a, b) pair, or false when none applies.
bool classify(const Shape& a, const Shape& b, Layout* layout) {
  const Result<Shape> out = ref::broadcast_shapes(a, b);
  if (!out.ok()) return false;
  const int64_t na = shape_num_elements(a), nb = shape_num_elements(b), no = shape_num_elements(out.value());
  if (na < 0 || nb < 0 || no < 0) return false;
  if (na == no && nb == no) {
    *layout = Layout::kSame;
  } else if (nb == 1 && na == no) {
    *layout = Layout::kScalarB;
  } else if (na == 1 && nb == no) {
    *layout = Layout::kScalarA;
  } else if (na == no && is_trailing_block(b, out.value())) {
    *layout = Layout::kRepeatB;
  } else if (nb == no && is_trailing_block(a, out.value())) {
    *layout = Layout::kRepeatA;
  } else {
    return false;
  }
  return true;
}

bool binary_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1) return false;
  const Tensor* a = tensor_at(node.inputs, tensors, 0);
  const Tensor* b = tensor_at(node.inputs, tensors, 1);
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  if (!a || !b || !out || a->dtype != DType::kF32 || b->dtype != DType::kF32 || out->dtype != DType::kF32) return false;
  Layout layout;
  return classify(a->shape, b->shape, &layout);
}

struct BinaryState : KernelState {
  Layout layout = Layout::kSame;
  eir_f32_minmax_params params{};
  eir_f32_vbinary_ukernel_fn vv = nullptr;  // vector op vector (a op b)
  eir_f32_vbinary_ukernel_fn vc = nullptr;  // big op scalar / small (see run)
  size_t total = 0;                         // output elements
  size_t block = 0;                         // repeated operand's elements (kRepeat*)
  size_t reps = 1;                          // copies of the block in scratch
};

template <Op kOp>
Status binary_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(1, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  EIR_ASSIGN_OR_RETURN(Shape out_shape, ref::broadcast_shapes(a.shape, b.shape));
  auto state = std::make_unique<BinaryState>();
  if (!classify(a.shape, b.shape, &state->layout))
    return unsupported("this kernel handles equal, scalar and trailing-block broadcasts only");
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  // TFLite's CalculateActivationRange: NONE (and TANH/SIGN_BIT, ignored for these ops) clamps to
  // the float range.
  Activation act = Activation::kNone;
  if (const auto* p = ctx.node().params_as<ActivationParams>()) act = p->activation;
  state->params.min = std::numeric_limits<float>::lowest();
  state->params.max = std::numeric_limits<float>::max();
  if (act == Activation::kRelu) state->params.min = 0.0f;
  if (act == Activation::kRelu6) state->params = {0.0f, 6.0f};
  if (act == Activation::kReluN1To1) state->params = {-1.0f, 1.0f};

  state->vv = kOp == Op::kAdd ? config.vadd : kOp == Op::kSub ? config.vsub : config.vmul;
  state->total = static_cast<size_t>(shape_num_elements(out_shape));
  switch (state->layout) {
    case Layout::kScalarB:  // a op s
      state->vc = kOp == Op::kAdd ? config.vaddc : kOp == Op::kSub ? config.vsubc : config.vmulc;
      break;
    case Layout::kScalarA:  // s op b: add/mul commute; s - b is the reversed subtraction
      state->vc = kOp == Op::kAdd ? config.vaddc : kOp == Op::kSub ? config.vrsubc : config.vmulc;
      break;
    case Layout::kRepeatA:
    case Layout::kRepeatB: {
      const Tensor& small = state->layout == Layout::kRepeatA ? a : b;
      state->block = static_cast<size_t>(small.num_elements());
      if (state->block != 0 && state->block < kMinRepeatSpan) {
        state->reps = (kMinRepeatSpan + state->block - 1) / state->block;
        ctx.request_scratch(state->reps * state->block * sizeof(float));
      }
      break;
    }
    case Layout::kSame:
      break;
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status binary_run(KernelContext& ctx) {
  const BinaryState& s = *ctx.state<BinaryState>();
  const float* a = ctx.input(0).as<const float>();
  const float* b = ctx.input(1).as<const float>();
  float* y = ctx.output(0).as<float>();
  ThreadPool* pool = ctx.thread_pool();
  if (s.total == 0) return Status::Ok();
  switch (s.layout) {
    case Layout::kSame:
    case Layout::kScalarA:
    case Layout::kScalarB: {
      const size_t chunks = (s.total + kChunk - 1) / kChunk;
      pool->parallel_for(chunks, 1, [&](size_t begin, size_t end) {
        const size_t i0 = begin * kChunk, n = std::min(end * kChunk, s.total) - i0;
        if (s.layout == Layout::kSame) s.vv(n, a + i0, b + i0, y + i0, &s.params);
        if (s.layout == Layout::kScalarB) s.vc(n, a + i0, b, y + i0, &s.params);
        if (s.layout == Layout::kScalarA) s.vc(n, b + i0, a, y + i0, &s.params);
      });
      return Status::Ok();
    }
    case Layout::kRepeatA:
    case Layout::kRepeatB: {
      const bool repeat_a = s.layout == Layout::kRepeatA;
      const float* small = repeat_a ? a : b;
      const float* big = repeat_a ? b : a;
      if (s.block == 0) return Status::Ok();
      if (s.reps > 1) {
        float* copies = reinterpret_cast<float*>(ctx.scratch());
        for (size_t r = 0; r < s.reps; ++r) std::memcpy(copies + r * s.block, small, s.block * sizeof(float));
        small = copies;
      }
      // Spans of `reps` blocks (the last one may be shorter), split across threads.
      const size_t span = s.reps * s.block;
      const size_t spans = (s.total + span - 1) / span;
      const size_t grain = std::max<size_t>(1, kChunk / span);
      pool->parallel_for(spans, grain, [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t) {
          const size_t i0 = t * span, n = std::min(span, s.total - i0);
          if (repeat_a) {
            s.vv(n, small, big + i0, y + i0, &s.params);
          } else {
            s.vv(n, big + i0, small, y + i0, &s.params);
          }
        }
      });
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Kernel make(const char* prefix, const F32MiscConfig& config, Status (*prepare)(KernelContext&)) {
  Kernel k;
  k.name = config_kernel_name(prefix, config);
  k.prepare = prepare;
  k.run = binary_run;
  k.supports = binary_supports;
  return k;
}

}  // namespace

Kernel add_f32_kernel(const F32MiscConfig& config) {
  return make("fast/add_f32_", config, prepare_for<binary_prepare<Op::kAdd>>(config));
}
Kernel sub_f32_kernel(const F32MiscConfig& config) {
  return make("fast/sub_f32_", config, prepare_for<binary_prepare<Op::kSub>>(config));
}
Kernel mul_f32_kernel(const F32MiscConfig& config) {
  return make("fast/mul_f32_", config, prepare_for<binary_prepare<Op::kMul>>(config));
}

}  // namespace eir::fast
