// FUSED_ELEMENTWISE float32 (eir-internal; runtime/graph/fused_elementwise.h): a chain of
// elementwise ops evaluated element by element with the same element functions as the one-op
// reference kernels (float_elementwise.h), in the chain's order: value = input 0, then each step
// replaces value by op(value) or op(value, operand) (op(operand, value) when the operand came first
// in the original node). Every element is read completely before it is written, so the output may
// share memory with input 0 or a same-shaped operand (the planner's in-place rule).
//
// Operands broadcast into the value with NumPy rules; each step must keep the value's shape (the
// pass fused the chain for such shapes; other input shapes are refused with a message).
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/reference/common.h"
#include "kernels/reference/float_elementwise.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"
#include "runtime/graph/fused_elementwise.h"

namespace eir::ref {
namespace {

constexpr int kMaxRank = BroadcastIndexer::kMaxRank;
constexpr int kMaxInputs = static_cast<int>(kMaxFusedElementwiseSteps) + 1;

struct Step {
  BuiltinOp op = BuiltinOp::kAdd;
  int operand = -1;  // index into the node's inputs, -1 for unary steps
  bool operand_first = false;
  float lo = 0.0f, hi = 0.0f;  // ADD/SUB/MUL fused activation bounds
};

struct FusedState : KernelState {
  std::vector<Step> steps;
  Shape shape;  // the value's (and output's) shape
  int rank = 0;
  // Per input and dim of `shape`: the input's stride (0 where it is broadcast).
  int64_t strides[kMaxInputs][kMaxRank] = {};
};

// Strides of `operand` aligned to the trailing dims of `out`; 0 where the operand dim is 1.
void broadcast_strides(const Shape& operand, const Shape& out, int64_t* strides) {
  const int rank = static_cast<int>(out.size());
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const int od = d - (rank - static_cast<int>(operand.size()));
    const int32_t dim = od >= 0 ? operand[static_cast<size_t>(od)] : 1;
    strides[d] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
}

float apply_step(const Step& s, float v, float b) {
  switch (s.op) {
    case BuiltinOp::kAdd: return clamp_activation(v + b, s.lo, s.hi);
    case BuiltinOp::kSub: return clamp_activation(s.operand_first ? b - v : v - b, s.lo, s.hi);
    case BuiltinOp::kMul: return clamp_activation(v * b, s.lo, s.hi);
    case BuiltinOp::kPrelu: return prelu_f32(v, b);
    case BuiltinOp::kRelu: return relu_f32(v);
    case BuiltinOp::kRelu6: return clamp_keep_nan(v, 0.0f, 6.0f);
    case BuiltinOp::kReluN1To1: return clamp_keep_nan(v, -1.0f, 1.0f);
    case BuiltinOp::kLogistic: return logistic_f32(v);
    case BuiltinOp::kHardSwish: return hard_swish_f32(v);
    default: return v;  // unreachable: validate_fused_elementwise accepted only the ops above
  }
}

Status fused_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(validate_fused_elementwise(ctx.node()));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  for (int i = 0; i < ctx.num_inputs(); ++i) EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(i, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  auto state = std::make_unique<FusedState>();
  state->shape = ctx.input(0).shape;
  state->rank = static_cast<int>(state->shape.size());
  if (state->rank > kMaxRank)
    return unsupported(ctx.describe_input(0), ": rank ", state->rank, " is above the supported ", kMaxRank);
  // validate_fused_elementwise bounds the inputs by kMaxInputs.
  for (int i = 0; i < ctx.num_inputs(); ++i) broadcast_strides(ctx.input(i).shape, state->shape, state->strides[i]);
  const auto& steps = ctx.node().params_as<FusedElementwiseParams>()->steps;
  for (size_t k = 0; k < steps.size(); ++k) {
    const ElementwiseStep& e = steps[k];
    Step s;
    s.op = static_cast<BuiltinOp>(e.op);
    s.operand = e.operand;
    s.operand_first = e.operand_first;
    activation_bounds(e.activation, &s.lo, &s.hi);
    if (s.operand >= 0) {
      EIR_ASSIGN_OR_RETURN(Shape out, broadcast_shapes(state->shape, ctx.input(s.operand).shape));
      if (out != state->shape)
        return unsupported(fused_step_label(ctx.node(), k), ": ", ctx.describe_input(s.operand),
                           " broadcasts the chain's value ", shape_to_string(state->shape), " to ",
                           shape_to_string(out), "; the chain was fused for other input shapes (load the model with "
                           "LoadOptions::optimize = false to run these shapes)");
    }
    state->steps.push_back(s);
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, state->shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status fused_run(KernelContext& ctx) {
  const FusedState& st = *ctx.state<FusedState>();
  const int num_inputs = ctx.num_inputs();
  const float* in[kMaxInputs] = {};
  for (int i = 0; i < num_inputs; ++i) in[i] = ctx.input(i).as<const float>();
  float* out = ctx.output(0).as<float>();
  const int64_t total = shape_num_elements(st.shape);
  ctx.thread_pool()->parallel_for(static_cast<size_t>(total), 8192, [&](size_t begin, size_t end) {
    // The multi-index of element `begin`, then each input's offset, advanced dim by dim.
    int64_t idx[kMaxRank] = {0};
    int64_t off[kMaxInputs] = {0};
    int64_t rest = static_cast<int64_t>(begin);
    for (int d = st.rank - 1; d >= 0; --d) {
      const int64_t dim = st.shape[static_cast<size_t>(d)];
      idx[d] = rest % dim;
      rest /= dim;
      for (int i = 0; i < num_inputs; ++i) off[i] += idx[d] * st.strides[i][d];
    }
    for (size_t o = begin; o < end; ++o) {
      float v = in[0][off[0]];
      for (const Step& s : st.steps) v = apply_step(s, v, s.operand >= 0 ? in[s.operand][off[s.operand]] : 0.0f);
      out[o] = v;
      for (int d = st.rank - 1; d >= 0; --d) {
        ++idx[d];
        for (int i = 0; i < num_inputs; ++i) off[i] += st.strides[i][d];
        if (idx[d] < st.shape[static_cast<size_t>(d)]) break;
        for (int i = 0; i < num_inputs; ++i) off[i] -= st.strides[i][d] * idx[d];
        idx[d] = 0;
      }
    }
  });
  return Status::Ok();
}

}  // namespace

void register_fused_elementwise_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kFusedElementwise, DType::kF32, 1,
        Kernel{"reference/fused_elementwise_f32", &fused_prepare, &fused_run});
}

}  // namespace eir::ref
