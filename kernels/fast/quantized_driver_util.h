// Node analysis shared by the 8-bit quantized fast drivers (CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED): which nodes they handle (bias, output and quantization checks), the
// per-channel requantization multipliers computed exactly as the reference kernels compute them,
// and the output stage's parameters. Each driver checks its own shapes and parameters first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/fast/driver_util.h"
#include "kernels/fast/qs8_gemm_driver.h"
#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"
#include "runtime/core/status.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/op_params.h"

namespace eir::fast {

// How one driver's reference kernel treats the weights' quantization.
struct QuantizedWeightsRules {
  int channel_axis = 0;                  // the weights' per-channel quantization axis
  bool int8_symmetric = false;           // int8 weights must have zero point 0 (else not handled)
  bool int8_ignore_zero_point = false;   // int8 weights' zero point is taken as 0 (TFLite weights_offset 0)
  // Per-tensor int8 multipliers from the float product of the input and weights scales, like uint8
  // (else from doubles, like per-channel int8).
  bool int8_per_tensor_float_product = false;
};

// What the packers and the output stage need from a handled node.
struct QuantizedChannels {
  bool u8 = false;
  int32_t input_zero_point = 0, weights_zero_point = 0;  // raw stored values
  std::vector<int32_t> multipliers;                      // per output channel (TFLite QuantizeMultiplier)
  std::vector<int> shifts;                               // within qs8_shift_supported's range
};

// The checks the drivers share, for a node whose input `in` and `weights` are already known to be
// uint8 or int8 alike and whose weights have `channels` output channels: an optional constant
// int32 bias (input 2) of `channels` values, one output of the input's dtype, per-tensor input and
// output quantization, valid weights quantization under `rules`, an activation the output can
// represent, and multipliers the kernels apply exactly. Fills *q and returns true when all hold;
// false means the driver does not handle the node (the reference kernel runs it, or reports why).
bool analyze_quantized_node(const Node& node, const std::vector<Tensor>& tensors, const Tensor& in,
                            const Tensor& weights, int64_t channels, Activation activation,
                            const QuantizedWeightsRules& rules, QuantizedChannels* q);

// The GEMM packer's view of a handled node: N = n columns of K = ks * kc weights.
Qs8GemmProblem qs8_gemm_problem(const QuantizedChannels& q, const Tensor& weights, const Tensor* bias, size_t n,
                                size_t kc, size_t ks);

// How the GEMM drivers' final shift rounds ties, as the reference kernels (TFLite's default x86
// path) do: int8 runs a ruy GEMM whose x86 kernels round ties up (Requantize::kRuyX86); uint8 runs
// a gemmlowp GEMM whose output stage is MultiplyByQuantizedMultiplier, ties away from zero
// (Requantize::kTflite).
inline uint8_t qs8_gemm_round_half_away(bool u8) { return u8 ? 1 : 0; }

// The output stage: the output's zero point, the activation's clamp range in output units, and
// the kernel's input encoding and rounding (round_half_away is dropped where the clamp makes it
// irrelevant: a minimum at or above the zero point).
Status quantized_output_params(Activation activation, const Tensor& out, uint8_t a_xor, uint8_t round_half_away,
                               eir_qs8_gemm_params* params);

}  // namespace eir::fast
