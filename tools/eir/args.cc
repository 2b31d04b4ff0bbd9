#include <algorithm>

#include "tools/eir/commands.h"

namespace eir::cli {

bool flag_value(const Args& args, const std::string& name, std::string* value) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) {
      *value = args[i + 1];
      return true;
    }
  }
  return false;
}

bool has_flag(const Args& args, const std::string& name) { return std::find(args.begin(), args.end(), name) != args.end(); }

std::string first_positional(const Args& args, const std::vector<std::string>& flags_with_values) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (std::find(flags_with_values.begin(), flags_with_values.end(), args[i]) != flags_with_values.end()) {
      ++i;
      continue;
    }
    if (args[i].rfind("--", 0) == 0) continue;
    return args[i];
  }
  return "";
}

}  // namespace eir::cli
