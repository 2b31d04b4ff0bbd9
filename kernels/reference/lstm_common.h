// UNIDIRECTIONAL_SEQUENCE_LSTM: input numbering and the shape/dtype validation shared by the
// float (lstm_float.cc) and integer (lstm_quantized.cc) reference kernels.
//
// Gate equations (TFLite's, with optional CIFG, peephole, projection and layer norm):
//   i = sigmoid(W_xi x + W_hi h + w_ci .* c + b_i)   (CIFG: i = 1 - f)
//   f = sigmoid(W_xf x + W_hf h + w_cf .* c + b_f)
//   g = act(W_xc x + W_hc h + b_c)
//   c' = clip(f .* c + i .* g)
//   o = sigmoid(W_xo x + W_ho h + w_co .* c' + b_o)
//   h' = clip(W_proj (o .* act(c')) + b_proj)        (no projection: h' = o .* act(c'))
#pragma once

#include "runtime/executor/kernel.h"

namespace eir::ref::lstm {

// Input positions, TFLite's numbering (lstm_shared.h).
enum LstmInput : int {
  kInput = 0,
  kInputToInputWeights = 1,  // optional (absent = CIFG)
  kInputToForgetWeights = 2,
  kInputToCellWeights = 3,
  kInputToOutputWeights = 4,
  kRecurrentToInputWeights = 5,  // optional (absent = CIFG)
  kRecurrentToForgetWeights = 6,
  kRecurrentToCellWeights = 7,
  kRecurrentToOutputWeights = 8,
  kCellToInputWeights = 9,   // optional peephole
  kCellToForgetWeights = 10,  // optional peephole
  kCellToOutputWeights = 11,  // optional peephole
  kInputGateBias = 12,        // optional (absent = CIFG)
  kForgetGateBias = 13,
  kCellGateBias = 14,
  kOutputGateBias = 15,
  kProjectionWeights = 16,  // optional
  kProjectionBias = 17,     // optional
  kOutputState = 18,        // variable tensor [n_batch, n_output]
  kCellState = 19,          // variable tensor [n_batch, n_cell]
  kInputLayerNorm = 20,     // optional (layer-norm LSTM, 24-input form only)
  kForgetLayerNorm = 21,
  kCellLayerNorm = 22,
  kOutputLayerNorm = 23,
};

// Gate order used for per-gate arrays below.
enum Gate : int { kGateInput = 0, kGateForget = 1, kGateCell = 2, kGateOutput = 3 };

// The input index of each gate's input weights, recurrent weights, peephole weights, bias and
// layer-norm coefficients (the cell gate has no peephole: -1).
constexpr int kInputWeightsOf[4] = {kInputToInputWeights, kInputToForgetWeights, kInputToCellWeights,
                                    kInputToOutputWeights};
constexpr int kRecurrentWeightsOf[4] = {kRecurrentToInputWeights, kRecurrentToForgetWeights,
                                        kRecurrentToCellWeights, kRecurrentToOutputWeights};
constexpr int kPeepholeWeightsOf[4] = {kCellToInputWeights, kCellToForgetWeights, -1, kCellToOutputWeights};
constexpr int kBiasOf[4] = {kInputGateBias, kForgetGateBias, kCellGateBias, kOutputGateBias};
constexpr int kLayerNormOf[4] = {kInputLayerNorm, kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm};

// What a node's inputs describe, after validation.
struct LstmShape {
  int max_time = 0;
  int n_batch = 0;
  int n_input = 0;
  int n_cell = 0;
  int n_output = 0;
  bool time_major = false;
  bool use_cifg = false;       // no input gate: i = 1 - f
  bool use_peephole = false;   // cell-to-gate weights present
  bool use_projection = false; // projection weights present
  bool use_layer_norm = false; // 24 inputs with forget-gate layer-norm coefficients
  bool recurrent_is_diag[4] = {false, false, false, false};  // 1-d recurrent weights (float only)
};

// Which dtypes a kernel variant expects.
struct LstmDtypes {
  DType input;         // input, output and output state
  DType weights;       // input-to-gate, recurrent, projection weights
  DType peephole;      // cell-to-gate weights
  DType bias;          // gate and projection biases
  DType layer_norm;    // layer-norm coefficients
  DType cell_state;
  bool allow_diagonal_recurrent;  // 1-d recurrent weights (TFLite's float path only)
};

// Validates input count, presence rules (CIFG all-or-none, peephole all-or-none, projection bias
// only with projection weights), every present tensor's rank, dims and dtype, the state tensors
// (variable, right element counts) and the output dtype; sets the output shape.
Status validate_lstm(KernelContext& ctx, const LstmDtypes& dtypes, LstmShape* shape);

}  // namespace eir::ref::lstm
