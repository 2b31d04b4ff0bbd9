#include "image_io.h"

#include <cstring>
#include <memory>

// libstb (pkg-config stb) already contains the implementations: only the declarations here.
#include <stb_image.h>
#include <stb_image_write.h>

namespace eir_examples {

eir::Result<Image> load_image(const std::string& path) {
  int w = 0, h = 0, channels_in_file = 0;
  // Asking for 3 components makes stb convert grey / grey+alpha / RGBA to RGB for us.
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load(path.c_str(), &w, &h, &channels_in_file, 3), stbi_image_free);
  if (!pixels) {
    const char* why = stbi_failure_reason();
    return eir::io_error("cannot read image '", path, "': ", why ? why : "unknown error");
  }
  if (w <= 0 || h <= 0) return eir::io_error("image '", path, "' has no pixels (", w, "x", h, ")");
  Image image(w, h);
  std::memcpy(image.rgb.data(), pixels.get(), image.rgb.size());
  return image;
}

eir::Status write_png(const std::string& path, const Image& image) {
  if (image.empty() || image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return eir::invalid_argument("write_png: image is empty or its buffer has the wrong size");
  }
  const int stride = image.width * 3;
  if (!stbi_write_png(path.c_str(), image.width, image.height, 3, image.rgb.data(), stride)) {
    return eir::io_error("cannot write PNG '", path, "'");
  }
  return eir::Status::Ok();
}

}  // namespace eir_examples
