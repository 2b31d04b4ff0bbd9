#include "runtime/model/tflite_common.h"

namespace eir {

DType dtype_from_tflite(tflite::TensorType t) {
  switch (t) {
    case tflite::TensorType::FLOAT32: return DType::kF32;
    case tflite::TensorType::FLOAT16: return DType::kF16;
    case tflite::TensorType::FLOAT64: return DType::kF64;
    case tflite::TensorType::INT8: return DType::kI8;
    case tflite::TensorType::UINT8: return DType::kU8;
    case tflite::TensorType::INT16: return DType::kI16;
    case tflite::TensorType::UINT16: return DType::kU16;
    case tflite::TensorType::INT32: return DType::kI32;
    case tflite::TensorType::UINT32: return DType::kU32;
    case tflite::TensorType::INT64: return DType::kI64;
    case tflite::TensorType::BOOL: return DType::kBool;
    case tflite::TensorType::STRING: return DType::kString;
    default: return DType::kUnknown;
  }
}

const char* tflite_type_name(tflite::TensorType t) {
  const char* name = tflite::EnumNameTensorType(t);
  return (name && *name) ? name : "UNKNOWN_TYPE";
}

bool tflite_buffer_bytes(const tflite::Model* model, const uint8_t* file, size_t file_size, uint32_t index,
                         const uint8_t** data, size_t* bytes) {
  *data = nullptr;
  *bytes = 0;
  const auto* buffers = model->buffers();
  if (buffers == nullptr || index >= buffers->size()) return false;
  const tflite::Buffer* b = buffers->Get(index);
  if (b == nullptr) return true;
  if (b->data() != nullptr && b->data()->size() > 0) {
    *data = b->data()->data();
    *bytes = b->data()->size();
    return true;
  }
  // offset/size > 1 marks data stored after the FlatBuffer (the converter writes 1 as a placeholder).
  if (b->offset() > 1 && b->size() > 0) {
    uint64_t end;
    if (__builtin_add_overflow(b->offset(), b->size(), &end) || end > file_size) return false;
    *data = file + b->offset();
    *bytes = static_cast<size_t>(b->size());
  }
  return true;
}

}  // namespace eir
