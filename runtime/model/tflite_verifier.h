// Two-stage verification of an untrusted .tflite buffer, run before anything is built from it:
//  1. the FlatBuffers Verifier: every offset, vector and string lies inside the buffer;
//  2. semantic checks: every tensor/buffer/opcode/subgraph index in range, -1 only as an input,
//     non-negative dims with overflow-checked element counts, constant buffer sizes equal to
//     shape x dtype size, valid quantization parameters, every tensor written before it is read
//     (which also rules out cycles), single writers, model inputs/outputs valid.
// Op-specific checks (input counts, dtypes, shapes) are done by each kernel's prepare at load.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/status.h"

namespace tflite {
struct Model;
}

namespace eir {

struct VerifyLimits {
  size_t max_tensor_bytes = size_t{1} << 32;  // one tensor (4 GiB); a SessionOption can lower it
};

// On success *model points into `data`.
Status verify_tflite_model(const uint8_t* data, size_t size, const VerifyLimits& limits,
                           const tflite::Model** model);

}  // namespace eir
