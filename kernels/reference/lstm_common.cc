#include "kernels/reference/lstm_common.h"

namespace eir::ref::lstm {
namespace {

Status expect_dims(const KernelContext& ctx, int i, std::initializer_list<int> dims) {
  const Tensor& t = ctx.input(i);
  const Shape expected(dims.begin(), dims.end());
  if (t.shape != expected)
    return invalid_model(ctx.describe_input(i), " must have shape ", shape_to_string(expected), ", got ",
                         shape_to_string(t.shape));
  return Status::Ok();
}

Status expect_dtype(const KernelContext& ctx, int i, DType dtype) { return ctx.expect_input_dtype(i, dtype); }

}  // namespace

Status validate_lstm(KernelContext& ctx, const LstmDtypes& dt, LstmShape* s) {
  *s = LstmShape{};
  // TFLite accepts the 20-input form (no layer norm) and the 24-input form.
  if (ctx.num_inputs() != 20 && ctx.num_inputs() != 24)
    return invalid_model("UNIDIRECTIONAL_SEQUENCE_LSTM expects 20 or 24 inputs, got ", ctx.num_inputs());
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const auto* params = ctx.node().params_as<SequenceLstmParams>();
  if (!params) return invalid_model("missing UnidirectionalSequenceLSTM options");
  if (!(params->cell_clip >= 0.0f) || !(params->proj_clip >= 0.0f))
    return invalid_model("cell_clip and proj_clip must be >= 0, got ", params->cell_clip, " and ", params->proj_clip);

  for (int required : {kInput, kInputToForgetWeights, kInputToCellWeights, kInputToOutputWeights,
                       kRecurrentToForgetWeights, kRecurrentToCellWeights, kRecurrentToOutputWeights,
                       kForgetGateBias, kCellGateBias, kOutputGateBias, kOutputState, kCellState}) {
    if (!ctx.has_input(required)) return invalid_model("required input ", required, " is absent (-1)");
  }

  // Input: [max_time, n_batch, n_input] (time major) or [n_batch, max_time, n_input].
  EIR_RETURN_IF_ERROR(expect_dtype(ctx, kInput, dt.input));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kInput, 3));
  const Tensor& input = ctx.input(kInput);
  s->time_major = params->time_major;
  s->max_time = s->time_major ? input.dim(0) : input.dim(1);
  s->n_batch = s->time_major ? input.dim(1) : input.dim(0);
  s->n_input = input.dim(2);

  // n_cell from the input-to-output weights [n_cell, n_input].
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kInputToOutputWeights, 2));
  s->n_cell = ctx.input(kInputToOutputWeights).dim(0);
  const int n_cell = s->n_cell;

  // n_output from the recurrent-to-output weights [n_cell, n_output] (or diagonal [n_cell]).
  const Tensor& rec_out = ctx.input(kRecurrentToOutputWeights);
  if (rec_out.rank() == 1 && dt.allow_diagonal_recurrent) {
    s->n_output = rec_out.dim(0);
  } else {
    EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kRecurrentToOutputWeights, 2));
    s->n_output = rec_out.dim(1);
  }
  const int n_output = s->n_output;

  s->use_cifg = !ctx.has_input(kInputToInputWeights);
  if (ctx.has_input(kInputToInputWeights) != ctx.has_input(kRecurrentToInputWeights))
    return invalid_model("input-to-input and recurrent-to-input weights must be both present or both absent (CIFG)");
  if (ctx.has_input(kInputGateBias) == s->use_cifg)
    return invalid_model(s->use_cifg ? "input gate bias must be absent with CIFG (no input-to-input weights)"
                                     : "input gate bias is required without CIFG");

  for (int g = 0; g < 4; ++g) {
    if (g == kGateInput && s->use_cifg) continue;
    // Input weights [n_cell, n_input].
    EIR_RETURN_IF_ERROR(expect_dtype(ctx, kInputWeightsOf[g], dt.weights));
    EIR_RETURN_IF_ERROR(expect_dims(ctx, kInputWeightsOf[g], {n_cell, s->n_input}));
    // Recurrent weights [n_cell, n_output], or [n_cell] when diagonal (then n_output == n_cell).
    const int r = kRecurrentWeightsOf[g];
    EIR_RETURN_IF_ERROR(expect_dtype(ctx, r, dt.weights));
    if (ctx.input(r).rank() == 1 && dt.allow_diagonal_recurrent) {
      s->recurrent_is_diag[g] = true;
      EIR_RETURN_IF_ERROR(expect_dims(ctx, r, {n_cell}));
      if (n_output != n_cell)
        return invalid_model(ctx.describe_input(r), " is diagonal, which needs n_output (", n_output,
                             ") == n_cell (", n_cell, ")");
    } else {
      EIR_RETURN_IF_ERROR(expect_dims(ctx, r, {n_cell, n_output}));
    }
    // Bias [n_cell].
    EIR_RETURN_IF_ERROR(expect_dtype(ctx, kBiasOf[g], dt.bias));
    EIR_RETURN_IF_ERROR(expect_dims(ctx, kBiasOf[g], {n_cell}));
  }

  // Peephole weights: all or none (the input one is absent with CIFG).
  const bool has_ci = ctx.has_input(kCellToInputWeights);
  const bool has_cf = ctx.has_input(kCellToForgetWeights);
  const bool has_co = ctx.has_input(kCellToOutputWeights);
  s->use_peephole = has_co;
  const bool all = (has_ci || s->use_cifg) && has_cf && has_co;
  const bool none = !has_ci && !has_cf && !has_co;
  if (!all && !none) return invalid_model("peephole (cell-to-gate) weights must be all present or all absent");
  if (s->use_cifg && has_ci) return invalid_model("cell-to-input weights must be absent with CIFG");
  for (int g : {kGateInput, kGateForget, kGateOutput}) {
    const int p = kPeepholeWeightsOf[g];
    if (!ctx.has_input(p)) continue;
    EIR_RETURN_IF_ERROR(expect_dtype(ctx, p, dt.peephole));
    EIR_RETURN_IF_ERROR(expect_dims(ctx, p, {n_cell}));
  }

  // Projection [n_output, n_cell] with optional bias [n_output]; without it the hidden state is
  // o .* act(c), so n_output must equal n_cell.
  s->use_projection = ctx.has_input(kProjectionWeights);
  if (s->use_projection) {
    EIR_RETURN_IF_ERROR(expect_dtype(ctx, kProjectionWeights, dt.weights));
    EIR_RETURN_IF_ERROR(expect_dims(ctx, kProjectionWeights, {n_output, n_cell}));
  } else if (n_output != n_cell) {
    return invalid_model("without projection weights n_output (", n_output, ") must equal n_cell (", n_cell, ")");
  }
  if (ctx.has_input(kProjectionBias)) {
    if (!s->use_projection) return invalid_model("projection bias given without projection weights");
    EIR_RETURN_IF_ERROR(expect_dtype(ctx, kProjectionBias, dt.bias));
    EIR_RETURN_IF_ERROR(expect_dims(ctx, kProjectionBias, {n_output}));
  }

  // Layer norm: the 24-input form with forget-gate coefficients present.
  s->use_layer_norm = ctx.num_inputs() == 24 && ctx.has_input(kForgetLayerNorm);
  if (s->use_layer_norm) {
    for (int g = 0; g < 4; ++g) {
      const int ln = kLayerNormOf[g];
      if (g == kGateInput && s->use_cifg) {
        if (ctx.has_input(ln)) return invalid_model("input layer-norm coefficients must be absent with CIFG");
        continue;
      }
      if (!ctx.has_input(ln)) return invalid_model("layer-norm coefficients input ", ln, " is required");
      EIR_RETURN_IF_ERROR(expect_dtype(ctx, ln, dt.layer_norm));
      EIR_RETURN_IF_ERROR(expect_dims(ctx, ln, {n_cell}));
    }
  }

  // States: persistent variable tensors the kernel updates in place.
  for (int st : {kOutputState, kCellState}) {
    const Tensor& t = ctx.input(st);
    if (t.kind != TensorKind::kVariable)
      return invalid_model(ctx.describe_input(st), " must be a variable (state) tensor");
    const int64_t expected = static_cast<int64_t>(s->n_batch) * (st == kOutputState ? n_output : n_cell);
    if (t.num_elements() != expected)
      return invalid_model(ctx.describe_input(st), " must have ", expected, " elements (n_batch * ",
                           st == kOutputState ? "n_output" : "n_cell", "), got ", t.num_elements());
  }
  EIR_RETURN_IF_ERROR(expect_dtype(ctx, kOutputState, dt.input));
  EIR_RETURN_IF_ERROR(expect_dtype(ctx, kCellState, dt.cell_state));

  // Output: the input's shape with the last dim replaced by n_output.
  if (ctx.output(0).dtype != dt.input)
    return invalid_model(ctx.describe_output(0), " must be ", dtype_name(dt.input));
  Shape out_shape = input.shape;
  out_shape[2] = n_output;
  return ctx.set_output_shape(0, out_shape);
}

}  // namespace eir::ref::lstm
