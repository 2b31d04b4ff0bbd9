// The internal state behind eir::Model: the file bytes, the optimized graph and the kernel chosen
// for each node. Immutable after load; shared by every Session created from it.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "eir/eir.hpp"
#include "runtime/core/memory_budget.h"
#include "runtime/executor/kernel.h"
#include "runtime/model/model_data.h"

namespace eir {

struct CpuFeatures;

// The registry for these CPU features: optimized kernels usable on them first, then the reference
// kernels. Built once per distinct feature set; thread-safe.
const KernelRegistry& kernel_registry_for(const CpuFeatures& features);
// The registry for this machine (kernel_registry_for(detected_cpu_features())).
const KernelRegistry& default_kernel_registry();

class ModelImpl {
 public:
  static Result<std::shared_ptr<const ModelImpl>> load(std::shared_ptr<ModelData> data, const LoadOptions& options);

  const Graph& graph() const { return graph_; }
  const std::vector<const Kernel*>& kernels() const { return kernels_; }
  // Node `node`'s weights in its kernel's layout (null where the kernel has no pack hook), packed
  // on the first call and kept for the model's lifetime. Nodes that only a delegate runs are never
  // packed by eir. Thread-safe: sessions of one model may be created concurrently.
  Result<const PackedWeights*> packed_for(int node) const;
  size_t packed_bytes() const;  // of what has been packed so far
  const std::vector<TensorInfo>& input_infos() const { return input_infos_; }
  const std::vector<TensorInfo>& output_infos() const { return output_infos_; }
  const ModelData& data() const { return *data_; }
  // Number of nodes removed by load-time constant folding.
  int folded_nodes() const { return folded_nodes_; }
  // Number of nodes fused into their neighbours (standalone activations, PADs folded into convs).
  int fused_nodes() const { return fused_nodes_; }
  const std::string& isa() const { return isa_; }  // describe_cpu_features of the kernels in use

 private:
  std::shared_ptr<ModelData> data_;
  Graph graph_;
  std::vector<const Kernel*> kernels_;
  mutable std::mutex pack_mutex_;
  mutable MemoryBudget budget_;  // LoadOptions::max_memory_bytes; packing is guarded by pack_mutex_
  mutable std::vector<std::shared_ptr<const PackedWeights>> packed_;  // guarded by pack_mutex_
  std::vector<TensorInfo> input_infos_, output_infos_;
  int folded_nodes_ = 0;
  int fused_nodes_ = 0;
  std::string isa_;
};

// Finds the kernel of every node; fails on the first unsupported one with node index, op and version.
Result<std::vector<const Kernel*>> resolve_kernels(const Graph& graph, const KernelRegistry& registry);

TensorInfo make_tensor_info(const Tensor& t);

}  // namespace eir
