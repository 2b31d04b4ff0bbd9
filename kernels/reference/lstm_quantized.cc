// UNIDIRECTIONAL_SEQUENCE_LSTM, full integer "8x8_16" scheme (TFLite's EvalInteger8x8_16):
// int8 input / output / hidden state, int8 weights, int32 biases, int16 cell state with a
// power-of-two scale, int16 peephole and layer-norm weights. Gates are computed in int16 Q3.12
// (the intermediates' scales for layer-norm LSTMs), activated with gemmlowp's fixed-point
// sigmoid / tanh into Q0.15, and the cell state is updated in its own Q(15+log2 scale) format.
//
// Bit-exact with TFLite's portable tensor_utils, including its intermediate clamps: every
// matrix product is requantized and *added with int16 saturation* to the gate accumulator in
// turn (input part, then recurrent part, then peephole part).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/reference/lstm_common.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/sequence_kernels.h"

namespace eir::ref {
namespace {

using namespace lstm;  // NOLINT: input numbering

struct GateParams {
  QuantizedMultiplier input_scale;      // input * W_x -> gate (Q3.12 or the intermediate's scale)
  QuantizedMultiplier recurrent_scale;  // h * W_h -> gate
  QuantizedMultiplier peephole_scale;   // c * w_c -> gate
  QuantizedMultiplier layer_norm_scale;
  int32_t variance_guard = 1;
  // bias - input_zp * rowsum(W_x) (no bias for layer-norm LSTMs) and -h_zp * rowsum(W_h).
  std::vector<int32_t> input_effective_bias;
  std::vector<int32_t> recurrent_effective_bias;
};

struct LstmIntState : KernelState {
  LstmShape shape;
  GateParams gate[4];
  QuantizedMultiplier hidden_scale;  // o * tanh(c) (Q0.15 * Q0.15) -> hidden
  QuantizedMultiplier projection_scale;
  int32_t hidden_zp = 0;
  int32_t output_state_zp = 0;
  int cell_scale_log2 = 0;  // the cell state's scale is 2^cell_scale_log2
  int16_t cell_clip = 0;    // 0 = no clipping
  int8_t proj_clip = 0;
  std::vector<int32_t> projection_effective_bias;  // proj_bias + hidden_zp * rowsum(W_proj)
};

inline int32_t wrap32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }
inline int32_t clamp_i16(int32_t v) { return std::min<int32_t>(32767, std::max<int32_t>(-32768, v)); }
inline int32_t clamp_i8(int32_t v) { return std::min<int32_t>(127, std::max<int32_t>(-128, v)); }

// tflite::CheckedLog2, in float as TFLite computes it.
bool checked_log2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *log2_result = static_cast<int>(rounded);
  return std::abs(x_log2 - rounded) < 1e-3f;
}

// tflite::GetInvSqrtQuantizedMultiplierExp with reverse_shift = -1 (the only use here):
// 1/sqrt(input) as a Q0.31 multiplier and a (left) shift, by 5 Newton-Raphson steps in Q3.28.
void inv_sqrt_quantized_multiplier(int32_t input, int32_t* multiplier, int* shift) {
  if (input <= 1) {  // TFLite treats 0 like 1 (and 1 separately, to avoid overflow)
    *multiplier = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  int right_shift = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++right_shift;
  }
  const int max_left_shift_bit_pairs = (count_leading_zeros(static_cast<uint32_t>(input)) - 1) / 2;
  const int left_shift_bit_pairs = max_left_shift_bit_pairs - 1;
  right_shift -= left_shift_bit_pairs;
  input <<= 2 * left_shift_bit_pairs;  // now in [2^27, 2^29)
  using F3 = FixedPoint<int32_t, 3>;
  using F0 = FixedPoint<int32_t, 0>;
  const F3 fixed_input = F3::from_raw(input >> 1);
  const F3 half_input = saturating_rounding_multiply_by_pot<-1>(fixed_input);
  const F3 three_halves = F3::from_raw((1 << 28) + (1 << 27));
  F3 x = F3::one();
  for (int i = 0; i < 5; ++i) {
    const F3 x3 = rescale<3>(x * x * x);
    x = rescale<3>(three_halves * x - half_input * x3);
  }
  const F0 half_sqrt_2 = F0::from_raw(1518500250);  // sqrt(2) / 2
  x = x * half_sqrt_2;  // Q3 * Q0 stays Q3
  int32_t result = x.raw;
  if (right_shift < 0) {
    result = wrapping_shift_left(result, -right_shift);
    right_shift = 0;
  }
  *multiplier = result;
  *shift = -right_shift;  // reverse_shift = -1: a right shift becomes a negative left shift
}

// TFLite's PortableApplyLayerNorm on one row of n values (in place): integer mean / variance in
// units of 2^-10, normalization by the inverse square root, then coefficient, bias and scale.
void layer_norm_row(int16_t* v, int n, const int16_t* weights, const int32_t* bias, QuantizedMultiplier scale,
                    int32_t variance_guard) {
  int64_t sum = 0, sum_sq = 0;
  for (int j = 0; j < n; ++j) {
    sum += v[j];
    sum_sq += static_cast<int32_t>(v[j]) * v[j];
  }
  const int32_t mean = static_cast<int32_t>(sum * 1024 / n);
  const int32_t temp = (1 << 20) / n;  // exact only for power-of-two n, as in TFLite
  const int64_t variance = sum_sq * temp - static_cast<int64_t>(mean) * mean;
  int32_t variance2 = static_cast<int32_t>(variance / (1 << 20));
  if (variance2 < 1) variance2 = variance_guard;
  int32_t inv_a;
  int inv_b;
  inv_sqrt_quantized_multiplier(variance2, &inv_a, &inv_b);
  for (int j = 0; j < n; ++j) {
    const int32_t shifted = wrap32(1024 * static_cast<int64_t>(v[j]) - mean);
    const int32_t rescaled = multiply_by_quantized_multiplier(shifted, inv_a, inv_b);
    // TFLite multiplies and adds in int32 before widening.
    const int64_t val3 = wrap32(static_cast<int64_t>(rescaled) * weights[j] + bias[j]);
    const int32_t val4 = static_cast<int32_t>((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
    const int32_t val5 = multiply_by_quantized_multiplier(val4, scale.multiplier, scale.shift + 12);
    v[j] = static_cast<int16_t>(clamp_i16(val5));
  }
}

// gemmlowp tanh of a Q(integer_bits).(15-integer_bits) value, integer_bits in [0, 6].
int16_t tanh_q(int integer_bits, int16_t x) {
  switch (integer_bits) {
    case 0: return fixed_tanh(FixedPoint<int16_t, 0>::from_raw(x)).raw;
    case 1: return fixed_tanh(FixedPoint<int16_t, 1>::from_raw(x)).raw;
    case 2: return fixed_tanh(FixedPoint<int16_t, 2>::from_raw(x)).raw;
    case 3: return fixed_tanh(FixedPoint<int16_t, 3>::from_raw(x)).raw;
    case 4: return fixed_tanh(FixedPoint<int16_t, 4>::from_raw(x)).raw;
    case 5: return fixed_tanh(FixedPoint<int16_t, 5>::from_raw(x)).raw;
    default: return fixed_tanh(FixedPoint<int16_t, 6>::from_raw(x)).raw;
  }
}
int16_t sigmoid_q3(int16_t x) { return fixed_logistic(FixedPoint<int16_t, 3>::from_raw(x)).raw; }

// (a * b) / 2^shift rounded, truncated to int16 (TFLite's CwiseMul with a shift; no saturation).
inline int16_t mul_shift(int16_t a, int16_t b, int shift) {
  return static_cast<int16_t>(rounding_divide_by_pot(static_cast<int32_t>(a) * b, shift));
}

struct IntWeights {
  const int8_t* input[4];
  const int8_t* recurrent[4];
  const int16_t* peephole[4];
  const int32_t* bias[4];
  const int16_t* layer_norm[4];
  const int8_t* projection;
};

// dot(row, vec) + bias in int32 (wrapping like TFLite's int32 accumulator).
inline int32_t dot_plus(int32_t bias, const int8_t* row, const int8_t* vec, int n) {
  int64_t acc = bias;
  for (int k = 0; k < n; ++k) acc += static_cast<int32_t>(row[k]) * vec[k];
  return wrap32(acc);
}

// One gate for nb rows into `gate` ([nb, n_cell], int16), activated (sigmoid or tanh, Q0.15).
void compute_gate(const LstmIntState& st, const IntWeights& w, int g, const int8_t* x, const int8_t* h,
                  const int16_t* c, int nb, int16_t* gate) {
  const LstmShape& s = st.shape;
  const GateParams& p = st.gate[g];
  for (int b = 0; b < nb; ++b) {
    const int8_t* xb = x + static_cast<size_t>(b) * s.n_input;
    const int8_t* hb = h + static_cast<size_t>(b) * s.n_output;
    int16_t* gb = gate + static_cast<size_t>(b) * s.n_cell;
    for (int r = 0; r < s.n_cell; ++r) {
      int32_t acc = dot_plus(p.input_effective_bias[static_cast<size_t>(r)],
                             w.input[g] + static_cast<size_t>(r) * s.n_input, xb, s.n_input);
      int32_t v = clamp_i16(multiply_by_quantized_multiplier(acc, p.input_scale));
      acc = dot_plus(p.recurrent_effective_bias[static_cast<size_t>(r)],
                     w.recurrent[g] + static_cast<size_t>(r) * s.n_output, hb, s.n_output);
      v = clamp_i16(multiply_by_quantized_multiplier(acc, p.recurrent_scale) + v);
      if (w.peephole[g]) {
        const int32_t prod = static_cast<int32_t>(w.peephole[g][r]) * c[static_cast<size_t>(b) * s.n_cell + r];
        v = clamp_i16(multiply_by_quantized_multiplier(prod, p.peephole_scale) + v);
      }
      gb[r] = static_cast<int16_t>(v);
    }
    if (w.layer_norm[g]) layer_norm_row(gb, s.n_cell, w.layer_norm[g], w.bias[g], p.layer_norm_scale, p.variance_guard);
    for (int r = 0; r < s.n_cell; ++r) gb[r] = g == kGateCell ? tanh_q(3, gb[r]) : sigmoid_q3(gb[r]);
  }
}

// One time step for nb rows: h ([nb, n_output] int8) and c ([nb, n_cell] int16) in place, the new
// hidden state copied to out.
void lstm_step(const LstmIntState& st, const IntWeights& w, const int8_t* x, int nb, int8_t* h, int16_t* c,
               int8_t* out, uint8_t* scratch) {
  const LstmShape& s = st.shape;
  const size_t block = static_cast<size_t>(nb) * s.n_cell;
  int16_t* input_gate = reinterpret_cast<int16_t*>(scratch);
  int16_t* forget_gate = input_gate + block;
  int16_t* cell_gate = input_gate + 2 * block;
  int16_t* output_gate = input_gate + 3 * block;
  int16_t* cell_tanh = input_gate + 4 * block;
  int8_t* hidden = reinterpret_cast<int8_t*>(input_gate + 5 * block);

  if (!s.use_cifg) compute_gate(st, w, kGateInput, x, h, c, nb, input_gate);
  compute_gate(st, w, kGateForget, x, h, c, nb, forget_gate);
  compute_gate(st, w, kGateCell, x, h, c, nb, cell_gate);

  // c = clip(sat16(f*c >> 15 + i*g >> (30 + cell_scale))); i = 1 - f (32767 - f) under CIFG.
  const int ig_shift = 30 + st.cell_scale_log2;
  for (size_t k = 0; k < block; ++k) {
    const int16_t fc = mul_shift(forget_gate[k], c[k], 15);
    const int16_t i = s.use_cifg ? static_cast<int16_t>(32767 - forget_gate[k]) : input_gate[k];
    const int16_t ig = mul_shift(i, cell_gate[k], ig_shift);
    int32_t v = clamp_i16(static_cast<int32_t>(fc) + ig);
    if (st.cell_clip > 0) v = std::min<int32_t>(st.cell_clip, std::max<int32_t>(-st.cell_clip, v));
    c[k] = static_cast<int16_t>(v);
  }

  compute_gate(st, w, kGateOutput, x, h, c, nb, output_gate);

  const int cell_integer_bits = 15 + st.cell_scale_log2;
  for (size_t k = 0; k < block; ++k) cell_tanh[k] = tanh_q(cell_integer_bits, c[k]);

  if (s.use_projection) {
    // TFLite quantizes the hidden vector with -hidden_zp here and folds +hidden_zp * rowsum into
    // the projection bias (b/246629213); reproduced as is.
    for (size_t k = 0; k < block; ++k) {
      const int32_t prod = static_cast<int32_t>(output_gate[k]) * cell_tanh[k];
      hidden[k] = static_cast<int8_t>(clamp_i8(multiply_by_quantized_multiplier(prod, st.hidden_scale) - st.hidden_zp));
    }
    for (int b = 0; b < nb; ++b) {
      const int8_t* hid = hidden + static_cast<size_t>(b) * s.n_cell;
      int8_t* hb = h + static_cast<size_t>(b) * s.n_output;
      for (int o = 0; o < s.n_output; ++o) {
        const int32_t acc = dot_plus(st.projection_effective_bias[static_cast<size_t>(o)],
                                     w.projection + static_cast<size_t>(o) * s.n_cell, hid, s.n_cell);
        int32_t v = clamp_i8(multiply_by_quantized_multiplier(acc, st.projection_scale) + st.output_state_zp);
        if (st.proj_clip > 0) v = std::min<int32_t>(st.proj_clip, std::max<int32_t>(-st.proj_clip, v));
        hb[o] = static_cast<int8_t>(v);
      }
    }
  } else {
    for (size_t k = 0; k < block; ++k) {
      const int32_t prod = static_cast<int32_t>(output_gate[k]) * cell_tanh[k];
      h[k] = static_cast<int8_t>(clamp_i8(multiply_by_quantized_multiplier(prod, st.hidden_scale) + st.hidden_zp));
    }
  }
  std::memcpy(out, h, static_cast<size_t>(nb) * s.n_output);
}

// bias[row] + zero_point * rowsum(weights[row]) (TFLite's PrecomputeZeroPointTimesWeightWithBias).
std::vector<int32_t> zero_point_times_rowsum(const Tensor& weights, int32_t zero_point, const Tensor* bias) {
  const int rows = weights.dim(0), cols = weights.dim(1);
  std::vector<int32_t> out(static_cast<size_t>(rows), 0);
  const int8_t* w = weights.as<int8_t>();
  for (int r = 0; r < rows; ++r) {
    int64_t row_sum = 0;
    for (int k = 0; k < cols; ++k) row_sum += w[static_cast<size_t>(r) * cols + k];
    const int32_t b = bias ? bias->as<int32_t>()[r] : 0;
    out[static_cast<size_t>(r)] = wrap32(static_cast<int64_t>(b) + static_cast<int64_t>(wrap32(row_sum)) * zero_point);
  }
  return out;
}

Status prepare(KernelContext& ctx) {
  auto st = std::make_unique<LstmIntState>();
  const LstmDtypes dtypes{DType::kI8, DType::kI8, DType::kI16, DType::kI32, DType::kI16, DType::kI16,
                          /*allow_diagonal_recurrent=*/false};
  EIR_RETURN_IF_ERROR(validate_lstm(ctx, dtypes, &st->shape));
  LstmShape& s = st->shape;
  const auto* params = ctx.node().params_as<SequenceLstmParams>();
  if (s.use_peephole && s.n_output != s.n_cell)
    return unsupported("integer LSTM with peephole weights needs n_output == n_cell (TFLite indexes them by n_output)");
  if (s.use_layer_norm && s.n_cell == 0) return invalid_model("layer-norm LSTM with n_cell = 0");

  // Quantization parameters of every tensor the arithmetic uses.
  for (int i : {static_cast<int>(kInput), static_cast<int>(kOutputState), static_cast<int>(kCellState)})
    EIR_RETURN_IF_ERROR(check_quant_params(ctx.input(i), ctx.describe_input(i)));
  EIR_RETURN_IF_ERROR(check_quant_params(ctx.output(0), ctx.describe_output(0)));
  for (int i = kInputToInputWeights; i <= kOutputLayerNorm; ++i) {
    if (i == kOutputState || i == kCellState || !ctx.has_input(i)) continue;
    if (i >= kInputLayerNorm && !s.use_layer_norm) continue;
    const bool is_bias = i == kInputGateBias || i == kForgetGateBias || i == kCellGateBias ||
                         i == kOutputGateBias || i == kProjectionBias;
    if (is_bias) {
      EIR_RETURN_IF_ERROR(ctx.expect_constant_input(i));  // folded into the effective biases
      continue;
    }
    EIR_RETURN_IF_ERROR(check_quant_params(ctx.input(i), ctx.describe_input(i)));
    if (ctx.input(i).dtype == DType::kI8) EIR_RETURN_IF_ERROR(ctx.expect_constant_input(i));
  }

  // Intermediates: 0..3 carry the gates' scales (layer norm only), 4 the hidden state's.
  const std::vector<int>& inter = ctx.node().intermediates;
  if (inter.size() != 5)
    return invalid_model("integer LSTM needs 5 intermediate tensors (gate and hidden scales), got ", inter.size());
  std::vector<Tensor>& tensors = ctx.tensors();
  for (int k = 0; k < 5; ++k) {
    if (inter[static_cast<size_t>(k)] < 0 || static_cast<size_t>(inter[static_cast<size_t>(k)]) >= tensors.size())
      return invalid_model("intermediate ", k, " has invalid tensor index ", inter[static_cast<size_t>(k)]);
  }
  auto inter_tensor = [&](int k) -> const Tensor& { return tensors[static_cast<size_t>(inter[static_cast<size_t>(k)])]; };
  float intermediate_scale[5];
  for (int k = 0; k < 4; ++k) {
    if (s.use_layer_norm) {
      const Tensor& t = inter_tensor(k);
      if (t.quant.empty() || !(t.quant.scale() > 0.0f) || !std::isfinite(t.quant.scale()))
        return invalid_model("intermediate ", k, " (gate scale) needs a positive quantization scale");
      intermediate_scale[k] = t.quant.scale();
    } else {
      intermediate_scale[k] = static_cast<float>(std::pow(2, -12));  // gates in Q3.12
    }
  }
  {
    const Tensor& hidden = inter_tensor(4);
    if (hidden.quant.empty() || !(hidden.quant.scale() > 0.0f) || !std::isfinite(hidden.quant.scale()))
      return invalid_model("intermediate 4 (hidden state scale) needs a positive quantization scale");
    intermediate_scale[4] = hidden.quant.scale();
    st->hidden_zp = hidden.quant.zero_point();
  }

  // Cell state: a power-of-two scale whose tanh fits gemmlowp's Q(0..6) formats.
  const Tensor& cell_state = ctx.input(kCellState);
  if (!checked_log2(cell_state.quant.scale(), &st->cell_scale_log2))
    return invalid_model(ctx.describe_input(kCellState), " must have a power-of-two scale, got ",
                         cell_state.quant.scale());
  if (st->cell_scale_log2 < -15 || st->cell_scale_log2 > -9)
    return unsupported(ctx.describe_input(kCellState), " has scale 2^", st->cell_scale_log2,
                       "; the integer LSTM supports 2^-15 .. 2^-9");

  // Clips in the quantized domain (float math and truncating casts, as TFLite).
  const float output_scale = ctx.output(0).quant.scale();
  st->cell_clip = params->cell_clip > 0.0f
                      ? static_cast<int16_t>(std::min(std::max(params->cell_clip / cell_state.quant.scale(), -32768.0f), 32767.0f))
                      : 0;
  st->proj_clip = params->proj_clip > 0.0f
                      ? static_cast<int8_t>(std::min(std::max(params->proj_clip / output_scale, -128.0f), 127.0f))
                      : 0;

  // Effective scales, computed in float exactly like TFLite (then widened for quantize_multiplier).
  const float input_scale = ctx.input(kInput).quant.scale();
  const float output_state_scale = ctx.input(kOutputState).quant.scale();
  auto scale_of = [&](int i) { return ctx.has_input(i) ? ctx.input(i).quant.scale() : 1.0f; };
  for (int g = 0; g < 4; ++g) {
    if (g == kGateInput && s.use_cifg) continue;
    GateParams& p = st->gate[g];
    const float eff_input = scale_of(kInputWeightsOf[g]) * input_scale / intermediate_scale[g];
    const float eff_recurrent = scale_of(kRecurrentWeightsOf[g]) * output_state_scale / intermediate_scale[g];
    p.input_scale = quantize_multiplier(eff_input);
    p.recurrent_scale = quantize_multiplier(eff_recurrent);
    if (s.use_peephole && g != kGateCell) {
      const float eff_peephole = static_cast<float>(std::pow(2, st->cell_scale_log2) * scale_of(kPeepholeWeightsOf[g]) /
                                                    intermediate_scale[g]);
      p.peephole_scale = quantize_multiplier(eff_peephole);
    }
    const float ln_scale = s.use_layer_norm ? scale_of(kLayerNormOf[g]) : 1.0f;
    p.layer_norm_scale = quantize_multiplier(ln_scale);
    p.variance_guard = std::max(1, static_cast<int32_t>(10000 * ln_scale));

    // Zero-point folding: the input and hidden zero points times the weights' row sums, plus
    // the gate bias unless layer norm adds it after normalization.
    const Tensor* bias = s.use_layer_norm ? nullptr : &ctx.input(kBiasOf[g]);
    p.input_effective_bias = zero_point_times_rowsum(ctx.input(kInputWeightsOf[g]),
                                                     -ctx.input(kInput).quant.zero_point(), bias);
    p.recurrent_effective_bias = zero_point_times_rowsum(ctx.input(kRecurrentWeightsOf[g]),
                                                         -ctx.input(kOutputState).quant.zero_point(), nullptr);
  }
  const float eff_hidden =
      static_cast<float>(std::pow(2, -15) / intermediate_scale[4] * std::pow(2, -15));
  st->hidden_scale = quantize_multiplier(eff_hidden);
  st->output_state_zp = ctx.input(kOutputState).quant.zero_point();
  if (s.use_projection) {
    const float eff_proj = scale_of(kProjectionWeights) * intermediate_scale[4] / output_state_scale;
    st->projection_scale = quantize_multiplier(eff_proj);
    st->projection_effective_bias =
        zero_point_times_rowsum(ctx.input(kProjectionWeights), st->hidden_zp,
                                ctx.has_input(kProjectionBias) ? &ctx.input(kProjectionBias) : nullptr);
  }

  // Scratch: 4 gates + tanh(c) (int16) and the quantized hidden vector (int8), per time step.
  ctx.request_scratch(static_cast<size_t>(s.n_batch) * s.n_cell * (5 * sizeof(int16_t) + 1));
  ctx.set_state(std::move(st));
  return Status::Ok();
}

Status run(KernelContext& ctx) {
  const LstmIntState& st = *ctx.state<LstmIntState>();
  const LstmShape& s = st.shape;
  IntWeights w{};
  for (int g = 0; g < 4; ++g) {
    const bool present = !(g == kGateInput && s.use_cifg);
    w.input[g] = present ? ctx.input(kInputWeightsOf[g]).as<int8_t>() : nullptr;
    w.recurrent[g] = present ? ctx.input(kRecurrentWeightsOf[g]).as<int8_t>() : nullptr;
    w.peephole[g] = (s.use_peephole && present && g != kGateCell) ? ctx.input(kPeepholeWeightsOf[g]).as<int16_t>() : nullptr;
    w.bias[g] = present ? ctx.input(kBiasOf[g]).as<int32_t>() : nullptr;
    w.layer_norm[g] = (s.use_layer_norm && present) ? ctx.input(kLayerNormOf[g]).as<int16_t>() : nullptr;
  }
  w.projection = s.use_projection ? ctx.input(kProjectionWeights).as<int8_t>() : nullptr;

  const int8_t* input = ctx.input(kInput).as<int8_t>();
  int8_t* output_state = ctx.input(kOutputState).as<int8_t>();
  int16_t* cell_state = ctx.input(kCellState).as<int16_t>();
  int8_t* output = ctx.output(0).as<int8_t>();
  if (s.time_major) {
    for (int t = 0; t < s.max_time; ++t) {
      lstm_step(st, w, input + static_cast<size_t>(t) * s.n_batch * s.n_input, s.n_batch, output_state, cell_state,
                output + static_cast<size_t>(t) * s.n_batch * s.n_output, ctx.scratch());
    }
  } else {
    for (int b = 0; b < s.n_batch; ++b) {
      for (int t = 0; t < s.max_time; ++t) {
        const size_t row = static_cast<size_t>(b) * s.max_time + t;
        lstm_step(st, w, input + row * s.n_input, 1, output_state + static_cast<size_t>(b) * s.n_output,
                  cell_state + static_cast<size_t>(b) * s.n_cell, output + row * s.n_output, ctx.scratch());
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Kernel lstm_int8x8_16_kernel() {
  return Kernel{"reference/unidirectional_sequence_lstm_int8x8_16", prepare, run};
}

}  // namespace eir::ref
