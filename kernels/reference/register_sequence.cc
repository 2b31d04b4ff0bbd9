#include "kernels/reference/reference_kernels.h"
#include "kernels/reference/sequence_kernels.h"

namespace eir {

void register_sequence_kernels(KernelRegistry& registry) {
  // UNIDIRECTIONAL_SEQUENCE_LSTM: v1 float or full integer (int8 x int8 -> int16 cell), v2/v3
  // hybrid (float input, int8 weights: refused by the float kernel), v4 diagonal recurrent weights.
  registry.add(BuiltinOp::kUnidirectionalSequenceLstm, DType::kF32, 4, ref::lstm_f32_kernel());
  registry.add(BuiltinOp::kUnidirectionalSequenceLstm, DType::kI8, 4, ref::lstm_int8x8_16_kernel());
  // SVDF: v1 float, v3 full integer (int8); v2/v4 are hybrid (refused by the float kernel).
  registry.add(BuiltinOp::kSvdf, DType::kF32, 4, ref::svdf_f32_kernel());
  registry.add(BuiltinOp::kSvdf, DType::kI8, 4, ref::svdf_int8_kernel());
  // The box encodings (first input) are float32 or uint8; class scores may differ.
  registry.add_custom("TFLite_Detection_PostProcess", DType::kF32, 1, ref::detection_postprocess_kernel());
  registry.add_custom("TFLite_Detection_PostProcess", DType::kU8, 1, ref::detection_postprocess_kernel());
}

}  // namespace eir
