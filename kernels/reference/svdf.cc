// SVDF (singular value decomposition filter), float32 and full integer (TFLite's EvalFloatSVDF /
// EvalIntegerSVDF).
//
// Inputs: 0 input [batch, input_size], 1 weights_feature [num_filters, input_size],
// 2 weights_time [num_filters, memory_size], 3 bias [num_units] (optional),
// 4 state [batch, memory_size * num_filters] (variable tensor, updated in place).
// num_filters = num_units * rank. Per run:
//   1. the whole state buffer shifts left by one element (each filter's newest slot is then
//      overwritten, so the element crossing a filter boundary does not matter);
//   2. state[b][f][memory_size - 1] = weights_feature[f] . input[b];
//   3. output[b][u] = act(sum over the rank filters f of unit u of weights_time[f] . state[b][f]
//      + bias[u]).
// The integer version keeps the state in int16 (scale s_state): step 2 is requantized with
// input*feature/state scales and saturated to int16, step 3 accumulates in int32 and is
// requantized with state*time/output scales. TFLite requires RELU there but applies it only
// through the int8 clamp (exact when the output zero point is -128).
#include <algorithm>
#include <cstring>

#include "kernels/reference/quant_utils.h"
#include "kernels/reference/sequence_kernels.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kWeightsFeature = 1, kWeightsTime = 2, kBias = 3, kState = 4;

struct SvdfState : KernelState {
  int batch = 0, input_size = 0, num_filters = 0, num_units = 0, memory_size = 0, rank = 0;
  Activation activation = Activation::kNone;
  QuantizedMultiplier feature_scale;  // integer: input * weights_feature -> state
  QuantizedMultiplier time_scale;     // integer: state * weights_time -> output
  int32_t input_zp = 0, output_zp = 0;
};

Status expect_shape(const KernelContext& ctx, int i, const Shape& expected) {
  if (ctx.input(i).shape != expected)
    return invalid_model(ctx.describe_input(i), " must have shape ", shape_to_string(expected), ", got ",
                         shape_to_string(ctx.input(i).shape));
  return Status::Ok();
}

// Shape checks common to both kernels; fills the sizes and sets the output shape.
Status prepare_common(KernelContext& ctx, DType input_dtype, DType weights_time_dtype, DType bias_dtype,
                      DType state_dtype, SvdfState* st) {
  if (ctx.num_inputs() != 5) return invalid_model("SVDF expects 5 inputs, got ", ctx.num_inputs());
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  for (int i : {kInput, kWeightsFeature, kWeightsTime, kState})  // the bias is optional
    if (!ctx.has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  const auto* params = ctx.node().params_as<SvdfParams>();
  if (!params) return invalid_model("missing SVDF options");
  if (params->rank <= 0) return invalid_model("SVDF rank must be > 0, got ", params->rank);

  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kInput, input_dtype));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kWeightsFeature, input_dtype));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kWeightsTime, weights_time_dtype));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kState, state_dtype));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kInput, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kWeightsFeature, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kWeightsTime, 2));

  st->rank = params->rank;
  st->activation = params->activation;
  st->batch = ctx.input(kInput).dim(0);
  st->input_size = ctx.input(kInput).dim(1);
  st->num_filters = ctx.input(kWeightsFeature).dim(0);
  st->memory_size = ctx.input(kWeightsTime).dim(1);
  if (st->num_filters % st->rank != 0)
    return invalid_model("weights_feature has ", st->num_filters, " filters, not a multiple of rank ", st->rank);
  st->num_units = st->num_filters / st->rank;
  EIR_RETURN_IF_ERROR(expect_shape(ctx, kWeightsFeature, {st->num_filters, st->input_size}));
  EIR_RETURN_IF_ERROR(expect_shape(ctx, kWeightsTime, {st->num_filters, st->memory_size}));
  if (st->memory_size < 1) return invalid_model(ctx.describe_input(kWeightsTime), " must have memory_size >= 1");
  if (ctx.has_input(kBias)) {
    EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kBias, bias_dtype));
    EIR_RETURN_IF_ERROR(expect_shape(ctx, kBias, {st->num_units}));
  }
  const Tensor& state = ctx.input(kState);
  if (state.kind != TensorKind::kVariable)
    return invalid_model(ctx.describe_input(kState), " must be a variable (state) tensor");
  EIR_RETURN_IF_ERROR(expect_shape(ctx, kState, {st->batch, st->memory_size * st->num_filters}));
  if (ctx.output(0).dtype != input_dtype)
    return invalid_model(ctx.describe_output(0), " must be ", dtype_name(input_dtype));
  return ctx.set_output_shape(0, {st->batch, st->num_units});
}

// ---------------------------------------------------------------- float32

float activate(Activation act, float x) {
  switch (act) {
    case Activation::kRelu: return std::max(0.0f, x);
    case Activation::kReluN1To1: return std::min(1.0f, std::max(-1.0f, x));
    case Activation::kRelu6: return std::min(6.0f, std::max(0.0f, x));
    case Activation::kTanh: return std::tanh(x);
    case Activation::kSignBit: return std::signbit(x) ? 1.0f : 0.0f;
    case Activation::kNone: break;
  }
  return x;
}

Status prepare_f32(KernelContext& ctx) {
  if (ctx.num_inputs() > kWeightsFeature && ctx.has_input(kWeightsFeature) &&
      ctx.input(kWeightsFeature).dtype != DType::kF32)
    return unsupported("hybrid SVDF (float32 input with ", dtype_name(ctx.input(kWeightsFeature).dtype),
                       " weights) is not supported");
  auto st = std::make_unique<SvdfState>();
  EIR_RETURN_IF_ERROR(prepare_common(ctx, DType::kF32, DType::kF32, DType::kF32, DType::kF32, st.get()));
  ctx.request_scratch(static_cast<size_t>(st->batch) * st->num_filters * sizeof(float));
  ctx.set_state(std::move(st));
  return Status::Ok();
}

Status run_f32(KernelContext& ctx) {
  const SvdfState& st = *ctx.state<SvdfState>();
  const float* input = ctx.input(kInput).as<float>();
  const float* wf = ctx.input(kWeightsFeature).as<float>();
  const float* wt = ctx.input(kWeightsTime).as<float>();
  const float* bias = ctx.has_input(kBias) ? ctx.input(kBias).as<float>() : nullptr;
  float* state = ctx.input(kState).as<float>();
  float* out = ctx.output(0).as<float>();
  float* scratch = reinterpret_cast<float*>(ctx.scratch());
  const size_t mem = static_cast<size_t>(st.memory_size);
  const size_t total = static_cast<size_t>(st.batch) * mem * st.num_filters;

  if (total > 0) std::memmove(state, state + 1, (total - 1) * sizeof(float));
  for (int b = 0; b < st.batch; ++b) {
    for (int f = 0; f < st.num_filters; ++f) {
      float dot = 0.0f;
      for (int i = 0; i < st.input_size; ++i)
        dot += wf[static_cast<size_t>(f) * st.input_size + i] * input[static_cast<size_t>(b) * st.input_size + i];
      state[(static_cast<size_t>(b) * st.num_filters + f) * mem + mem - 1] = dot;
    }
  }
  for (int b = 0; b < st.batch; ++b) {
    for (int f = 0; f < st.num_filters; ++f) {
      const float* s = state + (static_cast<size_t>(b) * st.num_filters + f) * mem;
      float dot = 0.0f;
      for (size_t m = 0; m < mem; ++m) dot += wt[static_cast<size_t>(f) * mem + m] * s[m];
      scratch[static_cast<size_t>(b) * st.num_filters + f] = dot;
    }
  }
  for (int b = 0; b < st.batch; ++b) {
    for (int u = 0; u < st.num_units; ++u) {
      const size_t o = static_cast<size_t>(b) * st.num_units + u;
      float sum = 0.0f;
      for (int r = 0; r < st.rank; ++r) sum += scratch[o * st.rank + r];
      if (bias) sum += bias[u];
      out[o] = activate(st.activation, sum);
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- int8 (int16 state)

Status prepare_int8(KernelContext& ctx) {
  auto st = std::make_unique<SvdfState>();
  EIR_RETURN_IF_ERROR(prepare_common(ctx, DType::kI8, DType::kI16, DType::kI32, DType::kI16, st.get()));
  if (st->activation != Activation::kRelu)
    return unsupported("integer SVDF supports only the RELU activation (as TFLite), got activation ",
                       static_cast<int>(st->activation));
  for (int i : {kInput, kWeightsFeature, kWeightsTime, kState})
    EIR_RETURN_IF_ERROR(check_quant_params(ctx.input(i), ctx.describe_input(i)));
  EIR_RETURN_IF_ERROR(check_quant_params(ctx.output(0), ctx.describe_output(0)));
  // Computed in float (TFLite multiplies the float scales, then widens to double).
  const float scale_1 = ctx.input(kInput).quant.scale() * ctx.input(kWeightsFeature).quant.scale() /
                        ctx.input(kState).quant.scale();
  const float scale_2 = ctx.input(kState).quant.scale() * ctx.input(kWeightsTime).quant.scale() /
                        ctx.output(0).quant.scale();
  st->feature_scale = quantize_multiplier(scale_1);
  st->time_scale = quantize_multiplier(scale_2);
  st->input_zp = ctx.input(kInput).quant.zero_point();
  st->output_zp = ctx.output(0).quant.zero_point();
  ctx.request_scratch(static_cast<size_t>(st->batch) * st->num_filters * sizeof(int32_t));
  ctx.set_state(std::move(st));
  return Status::Ok();
}

inline int32_t wrap32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

Status run_int8(KernelContext& ctx) {
  const SvdfState& st = *ctx.state<SvdfState>();
  const int8_t* input = ctx.input(kInput).as<int8_t>();
  const int8_t* wf = ctx.input(kWeightsFeature).as<int8_t>();
  const int16_t* wt = ctx.input(kWeightsTime).as<int16_t>();
  const int32_t* bias = ctx.has_input(kBias) ? ctx.input(kBias).as<int32_t>() : nullptr;
  int16_t* state = ctx.input(kState).as<int16_t>();
  int8_t* out = ctx.output(0).as<int8_t>();
  int32_t* scratch = reinterpret_cast<int32_t*>(ctx.scratch());
  const size_t mem = static_cast<size_t>(st.memory_size);
  const size_t total = static_cast<size_t>(st.batch) * mem * st.num_filters;

  if (total > 0) std::memmove(state, state + 1, (total - 1) * sizeof(int16_t));
  for (int b = 0; b < st.batch; ++b) {
    for (int f = 0; f < st.num_filters; ++f) {
      int64_t dot = 0;
      for (int i = 0; i < st.input_size; ++i)
        dot += static_cast<int32_t>(wf[static_cast<size_t>(f) * st.input_size + i]) *
               (static_cast<int32_t>(input[static_cast<size_t>(b) * st.input_size + i]) - st.input_zp);
      const int32_t v = multiply_by_quantized_multiplier(wrap32(dot), st.feature_scale);
      state[(static_cast<size_t>(b) * st.num_filters + f) * mem + mem - 1] =
          static_cast<int16_t>(std::min<int32_t>(32767, std::max<int32_t>(-32768, v)));
    }
  }
  for (int b = 0; b < st.batch; ++b) {
    for (int f = 0; f < st.num_filters; ++f) {
      const int16_t* s = state + (static_cast<size_t>(b) * st.num_filters + f) * mem;
      int64_t dot = 0;
      for (size_t m = 0; m < mem; ++m) dot += static_cast<int32_t>(wt[static_cast<size_t>(f) * mem + m]) * s[m];
      scratch[static_cast<size_t>(b) * st.num_filters + f] = wrap32(dot);
    }
  }
  for (int b = 0; b < st.batch; ++b) {
    for (int u = 0; u < st.num_units; ++u) {
      const size_t o = static_cast<size_t>(b) * st.num_units + u;
      int64_t sum = 0;
      for (int r = 0; r < st.rank; ++r) sum += scratch[o * st.rank + r];
      if (bias) sum += bias[u];
      const int32_t v = multiply_by_quantized_multiplier(wrap32(sum), st.time_scale) + st.output_zp;
      out[o] = static_cast<int8_t>(std::min<int32_t>(127, std::max<int32_t>(-128, v)));
    }
  }
  return Status::Ok();
}

}  // namespace

Kernel svdf_f32_kernel() { return Kernel{"reference/svdf_f32", prepare_f32, run_f32}; }
Kernel svdf_int8_kernel() { return Kernel{"reference/svdf_int8", prepare_int8, run_int8}; }

}  // namespace eir::ref
