#include "labels.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "zip_reader.h"

namespace classify {
namespace {

eir::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return eir::io_error("cannot open '", path, "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return eir::io_error("error reading '", path, "'");
  return bytes;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

eir::Result<std::vector<std::string>> labels_from_model(const std::string& model_path, bool* found,
                                                        std::string* source) {
  *found = false;
  EIR_ASSIGN_OR_RETURN(std::string bytes, read_file(model_path));
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  EIR_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, list_zip_entries(data, bytes.size()));
  for (const ZipEntry& e : entries) {
    if (!ends_with(e.name, ".txt")) continue;
    if (e.method != 0) {
      *source = "'" + e.name + "' in the model metadata is compressed (not supported)";
      return std::vector<std::string>{};
    }
    EIR_ASSIGN_OR_RETURN(std::string text, read_stored_entry(data, bytes.size(), e));
    *found = true;
    *source = "'" + e.name + "' from the model's metadata";
    return split_lines(text);
  }
  return std::vector<std::string>{};
}

eir::Result<std::vector<std::string>> labels_from_file(const std::string& path) {
  EIR_ASSIGN_OR_RETURN(std::string text, read_file(path));
  return split_lines(text);
}

std::string align_labels(std::vector<std::string>* labels, size_t num_classes) {
  const size_t n = labels->size();
  if (n == num_classes) return "";
  std::ostringstream note;
  if (n == num_classes + 1 && !labels->empty() && trim(labels->front()) == "background") {
    // The model has no background class: drop it from the list.
    labels->erase(labels->begin());
    note << "dropped the leading 'background' label (" << n << " labels, " << num_classes << " classes)";
  } else if (n + 1 == num_classes) {
    // Class 0 of a 1001-class ImageNet model is background; the list lacks it.
    labels->insert(labels->begin(), "background");
    note << "class 0 taken as 'background' (" << n << " labels, " << num_classes << " classes)";
  } else {
    note << n << " labels for " << num_classes << " classes: unmatched classes shown by index";
    labels->resize(num_classes);
    for (size_t i = n; i < num_classes; ++i) (*labels)[i] = "#" + std::to_string(i);
  }
  return note.str();
}

bool label_matches(const std::string& label, const std::string& expected) {
  if (trim(label) == trim(expected)) return true;
  std::istringstream in(label);
  std::string synonym;
  while (std::getline(in, synonym, ',')) {
    if (trim(synonym) == trim(expected)) return true;
  }
  return false;
}

}  // namespace classify
