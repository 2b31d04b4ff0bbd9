#include "runtime/executor/thread_pool.h"

#include <algorithm>

namespace eir {

ThreadPool::ThreadPool(int num_threads) {
  for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run_chunks(size_t n, size_t grain, Trampoline tramp, void* fn) {
  grain = std::max<size_t>(grain, 1);
  size_t threads = static_cast<size_t>(num_threads());
  // A few chunks per thread balances uneven chunks without much claiming overhead.
  size_t target_chunks = threads == 1 ? 1 : threads * 4;
  size_t chunk = std::max(grain, (n + target_chunks - 1) / target_chunks);
  size_t num_chunks = (n + chunk - 1) / chunk;
  if (threads == 1 || num_chunks == 1) {
    tramp(fn, 0, n);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    tramp_ = tramp;
    fn_ = fn;
    n_ = n;
    chunk_ = chunk;
    num_chunks_ = num_chunks;
    next_chunk_ = 0;
    chunks_done_ = 0;
    ++generation_;
  }
  work_cv_.notify_all();
  do_chunks();
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return chunks_done_ == num_chunks_; });
  tramp_ = nullptr;
}

void ThreadPool::do_chunks() {
  for (;;) {
    size_t c;
    Trampoline tramp;
    void* fn;
    size_t begin, end;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (tramp_ == nullptr || next_chunk_ >= num_chunks_) return;
      c = next_chunk_++;
      tramp = tramp_;
      fn = fn_;
      begin = c * chunk_;
      end = std::min(n_, begin + chunk_);
    }
    tramp(fn, begin, end);
    bool last;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last = ++chunks_done_ == num_chunks_;
    }
    if (last) done_cv_.notify_all();
  }
}

void ThreadPool::worker_loop(int) {
  unsigned seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    do_chunks();
  }
}

}  // namespace eir
