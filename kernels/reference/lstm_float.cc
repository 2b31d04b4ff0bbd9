// UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (TFLite's EvalFloat / LstmStepFloat).
//
// The output and cell states are variable tensors: they carry over between runs and are updated
// in place. One step processes a block of `nb` sequences at one time step: all n_batch in the
// time-major layout, one at a time in the batch-major layout (as TFLite does).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/reference/lstm_common.h"
#include "kernels/reference/sequence_kernels.h"

namespace eir::ref {
namespace {

using namespace lstm;  // NOLINT: input numbering

struct LstmF32State : KernelState {
  LstmShape shape;
  Activation activation = Activation::kTanh;
  float cell_clip = 0.0f;
  float proj_clip = 0.0f;
};

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// The cell-gate and output activation. TFLite leaves its buffer untouched for NONE (a quirk that
// makes NONE meaningless there); eir treats NONE as the identity.
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

const float* data_or_null(const KernelContext& ctx, int i) {
  return ctx.has_input(i) ? ctx.input(i).as<float>() : nullptr;
}

struct Weights {
  const float* input[4];
  const float* recurrent[4];
  const float* peephole[4];
  const float* bias[4];
  const float* layer_norm[4];
  const float* projection;
  const float* projection_bias;
};

Weights gather_weights(const KernelContext& ctx, const LstmShape& s) {
  Weights w{};
  for (int g = 0; g < 4; ++g) {
    w.input[g] = data_or_null(ctx, kInputWeightsOf[g]);
    w.recurrent[g] = data_or_null(ctx, kRecurrentWeightsOf[g]);
    w.peephole[g] = kPeepholeWeightsOf[g] >= 0 ? data_or_null(ctx, kPeepholeWeightsOf[g]) : nullptr;
    w.bias[g] = data_or_null(ctx, kBiasOf[g]);
    w.layer_norm[g] = s.use_layer_norm ? data_or_null(ctx, kLayerNormOf[g]) : nullptr;
  }
  w.projection = data_or_null(ctx, kProjectionWeights);
  w.projection_bias = data_or_null(ctx, kProjectionBias);
  return w;
}

// One gate for nb rows: gate = act(W_x x + W_h h + w_c .* c + b), or with layer norm
// gate = act(normalize(W_x x + W_h h + w_c .* c) .* ln + b). Summation order follows TFLite:
// bias, then the input product, then the recurrent product, then the peephole term.
void compute_gate(const LstmShape& s, const Weights& w, int g, const float* x, const float* h,
                  const float* c, int nb, bool is_sigmoid, Activation act, float* gate) {
  const int n_cell = s.n_cell, n_input = s.n_input, n_output = s.n_output;
  const float* wx = w.input[g];
  const float* wh = w.recurrent[g];
  const float* wc = w.peephole[g];
  const float* ln = w.layer_norm[g];
  for (int b = 0; b < nb; ++b) {
    const float* xb = x + static_cast<size_t>(b) * n_input;
    const float* hb = h + static_cast<size_t>(b) * n_output;
    float* gb = gate + static_cast<size_t>(b) * n_cell;
    for (int r = 0; r < n_cell; ++r) {
      float acc = ln ? 0.0f : w.bias[g][r];
      float dot = 0.0f;
      for (int i = 0; i < n_input; ++i) dot += wx[static_cast<size_t>(r) * n_input + i] * xb[i];
      acc += dot;
      if (s.recurrent_is_diag[g]) {
        acc += wh[r] * hb[r];
      } else {
        float rdot = 0.0f;
        for (int j = 0; j < n_output; ++j) rdot += wh[static_cast<size_t>(r) * n_output + j] * hb[j];
        acc += rdot;
      }
      if (wc) acc += wc[r] * c[static_cast<size_t>(b) * n_cell + r];
      gb[r] = acc;
    }
    if (ln) {
      // TFLite's MeanStddevNormalization: (v - mean) / sqrt(variance + 1e-8).
      float sum = 0.0f;
      for (int r = 0; r < n_cell; ++r) sum += gb[r];
      const float mean = n_cell > 0 ? sum / n_cell : 0.0f;
      float sum_diff_sq = 0.0f;
      for (int r = 0; r < n_cell; ++r) sum_diff_sq += (gb[r] - mean) * (gb[r] - mean);
      const float variance = n_cell > 0 ? sum_diff_sq / n_cell : 0.0f;
      const float stddev_inv = 1.0f / std::sqrt(variance + 1e-8f);
      for (int r = 0; r < n_cell; ++r) gb[r] = (gb[r] - mean) * stddev_inv * ln[r] + w.bias[g][r];
    }
    for (int r = 0; r < n_cell; ++r) gb[r] = is_sigmoid ? sigmoid(gb[r]) : activate(act, gb[r]);
  }
}

// One time step for nb rows. h: [nb, n_output] and c: [nb, n_cell] are updated in place; the new
// hidden state is also written to out ([nb, n_output], contiguous).
void lstm_step(const LstmF32State& st, const Weights& w, const float* x, int nb, float* h, float* c,
               float* out, float* scratch) {
  const LstmShape& s = st.shape;
  const size_t block = static_cast<size_t>(nb) * s.n_cell;
  float* input_gate = scratch;
  float* forget_gate = scratch + block;
  float* cell_gate = scratch + 2 * block;
  float* output_gate = scratch + 3 * block;
  float* hidden = scratch + 4 * block;

  if (!s.use_cifg) compute_gate(s, w, kGateInput, x, h, c, nb, true, st.activation, input_gate);
  compute_gate(s, w, kGateForget, x, h, c, nb, true, st.activation, forget_gate);
  compute_gate(s, w, kGateCell, x, h, c, nb, false, st.activation, cell_gate);

  // c = clip(f .* c + i .* g), with i = 1 - f under CIFG.
  for (size_t k = 0; k < block; ++k) {
    const float i = s.use_cifg ? 1.0f - forget_gate[k] : input_gate[k];
    float v = forget_gate[k] * c[k];
    v += cell_gate[k] * i;
    if (st.cell_clip > 0.0f) v = std::min(st.cell_clip, std::max(-st.cell_clip, v));
    c[k] = v;
  }

  // The output gate's peephole sees the updated cell state.
  compute_gate(s, w, kGateOutput, x, h, c, nb, true, st.activation, output_gate);
  for (size_t k = 0; k < block; ++k) hidden[k] = output_gate[k] * activate(st.activation, c[k]);

  if (s.use_projection) {
    for (int b = 0; b < nb; ++b) {
      const float* hid = hidden + static_cast<size_t>(b) * s.n_cell;
      float* hb = h + static_cast<size_t>(b) * s.n_output;
      for (int o = 0; o < s.n_output; ++o) {
        const float* wrow = w.projection + static_cast<size_t>(o) * s.n_cell;
        float dot = 0.0f;
        for (int k = 0; k < s.n_cell; ++k) dot += wrow[k] * hid[k];
        float v = (w.projection_bias ? w.projection_bias[o] : 0.0f) + dot;
        if (st.proj_clip > 0.0f) v = std::min(st.proj_clip, std::max(-st.proj_clip, v));
        hb[o] = v;
      }
    }
  } else {
    std::memcpy(h, hidden, block * sizeof(float));  // n_output == n_cell
  }
  std::memcpy(out, h, static_cast<size_t>(nb) * s.n_output * sizeof(float));
}

Status prepare(KernelContext& ctx) {
  // Hybrid LSTMs (float input, int8 weights) also key to float32; refuse them clearly.
  if (ctx.num_inputs() > kInputToOutputWeights && ctx.has_input(kInputToOutputWeights) &&
      ctx.input(kInputToOutputWeights).dtype != DType::kF32)
    return unsupported("hybrid LSTM (float32 input with ", dtype_name(ctx.input(kInputToOutputWeights).dtype),
                       " weights) is not supported");
  auto st = std::make_unique<LstmF32State>();
  const LstmDtypes dtypes{DType::kF32, DType::kF32, DType::kF32, DType::kF32, DType::kF32, DType::kF32,
                          /*allow_diagonal_recurrent=*/true};
  EIR_RETURN_IF_ERROR(validate_lstm(ctx, dtypes, &st->shape));
  const auto* params = ctx.node().params_as<SequenceLstmParams>();
  st->activation = params->activation;
  st->cell_clip = params->cell_clip;
  st->proj_clip = params->proj_clip;
  // Four gate buffers plus the hidden (pre-projection) buffer, sized for a time-major step.
  ctx.request_scratch(5 * static_cast<size_t>(st->shape.n_batch) * st->shape.n_cell * sizeof(float));
  ctx.set_state(std::move(st));
  return Status::Ok();
}

Status run(KernelContext& ctx) {
  const LstmF32State& st = *ctx.state<LstmF32State>();
  const LstmShape& s = st.shape;
  const Weights w = gather_weights(ctx, s);
  const float* input = ctx.input(kInput).as<float>();
  float* output_state = ctx.input(kOutputState).as<float>();
  float* cell_state = ctx.input(kCellState).as<float>();
  float* output = ctx.output(0).as<float>();
  float* scratch = reinterpret_cast<float*>(ctx.scratch());

  if (s.time_major) {
    for (int t = 0; t < s.max_time; ++t) {
      lstm_step(st, w, input + static_cast<size_t>(t) * s.n_batch * s.n_input, s.n_batch, output_state,
                cell_state, output + static_cast<size_t>(t) * s.n_batch * s.n_output, scratch);
    }
  } else {
    for (int b = 0; b < s.n_batch; ++b) {
      for (int t = 0; t < s.max_time; ++t) {
        const size_t row = static_cast<size_t>(b) * s.max_time + t;
        lstm_step(st, w, input + row * s.n_input, 1, output_state + static_cast<size_t>(b) * s.n_output,
                  cell_state + static_cast<size_t>(b) * s.n_cell, output + row * s.n_output, scratch);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Kernel lstm_f32_kernel() { return Kernel{"reference/unidirectional_sequence_lstm_f32", prepare, run}; }

}  // namespace eir::ref
