#include "runtime/executor/session_impl.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "runtime/core/checked_math.h"
#include "runtime/executor/evaluate_node.h"
#include "runtime/planner/arena_planner.h"

namespace eir {

SessionImpl::SessionImpl(std::shared_ptr<const ModelImpl> model, const SessionOptions& options)
    : model_(std::move(model)), options_(options), pool_(options.num_threads < 1 ? 1 : options.num_threads) {
  for (int t : model_->graph().inputs) input_shapes_.push_back(model_->graph().tensors[static_cast<size_t>(t)].shape);
}

Status SessionImpl::resize_input(int index, const std::vector<int32_t>& shape) {
  if (index < 0 || static_cast<size_t>(index) >= input_shapes_.size())
    return invalid_argument("input index ", index, " is out of range (model has ", input_shapes_.size(), " inputs)");
  const Tensor& t = model_->graph().tensors[static_cast<size_t>(model_->graph().inputs[static_cast<size_t>(index)])];
  for (int32_t d : shape)
    if (d < 0) return invalid_argument("resize of input ", index, " '", t.name, "' to ", shape_to_string(shape), ": negative dim");
  if (shape_num_elements(shape) < 0)
    return invalid_argument("resize of input ", index, " '", t.name, "' to ", shape_to_string(shape), ": element count overflows");
  if (shape != input_shapes_[static_cast<size_t>(index)]) {
    input_shapes_[static_cast<size_t>(index)] = shape;
    prepared_ = false;
  }
  return Status::Ok();
}

Status SessionImpl::evaluate_now(int node_index) {
  const Node& node = model_->graph().nodes[static_cast<size_t>(node_index)];
  EIR_RETURN_IF_ERROR(evaluate_node_now(node, node_index, *model_->kernels()[static_cast<size_t>(node_index)], tensors_));
  evaluated_at_prepare_[static_cast<size_t>(node_index)] = 1;
  return Status::Ok();
}

Status SessionImpl::infer_shapes() {
  const Graph& g = model_->graph();
  tensors_ = g.tensors;  // metadata copy; constant bytes stay shared
  for (size_t i = 0; i < g.inputs.size(); ++i) tensors_[static_cast<size_t>(g.inputs[i])].shape = input_shapes_[i];
  const size_t n = g.nodes.size();
  states_.clear();
  states_.resize(n);
  packed_.assign(n, nullptr);
  scratch_bytes_.assign(n, 0);
  evaluated_at_prepare_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    // Values computable now (shape arithmetic) are computed once here and skipped by run().
    if (node_inputs_constant(node, tensors_, /*shape_only_ok=*/true)) {
      EIR_RETURN_IF_ERROR(evaluate_now(static_cast<int>(i)));
      continue;
    }
    if (!node.expected_input_shape.empty() && !node.inputs.empty() && node.inputs[0] >= 0 &&
        tensors_[static_cast<size_t>(node.inputs[0])].shape != node.expected_input_shape)
      return failed_precondition(node_label(node, static_cast<int>(i)), ": a load-time pass specialized this node for input ",
                                 shape_to_string(node.expected_input_shape), " but the session's input is ",
                                 shape_to_string(tensors_[static_cast<size_t>(node.inputs[0])].shape),
                                 "; load the model with LoadOptions::optimize = false to resize its inputs");
    KernelContext ctx(node, static_cast<int>(i), tensors_);
    std::unique_ptr<KernelState> discarded;
    ctx.bind(KernelPhase::kValidate, &discarded, nullptr, nullptr);
    Status s = model_->kernels()[i]->prepare(ctx);
    if (!s.ok()) return s.with_prefix(node_label(node, static_cast<int>(i)));
  }
  if (options_.max_tensor_bytes > 0) {
    for (size_t t = 0; t < tensors_.size(); ++t) {
      if (tensors_[t].kind == TensorKind::kConstant) continue;
      if (tensors_[t].bytes() > options_.max_tensor_bytes)
        return resource_exhausted(tensor_label(tensors_[t], static_cast<int>(t)), " needs ", tensors_[t].bytes(),
                                  " bytes, above the session's max_tensor_bytes limit of ", options_.max_tensor_bytes);
    }
  }
  return Status::Ok();
}

// Full prepare (run state, packed weights, scratch) of the nodes eir runs itself, once the
// delegates have taken theirs.
Status SessionImpl::prepare_own_steps() {
  const Graph& g = model_->graph();
  for (const Step& step : steps_) {
    if (step.node < 0) continue;
    const size_t i = static_cast<size_t>(step.node);
    const Node& node = g.nodes[i];
    EIR_ASSIGN_OR_RETURN(packed_[i], model_->packed_for(step.node));
    KernelContext ctx(node, step.node, tensors_);
    ctx.bind(KernelPhase::kPrepare, &states_[i], nullptr, nullptr);
    ctx.set_packed(packed_[i]);
    Status s = model_->kernels()[i]->prepare(ctx);
    if (!s.ok()) return s.with_prefix(node_label(node, step.node));
    scratch_bytes_[i] = ctx.scratch_bytes();
  }
  return Status::Ok();
}

Status SessionImpl::create_delegates() {
  delegates_.clear();
  for (const std::string& name : options_.delegates) {
    EIR_ASSIGN_OR_RETURN(std::unique_ptr<Delegate> d, create_delegate(name));
    if (d) delegates_.push_back(std::move(d));
  }
  return Status::Ok();
}

// Groups consecutive nodes a delegate supports into partitions (execution order is kept, so every
// partition's inputs are ready when it runs) and builds the step list run() walks.
Status SessionImpl::partition() {
  const Graph& g = model_->graph();
  const int n = static_cast<int>(g.nodes.size());
  steps_.clear();
  partitions_.clear();
  partition_specs_.clear();
  delegated_nodes_ = 0;
  std::vector<int> owner(static_cast<size_t>(n), -1);  // delegate index per node
  for (int i = 0; i < n; ++i) {
    if (evaluated_at_prepare_[static_cast<size_t>(i)]) continue;
    for (size_t d = 0; d < delegates_.size(); ++d) {
      if (delegates_[d]->supports(g, tensors_, i)) {
        owner[static_cast<size_t>(i)] = static_cast<int>(d);
        break;
      }
    }
  }
  // Last step that reads each tensor, to know which partition outputs escape.
  std::vector<int> last_reader(tensors_.size(), -1);
  for (int i = 0; i < n; ++i)
    for (int t : g.nodes[static_cast<size_t>(i)].inputs)
      if (t >= 0) last_reader[static_cast<size_t>(t)] = std::max(last_reader[static_cast<size_t>(t)], i);
  for (int t : g.outputs) last_reader[static_cast<size_t>(t)] = n;

  for (int i = 0; i < n;) {
    if (evaluated_at_prepare_[static_cast<size_t>(i)]) {
      ++i;
      continue;
    }
    int d = owner[static_cast<size_t>(i)];
    if (d < 0) {
      steps_.push_back(Step{i, -1});
      ++i;
      continue;
    }
    PartitionSpec spec;
    int j = i;
    while (j < n && (owner[static_cast<size_t>(j)] == d || evaluated_at_prepare_[static_cast<size_t>(j)])) {
      if (!evaluated_at_prepare_[static_cast<size_t>(j)]) spec.nodes.push_back(j);
      ++j;
    }
    std::vector<uint8_t> produced(tensors_.size(), 0), listed(tensors_.size(), 0);
    for (int node : spec.nodes) {
      for (int t : g.nodes[static_cast<size_t>(node)].inputs) {
        if (t < 0 || produced[static_cast<size_t>(t)] || listed[static_cast<size_t>(t)]) continue;
        if (tensors_[static_cast<size_t>(t)].kind == TensorKind::kConstant) continue;
        spec.inputs.push_back(t);
        listed[static_cast<size_t>(t)] = 1;
      }
      for (int t : g.nodes[static_cast<size_t>(node)].outputs) {
        produced[static_cast<size_t>(t)] = 1;
        if (last_reader[static_cast<size_t>(t)] >= j) spec.outputs.push_back(t);
      }
    }
    auto compiled = delegates_[static_cast<size_t>(d)]->compile(g, tensors_, spec, options_.num_threads);
    if (!compiled.ok()) {
      // The delegate could not take these nodes after all: keep them on eir's kernels.
      for (int node : spec.nodes) steps_.push_back(Step{node, -1});
      i = j;
      continue;
    }
    delegated_nodes_ += static_cast<int>(spec.nodes.size());
    steps_.push_back(Step{-1, static_cast<int>(partitions_.size())});
    partitions_.push_back(std::move(compiled).value());
    partition_specs_.push_back(std::move(spec));
    i = j;
  }
  return Status::Ok();
}

namespace {

// Union-find over tensors: tensors in one set share one arena buffer.
struct BufferSets {
  std::vector<int> parent;
  std::vector<int> last_use;  // at each set's root: the last step touching any member
  int find(int t) {
    while (parent[static_cast<size_t>(t)] != t) {
      parent[static_cast<size_t>(t)] = parent[static_cast<size_t>(parent[static_cast<size_t>(t)])];
      t = parent[static_cast<size_t>(t)];
    }
    return t;
  }
  void merge_into(int t, int root) {
    int r = find(t);
    if (r == root) return;
    parent[static_cast<size_t>(r)] = root;
    last_use[static_cast<size_t>(root)] = std::max(last_use[static_cast<size_t>(root)], last_use[static_cast<size_t>(r)]);
  }
};

bool is_reshape_like(int op) {
  return is_op(op, BuiltinOp::kReshape) || is_op(op, BuiltinOp::kSqueeze) || is_op(op, BuiltinOp::kExpandDims);
}

// Ops whose kernels read element i before writing element i and touch nothing else, so the
// output may overwrite a same-shaped input that nobody reads afterwards.
bool may_run_in_place(int op) {
  switch (static_cast<BuiltinOp>(op)) {
    case BuiltinOp::kAdd: case BuiltinOp::kSub: case BuiltinOp::kMul:
    case BuiltinOp::kRelu: case BuiltinOp::kRelu6: case BuiltinOp::kReluN1To1:
    case BuiltinOp::kLogistic: case BuiltinOp::kTanh: case BuiltinOp::kHardSwish:
    case BuiltinOp::kFusedElementwise:
      return true;
    default:
      return false;
  }
}

}  // namespace

// Memory sharing decided after partitioning, in two passes:
//  1. RESHAPE / SQUEEZE / EXPAND_DIMS only relabel the dims of the same bytes: the output shares
//     the input's memory and the step disappears (step.alias).
//  2. In-place: an elementwise op writes into a same-shaped input whose buffer has no later reader.
// root[t] is the tensor whose arena buffer t uses.
void SessionImpl::find_aliases(std::vector<int>* root) {
  const Graph& g = model_->graph();
  const size_t nt = tensors_.size();
  BufferSets sets;
  sets.parent.resize(nt);
  sets.last_use.assign(nt, -1);
  for (size_t t = 0; t < nt; ++t) sets.parent[t] = static_cast<int>(t);
  std::vector<uint8_t> pinned(nt, 0);  // model inputs/outputs keep their own memory
  for (int t : g.inputs) pinned[static_cast<size_t>(t)] = 1;
  for (int t : g.outputs) pinned[static_cast<size_t>(t)] = 1;
  auto is_activation = [&](int t) { return t >= 0 && tensors_[static_cast<size_t>(t)].kind == TensorKind::kActivation; };

  for (size_t s = 0; s < steps_.size(); ++s) {
    const Step& step = steps_[s];
    const std::vector<int>* lists[2];
    if (step.node >= 0) {
      lists[0] = &g.nodes[static_cast<size_t>(step.node)].inputs;
      lists[1] = &g.nodes[static_cast<size_t>(step.node)].outputs;
    } else {
      lists[0] = &partition_specs_[static_cast<size_t>(step.partition)].inputs;
      lists[1] = &partition_specs_[static_cast<size_t>(step.partition)].outputs;
    }
    for (const std::vector<int>* list : lists)
      for (int t : *list)
        if (t >= 0) sets.last_use[static_cast<size_t>(t)] = static_cast<int>(s);
  }

  for (Step& step : steps_) {
    step.alias = false;
    if (step.node < 0) continue;
    const Node& node = g.nodes[static_cast<size_t>(step.node)];
    if (!is_reshape_like(node.op) || node.inputs.empty() || node.outputs.size() != 1) continue;
    int in = node.inputs[0], out = node.outputs[0];
    if (!is_activation(in) || !is_activation(out) || pinned[static_cast<size_t>(in)] || pinned[static_cast<size_t>(out)] ||
        tensors_[static_cast<size_t>(in)].bytes() != tensors_[static_cast<size_t>(out)].bytes())
      continue;
    sets.merge_into(out, sets.find(in));
    step.alias = true;
  }

  for (size_t s = 0; s < steps_.size(); ++s) {
    const Step& step = steps_[s];
    if (step.node < 0 || step.alias) continue;
    const Node& node = g.nodes[static_cast<size_t>(step.node)];
    if (!may_run_in_place(node.op) || node.outputs.size() != 1) continue;
    int out = node.outputs[0];
    if (!is_activation(out) || pinned[static_cast<size_t>(out)] || sets.find(out) != out) continue;
    const Tensor& out_t = tensors_[static_cast<size_t>(out)];
    for (int in : node.inputs) {
      if (!is_activation(in) || in == out) continue;
      int r = sets.find(in);
      const Tensor& in_t = tensors_[static_cast<size_t>(in)];
      if (pinned[static_cast<size_t>(r)] || in_t.dtype != out_t.dtype || in_t.shape != out_t.shape ||
          sets.last_use[static_cast<size_t>(r)] != static_cast<int>(s))
        continue;
      sets.merge_into(out, r);
      break;
    }
  }
  root->resize(nt);
  for (size_t t = 0; t < nt; ++t) (*root)[t] = sets.find(static_cast<int>(t));
}

Status SessionImpl::plan_memory() {
  const Graph& g = model_->graph();
  const int n = static_cast<int>(steps_.size());
  std::vector<int> root;
  find_aliases(&root);
  // Lifetime of every activation tensor, in steps: from its producer to its last consumer. Model
  // inputs live from the start and model outputs to the end, so callers can read and re-run freely.
  // Tensors internal to a delegate partition get no arena memory.
  std::vector<int> first(tensors_.size(), -1), last(tensors_.size(), -1);
  auto touch = [&](int t, int step) {
    if (t < 0 || tensors_[static_cast<size_t>(t)].kind != TensorKind::kActivation) return;
    size_t i = static_cast<size_t>(root[static_cast<size_t>(t)]);
    if (first[i] < 0 || step < first[i]) first[i] = step;
    if (step > last[i]) last[i] = step;
  };
  for (int t : g.inputs) touch(t, 0);
  for (int s = 0; s < n; ++s) {
    const Step& step = steps_[static_cast<size_t>(s)];
    if (step.node >= 0) {
      for (int t : g.nodes[static_cast<size_t>(step.node)].inputs) touch(t, s);
      for (int t : g.nodes[static_cast<size_t>(step.node)].outputs) touch(t, s);
    } else {
      const PartitionSpec& spec = partition_specs_[static_cast<size_t>(step.partition)];
      for (int t : spec.inputs) touch(t, s);
      for (int t : spec.outputs) touch(t, s);
    }
  }
  for (int t : g.outputs) touch(t, n);
  for (int t : g.inputs) touch(t, n);

  std::vector<BufferRequest> requests;
  std::vector<int> request_tensor;  // tensor index, or -(node+1) for a node's scratch
  // What one buffer per tensor would cost (reported next to the plan): every activation in use.
  unplanned_bytes_ = 0;
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (first[static_cast<size_t>(root[t])] < 0) continue;
    if (!checked_add(unplanned_bytes_, tensors_[t].bytes(), &unplanned_bytes_))
      return resource_exhausted("total activation size overflows");
  }
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (first[t] < 0 || root[t] != static_cast<int>(t)) continue;
    requests.push_back(BufferRequest{tensors_[t].bytes(), first[t], last[t]});
    request_tensor.push_back(static_cast<int>(t));
  }
  for (int s = 0; s < n; ++s) {
    int node = steps_[static_cast<size_t>(s)].node;
    if (node < 0 || scratch_bytes_[static_cast<size_t>(node)] == 0) continue;
    requests.push_back(BufferRequest{scratch_bytes_[static_cast<size_t>(node)], s, s});
    request_tensor.push_back(-(node + 1));
  }
  EIR_ASSIGN_OR_RETURN(ArenaPlan plan, plan_arena(requests, 64));
  if (options_.max_arena_bytes > 0 && plan.arena_bytes > options_.max_arena_bytes)
    return resource_exhausted("the model needs an arena of ", plan.arena_bytes,
                              " bytes, above the session's max_arena_bytes limit of ", options_.max_arena_bytes);
  // XNNPACK-style kernels may read up to 16 bytes past a tensor: keep a tail of slack.
  arena_ = std::make_unique<OwnedBuffer>(plan.arena_bytes + 64);
  arena_bytes_ = plan.arena_bytes;
  scratch_offsets_.assign(g.nodes.size(), 0);
  for (size_t r = 0; r < requests.size(); ++r) {
    if (request_tensor[r] >= 0)
      tensors_[static_cast<size_t>(request_tensor[r])].data = arena_->data() + plan.offsets[r];
    else
      scratch_offsets_[static_cast<size_t>(-request_tensor[r] - 1)] = plan.offsets[r];
  }
  for (size_t t = 0; t < tensors_.size(); ++t)
    if (root[t] != static_cast<int>(t)) tensors_[t].data = tensors_[static_cast<size_t>(root[t])].data;
  return Status::Ok();
}

Status SessionImpl::init_variables() {
  variable_buffers_.clear();
  for (size_t t = 0; t < tensors_.size(); ++t) {
    Tensor& v = tensors_[t];
    if (v.kind != TensorKind::kVariable) continue;
    auto buffer = std::make_shared<OwnedBuffer>(v.bytes());
    if (v.initial_data)
      std::memcpy(buffer->data(), v.initial_data, v.bytes());
    else
      std::memset(buffer->data(), 0, v.bytes());
    v.data = buffer->data();
    variable_buffers_.push_back(std::move(buffer));
  }
  return Status::Ok();
}

Status SessionImpl::prepare() {
  prepared_ = false;
  EIR_RETURN_IF_ERROR(infer_shapes());
  if (delegates_.empty() && !options_.delegates.empty()) EIR_RETURN_IF_ERROR(create_delegates());
  EIR_RETURN_IF_ERROR(partition());
  EIR_RETURN_IF_ERROR(prepare_own_steps());
  EIR_RETURN_IF_ERROR(plan_memory());
  EIR_RETURN_IF_ERROR(init_variables());
  for (auto& p : partitions_) EIR_RETURN_IF_ERROR(p->prepare(tensors_));
  node_times_us_.assign(model_->graph().nodes.size(), 0.0);
  prepared_ = true;
  return Status::Ok();
}

Status SessionImpl::run() {
  if (!prepared_) EIR_RETURN_IF_ERROR(prepare());
  const Graph& g = model_->graph();
  for (const Step& step : steps_) {
    if (step.alias) continue;
    std::chrono::steady_clock::time_point start;
    if (options_.profile) start = std::chrono::steady_clock::now();
    if (step.partition >= 0) {
      Status s = partitions_[static_cast<size_t>(step.partition)]->run(tensors_);
      if (!s.ok()) return s.with_prefix(str_cat("delegate partition ", step.partition));
      if (options_.profile) {
        // Attributed to the partition's first node; its other nodes show 0.
        const PartitionSpec& spec = partition_specs_[static_cast<size_t>(step.partition)];
        node_times_us_[static_cast<size_t>(spec.nodes.front())] =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
      }
      continue;
    }
    const size_t i = static_cast<size_t>(step.node);
    const Node& node = g.nodes[i];
    KernelContext ctx(node, step.node, tensors_);
    ctx.bind(KernelPhase::kRun, &states_[i], arena_->data() + scratch_offsets_[i], &pool_);
    ctx.set_packed(packed_[i]);
    Status s = model_->kernels()[i]->run(ctx);
    if (!s.ok()) return s.with_prefix(node_label(node, step.node));
    if (options_.profile)
      node_times_us_[i] = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  }
  return Status::Ok();
}

Result<TensorView> SessionImpl::view(int tensor_index, const TensorInfo* info) {
  if (!prepared_) EIR_RETURN_IF_ERROR(prepare());
  const Tensor& t = tensors_[static_cast<size_t>(tensor_index)];
  TensorView v;
  v.info = info;
  v.shape = t.shape;
  v.data = t.data;
  v.bytes = t.bytes();
  return v;
}

}  // namespace eir
