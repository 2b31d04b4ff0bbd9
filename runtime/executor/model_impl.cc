#include "runtime/executor/model_impl.h"

#include <mutex>

#include "kernels/configs/cpu_features.h"
#include "kernels/fast/fast_kernels.h"
#include "kernels/reference/reference_kernels.h"
#include "runtime/executor/session_impl.h"
#include "runtime/graph/passes/fold_constants.h"
#include "runtime/graph/passes/fold_pad_into_conv.h"
#include "runtime/graph/passes/fuse_activations.h"
#include "runtime/graph/passes/fuse_elementwise_chains.h"
#include "runtime/model/tflite_importer.h"
#include "runtime/model/tflite_verifier.h"

namespace eir {

const KernelRegistry& kernel_registry_for(const CpuFeatures& features) {
  static std::mutex mu;
  static std::vector<std::pair<CpuFeatures, std::unique_ptr<KernelRegistry>>> registries;
  std::lock_guard<std::mutex> lock(mu);
  for (const auto& [f, r] : registries)
    if (f == features) return *r;
  auto r = std::make_unique<KernelRegistry>();
  register_fast_kernels(*r, features);
  register_reference_kernels(*r);
  registries.emplace_back(features, std::move(r));
  return *registries.back().second;
}

const KernelRegistry& default_kernel_registry() { return kernel_registry_for(detected_cpu_features()); }

TensorInfo make_tensor_info(const Tensor& t) {
  TensorInfo info;
  info.name = t.name;
  info.dtype = t.dtype;
  info.shape = t.shape;
  info.quant.scales = t.quant.scales;
  info.quant.zero_points = t.quant.zero_points;
  info.quant.axis = t.quant.axis;
  return info;
}

Result<std::vector<const Kernel*>> resolve_kernels(const Graph& graph, const KernelRegistry& registry) {
  std::vector<const Kernel*> kernels(graph.nodes.size(), nullptr);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    std::string why;
    kernels[i] = registry.find(node, graph.tensors, &why);
    if (kernels[i] == nullptr) return unsupported(node_label(node, static_cast<int>(i)), ": ", why);
  }
  // Only now refuse tensors of types eir cannot hold: an unsupported op is the clearer message.
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    for (const std::vector<int>* list : {&node.inputs, &node.outputs}) {
      for (int t : *list) {
        if (t < 0) continue;
        DType d = graph.tensors[static_cast<size_t>(t)].dtype;
        if (d == DType::kUnknown || d == DType::kString)
          return unsupported(node_label(node, static_cast<int>(i)), ": ", tensor_label(graph, t),
                             " has type ", tensor_type_name(graph.tensors[static_cast<size_t>(t)]),
                             ", which eir does not support");
      }
    }
  }
  return kernels;
}

size_t ModelImpl::packed_bytes() const {
  std::lock_guard<std::mutex> lock(pack_mutex_);
  size_t total = 0;
  for (const auto& p : packed_)
    if (p) total += p->bytes();
  return total;
}

Result<const PackedWeights*> ModelImpl::packed_for(int node) const {
  const size_t i = static_cast<size_t>(node);
  const Kernel* k = kernels_[i];
  if (k->pack == nullptr) return static_cast<const PackedWeights*>(nullptr);
  std::lock_guard<std::mutex> lock(pack_mutex_);
  if (!packed_[i]) {
    auto packed = k->pack(graph_.nodes[i], graph_.tensors);
    if (!packed.ok()) return packed.status().with_prefix(node_label(graph_.nodes[i], node));
    // Packed sizes follow from the weights' shapes; counted once made (the limit still holds).
    EIR_RETURN_IF_ERROR(budget_.take((*packed)->bytes(), str_cat(node_label(graph_.nodes[i], node), ": packed weights")));
    packed_[i] = std::move(packed).value();
  }
  return packed_[i].get();
}

Result<std::shared_ptr<const ModelImpl>> ModelImpl::load(std::shared_ptr<ModelData> data, const LoadOptions& options) {
  // STEP 1: verify every byte before building anything from the file.
  const tflite::Model* fb = nullptr;
  EIR_RETURN_IF_ERROR(verify_tflite_model(data->data(), data->size(), VerifyLimits{}, &fb));

  // STEP 2: build the IR of the main subgraph (constants stay in the mapped file).
  auto model = std::make_shared<ModelImpl>();
  model->data_ = data;
  model->budget_ = MemoryBudget(options.max_memory_bytes);
  if (data->is_copy()) EIR_RETURN_IF_ERROR(model->budget_.take(data->size(), "the copy of the model buffer"));
  EIR_ASSIGN_OR_RETURN(model->graph_, import_tflite_subgraph(fb, data->data(), data->size(), 0, &model->budget_));

  // STEP 3: every op must have a kernel; unsupported ops are refused now, naming node and op.
  EIR_ASSIGN_OR_RETURN(CpuFeatures features,
                       cap_cpu_features(detected_cpu_features(), options.isa.empty() ? isa_from_environment() : options.isa));
  features.fp16_arith_allowed = options.allow_fp16;
  model->isa_ = describe_cpu_features(features);
  const KernelRegistry& registry = kernel_registry_for(features);
  EIR_RETURN_IF_ERROR(resolve_kernels(model->graph_, registry).status());

  // STEP 4: load-time optimizations.
  if (options.optimize) {
    EIR_ASSIGN_OR_RETURN(model->folded_nodes_, fold_constants(model->graph_, registry, &model->budget_));
    model->fused_nodes_ = fuse_activations(model->graph_);
    model->fused_nodes_ += fold_pad_into_conv(model->graph_);
    model->fused_nodes_ += fuse_elementwise_chains(model->graph_);
  }
  EIR_ASSIGN_OR_RETURN(model->kernels_, resolve_kernels(model->graph_, registry));

  // Weights are packed later, by packed_for(), once a session knows which nodes eir runs itself:
  // nodes a delegate takes never cost eir's packing time or memory.
  model->packed_.resize(model->graph_.nodes.size());

  // STEP 5: validate every op's inputs (counts, dtypes, shapes) by a shape-inference pass, so
  // that a bad model fails at load rather than at its first session.
  SessionImpl probe(model, SessionOptions{});
  EIR_RETURN_IF_ERROR(probe.infer_shapes());
  for (int t : model->graph_.inputs) model->input_infos_.push_back(make_tensor_info(probe.tensors()[static_cast<size_t>(t)]));
  for (int t : model->graph_.outputs) model->output_infos_.push_back(make_tensor_info(probe.tensors()[static_cast<size_t>(t)]));
  return std::shared_ptr<const ModelImpl>(std::move(model));
}

}  // namespace eir
