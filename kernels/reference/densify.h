// Decoding of TFLite's sparse constant format (SparsityParameters: TACO-style per-level
// DENSE / SPARSE_CSR metadata, with optional block sparsity), used by the importer to turn sparse
// constants into dense ones before any kernel sees them.
//
// The format, for a tensor of rank n with k block dims:
//  - traversal_order has n + k entries: the first n are a permutation of the dense dims
//    0..n-1 (the order the levels are stored in), the last k a permutation of n..n+k-1 (the
//    order inside a block). Conceptual dim n + b is the inner part of the dense dim block_map[b];
//    dense dim block_map[b] itself then counts blocks: its extent is dense_shape / block size.
//  - dims[l] describes level l (conceptual dim traversal_order[l]): DENSE with dense_size = its
//    extent, or SPARSE_CSR with segments (one more than the number of positions of the level
//    above; segments[p]..segments[p+1] are the children of position p) and indices (the
//    coordinate of each child along this level).
//  - values holds one element per leaf of that tree, in traversal order; everything else is 0.
// The data comes from the model file and is treated as hostile: every count, segment and index is
// checked, and nothing outside `values` or `out_dense` is ever touched.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"

namespace eir {

// Writes the dense tensor (dense_shape, row-major, element type dtype) to out_dense, which must
// hold shape_num_elements(dense_shape) * dtype_size(dtype) bytes. `values` holds value_bytes
// bytes of stored elements. Returns invalid_model (naming the inconsistency) on any malformed
// or inconsistent sparsity data, unsupported for layouts TFLite itself cannot decode.
Status densify_constant(const SparsityInfo& sparsity, const Shape& dense_shape, DType dtype, const uint8_t* values,
                        size_t value_bytes, uint8_t* out_dense);

}  // namespace eir
