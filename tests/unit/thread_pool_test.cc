// ThreadPool: every index is visited exactly once, for any size, grain and thread count, over
// many back-to-back loops (the case the spin-then-sleep hand-off is built for), after the workers
// have gone to sleep, and from pools on several threads at once. Tagged [concurrency] so that the
// TSan build (scripts/sanitize.sh tsan) runs it.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "runtime/executor/thread_pool.h"

namespace eir::testing {
namespace {

// Runs one parallel_for over [0, n) and checks that each index was visited exactly once, by
// chunks of at least `grain` (except the last).
void check_cover(ThreadPool& pool, size_t n, size_t grain) {
  std::vector<std::atomic<int>> hits(n);
  for (auto& h : hits) h.store(0);
  std::atomic<bool> short_chunk{false};
  pool.parallel_for(n, grain, [&](size_t begin, size_t end) {
    if (end - begin < grain && end != n) short_chunk = true;
    for (size_t i = begin; i < end; ++i) hits[i].fetch_add(1);
  });
  size_t wrong = 0;
  for (size_t i = 0; i < n; ++i) wrong += hits[i].load() != 1;
  CHECK(wrong == 0);
  CHECK_FALSE(short_chunk.load());
}

TEST_CASE("thread pool covers every index exactly once", "[threads][concurrency]") {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    CHECK(pool.num_threads() == threads);
    for (size_t n : {1, 2, 7, 64, 1000, 4097})
      for (size_t grain : {1, 3, 100}) {
        INFO("threads " << threads << " n " << n << " grain " << grain);
        check_cover(pool, n, grain);
      }
    pool.parallel_for(0, 1, [](size_t, size_t) { FAIL("called for an empty range"); });
  }
}

TEST_CASE("thread pool survives many back-to-back loops", "[threads][concurrency]") {
  ThreadPool pool(4);
  std::atomic<long> sum{0};
  const int loops = 20000;
  for (int r = 0; r < loops; ++r)
    pool.parallel_for(16, 1, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) sum.fetch_add(static_cast<long>(i));
    });
  CHECK(sum.load() == 120L * loops);  // 0 + 1 + ... + 15 per loop
}

TEST_CASE("thread pool wakes workers that went to sleep", "[threads][concurrency]") {
  ThreadPool pool(2);
  check_cover(pool, 100, 1);
  // Longer than the spin window: the worker is asleep on the condition variable now.
  std::this_thread::sleep_for(std::chrono::nanoseconds(5 * ThreadPool::kSpinNanos));
  std::atomic<bool> seen_other{false};
  const auto caller = std::this_thread::get_id();
  pool.parallel_for(8, 1, [&](size_t, size_t) {
    if (std::this_thread::get_id() != caller) {
      seen_other = true;
      return;
    }
    // The caller's chunks wait (up to a generous bound, so a broken wake-up fails instead of
    // hanging) for the woken worker to take one: no timing assumption on a loaded machine.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!seen_other.load() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
  });
  CHECK(seen_other.load());
  check_cover(pool, 1000, 1);
}

TEST_CASE("separate pools run concurrently from several threads", "[threads][concurrency]") {
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 3; ++t) {
    callers.emplace_back([&failures] {
      ThreadPool pool(2);
      for (int r = 0; r < 500; ++r) {
        std::vector<int> out(257, 0);
        pool.parallel_for(out.size(), 4, [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) out[i] += static_cast<int>(i);
        });
        for (size_t i = 0; i < out.size(); ++i)
          if (out[i] != static_cast<int>(i)) failures.fetch_add(1);
      }
    });
  }
  for (auto& c : callers) c.join();
  CHECK(failures.load() == 0);
}

}  // namespace
}  // namespace eir::testing
