// A small fixed-size thread pool for data-parallel loops inside kernels. parallel_for performs no
// heap allocation and no system call on its fast path.
//
// A model run is a sequence of short parallel loops (tens of microseconds each), so waking a
// sleeping thread for every loop (a futex round trip, often 10-50 us in a VM) would eat the
// speedup of a second core. Workers therefore spin, with a pause, for a bounded time (kSpinNanos)
// after each loop waiting for the next one, then sleep on a condition variable: a pool between
// runs goes quiet after that window and costs nothing while idle.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace eir {

class ThreadPool {
 public:
  // num_threads counts the calling thread: 1 means "run everything inline". At most kMaxThreads.
  explicit ThreadPool(int num_threads);
  static constexpr int kMaxThreads = 1024;
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(begin, end) over disjoint chunks covering [0, n). Chunks are at least `grain` long.
  // Blocks until all chunks are done. fn must be safe to call concurrently. Not reentrant: one
  // caller at a time (each Session owns its pool).
  template <class Fn>
  void parallel_for(size_t n, size_t grain, Fn&& fn) {
    if (n == 0) return;
    using F = std::remove_reference_t<Fn>;
    run_chunks(n, grain, &invoke<F>, const_cast<void*>(static_cast<const void*>(&fn)));
  }

  // How long an idle worker keeps polling for the next loop before it sleeps.
  static constexpr int64_t kSpinNanos = 100 * 1000;
  // How long the caller polls for the last chunks before each yield of its core.
  static constexpr int64_t kCallerSpinNanos = 2 * 1000;

 private:
  using Trampoline = void (*)(void* fn, size_t begin, size_t end);
  template <class Fn>
  static void invoke(void* fn, size_t begin, size_t end) { (*static_cast<Fn*>(fn))(begin, end); }

  void run_chunks(size_t n, size_t grain, Trampoline tramp, void* fn);
  void worker_loop();
  // Claims and runs chunks of job `job` until none is left (or a newer job replaced it).
  void do_chunks(uint32_t job);

  std::vector<std::thread> workers_;

  // The current job. Written by the caller before it publishes the job (release store of
  // claim_), read only by whoever has claimed a chunk of it (so the job is not finished and the
  // caller does not rewrite them yet).
  Trampoline tramp_ = nullptr;
  void* fn_ = nullptr;
  size_t n_ = 0, chunk_ = 0;
  // Bits 63..32: the job number; 31..16: its chunk count; 15..0: the next chunk to claim. Every
  // claiming decision comes from one load of this word: a worker still holding an older job
  // number fails its compare-exchange and never runs a chunk of a job it did not read.
  std::atomic<uint64_t> claim_{0};
  std::atomic<uint32_t> chunks_done_{0};
  std::atomic<uint32_t> job_{0};  // the latest published job number (what workers wait on)

  // Sleeping workers.
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace eir
