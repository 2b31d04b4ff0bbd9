// eir bench MODEL: start-up time, latency distribution, memory, per-op profile, and an in-process
// comparison against the XNNPACK delegate.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>

#include "eir/eir.hpp"
#include "runtime/executor/model_impl.h"
#include "runtime/executor/session_impl.h"
#include "tools/eir/commands.h"
#include "tools/eir/node_flops.h"

namespace eir::cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

size_t current_rss_bytes() {
  std::ifstream f("/proc/self/statm");
  size_t pages_total = 0, pages_resident = 0;
  f >> pages_total >> pages_resident;
  return pages_resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

size_t peak_rss_bytes() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<size_t>(ru.ru_maxrss) * 1024;
}

void fill_inputs(Session& s, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < s.num_inputs(); ++i) {
    TensorView v = s.input(i);
    auto* bytes = static_cast<uint8_t*>(v.data);
    if (v.info->dtype == DType::kF32) {
      std::uniform_real_distribution<float> d(-1.0f, 1.0f);
      float* f = static_cast<float*>(v.data);
      for (size_t k = 0; k < v.bytes / 4; ++k) f[k] = d(rng);
    } else {
      for (size_t k = 0; k < v.bytes; ++k) bytes[k] = static_cast<uint8_t>(rng());
    }
  }
}

struct Config {
  std::string label;
  std::string delegate;  // "" = eir's own kernels
  int threads = 1;
  std::string isa;
};

// One model instance under one configuration: load, create, keep timings.
struct Instance {
  Config config;
  std::unique_ptr<Session> session;
  Model* model = nullptr;
  double load_ms = 0, ready_ms = 0, first_run_ms = 0;  // the first (cold) start in this process
  std::vector<double> warm_load_ms, warm_ready_ms;      // later starts (see restart)
  size_t rss_before = 0, rss_after = 0;
  std::vector<double> runs_ms;
};

Status start(const std::string& path, const Config& c, Instance* inst, std::unique_ptr<Model>* holder) {
  inst->config = c;
  inst->rss_before = current_rss_bytes();
  auto t0 = Clock::now();
  LoadOptions lo;
  lo.isa = c.isa;
  EIR_ASSIGN_OR_RETURN(Model model, Model::load_file(path, lo));
  inst->load_ms = ms_since(t0);
  *holder = std::make_unique<Model>(std::move(model));
  inst->model = holder->get();
  SessionOptions so;
  so.num_threads = c.threads;
  if (!c.delegate.empty()) so.delegates.push_back(c.delegate);
  auto t1 = Clock::now();
  EIR_ASSIGN_OR_RETURN(inst->session, Session::create(**holder, so));
  inst->ready_ms = ms_since(t1);
  fill_inputs(*inst->session, 12345);
  auto t2 = Clock::now();
  EIR_RETURN_IF_ERROR(inst->session->run());
  inst->first_run_ms = ms_since(t2);
  return Status::Ok();
}

// Loads the model and creates a session again, as an app does at each start once the file is in
// the page cache; the first start of a process also pays one-time costs (page cache, allocator
// growth, CPU feature detection) that would otherwise favour whichever configuration starts second.
Status restart(const std::string& path, Instance* inst) {
  LoadOptions lo;
  lo.isa = inst->config.isa;
  auto t0 = Clock::now();
  EIR_ASSIGN_OR_RETURN(Model model, Model::load_file(path, lo));
  inst->warm_load_ms.push_back(ms_since(t0));
  SessionOptions so;
  so.num_threads = inst->config.threads;
  if (!inst->config.delegate.empty()) so.delegates.push_back(inst->config.delegate);
  auto t1 = Clock::now();
  EIR_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::create(model, so));
  inst->warm_ready_ms.push_back(ms_since(t1));
  return Status::Ok();
}

Status timed_run(Instance* inst) {
  auto t = Clock::now();
  EIR_RETURN_IF_ERROR(inst->session->run());
  inst->runs_ms.push_back(ms_since(t));
  return Status::Ok();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t idx = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) ;
  idx = std::min(v.size() - 1, idx == 0 ? 0 : idx - 1);
  return v[idx];
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

double warm_start_ms(const Instance& in) {
  std::vector<double> total;
  for (size_t i = 0; i < in.warm_load_ms.size(); ++i) total.push_back(in.warm_load_ms[i] + in.warm_ready_ms[i]);
  return percentile(total, 50);
}

void print_instance(const Instance& in) {
  const ModelImpl& m = *in.model->impl();
  std::printf("[%s] threads=%d isa=%s\n", in.config.label.c_str(), in.config.threads, m.isa().c_str());
  std::printf("  cold start: load %.2f ms + session %.2f ms = load->ready %.2f ms; first run %.2f ms\n", in.load_ms,
              in.ready_ms, in.load_ms + in.ready_ms, in.first_run_ms);
  if (!in.warm_load_ms.empty())
    std::printf("  restarts (median of %zu): load %.2f ms + session %.2f ms = load->ready %.2f ms\n",
                in.warm_load_ms.size(), percentile(in.warm_load_ms, 50), percentile(in.warm_ready_ms, 50),
                warm_start_ms(in));
  std::printf("  %zu runs: mean %.3f ms  p50 %.3f  p90 %.3f  p99 %.3f  min %.3f\n", in.runs_ms.size(), mean(in.runs_ms),
              percentile(in.runs_ms, 50), percentile(in.runs_ms, 90), percentile(in.runs_ms, 99),
              in.runs_ms.empty() ? 0.0 : *std::min_element(in.runs_ms.begin(), in.runs_ms.end()));
  std::printf("  arena %zu bytes, packed weights %zu bytes, RSS growth %.1f MiB\n", in.session->arena_bytes(),
              m.packed_bytes(), (double(in.rss_after) - double(in.rss_before)) / (1024.0 * 1024.0));
}

void print_profile(Instance& in, const std::string& trace_path) {
  SessionImpl& s = in.session->impl();
  const Graph& g = s.model().graph();
  const std::vector<double>& times = s.node_times_us();
  double total = 0;
  for (double t : times) total += t;
  struct Row {
    int node;
    double us, flops;
  };
  std::vector<Row> rows;
  std::map<std::string, std::pair<double, double>> by_op;  // op -> (us, flops)
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (s.evaluated_at_prepare()[i]) continue;
    double flops = node_flops(g.nodes[i], s.tensors());
    rows.push_back(Row{static_cast<int>(i), times[i], flops});
    auto& agg = by_op[node_op_label(g.nodes[i])];
    agg.first += times[i];
    agg.second += flops;
  }
  std::printf("  per-op profile (last run, %.1f us total):\n", total);
  std::printf("    %-32s %10s %7s %9s\n", "op", "time us", "share", "GFLOP/s");
  std::vector<std::pair<std::string, std::pair<double, double>>> ops(by_op.begin(), by_op.end());
  std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  for (const auto& [op, v] : ops)
    std::printf("    %-32s %10.1f %6.1f%% %9.2f\n", op.c_str(), v.first, total > 0 ? 100.0 * v.first / total : 0.0,
                v.first > 0 ? v.second / (v.first * 1e3) : 0.0);
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.us > b.us; });
  std::printf("    slowest nodes:\n");
  for (size_t i = 0; i < std::min<size_t>(rows.size(), 10); ++i) {
    const Node& n = g.nodes[static_cast<size_t>(rows[i].node)];
    std::printf("      %-40s %9.1f us %8.2f GFLOP/s  out %s\n", node_label(n, rows[i].node).c_str(), rows[i].us,
                rows[i].us > 0 ? rows[i].flops / (rows[i].us * 1e3) : 0.0,
                shape_to_string(s.tensors()[static_cast<size_t>(n.outputs[0])].shape).c_str());
  }
  if (!trace_path.empty()) {
    std::ofstream f(trace_path);
    f << "{\"traceEvents\":[";
    double ts = 0;
    bool first = true;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (s.evaluated_at_prepare()[i] || times[i] <= 0) continue;
      f << (first ? "" : ",") << "{\"name\":\"" << node_op_label(g.nodes[i]) << "\",\"cat\":\"op\",\"ph\":\"X\",\"ts\":"
        << ts << ",\"dur\":" << times[i] << ",\"pid\":1,\"tid\":1,\"args\":{\"node\":" << i << "}}";
      ts += times[i];
      first = false;
    }
    f << "]}\n";
    std::printf("  trace written to %s (open in chrome://tracing or Perfetto)\n", trace_path.c_str());
  }
}

}  // namespace

int cmd_bench(const Args& args) {
  std::string path =
      first_positional(args, {"--threads", "--runs", "--warmup", "--restarts", "--delegate", "--compare", "--trace", "--isa"});
  if (path.empty()) {
    std::fprintf(stderr,
                 "usage: eir bench MODEL [--threads N] [--runs N] [--warmup N] [--restarts N] [--delegate cpu|xnnpack]\n"
                 "                       [--isa ISA]\n"
                 "                       [--profile] [--trace FILE] [--compare xnnpack] [--markdown]\n");
    return 2;
  }
  std::string v;
  int threads = flag_value(args, "--threads", &v) ? std::atoi(v.c_str()) : 1;
  int runs = flag_value(args, "--runs", &v) ? std::atoi(v.c_str()) : 50;
  int warmup = flag_value(args, "--warmup", &v) ? std::atoi(v.c_str()) : 5;
  int restarts = flag_value(args, "--restarts", &v) ? std::atoi(v.c_str()) : 5;
  std::string delegate, compare, trace, isa;
  flag_value(args, "--delegate", &delegate);
  flag_value(args, "--compare", &compare);
  flag_value(args, "--trace", &trace);
  flag_value(args, "--isa", &isa);
  if (delegate == "cpu") delegate.clear();
  bool profile = has_flag(args, "--profile") || !trace.empty();

  std::vector<Config> configs = {{delegate.empty() ? "eir" : "eir+" + delegate, delegate, threads, isa}};
  if (!compare.empty()) configs.push_back({"eir+" + compare + " (peer)", compare, threads, isa});
  std::vector<Instance> instances(configs.size());
  std::vector<std::unique_ptr<Model>> holders(configs.size());
  for (size_t c = 0; c < configs.size(); ++c) {
    Status s = start(path, configs[c], &instances[c], &holders[c]);
    if (!s.ok()) {
      std::fprintf(stderr, "eir bench [%s]: %s\n", configs[c].label.c_str(), s.to_string().c_str());
      return 1;
    }
  }
  // Restarts, alternating the configurations so that both see the same machine state.
  for (int r = 0; r < restarts; ++r) {
    for (size_t c = 0; c < instances.size(); ++c) {
      Status s = restart(path, &instances[c]);
      if (!s.ok()) {
        std::fprintf(stderr, "eir bench [%s]: %s\n", configs[c].label.c_str(), s.to_string().c_str());
        return 1;
      }
    }
  }
  // Warm-up, then alternate the configurations run by run.
  for (int r = 0; r < warmup; ++r)
    for (auto& in : instances)
      if (!in.session->run().ok()) return 1;
  for (int r = 0; r < runs; ++r) {
    for (auto& in : instances) {
      Status s = timed_run(&in);
      if (!s.ok()) {
        std::fprintf(stderr, "eir bench: %s\n", s.to_string().c_str());
        return 1;
      }
    }
  }
  for (auto& in : instances) in.rss_after = current_rss_bytes();
  std::printf("model: %s\n", path.c_str());
  for (auto& in : instances) print_instance(in);
  std::printf("peak RSS of the process: %.1f MiB\n", double(peak_rss_bytes()) / (1024.0 * 1024.0));
  if (profile) {
    // A separate profiled run so that timing hooks do not disturb the numbers above.
    Instance& in = instances[0];
    SessionOptions so;
    so.num_threads = threads;
    so.profile = true;
    if (!in.config.delegate.empty()) so.delegates.push_back(in.config.delegate);
    auto s = Session::create(*in.model, so);
    if (s.ok()) {
      fill_inputs(**s, 12345);
      for (int r = 0; r < 3; ++r) (void)(*s)->run();
      Instance probe;
      probe.config = in.config;
      probe.session = std::move(s).value();
      probe.model = in.model;
      print_profile(probe, trace);
    }
  }
  if (instances.size() == 2) {
    double ratio = mean(instances[0].runs_ms) / mean(instances[1].runs_ms);
    // Start-up compares the restarts (the cold start is first-in-process for eir only).
    const bool restarted = !instances[0].warm_load_ms.empty();
    auto startup = [&](const Instance& in) { return restarted ? warm_start_ms(in) : in.load_ms + in.ready_ms; };
    double startup_ratio = startup(instances[0]) / startup(instances[1]);
    std::printf("latency ratio eir/%s = %.3f (%s); load->ready ratio = %.3f\n", compare.c_str(), ratio,
                ratio <= 1.0 ? "eir faster" : "eir slower", startup_ratio);
    if (threads > 1)
      std::printf("note: with %d threads the pool that ran last keeps polling for work for a while and takes a core\n"
                  "from the other configuration; compare in separate processes (benchmarks/compare_xnnpack.sh does)\n",
                  threads);
    if (has_flag(args, "--markdown"))
      std::printf("| %s | %d | %.3f | %.3f | %.3f | %.2f | %.2f |\n", path.substr(path.find_last_of('/') + 1).c_str(), threads,
                  mean(instances[0].runs_ms), mean(instances[1].runs_ms), ratio,
                  startup(instances[0]), startup(instances[1]));
  }
  return 0;
}

}  // namespace eir::cli
