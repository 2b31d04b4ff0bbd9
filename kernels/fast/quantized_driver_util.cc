#include "kernels/fast/quantized_driver_util.h"

#include "kernels/reference/quant_utils.h"

namespace eir::fast {

namespace {

bool per_tensor_ok(const Tensor& t) { return t.quant.scales.size() == 1 && ref::check_quant_params(t, "").ok(); }

}  // namespace

bool analyze_quantized_node(const Node& node, const std::vector<Tensor>& tensors, const Tensor& in,
                            const Tensor& weights, int64_t channels, Activation activation,
                            const QuantizedWeightsRules& rules, QuantizedChannels* q) {
  if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
    const Tensor* bias = tensor_at(node, tensors, 2);
    if (!bias || bias->dtype != DType::kI32 || !bias->is_constant() || bias->data == nullptr ||
        bias->num_elements() != channels)
      return false;
  }
  if (node.outputs.size() != 1) return false;
  const int out_index = node.outputs[0];
  if (out_index < 0 || static_cast<size_t>(out_index) >= tensors.size()) return false;
  const Tensor& out = tensors[static_cast<size_t>(out_index)];
  if (out.dtype != in.dtype || !per_tensor_ok(in) || !per_tensor_ok(out)) return false;
  const bool u8 = in.dtype == DType::kU8;
  ref::QuantCheck wcheck;
  wcheck.allow_per_channel = !u8;
  wcheck.require_zero_point_zero = !u8 && rules.int8_symmetric;
  if (!ref::check_quant_params(weights, "", wcheck).ok()) return false;
  const bool per_channel = weights.quant.per_channel();
  if (per_channel && (weights.quant.axis != rules.channel_axis ||
                      static_cast<int64_t>(weights.quant.scales.size()) != channels))
    return false;
  int32_t lo, hi;
  if (!ref::quantized_activation_range(activation, out, &lo, &hi).ok()) return false;
  q->u8 = u8;
  q->input_zero_point = in.quant.zero_point();
  // Per-channel weights are symmetric by spec; TFLite (and the reference) ignore their zero points.
  q->weights_zero_point = per_channel || (!u8 && rules.int8_ignore_zero_point) ? 0 : weights.quant.zero_point();
  q->multipliers.resize(static_cast<size_t>(channels));
  q->shifts.resize(static_cast<size_t>(channels));
  // The reference's multipliers: the scale product rounded to float first (uint8, and per-tensor
  // int8 where the rules say so), else in doubles.
  const bool float_product = u8 || (!per_channel && rules.int8_per_tensor_float_product);
  const float in_s = in.quant.scale(), out_s = out.quant.scale();
  for (int64_t c = 0; c < channels; ++c) {
    const float ws = per_channel ? weights.quant.scales[static_cast<size_t>(c)] : weights.quant.scale();
    const ref::QuantizedMultiplier m =
        ref::quantize_multiplier(ref::weights_real_multiplier(in_s, ws, out_s, float_product));
    if (m.multiplier < 0 || !qs8_shift_supported(m.shift)) return false;
    q->multipliers[static_cast<size_t>(c)] = m.multiplier;
    q->shifts[static_cast<size_t>(c)] = m.shift;
  }
  return true;
}

Qs8GemmProblem qs8_gemm_problem(const QuantizedChannels& q, const Tensor& weights, const Tensor* bias, size_t n,
                                size_t kc, size_t ks) {
  Qs8GemmProblem pr;
  pr.n = n;
  pr.kc = kc;
  pr.ks = ks;
  pr.weights = weights.data;
  pr.weights_u8 = q.u8;
  pr.weights_zero_point = q.weights_zero_point;
  pr.bias = bias ? bias->as<int32_t>() : nullptr;
  pr.input_u8 = q.u8;
  pr.input_zero_point = q.input_zero_point;
  pr.multipliers = q.multipliers.data();
  pr.shifts = q.shifts.data();
  return pr;
}

Status quantized_output_params(Activation activation, const Tensor& out, uint8_t a_xor, uint8_t round_half_away,
                               eir_qs8_gemm_params* params) {
  int32_t act_min = 0, act_max = 0;
  EIR_RETURN_IF_ERROR(ref::quantized_activation_range(activation, out, &act_min, &act_max));
  params->output_zero_point = out.quant.zero_point();
  params->output_min = act_min;
  params->output_max = act_max;
  params->a_xor = a_xor;
  // Ties away from zero and ties up differ only where the rounded result is negative (by 1, both
  // <= 0): when the clamp's minimum is at or above the zero point (RELU, RELU6, ...), every such
  // result clamps to that minimum either way, and the kernels can take the cheaper ties-up form.
  params->round_half_away = round_half_away != 0 && act_min < params->output_zero_point ? 1 : 0;
  params->simple_shift = 0;
  return Status::Ok();
}

}  // namespace eir::fast
