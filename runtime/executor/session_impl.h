// The internal state behind eir::Session: this session's tensor table (shapes may differ from the
// model's after a resize), kernel states, the memory plan and the arena.
#pragma once

#include <memory>
#include <vector>

#include "delegates/api/delegate.h"
#include "eir/eir.hpp"
#include "runtime/executor/kernel.h"
#include "runtime/executor/model_impl.h"
#include "runtime/executor/thread_pool.h"

namespace eir {

class SessionImpl {
 public:
  SessionImpl(std::shared_ptr<const ModelImpl> model, const SessionOptions& options);

  // Shape inference: every kernel validates its node and sets its output shapes (KernelPhase::
  // kValidate), nothing is packed or planned. Used at load to validate a model, and as the first
  // step of prepare().
  Status infer_shapes();
  Status prepare();
  Status run();
  Status resize_input(int index, const std::vector<int32_t>& shape);
  Result<TensorView> view(int tensor_index, const TensorInfo* info);

  const ModelImpl& model() const { return *model_; }
  const std::shared_ptr<const ModelImpl>& model_ptr() const { return model_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  const std::vector<TensorInfo>& input_infos() const { return model_->input_infos(); }
  const std::vector<TensorInfo>& output_infos() const { return model_->output_infos(); }
  size_t arena_bytes() const { return arena_bytes_; }
  size_t unplanned_bytes() const { return unplanned_bytes_; }
  const std::vector<double>& node_times_us() const { return node_times_us_; }
  bool prepared() const { return prepared_; }
  // True for nodes computed once at prepare (all inputs known): they are skipped by run().
  const std::vector<uint8_t>& evaluated_at_prepare() const { return evaluated_at_prepare_; }

  // What run() executes, in order: an eir node, or a delegate partition standing for several nodes.
  struct Step {
    int node = -1;       // node index, or -1
    int partition = -1;  // index into partitions_, or -1
    bool alias = false;  // a reshape whose output shares its input's memory: nothing to run
  };
  const std::vector<Step>& steps() const { return steps_; }
  // Nodes run by a delegate, for `eir inspect`/profiling (by node index; empty name = eir).
  int delegated_nodes() const { return delegated_nodes_; }

 private:
  Status create_delegates();
  Status partition();
  Status prepare_own_steps();
  Status plan_memory();
  void find_aliases(std::vector<int>* root);
  Status init_variables();
  Status evaluate_now(int node_index);

  std::shared_ptr<const ModelImpl> model_;
  SessionOptions options_;
  ThreadPool pool_;
  std::vector<Tensor> tensors_;
  std::vector<Shape> input_shapes_;  // requested shapes of the model inputs
  std::vector<std::unique_ptr<KernelState>> states_;
  std::vector<const PackedWeights*> packed_;  // per node, owned by the model
  std::vector<size_t> scratch_bytes_;
  std::vector<size_t> scratch_offsets_;
  std::vector<uint8_t> evaluated_at_prepare_;
  std::vector<std::shared_ptr<OwnedBuffer>> prepare_buffers_;  // outputs of nodes evaluated at prepare
  std::vector<std::shared_ptr<OwnedBuffer>> variable_buffers_;
  std::unique_ptr<OwnedBuffer> arena_;
  size_t arena_bytes_ = 0;
  size_t unplanned_bytes_ = 0;
  std::vector<double> node_times_us_;
  bool prepared_ = false;
  std::vector<std::unique_ptr<Delegate>> delegates_;
  std::vector<PartitionSpec> partition_specs_;
  std::vector<std::unique_ptr<DelegatePartition>> partitions_;
  std::vector<Step> steps_;
  int delegated_nodes_ = 0;
};

}  // namespace eir
