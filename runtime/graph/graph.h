// eir's graph IR: tensors and nodes of one subgraph, independent of the file format they came
// from. A Model owns one immutable Graph; each Session copies the tensor table (metadata only,
// constant data stays shared) so that it can resize inputs and point tensors into its own arena.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/graph/dtype.h"
#include "runtime/graph/op_params.h"

namespace eir {

using Shape = std::vector<int32_t>;

// Number of elements of a shape, or -1 if it overflows int64 or has a negative dim.
int64_t shape_num_elements(const Shape& shape);
std::string shape_to_string(const Shape& shape);  // "[1,224,224,3]"

struct QuantParams {
  std::vector<float> scales;        // one (per-tensor) or one per channel
  std::vector<int32_t> zero_points; // same count as scales
  int axis = 0;                     // quantized_dimension, meaningful when per-channel
  bool empty() const { return scales.empty(); }
  bool per_channel() const { return scales.size() > 1; }
  float scale() const { return scales.empty() ? 0.0f : scales[0]; }
  int32_t zero_point() const { return zero_points.empty() ? 0 : zero_points[0]; }
};

// Bytes kept alive on behalf of constant tensors that eir produced (dequantized fp16 weights,
// densified sparse weights, folded constants). Aligned to 64 bytes.
class OwnedBuffer {
 public:
  explicit OwnedBuffer(size_t bytes);
  ~OwnedBuffer();
  OwnedBuffer(const OwnedBuffer&) = delete;
  OwnedBuffer& operator=(const OwnedBuffer&) = delete;
  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Sparse constant encoding (TACO-style, as in TFLite's SparsityParameters), kept only until the
// importer densifies the constant with kernels/reference/densify.h.
struct SparseDimension {
  bool dense = true;
  int32_t dense_size = 0;           // dense dims
  std::vector<int32_t> segments;    // sparse (CSR) dims: row pointers
  std::vector<int32_t> indices;     // sparse (CSR) dims: column indices
};
struct SparsityInfo {
  std::vector<int32_t> traversal_order;
  std::vector<int32_t> block_map;
  std::vector<SparseDimension> dims;  // in traversal order
};

enum class TensorKind : uint8_t {
  kActivation,  // lives in the session arena
  kConstant,    // data points at mmapped model bytes or an OwnedBuffer; never written
  kVariable,    // persistent state (e.g. LSTM), kept across runs in its own allocation
};

struct Tensor {
  std::string name;
  DType dtype = DType::kUnknown;
  Shape shape;
  QuantParams quant;
  TensorKind kind = TensorKind::kActivation;
  // Constants: the bytes (size == bytes()). Activations: set by the session to arena memory.
  uint8_t* data = nullptr;
  std::shared_ptr<OwnedBuffer> owned;   // keeps eir-produced constant bytes alive
  const uint8_t* initial_data = nullptr;  // variable tensors: initial value from the file, or null
  // The file's name for a type eir has no DType for (dtype kUnknown), e.g. "COMPLEX64", for messages.
  std::string file_type;

  bool is_constant() const { return kind == TensorKind::kConstant; }
  int rank() const { return static_cast<int>(shape.size()); }
  int dim(int i) const { return shape[static_cast<size_t>(i)]; }
  int64_t num_elements() const { return shape_num_elements(shape); }
  size_t bytes() const;  // elements * dtype size (caller ensured no overflow at verification)
  template <class T> T* as() const { return reinterpret_cast<T*>(data); }
};

// Builtin operator codes use TFLite's numbering (runtime/graph/ops.h); custom ops carry their name.
struct Node {
  int op = 0;               // BuiltinOp value
  std::string custom_name;  // non-empty iff op == BuiltinOp::kCustom
  int version = 1;
  int origin = -1;          // operator index in the model file (kept when passes reorder/remove nodes)
  std::vector<int> inputs;  // tensor indices; -1 = optional input absent
  std::vector<int> outputs;
  std::vector<int> intermediates;
  OpParams params;
  std::vector<uint8_t> custom_options;  // raw bytes for custom ops (copied; they are small)
  // Set by passes that are only valid for one input shape (input 0); empty = any shape.
  Shape expected_input_shape;

  template <class T> const T* params_as() const { return std::get_if<T>(&params); }
};

struct Graph {
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;   // in execution (topological) order
  std::vector<int> inputs;   // tensor indices of the model inputs
  std::vector<int> outputs;  // tensor indices of the model outputs
  std::string name;
};

// The tensor's type for messages: "float32", or the file's name for a type eir cannot hold.
std::string tensor_type_name(const Tensor& t);

// "CONV_2D v3", "CUSTOM:Convolution2DTransposeBias v1" or "FUSED_ELEMENTWISE[ADD,PRELU] v1".
std::string node_op_label(const Node& node);
// "node 12 (CONV_2D v3)" — the prefix every node-level error message starts with. Uses the
// node's origin (its index in the model file) when known, else node_index.
std::string node_label(const Node& node, int node_index);
// "tensor 57 'conv/weights' float32[1,3,3,8]".
std::string tensor_label(const Graph& g, int tensor_index);
std::string tensor_label(const Tensor& t, int tensor_index);

}  // namespace eir
