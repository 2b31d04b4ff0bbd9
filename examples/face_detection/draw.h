// Minimal raster drawing on RGB images for the annotated output: boxes, dots and short labels.
#pragma once

#include <cstdint>
#include <string>

#include "image.h"

namespace face {

struct Color {
  uint8_t r, g, b;
};

// Rectangle outline with corners (x0, y0) and (x1, y1) in pixels, drawn `thickness` pixels inward
// from the edges. Clipped to the image.
void draw_rect(eir_examples::Image& image, int x0, int y0, int x1, int y1, Color color, int thickness);

// Filled disc of `radius` pixels centred on (cx, cy).
void draw_dot(eir_examples::Image& image, int cx, int cy, int radius, Color color);

// ASCII text with its top-left corner at (x, y); each font pixel becomes a scale x scale block.
void draw_text(eir_examples::Image& image, int x, int y, const std::string& text, Color color, int scale);

// Height in pixels of `text` drawn by draw_text at `scale`.
int text_height(const std::string& text, int scale);

}  // namespace face
