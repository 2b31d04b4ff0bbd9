// The arena planner: buffers alive at the same time never share bytes, dead buffers' memory is
// reused, offsets are aligned, and hostile sizes are errors instead of wrapped arithmetic.
#include <catch2/catch.hpp>

#include <limits>
#include <random>
#include <vector>

#include "runtime/planner/arena_planner.h"

using eir::BufferRequest;
using eir::plan_arena;

namespace {

bool lifetimes_overlap(const BufferRequest& a, const BufferRequest& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

// Brute force: every pair of simultaneously live, non-empty buffers occupies disjoint bytes, all
// offsets are aligned and every buffer lies inside the arena.
void verify_plan(const std::vector<BufferRequest>& reqs, const eir::ArenaPlan& plan, size_t alignment) {
  REQUIRE(plan.offsets.size() == reqs.size());
  for (size_t i = 0; i < reqs.size(); ++i) {
    INFO("buffer " << i << " offset " << plan.offsets[i] << " bytes " << reqs[i].bytes);
    CHECK(plan.offsets[i] % alignment == 0);
    CHECK(plan.offsets[i] + reqs[i].bytes <= plan.arena_bytes);
  }
  for (size_t i = 0; i < reqs.size(); ++i) {
    if (reqs[i].bytes == 0) continue;
    for (size_t j = i + 1; j < reqs.size(); ++j) {
      if (reqs[j].bytes == 0 || !lifetimes_overlap(reqs[i], reqs[j])) continue;
      const size_t a0 = plan.offsets[i], a1 = a0 + reqs[i].bytes;
      const size_t b0 = plan.offsets[j], b1 = b0 + reqs[j].bytes;
      INFO("buffers " << i << " [" << a0 << "," << a1 << ") life " << reqs[i].first_use << ".." << reqs[i].last_use
                      << " and " << j << " [" << b0 << "," << b1 << ") life " << reqs[j].first_use << ".."
                      << reqs[j].last_use);
      CHECK((a1 <= b0 || b1 <= a0));
    }
  }
}

}  // namespace

TEST_CASE("arena planner: sequential lifetimes reuse memory", "[planner]") {
  // A chain: each buffer lives from its producer to its consumer (like activations of a linear
  // network). Only two are ever alive together, so the arena is the two largest neighbours.
  std::vector<BufferRequest> reqs = {{1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, 4}, {1000, 4, 5}};
  auto plan = plan_arena(reqs, 64);
  REQUIRE(plan.ok());
  verify_plan(reqs, *plan, 64);
  CHECK(plan->arena_bytes == 2 * 1024);  // 1000 rounded up to 64 -> 1024, two live at a time
  // Buffers 0 and 2 never meet: the planner reuses the same bytes.
  CHECK(plan->offsets[0] == plan->offsets[2]);
}

TEST_CASE("arena planner: disjoint lifetimes share one slot", "[planner]") {
  std::vector<BufferRequest> reqs = {{256, 0, 0}, {128, 1, 1}, {256, 2, 2}, {64, 3, 3}};
  auto plan = plan_arena(reqs, 64);
  REQUIRE(plan.ok());
  verify_plan(reqs, *plan, 64);
  CHECK(plan->arena_bytes == 256);
  for (size_t off : plan->offsets) CHECK(off == 0);
}

TEST_CASE("arena planner: overlapping lifetimes never overlap in memory", "[planner]") {
  std::vector<BufferRequest> reqs = {{100, 0, 10}, {200, 0, 10}, {300, 0, 10}};
  auto plan = plan_arena(reqs, 64);
  REQUIRE(plan.ok());
  verify_plan(reqs, *plan, 64);
  CHECK(plan->arena_bytes == 128 + 256 + 320);
}

TEST_CASE("arena planner: a freed gap is reused by a later buffer that fits", "[planner]") {
  // b (live 0..1) dies; c (live 2..3) fits into b's hole while a (0..3) and d (2..3) stay live.
  std::vector<BufferRequest> reqs = {{512, 0, 3}, {256, 0, 1}, {256, 2, 3}, {512, 0, 3}};
  auto plan = plan_arena(reqs, 64);
  REQUIRE(plan.ok());
  verify_plan(reqs, *plan, 64);
  CHECK(plan->arena_bytes == 512 + 512 + 256);
}

TEST_CASE("arena planner: randomized lifetimes and sizes", "[planner]") {
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 300; ++trial) {
    const int steps = 1 + static_cast<int>(rng() % 40);
    const size_t n = rng() % 60;
    const size_t alignment = size_t{1} << (rng() % 8);  // 1 .. 128
    std::vector<BufferRequest> reqs(n);
    size_t sum_live_max = 0;
    for (auto& r : reqs) {
      switch (rng() % 4) {
        case 0: r.bytes = rng() % 8; break;           // tiny, often zero
        case 1: r.bytes = rng() % 4096; break;
        case 2: r.bytes = 64 * (1 + rng() % 64); break;  // already aligned
        default: r.bytes = rng() % 100000; break;
      }
      r.first_use = static_cast<int>(rng() % static_cast<unsigned>(steps));
      r.last_use = r.first_use + static_cast<int>(rng() % static_cast<unsigned>(steps - r.first_use));
    }
    // Lower bound: at each step, the aligned sizes of live buffers must all fit.
    for (int step = 0; step < steps; ++step) {
      size_t live = 0;
      for (const auto& r : reqs)
        if (r.first_use <= step && step <= r.last_use) live += (r.bytes + alignment - 1) / alignment * alignment;
      sum_live_max = std::max(sum_live_max, live);
    }
    size_t total = 0;
    for (const auto& r : reqs) total += (r.bytes + alignment - 1) / alignment * alignment;
    INFO("trial " << trial << " n " << n << " steps " << steps << " alignment " << alignment);
    auto plan = plan_arena(reqs, alignment);
    REQUIRE(plan.ok());
    verify_plan(reqs, *plan, alignment);
    CHECK(plan->arena_bytes >= sum_live_max);
    CHECK(plan->arena_bytes <= total);  // never worse than no reuse at all
  }
}

TEST_CASE("arena planner: zero-size buffers", "[planner]") {
  SECTION("only zero-size buffers need no arena") {
    std::vector<BufferRequest> reqs = {{0, 0, 5}, {0, 1, 2}};
    auto plan = plan_arena(reqs, 64);
    REQUIRE(plan.ok());
    CHECK(plan->arena_bytes == 0);
    REQUIRE(plan->offsets.size() == 2);
    for (size_t off : plan->offsets) CHECK(off == 0);
  }
  SECTION("zero-size buffers among others take no space") {
    std::vector<BufferRequest> reqs = {{0, 0, 5}, {128, 0, 5}, {0, 2, 3}, {64, 1, 4}};
    auto plan = plan_arena(reqs, 64);
    REQUIRE(plan.ok());
    verify_plan(reqs, *plan, 64);
    CHECK(plan->arena_bytes == 192);
  }
  SECTION("no buffers at all") {
    auto plan = plan_arena({}, 64);
    REQUIRE(plan.ok());
    CHECK(plan->arena_bytes == 0);
    CHECK(plan->offsets.empty());
  }
}

TEST_CASE("arena planner: sizes that overflow are errors", "[planner]") {
  const size_t kMax = std::numeric_limits<size_t>::max();
  SECTION("one buffer that overflows when aligned") {
    auto plan = plan_arena({{kMax - 10, 0, 0}}, 64);
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().code() == eir::StatusCode::kResourceExhausted);
    CHECK_THAT(plan.status().message(), Catch::Contains("buffer 0") && Catch::Contains("overflow"));
  }
  SECTION("two live buffers whose sum overflows") {
    auto plan = plan_arena({{kMax / 2 + 64, 0, 1}, {kMax / 2 + 64, 1, 2}}, 64);
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().code() == eir::StatusCode::kResourceExhausted);
    CHECK_THAT(plan.status().message(), Catch::Contains("overflow"));
  }
  SECTION("huge buffers with disjoint lifetimes do not overflow") {
    auto plan = plan_arena({{kMax / 2, 0, 0}, {kMax / 2, 1, 1}}, 64);
    REQUIRE(plan.ok());
    CHECK(plan->offsets[0] == 0);
    CHECK(plan->offsets[1] == 0);
  }
}

TEST_CASE("arena planner: invalid arguments", "[planner]") {
  SECTION("alignment not a power of two") {
    for (size_t a : {size_t{0}, size_t{3}, size_t{48}}) {
      auto plan = plan_arena({{64, 0, 0}}, a);
      REQUIRE_FALSE(plan.ok());
      CHECK_THAT(plan.status().message(), Catch::Contains("power of two"));
    }
  }
  SECTION("first use after last use") {
    auto plan = plan_arena({{64, 0, 0}, {64, 5, 2}}, 64);
    REQUIRE_FALSE(plan.ok());
    CHECK_THAT(plan.status().message(), Catch::Contains("buffer 1") && Catch::Contains("5") && Catch::Contains("2"));
  }
}
