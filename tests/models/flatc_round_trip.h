// What editing a .tflite through flatc's JSON form (`flatc --json`, edit, `flatc --binary`) does to
// its quantization scales: flatc writes every float with std::fixed and 6 decimals
// (flatbuffers::FloatToString(v, 6)) and reads it back, so a scale of 0.0235294 becomes 0.023529.
// Used by the conformance runner to test the explanation of a golden made from such a copy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eir::conformance {

// A copy of `model` (a .tflite) whose quantization scales are rounded as above; everything else is
// byte for byte the same. Empty, with *error set, if the bytes are not a valid TFLite model.
std::vector<uint8_t> round_scales_like_flatc_json(const std::vector<uint8_t>& model, std::string* error);

// The float flatc reads back from its own JSON text for v.
float flatc_json_float(float v);

}  // namespace eir::conformance
