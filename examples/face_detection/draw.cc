#include "draw.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <stb_easy_font.h>  // header-only, all functions static

namespace face {
namespace {

void fill_rect(eir_examples::Image& image, int x0, int y0, int x1, int y1, Color c) {
  // Half-open [x0, x1) x [y0, y1), clipped.
  x0 = std::max(x0, 0);
  y0 = std::max(y0, 0);
  x1 = std::min(x1, image.width);
  y1 = std::min(y1, image.height);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      uint8_t* p = image.at(x, y);
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
    }
  }
}

}  // namespace

void draw_rect(eir_examples::Image& image, int x0, int y0, int x1, int y1, Color color, int thickness) {
  if (x1 < x0) std::swap(x0, x1);
  if (y1 < y0) std::swap(y0, y1);
  const int t = std::max(thickness, 1);
  fill_rect(image, x0, y0, x1 + 1, y0 + t, color);      // top
  fill_rect(image, x0, y1 + 1 - t, x1 + 1, y1 + 1, color);  // bottom
  fill_rect(image, x0, y0, x0 + t, y1 + 1, color);      // left
  fill_rect(image, x1 + 1 - t, y0, x1 + 1, y1 + 1, color);  // right
}

void draw_dot(eir_examples::Image& image, int cx, int cy, int radius, Color color) {
  const int r2 = radius * radius;
  for (int dy = -radius; dy <= radius; ++dy) {
    for (int dx = -radius; dx <= radius; ++dx) {
      const int x = cx + dx, y = cy + dy;
      if (dx * dx + dy * dy > r2 || x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
      uint8_t* p = image.at(x, y);
      p[0] = color.r;
      p[1] = color.g;
      p[2] = color.b;
    }
  }
}

void draw_text(eir_examples::Image& image, int x, int y, const std::string& text, Color color, int scale) {
  // stb_easy_font turns text into axis-aligned quads (4 vertices of x, y, z floats + 4 colour bytes)
  // on a grid of font pixels; we fill each quad scaled up.
  struct Vertex {
    float x, y, z;
    unsigned char rgba[4];
  };
  std::vector<char> chars(text.begin(), text.end());
  chars.push_back('\0');
  std::vector<Vertex> quads(text.size() * 64 + 64);
  const int num_quads = stb_easy_font_print(0, 0, chars.data(), nullptr, quads.data(),
                                            static_cast<int>(quads.size() * sizeof(Vertex)));
  for (int q = 0; q < num_quads; ++q) {
    const Vertex& a = quads[q * 4];
    const Vertex& c = quads[q * 4 + 2];  // the opposite corner
    const int qx0 = x + static_cast<int>(std::lround(std::min(a.x, c.x) * scale));
    const int qy0 = y + static_cast<int>(std::lround(std::min(a.y, c.y) * scale));
    const int qx1 = x + static_cast<int>(std::lround(std::max(a.x, c.x) * scale));
    const int qy1 = y + static_cast<int>(std::lround(std::max(a.y, c.y) * scale));
    fill_rect(image, qx0, qy0, qx1, qy1, color);
  }
}

int text_height(const std::string& text, int scale) {
  std::vector<char> chars(text.begin(), text.end());
  chars.push_back('\0');
  return stb_easy_font_height(chars.data()) * scale;
}

}  // namespace face
