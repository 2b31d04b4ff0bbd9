#include "tests/models/flatc_round_trip.h"

#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <sstream>

#include "schema/tflite_generated.h"

namespace eir::conformance {

float flatc_json_float(float v) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(6) << v;
  return std::strtof(text.str().c_str(), nullptr);
}

std::vector<uint8_t> round_scales_like_flatc_json(const std::vector<uint8_t>& model, std::string* error) {
  std::vector<uint8_t> copy = model;
  flatbuffers::Verifier verifier(copy.data(), copy.size());
  if (!tflite::VerifyModelBuffer(verifier)) {
    *error = "not a valid TFLite model";
    return {};
  }
  const tflite::Model* m = tflite::GetModel(copy.data());
  if (m->subgraphs() == nullptr) return copy;
  for (const tflite::SubGraph* sg : *m->subgraphs()) {
    if (sg == nullptr || sg->tensors() == nullptr) continue;
    for (const tflite::Tensor* t : *sg->tensors()) {
      const tflite::QuantizationParameters* q = t ? t->quantization() : nullptr;
      if (q == nullptr || q->scale() == nullptr) continue;
      for (flatbuffers::uoffset_t i = 0; i < q->scale()->size(); ++i) {
        const float rounded = flatc_json_float(q->scale()->Get(i));
        // The scale lives inside `copy`: overwrite its little-endian bytes in place.
        const auto* at = reinterpret_cast<const uint8_t*>(q->scale()->data()) + i * sizeof(float);
        std::memcpy(copy.data() + (at - copy.data()), &rounded, sizeof rounded);
      }
    }
  }
  return copy;
}

}  // namespace eir::conformance
