// `eir` — inspect, run and benchmark models from the command line.
#include <cstdio>
#include <cstring>

#include "tools/eir/commands.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: eir <command> [options]\n"
               "  inspect MODEL [--passes]      inputs, outputs, ops, planned arena; --passes: graph before/after\n"
               "  run MODEL --inputs DIR --outputs DIR [--threads N]\n"
               "                                read DIR/input_<i>.npy, run once, write output_<j>.npy\n"
               "  bench MODEL [--threads N] [--runs N] [--delegate cpu|xnnpack] [--profile] [--trace FILE]\n"
               "              [--compare xnnpack] [--isa ISA]   latency, start-up, memory, per-op profile\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage();
    return 2;
  }
  eir::cli::Args args(argv + 2, argv + argc);
  const char* cmd = argv[1];
  if (std::strcmp(cmd, "inspect") == 0) return eir::cli::cmd_inspect(args);
  if (std::strcmp(cmd, "run") == 0) return eir::cli::cmd_run(args);
  if (std::strcmp(cmd, "bench") == 0) return eir::cli::cmd_bench(args);
  if (std::strcmp(cmd, "--help") == 0 || std::strcmp(cmd, "-h") == 0) {
    usage();
    return 0;
  }
  std::fprintf(stderr, "eir: unknown command '%s'\n", cmd);
  usage();
  return 2;
}
