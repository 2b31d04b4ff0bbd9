#include "runtime/model/model_data.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace eir {

ModelData::~ModelData() {
  if (mapped_) munmap(const_cast<uint8_t*>(data_), size_);
  std::free(owned_);
}

Result<std::shared_ptr<ModelData>> ModelData::map_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open model file '", path, "': ", std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io_error("cannot stat model file '", path, "': ", std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return io_error("model path '", path, "' is not a regular file");
  }
  if (st.st_size == 0) {
    ::close(fd);
    return invalid_model("model file '", path, "' is empty");
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int err = errno;
  ::close(fd);  // the mapping stays valid
  if (p == MAP_FAILED) return io_error("cannot mmap model file '", path, "': ", std::strerror(err));
  std::shared_ptr<ModelData> m(new ModelData());
  m->data_ = static_cast<const uint8_t*>(p);
  m->size_ = size;
  m->mapped_ = true;
  return m;
}

Result<std::shared_ptr<ModelData>> ModelData::borrow(const void* data, size_t size) {
  if (data == nullptr) return invalid_argument("model buffer is null");
  if (size == 0) return invalid_argument("model buffer is empty (size 0)");
  if (reinterpret_cast<uintptr_t>(data) % 16 != 0) return copy(data, size);
  std::shared_ptr<ModelData> m(new ModelData());
  m->data_ = static_cast<const uint8_t*>(data);
  m->size_ = size;
  return m;
}

Result<std::shared_ptr<ModelData>> ModelData::copy(const void* data, size_t size) {
  if (data == nullptr) return invalid_argument("model buffer is null");
  if (size == 0) return invalid_argument("model buffer is empty (size 0)");
  size_t rounded = (size + 63) & ~size_t{63};
  void* block = std::aligned_alloc(64, rounded);
  if (!block) return resource_exhausted("cannot allocate ", size, " bytes for the model copy");
  std::memcpy(block, data, size);
  std::shared_ptr<ModelData> m(new ModelData());
  m->data_ = static_cast<const uint8_t*>(block);
  m->size_ = size;
  m->owned_ = block;
  return m;
}

}  // namespace eir
