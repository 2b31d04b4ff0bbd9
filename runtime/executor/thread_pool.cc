#include "runtime/executor/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace eir {

namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// Polls `ready` for up to `nanos`; true as soon as it holds. Between short bursts of polling it
// yields the core: the scheduler sometimes queues the caller and a worker on the same core, and
// a poller that never yields would then keep the other thread from running at all.
template <class Ready>
bool spin_until(Ready ready, int64_t nanos) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(nanos);
  for (;;) {
    for (int i = 0; i < 16; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return ready();
    std::this_thread::yield();
  }
}

}  // namespace

ThreadPool::ThreadPool(int num_threads) {
  num_threads = std::min(num_threads, kMaxThreads);
  for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run_chunks(size_t n, size_t grain, Trampoline tramp, void* fn) {
  grain = std::max<size_t>(grain, 1);
  const size_t threads = static_cast<size_t>(num_threads());
  // A few chunks per thread balances uneven chunks without much claiming overhead.
  const size_t target_chunks = threads == 1 ? 1 : threads * 4;
  const size_t chunk = std::max(grain, (n + target_chunks - 1) / target_chunks);
  const size_t num_chunks = (n + chunk - 1) / chunk;  // <= 4 * kMaxThreads: fits 16 bits
  if (threads == 1 || num_chunks == 1) {
    tramp(fn, 0, n);
    return;
  }
  // The previous job is complete (its caller waited for every chunk), so no one reads these now.
  tramp_ = tramp;
  fn_ = fn;
  n_ = n;
  chunk_ = chunk;
  chunks_done_.store(0, std::memory_order_relaxed);
  const uint32_t job = job_.load(std::memory_order_relaxed) + 1;
  claim_.store(static_cast<uint64_t>(job) << 32 | static_cast<uint64_t>(num_chunks) << 16, std::memory_order_release);
  job_.store(job, std::memory_order_seq_cst);
  // A worker that registered as a sleeper before the store above either sees the new job when it
  // re-checks under mu_, or is already waiting and gets this notification.
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    work_cv_.notify_all();
  }
  do_chunks(job);
  // The remaining chunks are running on workers: wait for them. Yield early and often: a worker
  // the scheduler queued behind this thread on the same core only runs when this thread lets it.
  const uint32_t total = static_cast<uint32_t>(num_chunks);
  auto all_done = [&] { return chunks_done_.load(std::memory_order_acquire) == total; };
  while (!spin_until(all_done, kCallerSpinNanos)) std::this_thread::yield();
}

void ThreadPool::do_chunks(uint32_t job) {
  uint64_t c = claim_.load(std::memory_order_acquire);
  for (;;) {
    if (static_cast<uint32_t>(c >> 32) != job) return;  // a newer job (ours is long finished)
    const uint32_t index = static_cast<uint32_t>(c & 0xffff), count = static_cast<uint32_t>((c >> 16) & 0xffff);
    if (index >= count) return;
    if (!claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
    const size_t begin = static_cast<size_t>(index) * chunk_;
    tramp_(fn_, begin, std::min(n_, begin + chunk_));
    chunks_done_.fetch_add(1, std::memory_order_release);
    c = claim_.load(std::memory_order_acquire);
  }
}

void ThreadPool::worker_loop() {
  // Not job_'s current value: a job published before this thread got to run must still count as
  // news (do_chunks finds nothing to do if it is already finished).
  uint32_t seen = 0;
  for (;;) {
    auto has_news = [&] { return stop_.load(std::memory_order_acquire) || job_.load(std::memory_order_acquire) != seen; };
    if (!spin_until(has_news, kSpinNanos)) {
      std::unique_lock<std::mutex> lock(mu_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      work_cv_.wait(lock, [&] {
        return stop_.load(std::memory_order_seq_cst) || job_.load(std::memory_order_seq_cst) != seen;
      });
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    seen = job_.load(std::memory_order_acquire);
    do_chunks(seen);
  }
}

}  // namespace eir
