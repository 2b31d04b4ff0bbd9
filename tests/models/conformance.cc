// Conformance against TensorFlow Lite: runs the models of ../shared/models/manifest.tsv on their
// synthetic and real inputs and compares every output with TFLite's own output (golden/ and
// golden_real/), under the manifest's rule:
//   float outputs:   max|eir - golden| <= tol * max(1, max|golden|)
//   integer outputs: no element more than 1 LSB away and >= 99.9 % of elements bit-exact.
// Models whose expectation is `error` must be refused at load with a message naming the op.
//
//   eir_conformance --shared ../shared [--model NAME] [--classes fp32,fp16w,...] [--threads N]
//                   [--delegate xnnpack] [--isa reference|scalar|avx2|avx512|...] [--allow-fp16]
// --allow-fp16 loads the models with LoadOptions::allow_fp16 (fp16 arithmetic where the CPU has
// it) and loosens the float tolerance to 1e-2 relative (fp16 rounding); integer rules unchanged.
// Exit: 0 all passed, 1 a failure, 77 when ../shared is absent (ctest reports "skipped").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "eir/eir.hpp"
#include "tests/models/flatc_round_trip.h"
#include "tools/common/npy.h"

namespace {

struct ManifestEntry {
  std::string name, file, cls, expect, ops;
  double tol = 1e-4;
};

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

std::vector<ManifestEntry> read_manifest(const std::string& path) {
  std::vector<ManifestEntry> entries;
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    auto cols = split(line, '\t');
    if (cols.size() < 5) continue;
    ManifestEntry e;
    e.name = cols[0];
    e.file = cols[1];
    e.cls = cols[2];
    e.expect = cols[3];
    e.tol = std::atof(cols[4].c_str());
    e.ops = cols.size() > 5 ? cols[5] : "";
    entries.push_back(e);
  }
  return entries;
}

double element_as_double(eir::DType t, const uint8_t* p, size_t i) {
  switch (t) {
    case eir::DType::kF32: return reinterpret_cast<const float*>(p)[i];
    case eir::DType::kF64: return reinterpret_cast<const double*>(p)[i];
    case eir::DType::kI8: return reinterpret_cast<const int8_t*>(p)[i];
    case eir::DType::kU8: return p[i];
    case eir::DType::kI16: return reinterpret_cast<const int16_t*>(p)[i];
    case eir::DType::kU16: return reinterpret_cast<const uint16_t*>(p)[i];
    case eir::DType::kI32: return reinterpret_cast<const int32_t*>(p)[i];
    case eir::DType::kU32: return reinterpret_cast<const uint32_t*>(p)[i];
    case eir::DType::kI64: return static_cast<double>(reinterpret_cast<const int64_t*>(p)[i]);
    case eir::DType::kBool: return p[i] ? 1.0 : 0.0;
    default: return NAN;
  }
}

// Known, investigated deviations: the output is still required to be within 1 LSB, but the
// bit-exact share is not enforced. Each entry says why; the table line shows "KNOWN".
// An output that differs from its golden by at most 1 LSB for a reason established outside eir.
// The reason is tested, not just stated: the runner rebuilds the model the way the golden's copy was
// made (`rebuild`) and requires eir to match the golden BIT-EXACTLY on that copy, for every output of
// the input set; only then is the 1-LSB difference on the published model accepted ("KNOWN").
struct KnownDeviation {
  const char* model;
  const char* inputs;  // "synth" or "real"
  const char* reason;
  std::vector<uint8_t> (*rebuild)(const std::vector<uint8_t>& model, std::string* error);
};
const KnownDeviation kKnownDeviations[] = {
    // shared/models/README.md: TFLite refuses the published file, so its goldens come from a copy
    // with quantized_dimension patched to 0 on the rank-1 bias tensors. Editing that field through
    // flatc's JSON form also rewrites every scale with 6 decimals; e.g. 0.0235294 -> 0.023529
    // changes the requantization multipliers by up to 1e-4 relative. On the real photo that makes
    // no difference; on the synthetic noise input the logits differ by 200 quanta in eir with the
    // published scales and by 204 with the rounded ones, which is what the golden shows. Ruled out
    // beforehand: every TFLite x86 requantization variant (double / single rounding, ties up /
    // away, fp32) of conv and depthwise that keeps the other int8 models bit-exact; pooling has no
    // ties; both softmax paths agree.
    {"tfm_person_detect", "synth",
     "1 LSB off ([109,-109] vs [110,-110]) with the published scales; the golden's model copy had its scales "
     "rounded to 6 decimals by flatc's JSON round trip, and on that copy eir is bit-exact",
     eir::conformance::round_scales_like_flatc_json},
};

const KnownDeviation* known_deviation(const std::string& model, const char* label) {
  for (const KnownDeviation& k : kKnownDeviations)
    if (model == k.model && std::strcmp(label, k.inputs) == 0) return &k;
  return nullptr;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

struct Comparison {
  bool pass = false;
  bool within_one_lsb = false;  // integer outputs: no element more than 1 LSB away
  std::string detail;  // "max_err=..." or "max 1 LSB, 99.98% exact"
};

Comparison compare(const eir::TensorView& out, const eir::NpyArray& golden, double tol) {
  Comparison c;
  if (out.info->dtype != golden.dtype) {
    c.detail = std::string("dtype ") + eir::dtype_name(out.info->dtype) + " vs golden " + eir::dtype_name(golden.dtype);
    return c;
  }
  size_t n = golden.num_elements();
  size_t out_n = eir::dtype_size(out.info->dtype) ? out.bytes / eir::dtype_size(out.info->dtype) : 0;
  if (out_n != n) {
    c.detail = "element count " + std::to_string(out_n) + " vs golden " + std::to_string(n);
    return c;
  }
  const auto* a = static_cast<const uint8_t*>(out.data);
  const uint8_t* b = golden.data.data();
  char buf[160];
  if (golden.dtype == eir::DType::kF32 || golden.dtype == eir::DType::kF64) {
    double max_err = 0, max_ref = 0;
    for (size_t i = 0; i < n; ++i) {
      double x = element_as_double(golden.dtype, a, i), y = element_as_double(golden.dtype, b, i);
      double e = std::fabs(x - y);
      if (std::isnan(x) != std::isnan(y)) e = INFINITY;
      max_err = std::max(max_err, e);
      max_ref = std::max(max_ref, std::fabs(y));
    }
    double bound = tol * std::max(1.0, max_ref);
    c.pass = max_err <= bound;
    std::snprintf(buf, sizeof(buf), "max_err=%.3g (bound %.3g)", max_err, bound);
  } else {
    double max_lsb = 0;
    size_t exact = 0;
    for (size_t i = 0; i < n; ++i) {
      double d = std::fabs(element_as_double(golden.dtype, a, i) - element_as_double(golden.dtype, b, i));
      max_lsb = std::max(max_lsb, d);
      exact += d == 0;
    }
    double share = n ? 100.0 * double(exact) / double(n) : 100.0;
    c.within_one_lsb = max_lsb <= 1;
    c.pass = max_lsb <= 1 && share >= 99.9;
    std::snprintf(buf, sizeof(buf), "max %.0f LSB, %.2f%% exact", max_lsb, share);
  }
  c.detail = buf;
  return c;
}

// Runs one model on one input set and compares all outputs. Returns true if all pass.
std::string g_delegate;  // --delegate NAME: run through a delegate

bool run_case(const eir::Model& model, const std::string& model_path, const std::string& in_dir,
              const std::string& golden_dir, const ManifestEntry& e, const char* label, int threads, bool allow_known,
              int* checked);

// Runs the rebuilt copy `k` describes (the model the goldens were made from) on every input set
// of the model: true when every output is bit-exact.
bool explanation_holds(const KnownDeviation& k, const std::string& model_path, const ManifestEntry& e,
                       const char* label, int threads) {
  std::string error;
  const std::vector<uint8_t> copy = k.rebuild(read_file(model_path), &error);
  if (copy.empty()) {
    std::printf("  %-44s %-5s FAIL rebuilding the golden's copy: %s\n", e.name.c_str(), label, error.c_str());
    return false;
  }
  eir::LoadOptions options;
  options.copy_buffer = true;
  auto model = eir::Model::load_buffer(copy.data(), copy.size(), options);
  if (!model.ok()) {
    std::printf("  %-44s %-5s FAIL loading the golden's copy: %s\n", e.name.c_str(), label, model.status().to_string().c_str());
    return false;
  }
  ManifestEntry as_copy = e;
  as_copy.name = e.name + " (golden's copy)";
  const std::string models = model_path.substr(0, model_path.find_last_of('/'));
  int checked = 0;
  bool all = run_case(*model, model_path, models + "/inputs/" + e.name, models + "/golden/" + e.name, as_copy, "synth",
                      threads, /*allow_known=*/false, &checked);
  if (exists(models + "/golden_real/" + e.name))
    all = run_case(*model, model_path, models + "/inputs_real/" + e.name, models + "/golden_real/" + e.name, as_copy,
                   "real", threads, /*allow_known=*/false, &checked) &&
          all;
  return all;
}

bool run_case(const eir::Model& model, const std::string& model_path, const std::string& in_dir,
              const std::string& golden_dir, const ManifestEntry& e, const char* label, int threads, bool allow_known,
              int* checked) {
  eir::SessionOptions options;
  options.num_threads = threads;
  if (!g_delegate.empty()) options.delegates.push_back(g_delegate);
  auto session = eir::Session::create(model, options);
  if (!session.ok()) {
    std::printf("  %-44s %-5s FAIL session: %s\n", e.name.c_str(), label, session.status().to_string().c_str());
    return false;
  }
  eir::Session& s = **session;
  for (int i = 0; i < s.num_inputs(); ++i) {
    auto a = eir::read_npy(in_dir + "/input_" + std::to_string(i) + ".npy");
    if (!a.ok()) {
      std::printf("  %-44s %-5s FAIL input: %s\n", e.name.c_str(), label, a.status().to_string().c_str());
      return false;
    }
    if (a->shape != s.input(i).shape) {
      eir::Status rs = s.resize_input(i, a->shape);
      if (!rs.ok()) {
        std::printf("  %-44s %-5s FAIL resize: %s\n", e.name.c_str(), label, rs.to_string().c_str());
        return false;
      }
    }
    eir::TensorView v = s.input(i);
    if (v.bytes != a->data.size()) {
      std::printf("  %-44s %-5s FAIL input %d: %zu bytes vs %zu\n", e.name.c_str(), label, i, a->data.size(), v.bytes);
      return false;
    }
    std::memcpy(v.data, a->data.data(), v.bytes);
  }
  eir::Status rs = s.run();
  if (!rs.ok()) {
    std::printf("  %-44s %-5s FAIL run: %s\n", e.name.c_str(), label, rs.to_string().c_str());
    return false;
  }
  bool all = true;
  for (int j = 0; j < s.num_outputs(); ++j) {
    std::string gpath = golden_dir + "/output_" + std::to_string(j) + ".npy";
    auto g = eir::read_npy(gpath);
    if (!g.ok()) {
      std::printf("  %-44s %-5s FAIL golden: %s\n", e.name.c_str(), label, g.status().to_string().c_str());
      return false;
    }
    Comparison c = compare(s.output(j), *g, e.tol);
    const char* verdict = c.pass ? "ok" : "FAIL";
    if (!c.pass && c.within_one_lsb && allow_known) {
      if (const KnownDeviation* k = known_deviation(e.name, label)) {
        if (explanation_holds(*k, model_path, e, label, threads)) {
          c.pass = true;
          verdict = "KNOWN";
          c.detail += std::string(" (") + k->reason + ")";
        } else {
          c.detail += " (a known deviation is listed, but its explanation did not hold)";
        }
      }
    }
    std::printf("  %-44s %-5s out%-2d %-4s %s\n", e.name.c_str(), label, j, verdict, c.detail.c_str());
    all = all && c.pass;
    ++*checked;
  }
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = "../shared", only, classes = "fp32,fp16w,sparse,int32,int8,uint8,int16,mixed,other";
  int threads = 1;
  eir::LoadOptions load_options;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--allow-fp16")) {
      load_options.allow_fp16 = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (!std::strcmp(argv[i], "--shared")) shared = argv[i + 1];
    else if (!std::strcmp(argv[i], "--model")) only = argv[i + 1];
    else if (!std::strcmp(argv[i], "--classes")) classes = argv[i + 1];
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--delegate")) g_delegate = argv[i + 1];
    else if (!std::strcmp(argv[i], "--isa")) setenv("EIR_ISA", argv[i + 1], 1);
    ++i;
  }
  std::string models = shared + "/models";
  if (!exists(models + "/manifest.tsv")) {
    std::printf("conformance: %s/manifest.tsv not found: skipped\n", models.c_str());
    return 77;
  }
  auto class_list = split(classes, ',');
  int failures = 0, passes = 0, outputs_checked = 0;
  std::printf("conformance vs TensorFlow Lite goldens (%s)\n", models.c_str());
  constexpr double kFp16Tolerance = 1e-2;
  if (load_options.allow_fp16)
    std::printf("--allow-fp16: fp16 arithmetic allowed; float outputs compared with tolerance %g relative\n",
                kFp16Tolerance);
  for (ManifestEntry e : read_manifest(models + "/manifest.tsv")) {
    if (!only.empty() && e.name != only) continue;
    if (std::find(class_list.begin(), class_list.end(), e.cls) == class_list.end()) continue;
    if (e.expect == "skip") continue;
    auto model = eir::Model::load_file(models + "/" + e.file, load_options);
    if (load_options.allow_fp16) e.tol = std::max(e.tol, kFp16Tolerance);  // used for float outputs only
    if (e.expect == "error") {
      // Must be refused, naming one of the operators eir does not support.
      bool ok = false;
      for (const std::string& op : split(e.ops, ','))
        ok = ok || (!model.ok() && model.status().message().find(split(op, ':').back()) != std::string::npos);
      std::printf("  %-44s %-5s %-4s %s\n", e.name.c_str(), "load", ok ? "ok" : "FAIL",
                  model.ok() ? "loaded but must be refused" : model.status().to_string().c_str());
      ok ? ++passes : ++failures;
      continue;
    }
    if (!model.ok()) {
      std::printf("  %-44s %-5s FAIL load: %s\n", e.name.c_str(), "load", model.status().to_string().c_str());
      ++failures;
      continue;
    }
    const std::string path = models + "/" + e.file;
    bool ok = run_case(*model, path, models + "/inputs/" + e.name, models + "/golden/" + e.name, e, "synth", threads,
                       /*allow_known=*/true, &outputs_checked);
    if (exists(models + "/golden_real/" + e.name))
      ok = run_case(*model, path, models + "/inputs_real/" + e.name, models + "/golden_real/" + e.name, e, "real", threads,
                    /*allow_known=*/true, &outputs_checked) &&
           ok;
    ok ? ++passes : ++failures;
  }
  std::printf("conformance: %d models passed, %d failed (%d outputs compared)\n", passes, failures, outputs_checked);
  if (passes + failures == 0) {
    std::printf("conformance: no model matched the selection\n");
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
