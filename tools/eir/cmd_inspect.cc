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

Status inspect(const std::string& path) {
  EIR_ASSIGN_OR_RETURN(std::shared_ptr<ModelData> data, ModelData::map_file(path));
  const tflite::Model* fb = nullptr;
  EIR_RETURN_IF_ERROR(verify_tflite_model(data->data(), data->size(), VerifyLimits{}, &fb));
  EIR_ASSIGN_OR_RETURN(Graph graph, import_tflite_subgraph(fb, data->data(), data->size(), 0));
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
  std::printf("load-time optimization: %d nodes folded into constants, %d nodes remain\n",
              model->impl()->folded_nodes(), model->num_nodes());
  EIR_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::create(*model));
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
    std::fprintf(stderr, "usage: eir inspect MODEL\n");
    return 2;
  }
  Status s = inspect(model);
  if (!s.ok()) {
    std::fprintf(stderr, "eir inspect: %s\n", s.to_string().c_str());
    return 1;
  }
  return 0;
}

}  // namespace eir::cli
