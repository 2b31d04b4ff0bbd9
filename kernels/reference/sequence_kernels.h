// The reference kernels of the "sequence" group (registered by register_sequence.cc).
#pragma once

#include "runtime/executor/kernel.h"

namespace eir::ref {

Kernel lstm_f32_kernel();          // UNIDIRECTIONAL_SEQUENCE_LSTM, float32
Kernel lstm_int8x8_16_kernel();    // UNIDIRECTIONAL_SEQUENCE_LSTM, int8 activations/weights, int16 cell
Kernel svdf_f32_kernel();          // SVDF, float32
Kernel svdf_int8_kernel();         // SVDF, int8 input/output, int16 time weights and state
Kernel detection_postprocess_kernel();  // CUSTOM:TFLite_Detection_PostProcess (float32 / uint8 inputs)

}  // namespace eir::ref
