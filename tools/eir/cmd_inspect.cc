// eir inspect MODEL: what is in a model and what eir makes of it.
#include <cstdio>
#include <map>

#include "eir/eir.hpp"
#include "runtime/executor/model_impl.h"
#include "runtime/model/model_data.h"
#include "runtime/model/tflite_importer.h"
#include "runtime/model/tflite_verifier.h"
#include "tools/eir/commands.h"

namespace eir::cli {

namespace {

void print_info(const char* kind, int i, const TensorInfo& t) {
  std::printf("  %s %d: '%s' %s%s", kind, i, t.name.c_str(), dtype_name(t.dtype), shape_to_string(t.shape).c_str());
  if (!t.quant.scales.empty()) {
    if (t.quant.scales.size() == 1)
      std::printf("  scale=%g zero_point=%d", t.quant.scales[0], t.quant.zero_points[0]);
    else
      std::printf("  per-channel(%zu, axis %d)", t.quant.scales.size(), t.quant.axis);
  }
  std::printf("\n");
}

void print_graph(const char* title, const Model& model) {
  const Graph& g = model.impl()->graph();
  std::printf("%s: %zu nodes\n", title, g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    std::string ins, outs;
    for (int t : n.inputs) {
      if (t < 0) continue;
      const Tensor& x = g.tensors[static_cast<size_t>(t)];
      ins += std::string(ins.empty() ? "" : ", ") + (x.is_constant() ? "const" : "") + shape_to_string(x.shape);
    }
    for (int t : n.outputs) outs += shape_to_string(g.tensors[static_cast<size_t>(t)].shape);
    std::string extra;
    if (const auto* c = n.params_as<ConvParams>(); c && c->activation != Activation::kNone) extra = " +act";
    if (const auto* f = n.params_as<FullyConnectedParams>(); f && f->activation != Activation::kNone) extra = " +act";
    if (const auto* a = n.params_as<ActivationParams>(); a && a->activation != Activation::kNone) extra = " +act";
    std::printf("  %3zu %-34s %s -> %s\n", i, (node_label(n, static_cast<int>(i)) + extra).c_str(), ins.c_str(),
                outs.c_str());
  }
}

Status show_passes(const std::string& path) {
  LoadOptions raw;
  raw.optimize = false;
  EIR_ASSIGN_OR_RETURN(Model before, Model::load_file(path, raw));
  EIR_ASSIGN_OR_RETURN(Model after, Model::load_file(path));
  print_graph("before passes", before);
  print_graph("after passes", after);
  std::printf("passes: %d nodes folded into constants, %d nodes fused (activations, PADs into convolutions, elementwise chains)\n",
              after.impl()->folded_nodes(), after.impl()->fused_nodes());
  return Status::Ok();
}

Status inspect(const std::string& path) {
  EIR_ASSIGN_OR_RETURN(std::shared_ptr<ModelData> data, ModelData::map_file(path));
  const tflite::Model* fb = nullptr;
  EIR_RETURN_IF_ERROR(verify_tflite_model(data->data(), data->size(), VerifyLimits{}, &fb));
  MemoryBudget unlimited;
  EIR_ASSIGN_OR_RETURN(Graph graph, import_tflite_subgraph(fb, data->data(), data->size(), 0, &unlimited));
  std::printf("model: %s (%zu bytes)\n", path.c_str(), data->size());
  std::printf("graph: %zu tensors, %zu nodes\n", graph.tensors.size(), graph.nodes.size());

  // Op histogram with versions, and which ops eir cannot run.
  std::map<std::string, int> histogram;
  std::map<std::string, std::string> unsupported_ops;
  const KernelRegistry& registry = default_kernel_registry();
  for (const Node& node : graph.nodes) {
    std::string label = node_op_label(node);
    ++histogram[label];
    std::string why;
    if (registry.find(node, graph.tensors, &why) == nullptr) unsupported_ops[label] = why;
  }
  std::printf("ops:\n");
  for (const auto& [label, count] : histogram) std::printf("  %-40s x%d\n", label.c_str(), count);
  if (!unsupported_ops.empty()) {
    std::printf("unsupported ops:\n");
    for (const auto& [label, why] : unsupported_ops) std::printf("  %s: %s\n", label.c_str(), why.c_str());
  }

  auto model = Model::load_file(path);
  if (!model.ok()) {
    std::printf("load: FAILED: %s\n", model.status().to_string().c_str());
    return Status::Ok();
  }
  std::printf("inputs:\n");
  for (int i = 0; i < model->num_inputs(); ++i) print_info("input", i, model->input_info(i));
  std::printf("outputs:\n");
  for (int i = 0; i < model->num_outputs(); ++i) print_info("output", i, model->output_info(i));
  std::printf("load-time optimization: %d nodes folded into constants, %d nodes fused, %d nodes remain\n",
              model->impl()->folded_nodes(), model->impl()->fused_nodes(), model->num_nodes());
  EIR_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::create(*model));
  std::printf("kernels: isa %s, %zu bytes of weights packed for eir's kernels\n", model->impl()->isa().c_str(),
              model->impl()->packed_bytes());
  std::printf("memory: planned arena %zu bytes; all intermediate tensors together %zu bytes (%.1f%% saved by reuse)\n",
              session->arena_bytes(), session->activation_bytes_unplanned(),
              session->activation_bytes_unplanned() == 0
                  ? 0.0
                  : 100.0 * (1.0 - double(session->arena_bytes()) / double(session->activation_bytes_unplanned())));
  return Status::Ok();
}

}  // namespace

int cmd_inspect(const Args& args) {
  std::string model = first_positional(args, {});
  if (model.empty()) {
    std::fprintf(stderr, "usage: eir inspect MODEL [--passes]\n");
    return 2;
  }
  Status s = has_flag(args, "--passes") ? show_passes(model) : inspect(model);
  if (!s.ok()) {
    std::fprintf(stderr, "eir inspect: %s\n", s.to_string().c_str());
    return 1;
  }
  return 0;
}

}  // namespace eir::cli
