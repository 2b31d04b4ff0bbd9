// FUSED_ELEMENTWISE float32 (eir-internal; runtime/graph/fused_elementwise.h) through the f32
// vchain microkernel of one config (kernels/ukernels/f32-vchain): every element goes through the
// whole chain in registers, so the chain reads its inputs and writes its output once where the
// unfused ops each load and store a whole tensor. Each step computes what the one-op driver's
// microkernel computes (same clamp bounds, same sigmoid / hard-swish arithmetic), so the results
// equal the unfused fast kernels' bit for bit.
//
// Operands (fused_operand_layout): a full tensor is read at the element's offset; a scalar is
// broadcast by the microkernel; a trailing block of P elements (per-channel) is read through
// "spans": the output is cut into spans that start at multiples of P, so the operand's element
// for span offset j is j % P. When P is below kTile the operand is first copied several times
// (a span of P * floor(kTile / P) elements, fewer for a small output): a constant operand once
// at prepare, into the node's state, an activation at every run, into scratch. Otherwise a span
// is P elements, read from the operand directly. All trailing-block operands of a node must have
// the same P (the pass fuses only such chains); this driver declines other nodes and the
// reference kernel runs them.
//
// Every input element is read before the output element at the same offset is written, so the
// output may share memory with input 0 or a same-shaped operand (the planner's in-place rule).

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/f32_misc_util.h"
#include "kernels/reference/float_elementwise.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"
#include "runtime/graph/fused_elementwise.h"

namespace eir::fast {
namespace {

static_assert(kMaxFusedElementwiseSteps <= EIR_F32_VCHAIN_MAX_STEPS, "a fused node must fit one vchain program");

// Most floats of a tiled trailing-block operand: the copies stay in L1 next to the microkernel's
// other streams, and each microkernel call still covers enough elements to hide its overhead
// (1024 to 4096 measured within noise of each other on the Zen 4 test machine; 512 slower).
constexpr size_t kTile = 2048;
// Elements per microkernel call and per parallel task (at least), when no tile bounds them.
constexpr size_t kChunk = 8192;

enum class Source : uint8_t {
  kNone,      // unary step
  kFull,      // operand + offset
  kScalar,    // the operand's single value
  kPeriodic,  // per span: the tiled copy, or the operand itself when P >= kTile
};

struct FusedState : KernelState {
  std::array<eir_f32_vchain_step, kMaxFusedElementwiseSteps> steps{};
  std::array<Source, kMaxFusedElementwiseSteps> source{};
  std::array<int, kMaxFusedElementwiseSteps> operand{};  // input index per step (-1: none)
  // Tiled kPeriodic: the copy's slot (span floats each), in const_tiles when const_slot, else in
  // scratch; -1 for other steps.
  std::array<int, kMaxFusedElementwiseSteps> slot{};
  std::array<bool, kMaxFusedElementwiseSteps> const_slot{};
  size_t num_steps = 0;
  eir_f32_vchain_ukernel_fn ukernel = nullptr;
  size_t total = 0;    // output elements
  size_t period = 0;   // P of the trailing-block operands, 0 if none
  size_t span = 0;     // elements per span (0: no spans, chunks of kChunk)
  bool tiled = false;  // 0 < P < kTile: trailing-block operands are tiled
  std::vector<float> const_tiles;  // tiled constant operands, filled at prepare
  std::array<int, kMaxFusedElementwiseSteps> scratch_input{};  // the input each scratch slot tiles
  size_t num_scratch_slots = 0;
};

// Copies of the P-element block `src` filling `span` (a multiple of P) floats at `dst`.
void tile(const float* src, size_t period, size_t span, float* dst) {
  for (size_t r = 0; r < span; r += period) std::memcpy(dst + r, src, period * sizeof(float));
}

// The shapes this driver streams: input 0 has the output's shape, every operand is a full
// tensor, a scalar or a trailing block of one common size. Sets *period (0 = no trailing block).
bool layout_ok(const Node& node, const std::vector<Tensor>& tensors, size_t* period) {
  const auto* p = node.params_as<FusedElementwiseParams>();
  const Tensor* value = tensor_at(node.inputs, tensors, 0);
  if (p == nullptr || value == nullptr) return false;
  *period = 0;
  for (const ElementwiseStep& s : p->steps) {
    if (s.operand < 0) continue;
    const Tensor* operand = tensor_at(node.inputs, tensors, static_cast<size_t>(s.operand));
    if (operand == nullptr) return false;
    const OperandLayout layout = fused_operand_layout(value->shape, operand->shape);
    if (layout == OperandLayout::kOther) return false;
    const size_t count = static_cast<size_t>(operand->num_elements());
    if (layout == OperandLayout::kPeriodic && count > 1) {
      if (*period != 0 && *period != count) return false;
      *period = count;
    }
  }
  return true;
}

bool fused_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (!validate_fused_elementwise(node).ok() || node.outputs.size() != 1) return false;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Tensor* t = tensor_at(node.inputs, tensors, i);
    if (t == nullptr || t->dtype != DType::kF32) return false;
  }
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  size_t period = 0;
  return out != nullptr && out->dtype == DType::kF32 && layout_ok(node, tensors, &period);
}

// The vchain step for one program step.
eir_f32_vchain_step make_step(const ElementwiseStep& e, bool scalar_operand) {
  eir_f32_vchain_step s{};
  s.scalar_operand = scalar_operand ? 1 : 0;
  s.min = -std::numeric_limits<float>::infinity();
  s.max = std::numeric_limits<float>::infinity();
  switch (static_cast<BuiltinOp>(e.op)) {
    case BuiltinOp::kAdd:
    case BuiltinOp::kSub:
    case BuiltinOp::kMul:
      // TFLite's bounds, as the one-op ADD/SUB/MUL drivers: NONE clamps to [lowest, max].
      ref::activation_bounds(e.activation, &s.min, &s.max);
      s.op = is_op(e.op, BuiltinOp::kAdd)   ? EIR_F32_VCHAIN_ADD
             : is_op(e.op, BuiltinOp::kMul) ? EIR_F32_VCHAIN_MUL
             : e.operand_first              ? EIR_F32_VCHAIN_RSUB
                                            : EIR_F32_VCHAIN_SUB;
      break;
    case BuiltinOp::kPrelu: s.op = EIR_F32_VCHAIN_PRELU; break;
    case BuiltinOp::kRelu: s.op = EIR_F32_VCHAIN_CLAMP; s.min = 0.0f; break;
    case BuiltinOp::kRelu6: s.op = EIR_F32_VCHAIN_CLAMP; s.min = 0.0f; s.max = 6.0f; break;
    case BuiltinOp::kReluN1To1: s.op = EIR_F32_VCHAIN_CLAMP; s.min = -1.0f; s.max = 1.0f; break;
    case BuiltinOp::kLogistic: s.op = EIR_F32_VCHAIN_SIGMOID; break;
    default: s.op = EIR_F32_VCHAIN_HSWISH; break;  // kHardSwish: validate_fused_elementwise allows no other
  }
  return s;
}

Status fused_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(validate_fused_elementwise(ctx.node()));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  for (int i = 0; i < ctx.num_inputs(); ++i) EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(i, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  auto state = std::make_unique<FusedState>();
  if (!layout_ok(ctx.node(), ctx.tensors(), &state->period))
    return unsupported("the operands of ", node_op_label(ctx.node()), " no longer line up with ",
                       ctx.describe_input(0), " as whole tensors, scalars or one trailing-block size; the chain was "
                       "fused for other input shapes (load the model with LoadOptions::optimize = false to run these "
                       "shapes)");
  const Tensor& value = ctx.input(0);
  state->ukernel = config.vchain;
  state->total = ref::element_count(value);
  state->tiled = state->period != 0 && state->period < kTile;
  if (state->tiled) {
    // Repeats per span: as many as fit kTile, but no more than the output holds.
    const size_t reps = std::min(kTile / state->period, (state->total + state->period - 1) / state->period);
    state->span = state->period * reps;
  } else {
    state->span = state->period;  // 0 when there is no trailing-block operand
  }
  size_t num_const_slots = 0;
  const auto& steps = ctx.node().params_as<FusedElementwiseParams>()->steps;
  for (size_t k = 0; k < steps.size(); ++k) {
    const ElementwiseStep& e = steps[k];
    Source source = Source::kNone;
    int slot = -1;
    if (e.operand >= 0) {
      const size_t count = ref::element_count(ctx.input(e.operand));
      source = count == state->total ? Source::kFull : count == 1 ? Source::kScalar : Source::kPeriodic;
      if (source == Source::kPeriodic && state->tiled) {
        const Tensor& operand = ctx.input(e.operand);
        state->const_slot[k] = operand.is_constant() && operand.data != nullptr;
        if (state->const_slot[k]) {
          slot = static_cast<int>(num_const_slots++);
          state->const_tiles.resize(num_const_slots * state->span);
          tile(operand.as<const float>(), state->period, state->span,
               state->const_tiles.data() + static_cast<size_t>(slot) * state->span);
        } else {
          slot = static_cast<int>(state->num_scratch_slots++);
          state->scratch_input[static_cast<size_t>(slot)] = e.operand;
        }
      }
    }
    state->steps[k] = make_step(e, source == Source::kScalar);
    state->source[k] = source;
    state->operand[k] = e.operand;
    state->slot[k] = slot;
  }
  state->num_steps = steps.size();
  if (state->num_scratch_slots > 0) ctx.request_scratch(state->num_scratch_slots * state->span * sizeof(float));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, value.shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status fused_run(KernelContext& ctx) {
  const FusedState& s = *ctx.state<FusedState>();
  if (s.total == 0) return Status::Ok();
  const float* in[kMaxFusedElementwiseSteps + 1] = {};
  for (int i = 0; i < ctx.num_inputs(); ++i) in[i] = ctx.input(i).as<const float>();
  float* y = ctx.output(0).as<float>();
  float* tiles = reinterpret_cast<float*>(ctx.scratch());
  for (size_t t = 0; t < s.num_scratch_slots; ++t)
    tile(in[s.scratch_input[t]], s.period, s.span, tiles + t * s.span);
  // Elements [o, o + n), `rel` elements into their span.
  auto run_range = [&](size_t o, size_t rel, size_t n) {
    const float* operands[kMaxFusedElementwiseSteps] = {};
    for (size_t k = 0; k < s.num_steps; ++k) {
      switch (s.source[k]) {
        case Source::kNone: break;
        case Source::kFull: operands[k] = in[s.operand[k]] + o; break;
        case Source::kScalar: operands[k] = in[s.operand[k]]; break;
        case Source::kPeriodic:
          if (s.slot[k] < 0) {
            operands[k] = in[s.operand[k]] + rel;
          } else {
            const float* base = s.const_slot[k] ? s.const_tiles.data() : tiles;
            operands[k] = base + static_cast<size_t>(s.slot[k]) * s.span + rel;
          }
          break;
      }
    }
    // The microkernel offsets x, y and vector operands by the same element index from here.
    s.ukernel(n, in[0] + o, operands, y + o, s.steps.data(), s.num_steps);
  };
  ThreadPool* pool = ctx.thread_pool();
  if (s.span == 0) {
    const size_t chunks = (s.total + kChunk - 1) / kChunk;
    pool->parallel_for(chunks, 1, [&](size_t begin, size_t end) {
      const size_t o = begin * kChunk;
      run_range(o, 0, std::min(end * kChunk, s.total) - o);
    });
    return Status::Ok();
  }
  const size_t spans = (s.total + s.span - 1) / s.span;
  pool->parallel_for(spans, std::max<size_t>(1, kChunk / s.span), [&](size_t begin, size_t end) {
    for (size_t u = begin; u < end; ++u) {
      const size_t start = u * s.span, stop = std::min(start + s.span, s.total);
      for (size_t o = start; o < stop; o += kChunk) run_range(o, o - start, std::min(kChunk, stop - o));
    }
  });
  return Status::Ok();
}

}  // namespace

Kernel fused_elementwise_f32_kernel(const F32MiscConfig& config) {
  Kernel k;
  k.name = config_kernel_name("fast/fused_elementwise_f32_", config);
  k.prepare = prepare_for<fused_prepare>(config);
  k.run = fused_run;
  k.supports = fused_supports;
  return k;
}

}  // namespace eir::fast
