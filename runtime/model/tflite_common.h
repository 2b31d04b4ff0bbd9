// Small accessors over the generated TFLite FlatBuffers API shared by the verifier and importer.
// Every function here assumes the FlatBuffers Verifier already accepted the buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/graph/dtype.h"
#include "schema/tflite_generated.h"

namespace eir {

// The operator code of an OperatorCode entry: files written before 2.3 store it only in the
// int8 `deprecated_builtin_code`; newer files store both. TFLite reads the larger of the two.
inline int tflite_builtin_code(const tflite::OperatorCode* code) {
  int deprecated = code->deprecated_builtin_code();
  int current = static_cast<int>(code->builtin_code());
  return deprecated > current ? deprecated : current;
}

// Maps a TFLite TensorType to eir's DType (kUnknown for types eir cannot hold, e.g. COMPLEX64).
DType dtype_from_tflite(tflite::TensorType t);
const char* tflite_type_name(tflite::TensorType t);

// The bytes of buffer `index`: embedded data, or an (offset, size) region of the file for models
// over 2 GB. *bytes == 0 means "no data". Returns false if the region lies outside the file.
bool tflite_buffer_bytes(const tflite::Model* model, const uint8_t* file, size_t file_size, uint32_t index,
                         const uint8_t** data, size_t* bytes);

}  // namespace eir
