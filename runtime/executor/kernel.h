// The interface between the executor and an operator implementation.
//
// An op implementation is two functions (TFLite's prepare/invoke split):
//   prepare(ctx): validate input dtypes/shapes, compute and set output shapes, request scratch
//                 memory, precompute per-node state (packed weights, requantization multipliers).
//                 Called once per session prepare (and again after an input resize). May allocate.
//   run(ctx):     compute the outputs. Must not allocate heap memory.
// Errors are returned as Status; the executor prefixes "node N (OP vK)" so kernels only describe
// what is wrong, e.g. "input 1 (tensor 7 'w' float32[3,3]) must have rank 4, got 2".
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/ops.h"

namespace eir {

class ThreadPool;

// Per-node state a kernel keeps from prepare to run. Derive from it.
struct KernelState {
  virtual ~KernelState() = default;
};

// Weights repacked once per model into a kernel's preferred layout, shared (read-only) by every
// session of the model. The original constant bytes stay mapped and untouched.
struct PackedWeights {
  virtual ~PackedWeights() = default;
  virtual size_t bytes() const = 0;  // reported by `eir bench` / `eir inspect`
};

// kValidate: check the inputs and set the output shapes, nothing more. The model's load-time probe
// and a session's shape pass use it; whatever state or scratch a kernel sets then is thrown away,
// so kernels with costly run state (packing, indirection buffers) skip building it.
// kPrepare: the same checks plus the run state, for nodes eir will run itself.
enum class KernelPhase { kValidate, kPrepare, kRun };

class KernelContext {
 public:
  KernelContext(const Node& node, int node_index, std::vector<Tensor>& tensors)
      : node_(node), node_index_(node_index), tensors_(tensors) {}

  const Node& node() const { return node_; }
  int node_index() const { return node_index_; }
  int num_inputs() const { return static_cast<int>(node_.inputs.size()); }
  int num_outputs() const { return static_cast<int>(node_.outputs.size()); }
  // False when input i is beyond the node's input list or is -1 (an absent optional input).
  bool has_input(int i) const { return i >= 0 && i < num_inputs() && node_.inputs[static_cast<size_t>(i)] >= 0; }
  int input_index(int i) const { return node_.inputs[static_cast<size_t>(i)]; }
  int output_index(int i) const { return node_.outputs[static_cast<size_t>(i)]; }
  // Preconditions: has_input(i) / i < num_outputs() (checked by the verifier for required inputs).
  Tensor& input(int i) const { return tensors_[static_cast<size_t>(input_index(i))]; }
  Tensor& output(int i) const { return tensors_[static_cast<size_t>(output_index(i))]; }
  std::vector<Tensor>& tensors() const { return tensors_; }

  // "input 1 (tensor 7 'w' float32[3,3])" / "output 0 (...)" for error messages.
  std::string describe_input(int i) const;
  std::string describe_output(int i) const;

  // Common checks producing uniform messages.
  Status expect_num_inputs(int min_count, int max_count) const;
  Status expect_num_outputs(int count) const;
  Status expect_input_dtype(int i, DType expected) const;
  Status expect_input_rank(int i, int rank) const;
  Status expect_constant_input(int i) const;  // "input 1 ... must be a constant tensor"

  // ---- prepare phase ----
  KernelPhase phase() const { return phase_; }
  bool validating() const { return phase_ == KernelPhase::kValidate; }
  // Sets output i's shape (dtype is fixed by the model). Rejects negative dims and overflow.
  Status set_output_shape(int i, const Shape& shape) const;
  // Temporary memory for run(), valid only during this node's run; 64-byte aligned.
  void request_scratch(size_t bytes) { scratch_bytes_ = bytes; }
  size_t scratch_bytes() const { return scratch_bytes_; }
  void set_state(std::unique_ptr<KernelState> state) { *state_slot_ = std::move(state); }

  // ---- both phases ----
  template <class T> T* state() const { return static_cast<T*>(state_slot_->get()); }
  // What Kernel::pack produced for this node (null if the kernel has no pack hook, and while
  // validating: packing waits until a session runs the node on eir's kernels).
  template <class T> const T* packed() const { return static_cast<const T*>(packed_); }
  void set_packed(const PackedWeights* packed) { packed_ = packed; }

  // ---- run phase ----
  uint8_t* scratch() const { return scratch_; }
  ThreadPool* thread_pool() const { return pool_; }  // never null during run

  // Set up by the executor.
  void bind(KernelPhase phase, std::unique_ptr<KernelState>* state_slot, uint8_t* scratch, ThreadPool* pool) {
    phase_ = phase;
    state_slot_ = state_slot;
    scratch_ = scratch;
    pool_ = pool;
  }

 private:
  const Node& node_;
  int node_index_;
  std::vector<Tensor>& tensors_;
  KernelPhase phase_ = KernelPhase::kPrepare;
  std::unique_ptr<KernelState>* state_slot_ = nullptr;
  uint8_t* scratch_ = nullptr;
  size_t scratch_bytes_ = 0;
  ThreadPool* pool_ = nullptr;
  const PackedWeights* packed_ = nullptr;
};

struct Kernel {
  const char* name = "";  // e.g. "reference/conv2d_f32", shown by `eir inspect` and the profiler
  Status (*prepare)(KernelContext& ctx) = nullptr;
  Status (*run)(KernelContext& ctx) = nullptr;
  // Optional: whether this kernel handles this node (e.g. a 3x3-only depthwise kernel). When it
  // returns false the registry tries the next kernel registered for the op (ultimately the
  // reference one). Null = handles every node of its (op, dtype).
  bool (*supports)(const Node& node, const std::vector<Tensor>& tensors) = nullptr;
  // Optional: packs constant weights once per model, when the first session that runs this node on
  // eir's kernels (not a delegate's) is prepared; the result is available as ctx.packed<T>().
  Result<std::shared_ptr<const PackedWeights>> (*pack)(const Node& node, const std::vector<Tensor>& tensors) = nullptr;
};

// Maps (op, dtype, version) to a kernel. The dtype key is the dtype of the node's first present
// input (the output's if it has none); DType::kUnknown registers a kernel for every dtype.
class KernelRegistry {
 public:
  void add(BuiltinOp op, DType dtype, int max_version, Kernel kernel);
  void add_custom(const std::string& custom_name, DType dtype, int max_version, Kernel kernel);

  // The first registered kernel matching the node (registration order = priority, so optimized
  // kernels are added before reference ones). Null with *why set when there is none ("no float16
  // kernel", "version 9 > supported 4").
  const Kernel* find(const Node& node, const std::vector<Tensor>& tensors, std::string* why) const;

  // Every registered op label, for `eir inspect` and docs.
  std::vector<std::string> describe() const;

 private:
  struct Entry {
    int op;
    std::string custom_name;
    DType dtype;
    int max_version;
    Kernel kernel;
  };
  std::vector<Entry> entries_;
};

// The dtype a node is keyed by in the registry.
DType node_key_dtype(const Node& node, const std::vector<Tensor>& tensors);
// The tensor whose dtype that is (null when the node has no tensor at all).
const Tensor* node_key_tensor(const Node& node, const std::vector<Tensor>& tensors);

}  // namespace eir
