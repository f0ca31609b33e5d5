// parallel/shard.cpp -- see shard.hpp.
#include "parallel/shard.hpp"

#include "harness/runner.hpp"
#include "report/output.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace collapse::parallel {

using json = nlohmann::json;

shard_spec parse_shard(const std::string& option, const std::string& text) {
  const auto slash = text.find('/');
  auto number = [&](const std::string& s) -> std::uint64_t {
    if (s.empty() || s.size() > 7 || s.find_first_not_of("0123456789") != std::string::npos) return 0;
    return std::stoull(s);
  };
  shard_spec s;
  if (slash != std::string::npos) s = {number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (s.index < 1 || s.count < 1 || s.index > s.count || s.count > 1000000)
    throw domain_error(option, text, "I/N with integers 1 <= I <= N <= 1000000", "shard I of N jobs");
  return s;
}

std::pair<std::uint64_t, std::uint64_t> shard_trials(const shard_spec& s, std::uint64_t trials) {
  const std::uint64_t i = s.index - 1, n = s.count;
  // floor(trials·i/n) without overflow for trials up to 1e12 and n up to 1e6
  auto edge = [&](std::uint64_t k) { return trials / n * k + trials % n * k / n; };
  // decided on N alone, not on I: every shard of a run is refused alike, so no shard of a run that can
  // never be merged is written
  if (n > trials)
    throw domain_error("--shard", fmt::format("{}/{}", s.index, s.count), fmt::format("N <= trials = {}", trials),
                       "every shard must hold at least one trial");
  return {edge(i), edge(i + 1) - edge(i)};
}

std::string build_id() {
  static const std::string id = [] {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return "collapse 0.1.0 fnv1a64:" + harness::fnv1a_hex(bytes.str());
  }();
  return id;
}

namespace {
/// The checksum of a simulate shard's values: FNV-1a of their JSON text (shortest round-trip doubles, so
/// the text read back hashes the same), as verify shards carry one per row.
std::string values_checksum(const std::vector<double>& values) { return harness::fnv1a_hex(json(values).dump()); }
}  // namespace

std::string file_fingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return "fnv1a64:" + harness::fnv1a_hex(bytes.str());
}

void write_shard(const std::string& path, const shard& s) {
  json j;
  j["format"] = "collapse-shard";
  j["format_version"] = 1;
  j["run"] = s.run;
  j["shard"] = s.spec.index;
  j["shards"] = s.spec.count;
  j["threads"] = s.threads;
  j["elapsed_seconds"] = s.table.elapsed_seconds;
  if (s.run.value("command", "") == "verify") {
    json rows = json::object();
    for (const auto& [suite, by_key] : s.rows.rows) {
      json& list = rows[suite] = json::array();
      for (const auto& [key, row] : by_key) list.push_back(harness::row_to_json(row));
    }
    j["rows"] = rows;
    j["seconds"] = s.rows.seconds;
    json parts = json::object();  // the trial ranges of shared simulations (harness/trial_parts.hpp)
    for (const auto& [suite, units] : s.rows.parts)
      for (const auto& [unit, set] : units)
        for (const auto& [first, part] : set) {
          json values = part.values;
          parts[suite][unit].push_back({{"first", part.first}, {"count", part.count}, {"checksum", harness::fnv1a_hex(values.dump())}, {"values", values}});
        }
    j["parts"] = parts;
  } else {
    j["first_trial"] = s.first_trial;
    j["trials"] = s.table.trials;
    j["columns"] = s.table.layout.columns;
    j["values"] = s.table.values;
    j["values_fnv1a64"] = values_checksum(s.table.values);
  }
  report::write_file_atomic(path, j.dump() + "\n");
}

shard read_shard(const std::string& path) {
  auto bad = [&](const std::string& why) { return domain_error("SHARD", path, "a shard file written by collapse simulate|verify --shard", why); };
  std::ifstream in(path);
  if (!in) throw bad("cannot be opened");
  json j;
  try {
    in >> j;
  } catch (const std::exception&) {
    throw bad("is not complete JSON");
  }
  shard s;
  s.path = path;
  try {
    if (j.at("format").get<std::string>() != "collapse-shard" || j.at("format_version").get<int>() != 1) throw bad("has another format");
    s.run = j.at("run");
    s.run.at("command").get<std::string>();  // the fingerprint's shape, checked here so that merge
    s.run.at("build").get<std::string>();    // never meets a library exception
    s.run.at("options").get<std::map<std::string, std::string>>();
    s.spec = {j.at("shard").get<std::uint64_t>(), j.at("shards").get<std::uint64_t>()};
    if (s.spec.index < 1 || s.spec.index > s.spec.count) throw bad(fmt::format("names shard {}/{}", s.spec.index, s.spec.count));
    s.threads = j.at("threads").get<unsigned>();
    s.table.elapsed_seconds = j.at("elapsed_seconds").get<double>();
    if (s.run.at("command").get<std::string>() == "verify") {
      for (const auto& [suite, list] : j.at("rows").items())
        for (const auto& row : list.get<std::vector<json>>()) {
          if (const std::string defect = harness::row_defect(row); !defect.empty())
            throw bad("holds row '" + row.value("key", std::string("?")) + "' of " + suite + " that " + defect);
          const harness::check_row r = harness::row_from_json(row);
          s.rows.rows[suite][r.key] = r;
        }
      s.rows.seconds = j.at("seconds").get<std::map<std::string, double>>();
      const json parts = j.value("parts", json::object());  // (a local: items() refers to it)
      for (const auto& [suite, units] : parts.items())
        for (const auto& [unit, list] : units.items())
          for (const auto& p : list) {
            if (harness::fnv1a_hex(p.at("values").dump()) != p.at("checksum").get<std::string>())
              throw bad(fmt::format("holds trials {}.. of a simulation of {} that do not match their checksum", p.at("first").get<std::uint64_t>(), suite));
            harness::trial_part part{p.at("first").get<std::uint64_t>(), p.at("count").get<std::uint64_t>(), p.at("values").get<std::vector<double>>()};
            s.rows.parts[suite][unit][part.first] = std::move(part);
          }
      return s;
    }
    s.first_trial = j.at("first_trial").get<std::uint64_t>();
    s.table.trials = j.at("trials").get<std::uint64_t>();
    s.table.layout.columns = j.at("columns").get<std::size_t>();
    s.table.values = j.at("values").get<std::vector<double>>();
    if (j.at("values_fnv1a64").get<std::string>() != values_checksum(s.table.values))
      throw bad("fails its checksum: its values were changed after it was written");
  } catch (const domain_error&) {
    throw;
  } catch (const std::exception&) {
    throw bad("lacks a field or has one of the wrong type");
  }
  if (!std::isfinite(s.table.elapsed_seconds) || s.table.elapsed_seconds < 0)
    throw bad(fmt::format("holds elapsed_seconds = {}, not a finite time >= 0", s.table.elapsed_seconds));
  for (std::size_t i = 0; i < s.table.values.size(); ++i)  // squared errors and traces: finite and >= 0
    if (!std::isfinite(s.table.values[i]) || s.table.values[i] < 0)
      throw bad(fmt::format("holds value {} = {} (trial-major), not a finite value >= 0", i, s.table.values[i]));
  if (s.table.values.size() != s.table.trials * s.table.layout.columns)
    throw bad(fmt::format("holds {} values, not trials x columns = {} x {}", s.table.values.size(), s.table.trials, s.table.layout.columns));
  return s;
}

namespace {
/// The first field in which two fingerprints differ ("options.seed: 1 vs 2"), for the refusal message.
std::string first_difference(const json& a, const json& b, const std::string& where = "") {
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) {
      const std::string here = where.empty() ? k : where + "." + k;
      if (!b.contains(k)) return here + ": missing in one";
      if (v != b.at(k)) return first_difference(v, b.at(k), here);
    }
    for (const auto& [k, v] : b.items())
      if (!a.contains(k)) return (where.empty() ? k : where + "." + k) + ": missing in one";
  }
  return where + ": " + a.dump() + " vs " + b.dump();
}

/// Shards 1..N of one run, each once: the shards by index. Throws domain_error naming SHARD.
std::map<std::uint64_t, const shard*> one_run(const std::vector<shard>& shards) {
  if (shards.empty()) throw domain_error("SHARD", "(none)", "one or more shard files", "nothing to merge");
  const shard& ref = shards.front();
  std::map<std::uint64_t, const shard*> by_index;
  for (const auto& s : shards) {
    if (s.run != ref.run)
      throw domain_error("SHARD", s.path, "shards of one run (same command, options, seed and build as " + ref.path + ")",
                         "it differs in " + first_difference(ref.run, s.run));
    if (s.spec.count != ref.spec.count)
      throw domain_error("SHARD", s.path, fmt::format("a shard of {} (as {})", ref.spec.count, ref.path),
                         fmt::format("it is shard {}/{}", s.spec.index, s.spec.count));
    if (auto [it, fresh] = by_index.emplace(s.spec.index, &s); !fresh)
      throw domain_error("SHARD", s.path, "each shard once", fmt::format("shard {}/{} is also {}", s.spec.index, s.spec.count, it->second->path));
  }
  std::string missing;
  for (std::uint64_t i = 1; i <= ref.spec.count; ++i)
    if (!by_index.count(i)) missing += (missing.empty() ? "" : ", ") + fmt::format("{}/{}", i, ref.spec.count);
  if (!missing.empty())
    throw domain_error("SHARD", ref.path + " ...", fmt::format("all {} shards of the run", ref.spec.count), "missing " + missing);
  return by_index;
}
}  // namespace

numerics::trial_table merge_tables(std::vector<shard> shards, std::uint64_t total_trials) {
  const auto by_index = one_run(shards);
  const shard& ref = shards.front();
  for (const auto& s : shards) {
    const auto [first, count] = shard_trials(s.spec, total_trials);
    if (s.first_trial != first || s.table.trials != count || s.table.layout.columns != ref.table.layout.columns)
      throw domain_error("SHARD", s.path, fmt::format("trials {}..{} of shard {}/{}", first, first + count - 1, s.spec.index, s.spec.count),
                         "its trial range does not match the run");
  }
  numerics::trial_table out;
  out.layout = ref.table.layout;
  out.values.reserve(total_trials * out.layout.columns);
  for (const auto& [i, s] : by_index) {
    out.values.insert(out.values.end(), s->table.values.begin(), s->table.values.end());
    out.trials += s->table.trials;
    out.elapsed_seconds += s->table.elapsed_seconds;
  }
  return out;
}

harness::computed_rows merge_rows(const std::vector<shard>& shards) {
  harness::computed_rows out;
  for (const auto& [i, s] : one_run(shards)) {
    for (const auto& [suite, by_key] : s->rows.rows)
      for (const auto& [key, row] : by_key)
        if (auto [it, fresh] = out.rows[suite].emplace(key, row); !fresh && harness::row_to_json(it->second) != harness::row_to_json(row))
          throw domain_error("SHARD", s->path, "shards whose common rows agree",
                             "row '" + key + "' of " + suite + " differs from another shard's (the run is not reproducible?)");
    for (const auto& [suite, seconds] : s->rows.seconds) out.seconds[suite] += seconds;
    for (const auto& [suite, units] : s->rows.parts)
      for (const auto& [unit, set] : units) out.parts[suite][unit].insert(set.begin(), set.end());  // disjoint by construction
  }
  return out;
}

}  // namespace collapse::parallel
