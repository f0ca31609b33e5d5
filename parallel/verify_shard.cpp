// parallel/verify_shard.cpp -- see verify_shard.hpp.
#include "parallel/verify_shard.hpp"

#include "theory/errors.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ostream>

namespace collapse::parallel {

using json = nlohmann::json;

bool shard_share::open(bool ready, std::function<bool(const std::string&, const std::string&)>,
                       std::function<void(const std::string&, const std::string&)> on_row,
                       std::function<void(const std::string&, const std::string&, const harness::trial_part&)> on_part) {
  on_row_ = std::move(on_row);
  on_part_ = std::move(on_part);
  return ready;
}

long shard_share::take(const std::string& suite, const std::string& unit, long parts) {
  const std::uint64_t offset = std::stoull(unit, nullptr, 16) % spec_.count;
  for (long& p = next_[{suite, unit}]; p < parts;) {
    const long mine = p++;
    if ((static_cast<std::uint64_t>(mine) + offset) % spec_.count == spec_.index - 1) return mine;
  }
  return -1;
}

void shard_share::deliver_part(const std::string& suite, const std::string& unit, const harness::trial_part& part) {
  on_part_(suite, unit, part);
}

bool shard_share::claim(const std::string& suite, const std::string&) {
  const std::uint64_t offset = std::stoull(harness::fnv1a_hex(suite), nullptr, 16) % spec_.count;
  const std::uint64_t k = walked_[suite]++;
  return (k + offset) % spec_.count == spec_.index - 1;
}

void shard_share::deliver(const std::string& suite, const std::string& row_json) { on_row_(suite, row_json); }

json verify_fingerprint(const std::vector<harness::suite_file>& files, bool full, std::uint64_t seed) {
  std::map<std::string, std::string> options{{"full", full ? "true" : "false"}, {"seed", std::to_string(seed)}};
  std::string names;
  for (const auto& f : files) {
    names += (names.empty() ? "" : ",") + f.name;
    options["suite " + f.name] = harness::fnv1a_hex(f.text);
  }
  options["suites"] = names;
  return {{"command", "verify"}, {"options", options}, {"build", build_id()}};
}

std::size_t run_verify_shard(harness::run_options opt, const shard_spec& spec, const std::string& path, std::ostream& log) {
  const auto files = harness::select_suites(opt.suites_dir, opt.suites, opt.full);
  shard s;
  s.run = verify_fingerprint(files, opt.full, opt.seed);
  s.spec = spec;
  s.threads = static_cast<unsigned>(opt.threads);
  opt.suites.clear();  // the suites and their order, as in the fingerprint
  for (const auto& f : files) opt.suites.push_back(f.name);
  opt.sharing = std::make_shared<shard_share>(spec);
  const auto t0 = std::chrono::steady_clock::now();
  s.rows = harness::compute_share(opt, log);
  s.table.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_shard(path, s);
  std::size_t n = 0;
  for (const auto& [suite, rows] : s.rows.rows) n += rows.size();
  return n;
}

harness::run_options verify_merge_options(const std::vector<shard>& shards, const std::string& suites_dir) {
  const json& run = shards.front().run;
  const auto options = run.at("options").get<std::map<std::string, std::string>>();
  auto option = [&](const std::string& name) {
    auto it = options.find(name);
    if (it == options.end()) throw domain_error("SHARD", shards.front().path, "a verify shard naming its " + name, "the field is missing");
    return it->second;
  };
  harness::run_options opt;
  opt.suites_dir = suites_dir;
  opt.full = option("full") == "true";
  const std::string seed = option("seed");
  try {
    if (seed.empty() || seed.find_first_not_of("0123456789") != std::string::npos) throw std::invalid_argument(seed);
    opt.seed = std::stoull(seed);
  } catch (const std::exception&) {
    throw domain_error("SHARD", shards.front().path, "a verify shard with a seed 0..2^64-1", "its seed is '" + seed + "'");
  }
  opt.threads = static_cast<int>(shards.front().threads);
  for (std::size_t at = 0, comma = 0; at <= option("suites").size(); at = comma + 1) {
    comma = option("suites").find(',', at);
    if (comma == std::string::npos) comma = option("suites").size();
    opt.suites.push_back(option("suites").substr(at, comma - at));
  }
  auto computed = std::make_shared<harness::computed_rows>(merge_rows(shards));
  for (const auto& f : harness::select_suites(suites_dir, opt.suites, opt.full))
    if (const std::string hash = harness::fnv1a_hex(f.text); hash != option("suite " + f.name))
      throw domain_error("--suites-dir", suites_dir, "the suite files the shards were computed from",
                         fmt::format("{} differs from the shards' (FNV-1a {} vs {}); merge with the suites of the run", f.name, hash,
                                     option("suite " + f.name)));
  opt.computed = std::move(computed);
  return opt;
}

}  // namespace collapse::parallel
