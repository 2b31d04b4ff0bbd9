// Class labels for a classifier: from the label file packed in the model's metadata when there is
// one, otherwise from a text file; then aligned with the model's number of output classes.
#pragma once

#include <string>
#include <vector>

#include "eir/status.hpp"

namespace classify {

// Splits text into lines (without '\r'), dropping a trailing empty line.
std::vector<std::string> split_lines(const std::string& text);

// Labels from the first .txt entry of the ZIP appended to the model file. Sets *found = false (and
// returns no labels) when the model carries no such file or it is compressed.
eir::Result<std::vector<std::string>> labels_from_model(const std::string& model_path, bool* found,
                                                        std::string* source);

eir::Result<std::vector<std::string>> labels_from_file(const std::string& path);

// Aligns labels with `num_classes` outputs. Handles the usual off-by-one between ImageNet label
// lists with and without a leading "background" entry; otherwise unlabelled classes get "#<index>".
// Returns a note describing any adjustment (empty when none was needed).
std::string align_labels(std::vector<std::string>* labels, size_t num_classes);

// True when `label` is `expected`, or one of its comma-separated synonyms is
// ("military uniform" matches "military uniform"; "cheeseburger" matches "cheeseburger").
bool label_matches(const std::string& label, const std::string& expected);

}  // namespace classify
