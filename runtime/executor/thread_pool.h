// A small fixed-size thread pool for data-parallel loops inside kernels. Workers sleep on a
// condition variable while idle (no busy spinning). parallel_for performs no heap allocation.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace eir {

class ThreadPool {
 public:
  // num_threads counts the calling thread: 1 means "run everything inline".
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(begin, end) over disjoint chunks covering [0, n). Chunks are at least `grain` long.
  // Blocks until all chunks are done. fn must be safe to call concurrently.
  template <class Fn>
  void parallel_for(size_t n, size_t grain, Fn&& fn) {
    if (n == 0) return;
    using F = std::remove_reference_t<Fn>;
    run_chunks(n, grain, &invoke<F>, const_cast<void*>(static_cast<const void*>(&fn)));
  }

 private:
  using Trampoline = void (*)(void* fn, size_t begin, size_t end);
  template <class Fn>
  static void invoke(void* fn, size_t begin, size_t end) { (*static_cast<Fn*>(fn))(begin, end); }

  void run_chunks(size_t n, size_t grain, Trampoline tramp, void* fn);
  void worker_loop(int worker_index);
  void do_chunks();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  // Current job (guarded by mu_ for publication; chunk claiming is by next_chunk_ under mu_).
  Trampoline tramp_ = nullptr;
  void* fn_ = nullptr;
  size_t n_ = 0, chunk_ = 0, num_chunks_ = 0, next_chunk_ = 0, chunks_done_ = 0;
  unsigned generation_ = 0;
  bool stop_ = false;
};

}  // namespace eir
