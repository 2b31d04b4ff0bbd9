// eir — embeddable on-device inference runtime. Public C++ API.
//
//   auto model = eir::Model::load_file("face.tflite");          // verify + import + optimize
//   if (!model.ok()) { std::cerr << model.status().to_string(); return 1; }
//   auto session = eir::Session::create(*model, {/*num_threads=*/2});
//   eir::TensorView in = (*session)->input(0);                   // zero-copy view into the arena
//   std::memcpy(in.data, pixels, in.bytes);
//   eir::Status s = (*session)->run();
//   const float* scores = (*session)->output(0).data_as<float>();
//
// Thread-safety: a Model is immutable and may back any number of Sessions on any threads. A
// Session is used by one thread at a time. Errors never abort: every call returns Status/Result
// whose message names the node, op, tensor and the expected vs actual value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eir/dtype.hpp"
#include "eir/status.hpp"

namespace eir {

const char* version();

struct QuantInfo {
  std::vector<float> scales;        // empty if the tensor is not quantized
  std::vector<int32_t> zero_points;
  int axis = 0;                     // channel axis when per-channel (scales.size() > 1)
};

// Description of a model input or output.
struct TensorInfo {
  std::string name;
  DType dtype = DType::kUnknown;
  std::vector<int32_t> shape;
  QuantInfo quant;
};

// A view of a session tensor's memory. `data` stays valid until the session is resized,
// re-prepared or destroyed.
struct TensorView {
  const TensorInfo* info = nullptr;  // name, dtype, quantization (owned by the session)
  std::vector<int32_t> shape;        // current shape (inputs may be resized)
  void* data = nullptr;
  size_t bytes = 0;
  template <class T> T* data_as() const { return static_cast<T*>(data); }
};

struct LoadOptions {
  // Apply load-time graph optimizations (constant folding, fusion). Off only for debugging.
  bool optimize = true;
  // Copy a caller buffer instead of borrowing it (load_buffer only).
  bool copy_buffer = false;
  // Highest instruction set the kernels may use: "native" (default), "avx512vnni", "avx512",
  // "avx2", "neondot", "neon", "scalar", or "reference" (portable reference kernels only).
  // Empty = the EIR_ISA environment variable, else "native".
  std::string isa;
  // Let float32 models run their convolutions and fully-connected layers with fp16 arithmetic
  // where the CPU has it (ARMv8.2 FP16, e.g. Cortex-A55/A75 and later): about twice the
  // throughput, but results then differ from TensorFlow Lite by fp16 rounding (~1e-3 relative,
  // more for long reductions; values past 65504 overflow), so it is off by default. No effect
  // on CPUs without FP16 arithmetic, on quantized ops, or with isa "reference"/"scalar"/"neon"/"neondot".
  bool allow_fp16 = false;
  // Most bytes eir may allocate for the model itself (0 = no limit): a copy of the caller's buffer,
  // constants made at load (float16 weights widened to float32, densified sparse weights, folded
  // shape arithmetic) and weights packed for eir's kernels. A model that needs more is refused with
  // kResourceExhausted naming the tensor or node, before the memory is taken. Sessions' activation
  // memory is bounded separately (SessionOptions::max_arena_bytes).
  size_t max_memory_bytes = 0;
};

class ModelImpl;
class ModelFactory;

// An immutable, verified, optimized model. Cheap to share: copies share the same state.
class Model {
 public:
  static Result<Model> load_file(const std::string& path, const LoadOptions& options = {});
  // Borrows `data` (must outlive the model) unless options.copy_buffer or it is misaligned.
  static Result<Model> load_buffer(const void* data, size_t size, const LoadOptions& options = {});

  int num_inputs() const;
  int num_outputs() const;
  const TensorInfo& input_info(int index) const;   // index must be in range
  const TensorInfo& output_info(int index) const;
  int num_nodes() const;

  const std::shared_ptr<const ModelImpl>& impl() const { return impl_; }

 private:
  friend class ModelFactory;
  explicit Model(std::shared_ptr<const ModelImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const ModelImpl> impl_;
};

struct SessionOptions {
  int num_threads = 1;            // threads used by kernels, counting the caller's
  size_t max_arena_bytes = 0;     // 0 = no limit; refuse to prepare if the planned arena is larger
  size_t max_tensor_bytes = 0;    // 0 = no limit; refuse any single tensor larger than this
  std::vector<std::string> delegates;  // names tried in order, e.g. {"xnnpack"}; empty = CPU only
  bool profile = false;           // record per-node times (see Session::node_times_us)
};

class SessionImpl;

class Session {
 public:
  // Prepares the session (shape inference, memory plan, arena allocation).
  static Result<std::unique_ptr<Session>> create(const Model& model, const SessionOptions& options = {});
  ~Session();

  int num_inputs() const;
  int num_outputs() const;
  // Views into the arena; index must be in range (checked: returns an empty view otherwise).
  TensorView input(int index);
  TensorView output(int index);
  Result<TensorView> input_checked(int index);
  Result<TensorView> output_checked(int index);

  // Changes an input's shape; the next run() re-plans memory (that run allocates).
  Status resize_input(int index, const std::vector<int32_t>& shape);
  // Re-plans now instead of at the next run().
  Status prepare();
  // Runs the model once. Performs no heap allocation after the first prepare.
  Status run();

  size_t arena_bytes() const;           // planned activation arena
  size_t activation_bytes_unplanned() const;  // sum of all activation tensor sizes (no reuse)
  const std::vector<double>& node_times_us() const;  // last run's per-node times when profiling

  SessionImpl& impl() { return *impl_; }

 private:
  explicit Session(std::unique_ptr<SessionImpl> impl);
  std::unique_ptr<SessionImpl> impl_;
};

}  // namespace eir
