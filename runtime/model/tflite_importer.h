// Builds eir's Graph from a verified TFLite model: tensors (constants point into the file bytes,
// zero-copy), quantization, nodes with parsed options. Sparse constants are densified here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/status.h"
#include "runtime/core/memory_budget.h"
#include "runtime/graph/graph.h"

namespace tflite {
struct Model;
}

namespace eir {

// `model` must have passed verify_tflite_model on the same bytes. Constants the importer has to
// copy or densify are counted against `budget` before they are allocated.
Result<Graph> import_tflite_subgraph(const tflite::Model* model, const uint8_t* file, size_t file_size,
                                     int subgraph_index, MemoryBudget* budget);

}  // namespace eir
