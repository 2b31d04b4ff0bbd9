// The one interface every delegate implements (XNNPACK today; GPU backends later).
//
// A delegate says, node by node, what it can run. The session groups consecutive supported nodes
// into partitions and asks the delegate to compile each one; a partition then runs as a single
// step in place of its nodes. Tensors that cross a partition boundary live in the session arena
// (zero-copy hand-over); tensors internal to a partition belong to the delegate. If compiling a
// partition fails, its nodes simply stay on eir's own kernels.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"

namespace eir {

// One compiled partition, owned by a session; used by one thread at a time.
class DelegatePartition {
 public:
  virtual ~DelegatePartition() = default;
  // Binds boundary tensors after the session planned memory (data pointers are final).
  virtual Status prepare(std::vector<Tensor>& tensors) = 0;
  virtual Status run(std::vector<Tensor>& tensors) = 0;
};

struct PartitionSpec {
  std::vector<int> nodes;    // node indices, in execution order
  std::vector<int> inputs;   // tensors read by the partition and produced outside it (not constants)
  std::vector<int> outputs;  // tensors produced inside and read after it (or model outputs)
};

class Delegate {
 public:
  virtual ~Delegate() = default;
  virtual const char* name() const = 0;
  // Whether the delegate can run node `node_index` with these (session) tensor shapes and dtypes.
  virtual bool supports(const Graph& graph, const std::vector<Tensor>& tensors, int node_index) const = 0;
  virtual Result<std::unique_ptr<DelegatePartition>> compile(const Graph& graph, const std::vector<Tensor>& tensors,
                                                             const PartitionSpec& spec, int num_threads) = 0;
};

// Creates a delegate by name: "xnnpack" (when built with XNNPACK). "cpu" means no delegate (null).
Result<std::unique_ptr<Delegate>> create_delegate(const std::string& name);
// Names of the delegates this build can create.
std::vector<std::string> available_delegates();

}  // namespace eir
