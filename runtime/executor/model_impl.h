// The internal state behind eir::Model: the file bytes, the optimized graph and the kernel chosen
// for each node. Immutable after load; shared by every Session created from it.
#pragma once

#include <memory>
#include <vector>

#include "eir/eir.hpp"
#include "runtime/executor/kernel.h"
#include "runtime/model/model_data.h"

namespace eir {

const KernelRegistry& default_kernel_registry();

class ModelImpl {
 public:
  static Result<std::shared_ptr<const ModelImpl>> load(std::shared_ptr<ModelData> data, const LoadOptions& options);

  const Graph& graph() const { return graph_; }
  const std::vector<const Kernel*>& kernels() const { return kernels_; }
  const std::vector<TensorInfo>& input_infos() const { return input_infos_; }
  const std::vector<TensorInfo>& output_infos() const { return output_infos_; }
  const ModelData& data() const { return *data_; }
  // Number of nodes removed by load-time constant folding.
  int folded_nodes() const { return folded_nodes_; }

 private:
  std::shared_ptr<ModelData> data_;
  Graph graph_;
  std::vector<const Kernel*> kernels_;
  std::vector<TensorInfo> input_infos_, output_infos_;
  int folded_nodes_ = 0;
};

// Finds the kernel of every node; fails on the first unsupported one with node index, op and version.
Result<std::vector<const Kernel*>> resolve_kernels(const Graph& graph, const KernelRegistry& registry);

TensorInfo make_tensor_info(const Tensor& t);

}  // namespace eir
