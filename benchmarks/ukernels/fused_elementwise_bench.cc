// FUSED_ELEMENTWISE driver (kernels/fast/fused_elementwise_f32.cc) against the same chain run as
// separate nodes, on the chains and shapes of the models (see runtime/graph/passes/
// fuse_elementwise_chains.h): a small graph is built, run once as its one-op nodes and once after
// the pass, both with the fast kernels of the best config and in place as the session planner
// places them (each output over its same-shaped chain input). Reports time per run and GB/s of
// the fused version's traffic (inputs read once + output written once).
//
//   fused_elementwise_bench --benchmark_filter=add_prelu
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "benchmarks/ukernels/bench_peak.h"
#include "runtime/executor/kernel.h"
#include "runtime/executor/model_impl.h"
#include "runtime/executor/thread_pool.h"
#include "runtime/graph/ops.h"
#include "runtime/graph/passes/fuse_elementwise_chains.h"

namespace eir {
namespace {

// A chain graph: tensor 0 is the running value's input, then operands, intermediates, output.
struct ChainGraph {
  Graph graph;
  std::vector<std::shared_ptr<OwnedBuffer>> buffers;

  int add_tensor(const Shape& shape, TensorKind kind, unsigned seed, float lo, float hi) {
    Tensor t;
    t.name = "t" + std::to_string(graph.tensors.size());
    t.dtype = DType::kF32;
    t.shape = shape;
    t.kind = kind;
    const size_t n = static_cast<size_t>(shape_num_elements(shape));
    buffers.push_back(std::make_shared<OwnedBuffer>(n * sizeof(float) + 64));
    std::vector<float> v = bench::random_vec(n, seed);
    for (float& x : v) x = lo + (x + 1.0f) * 0.5f * (hi - lo);
    std::copy(v.begin(), v.end(), reinterpret_cast<float*>(buffers.back()->data()));
    t.data = buffers.back()->data();
    graph.tensors.push_back(std::move(t));
    return static_cast<int>(graph.tensors.size()) - 1;
  }
  // A node writing in place over `over` (the planner's in-place rule for elementwise ops): its
  // output is a copy of `over`'s tensor, data pointer included.
  int add_node(BuiltinOp op, std::vector<int> inputs, int over, Activation act = Activation::kNone) {
    Tensor out = graph.tensors[static_cast<size_t>(over)];
    out.name = "t" + std::to_string(graph.tensors.size());
    out.kind = TensorKind::kActivation;
    graph.tensors.push_back(out);
    Node n;
    n.op = static_cast<int>(op);
    n.origin = static_cast<int>(graph.nodes.size());
    n.inputs = std::move(inputs);
    n.outputs = {static_cast<int>(graph.tensors.size()) - 1};
    if (op == BuiltinOp::kAdd || op == BuiltinOp::kSub || op == BuiltinOp::kMul) n.params = ActivationParams{act};
    graph.nodes.push_back(std::move(n));
    return static_cast<int>(graph.tensors.size()) - 1;
  }
};

// The prepared nodes of a graph with their kernels, states and scratch.
struct Prepared {
  std::vector<const Kernel*> kernels;
  std::vector<std::unique_ptr<KernelState>> states;
  std::vector<std::shared_ptr<OwnedBuffer>> scratch;
};

bool prepare(Graph& g, Prepared* p) {
  const KernelRegistry& registry = default_kernel_registry();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Kernel* k = registry.find(g.nodes[i], g.tensors, nullptr);
    if (k == nullptr) return false;
    p->kernels.push_back(k);
    p->states.emplace_back();
    KernelContext ctx(g.nodes[i], static_cast<int>(i), g.tensors);
    ctx.bind(KernelPhase::kPrepare, &p->states.back(), nullptr, nullptr);
    if (!k->prepare(ctx).ok()) return false;
    p->scratch.push_back(std::make_shared<OwnedBuffer>(ctx.scratch_bytes() + 64));
  }
  return true;
}

void run(Graph& g, Prepared& p, ThreadPool& pool) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    KernelContext ctx(g.nodes[i], static_cast<int>(i), g.tensors);
    ctx.bind(KernelPhase::kRun, &p.states[i], p.scratch[i]->data(), &pool);
    (void)p.kernels[i]->run(ctx);
  }
}

// The chains: (name, builder). Operand values keep repeated in-place runs bounded and away from
// denormals (scales in [0.5, 0.9], PReLU slopes in [0.1, 0.3]).
using Builder = void (*)(ChainGraph&);

// Palm detection / face landmark: residual ADD then per-channel PRELU.
void add_prelu(ChainGraph& c, const Shape& shape) {
  int x = c.add_tensor(shape, TensorKind::kActivation, 1, -1, 1);
  int r = c.add_tensor(shape, TensorKind::kActivation, 2, -1, 1);
  int alpha = c.add_tensor({1, 1, shape.back()}, TensorKind::kConstant, 3, 0.1f, 0.3f);
  int t = c.add_node(BuiltinOp::kAdd, {x, r}, x);
  c.add_node(BuiltinOp::kPrelu, {t, alpha}, t);
}
// Selfie segmentation: squeeze-and-excite scale (MUL by [1,1,1,C]) then residual ADD.
void mul_add(ChainGraph& c, const Shape& shape) {
  int x = c.add_tensor(shape, TensorKind::kActivation, 1, -1, 1);
  int s = c.add_tensor({1, 1, 1, shape.back()}, TensorKind::kActivation, 2, 0.5f, 0.9f);
  int r = c.add_tensor(shape, TensorKind::kActivation, 3, -1, 1);
  int t = c.add_node(BuiltinOp::kMul, {x, s}, x);
  c.add_node(BuiltinOp::kAdd, {t, r}, t);
}
// Pose landmark: ADD+RELU then ADD.
void add_relu_add(ChainGraph& c, const Shape& shape) {
  int x = c.add_tensor(shape, TensorKind::kActivation, 1, -1, 1);
  int a = c.add_tensor(shape, TensorKind::kActivation, 2, -1, 1);
  int b = c.add_tensor(shape, TensorKind::kActivation, 3, -1, 1);
  int t = c.add_node(BuiltinOp::kAdd, {x, a}, x, Activation::kRelu);
  c.add_node(BuiltinOp::kSub, {t, b}, t);
}
// A longer chain: scale, shift, RELU6, per-channel PRELU, sigmoid.
void long_chain(ChainGraph& c, const Shape& shape) {
  int x = c.add_tensor(shape, TensorKind::kActivation, 1, -1, 1);
  int s = c.add_tensor({shape.back()}, TensorKind::kConstant, 2, 0.5f, 0.9f);
  int k = c.add_tensor({}, TensorKind::kConstant, 3, 0.1f, 0.2f);
  int alpha = c.add_tensor({1, 1, shape.back()}, TensorKind::kConstant, 4, 0.1f, 0.3f);
  int t = c.add_node(BuiltinOp::kMul, {x, s}, x);
  t = c.add_node(BuiltinOp::kAdd, {t, k}, t);
  t = c.add_node(BuiltinOp::kRelu6, {t}, t);
  t = c.add_node(BuiltinOp::kPrelu, {t, alpha}, t);
  c.add_node(BuiltinOp::kLogistic, {t}, t);
}

void bm_chain(benchmark::State& state, void (*build)(ChainGraph&, const Shape&), Shape shape, bool fused) {
  ChainGraph c;
  build(c, shape);
  Graph& g = c.graph;
  g.inputs = {0};
  g.outputs = {static_cast<int>(g.tensors.size()) - 1};
  const size_t unfused_nodes = g.nodes.size();
  if (fused && fuse_elementwise_chains(g) != static_cast<int>(unfused_nodes) - 1) {
    state.SkipWithError("the pass did not fuse the chain");
    return;
  }
  Prepared p;
  if (!prepare(g, &p)) {
    state.SkipWithError("prepare failed");
    return;
  }
  ThreadPool pool(1);
  bench::LoopTimer timer;
  for (auto _ : state) {
    run(g, p, pool);
    benchmark::ClobberMemory();
  }
  // The fused chain's traffic: every input once (operands as stored) plus the output.
  double bytes = 0;
  const Node& f = g.nodes.back();
  if (fused) {
    for (int t : f.inputs) bytes += static_cast<double>(g.tensors[static_cast<size_t>(t)].bytes());
    bytes += static_cast<double>(g.tensors[static_cast<size_t>(f.outputs[0])].bytes());
  }
  const double iters = static_cast<double>(state.iterations());
  if (fused) state.counters["GBps"] = bytes * iters / std::max(timer.cpu(), 1e-12) / 1e9;
  state.counters["Gelem_per_s"] =
      static_cast<double>(shape_num_elements(shape)) * iters / std::max(timer.cpu(), 1e-12) / 1e9;
  state.SetLabel(node_op_label(f));
}

void register_all() {
  struct Case {
    const char* name;
    void (*build)(ChainGraph&, const Shape&);
    Shape shape;
  };
  const Case cases[] = {
      {"add_prelu/96x96x32", add_prelu, {1, 96, 96, 32}},   {"add_prelu/24x24x128", add_prelu, {1, 24, 24, 128}},
      {"add_prelu/6x6x256", add_prelu, {1, 6, 6, 256}},     {"mul_add/128x128x16", mul_add, {1, 128, 128, 16}},
      {"mul_add/32x32x24", mul_add, {1, 32, 32, 24}},       {"add_relu_sub/128x128x8", add_relu_add, {1, 128, 128, 8}},
      {"long_chain/56x56x64", long_chain, {1, 56, 56, 64}},
  };
  for (const Case& c : cases)
    for (bool fused : {false, true})
      benchmark::RegisterBenchmark((std::string(c.name) + (fused ? "/fused" : "/separate")).c_str(), bm_chain, c.build,
                                   c.shape, fused)
          ->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace eir

int main(int argc, char** argv) { return eir::bench::bench_main(argc, argv, nullptr, eir::register_all); }
