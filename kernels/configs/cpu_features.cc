#include "kernels/configs/cpu_features.h"

#include <cstdlib>

#if defined(EIR_HAVE_CPUINFO)
#include <cpuinfo.h>
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace eir {

namespace {

CpuFeatures detect() {
  CpuFeatures f;
#if defined(EIR_HAVE_CPUINFO)
  if (cpuinfo_initialize()) {
#if defined(__x86_64__)
    f.avx2_fma = cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3();
    f.avx512f = f.avx2_fma && cpuinfo_has_x86_avx512f() && cpuinfo_has_x86_avx512bw() && cpuinfo_has_x86_avx512vl();
    f.avx512vnni = f.avx512f && cpuinfo_has_x86_avx512vnni();
#elif defined(__aarch64__)
    f.neon = cpuinfo_has_arm_neon();
    f.neon_dot = cpuinfo_has_arm_neon_dot();
    f.neon_fp16 = cpuinfo_has_arm_neon_fp16_arith();
#endif
    return f;
  }
#endif
#if defined(__x86_64__)
  __builtin_cpu_init();
  f.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  f.avx512f = f.avx2_fma && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512vl");
  f.avx512vnni = f.avx512f && __builtin_cpu_supports("avx512vnni");
#elif defined(__aarch64__) && defined(__linux__)
  unsigned long hwcap = getauxval(AT_HWCAP);
  f.neon = (hwcap & HWCAP_ASIMD) != 0;
  f.neon_dot = (hwcap & HWCAP_ASIMDDP) != 0;
  f.neon_fp16 = (hwcap & HWCAP_ASIMDHP) != 0;
#endif
  return f;
}

}  // namespace

const CpuFeatures& detected_cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

Result<CpuFeatures> cap_cpu_features(const CpuFeatures& in, const std::string& max_isa) {
  CpuFeatures f = in;
  if (max_isa.empty() || max_isa == "native") return f;
  if (max_isa == "scalar") return CpuFeatures{};
  if (max_isa == "reference") {
    CpuFeatures none;
    none.optimized = false;
    return none;
  }
  if (max_isa == "avx2") {
    f.avx512f = f.avx512vnni = false;
    return f;
  }
  if (max_isa == "avx512") {
    f.avx512vnni = false;
    return f;
  }
  if (max_isa == "avx512vnni") return f;
  if (max_isa == "neon") {
    f.neon_dot = f.neon_fp16 = false;
    return f;
  }
  if (max_isa == "neondot") {
    f.neon_fp16 = false;
    return f;
  }
  if (max_isa == "neonfp16") return f;
  return invalid_argument("unknown ISA '", max_isa,
                          "' (expected native, reference, scalar, avx2, avx512, avx512vnni, neon, neondot, neonfp16)");
}

std::string isa_from_environment() {
  const char* v = std::getenv("EIR_ISA");
  return v ? std::string(v) : std::string("native");
}

std::string describe_cpu_features(const CpuFeatures& f) {
  std::string s;
  auto add = [&](bool on, const char* name) {
    if (!on) return;
    if (!s.empty()) s += ' ';
    s += name;
  };
  add(f.avx2_fma, "avx2_fma");
  add(f.avx512f, "avx512f");
  add(f.avx512vnni, "avx512vnni");
  add(f.neon, "neon");
  add(f.neon_dot, "neon_dot");
  add(f.neon_fp16, "neon_fp16");
  add(f.neon_fp16 && f.fp16_arith_allowed, "fp16_arith");
  if (!f.optimized) return "reference";
  return s.empty() ? "scalar" : s;
}

}  // namespace eir
