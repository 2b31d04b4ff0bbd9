// Shared by the libFuzzer targets: hands the input to eir in a way that lets ASan see over-reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace eir_fuzz {

// The input copied into a 16-byte-aligned block of exactly `size` bytes. eir borrows aligned
// buffers as they are (an unaligned one would be copied into a padded block, hiding small
// over-reads from ASan), so any read past the end of the model is reported.
class ExactCopy {
 public:
  ExactCopy(const uint8_t* data, size_t size) : size_(size) {
    if (size == 0) return;
    if (posix_memalign(&block_, 16, size) != 0) block_ = nullptr;
    if (block_) std::memcpy(block_, data, size);
  }
  ~ExactCopy() { std::free(block_); }
  ExactCopy(const ExactCopy&) = delete;
  ExactCopy& operator=(const ExactCopy&) = delete;
  const void* data() const { return block_; }
  size_t size() const { return block_ ? size_ : 0; }

 private:
  void* block_ = nullptr;
  size_t size_ = 0;
};

}  // namespace eir_fuzz
