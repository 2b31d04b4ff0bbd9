// An 8-bit RGB image in row-major, interleaved order: the one pixel format the examples use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eir_examples {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3 bytes

  Image() = default;
  Image(int w, int h) : width(w), height(h), rgb(static_cast<size_t>(w) * h * 3, 0) {}

  bool empty() const { return width <= 0 || height <= 0; }
  uint8_t* at(int x, int y) { return &rgb[(static_cast<size_t>(y) * width + x) * 3]; }
  const uint8_t* at(int x, int y) const { return &rgb[(static_cast<size_t>(y) * width + x) * 3]; }
};

}  // namespace eir_examples
