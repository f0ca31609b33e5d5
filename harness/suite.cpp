// harness/suite.cpp -- acceptance criteria, the verdict and the worst row (suite.hpp): one rule for
// every kind.
#include "harness/suite.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace collapse::harness {

bool criterion::met() const {
  switch (sense) {
    case bound::abs_at_most: return std::fabs(value) <= limit;
    case bound::at_most: return value <= limit;
    case bound::at_least: return value >= limit;
    case bound::factor_at_most: return value >= 1 && value <= limit;
  }
  return false;
}

double criterion::used() const {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!std::isfinite(value) || !std::isfinite(limit)) return inf;
  double u = inf;
  switch (sense) {
    case bound::abs_at_most: u = limit > 0 ? std::fabs(value) / limit : (value == 0 ? 0 : inf); break;
    case bound::at_most: u = limit > 0 ? value / limit : (value <= 0 ? 0 : inf); break;
    case bound::at_least: u = value > 0 ? limit / value : (limit <= 0 ? 0 : inf); break;
    case bound::factor_at_most: u = limit > 1 ? std::log(value) / std::log(limit) : (value == 1 ? 0 : inf); break;
  }
  return std::isnan(u) ? inf : u;
}

std::string criterion::rule_text() const {
  switch (sense) {
    case bound::abs_at_most: return fmt::format("|{}| <= {:.3g}", statistic, limit);
    case bound::at_most: return fmt::format("{} <= {:.3g}", statistic, limit);
    case bound::at_least: return fmt::format("{} >= {:.3g}", statistic, limit);
    case bound::factor_at_most: return fmt::format("{} <= {:.3g}", statistic, limit);
  }
  return statistic;
}

bool judge(const check_row& r) {
  if (r.criteria.empty()) return false;
  for (const auto& c : r.criteria)
    if (!c.met()) return false;
  return true;
}

double used(const check_row& r) {
  double u = r.criteria.empty() ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  for (const auto& c : r.criteria) u = std::max(u, c.used());
  return u;
}

const criterion& binding(const check_row& r) {
  static const criterion none{"(no criterion)", 0, 0, criterion::bound::at_most};
  const criterion* b = r.criteria.empty() ? &none : &r.criteria.front();
  for (const auto& c : r.criteria)
    if (c.used() > b->used()) b = &c;
  return *b;
}

void summarise(suite_result& res) {
  res.pass = !res.rows.empty();
  const check_row* worst = nullptr;
  for (const auto& r : res.rows) {
    res.pass = res.pass && r.pass;
    if (!worst || used(r) > used(*worst)) worst = &r;
  }
  res.used = worst ? used(*worst) : std::numeric_limits<double>::infinity();
  res.worst_key = worst ? worst->key : "";
  if (worst) {
    const auto& b = binding(*worst);
    res.worst = fmt::format("{} = {:.3g} ({}) at {}", b.statistic, b.value, b.rule_text(), worst->key);
  } else {
    res.worst = "(no rows)";
  }
}

std::uint64_t block_seed(std::uint64_t run_seed, long seed_offset, long block) {
  auto mix = [](std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  return mix(run_seed ^ mix(static_cast<std::uint64_t>(seed_offset) * 1000003ULL + static_cast<std::uint64_t>(block)));
}

}  // namespace collapse::harness
