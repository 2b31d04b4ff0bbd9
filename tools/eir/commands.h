// Subcommands of the `eir` command-line tool. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace eir::cli {

using Args = std::vector<std::string>;

int cmd_inspect(const Args& args);
int cmd_run(const Args& args);
int cmd_bench(const Args& args);

// "--name value" lookup; returns false if absent.
bool flag_value(const Args& args, const std::string& name, std::string* value);
bool has_flag(const Args& args, const std::string& name);
// First argument that is neither a flag nor a flag's value.
std::string first_positional(const Args& args, const std::vector<std::string>& flags_with_values);

}  // namespace eir::cli
