// harness/runner.cpp -- see runner.hpp.
#include "harness/runner.hpp"

#include "report/gnuplot.hpp"
#include "report/output.hpp"
#include "report/table.hpp"
#include "harness/data_dir.hpp"
#include "harness/figures.hpp"
#include "harness/progress.hpp"

#include "theory/errors.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace collapse::harness {

using report::md_escape;


using json = nlohmann::json;
namespace fs = std::filesystem;

std::string default_suites_dir() { return data_dir() + "/suites"; }
std::string default_golden_dir() { return data_dir() + "/golden"; }

std::string fnv1a_hex(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

// ---- rows as JSON --------------------------------------------------------------------------------------

namespace {
json num(double x) {
  if (std::isfinite(x)) return x;
  return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
}
double num_of(const json& j) {
  if (j.is_number()) return j.get<double>();
  std::string s = j.get<std::string>();
  return s == "inf" ? INFINITY : s == "-inf" ? -INFINITY : NAN;
}
}  // namespace

namespace {
const char* bound_name(criterion::bound b) {
  switch (b) {
    case criterion::bound::abs_at_most: return "abs_at_most";
    case criterion::bound::at_most: return "at_most";
    case criterion::bound::at_least: return "at_least";
    case criterion::bound::factor_at_most: return "factor_at_most";
  }
  return "?";
}
criterion::bound bound_of(const std::string& s) {
  for (auto b : {criterion::bound::abs_at_most, criterion::bound::at_most, criterion::bound::at_least, criterion::bound::factor_at_most})
    if (s == bound_name(b)) return b;
  throw std::runtime_error("unknown bound '" + s + "'");
}
json row_content(const check_row& r) {
  json crit = json::array();
  for (const auto& c : r.criteria)
    crit.push_back({{"statistic", c.statistic}, {"value", num(c.value)}, {"limit", num(c.limit)}, {"bound", bound_name(c.sense)}});
  return {{"key", r.key},   {"params", r.params}, {"theory", r.theory},           {"theory_value", num(r.theory_value)},
          {"observed", num(r.observed)}, {"se", num(r.se)}, {"discrepancy", num(r.discrepancy)}, {"units", r.units},
          {"criteria", crit}, {"used", num(used(r))}, {"pass", r.pass}, {"note", r.note}};
}
}  // namespace

json row_to_json(const check_row& r) {
  json j = row_content(r);
  j["checksum"] = fnv1a_hex(j.dump());
  return j;
}

check_row row_from_json(const json& j) {
  check_row r;
  r.key = j.at("key").get<std::string>();
  r.params = j.at("params").get<std::map<std::string, std::string>>();
  r.theory = j.at("theory").get<std::string>();
  r.theory_value = num_of(j.at("theory_value"));
  r.observed = num_of(j.at("observed"));
  r.se = num_of(j.at("se"));
  r.discrepancy = num_of(j.at("discrepancy"));
  r.units = j.at("units").get<std::string>();
  for (const auto& c : j.at("criteria"))
    r.criteria.push_back({c.at("statistic").get<std::string>(), num_of(c.at("value")), num_of(c.at("limit")), bound_of(c.at("bound").get<std::string>())});
  r.pass = j.at("pass").get<bool>();
  r.note = j.at("note").get<std::string>();
  return r;
}

std::string row_defect(const json& j) {
  try {
    if (!j.contains("checksum")) return "has no checksum";
    json content = j;
    content.erase("checksum");
    if (fnv1a_hex(content.dump()) != j.at("checksum").get<std::string>()) return "does not match its checksum (edited or corrupt)";
    const check_row r = row_from_json(j);
    if (judge(r) != r.pass) return fmt::format("says pass = {}, but its criteria give {}", r.pass, judge(r));
    if (r.pass && !(std::isfinite(r.observed) && std::isfinite(r.se) && std::isfinite(r.theory_value) && std::isfinite(r.discrepancy)))
      return "passes with a non-finite number";
    if (row_content(r) != content) return "does not read back as written";
  } catch (const std::exception& e) {
    return std::string("is malformed (") + e.what() + ")";
  }
  return "";
}

// ---- checkpoints ---------------------------------------------------------------------------------------

checkpoint_store::checkpoint_store(const std::string& dir, const std::string& suite, const json& fingerprint, bool resume)
    : path_(dir + "/checkpoints/" + suite + ".json"), fingerprint_(fingerprint) {
  fs::create_directories(dir + "/checkpoints");
  if (!resume || !fs::exists(path_)) return;
  std::ifstream in(path_);
  json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw std::runtime_error(path_ + ": unreadable checkpoint (" + e.what() + "); rerun without --resume");
  }
  if (j.value("fingerprint", json()) != fingerprint_)
    throw domain_error("--resume", path_,
                       "a checkpoint made by the same suite file, --seed and --full (found " + j.value("fingerprint", json()).dump() +
                           ", this run is " + fingerprint_.dump() + ")",
                       "rerun without --resume to start afresh");
  for (const auto& r : j.at("rows")) {
    const std::string defect = row_defect(r);
    if (!defect.empty())
      throw domain_error("--resume", path_, "checkpoint rows as collapse verify wrote them",
                         "row '" + r.value("key", std::string("?")) + "' " + defect + "; rerun without --resume");
    rows_.push_back(row_from_json(r));
  }
}

std::vector<std::string> checkpoint_store::keys() const {
  std::vector<std::string> out;
  for (const auto& r : rows_) out.push_back(r.key);
  return out;
}

std::optional<check_row> checkpoint_store::cached(const std::string& key) const {
  for (const auto& r : rows_)
    if (r.key == key) {
      ++reused_;
      return r;
    }
  return std::nullopt;
}

void checkpoint_store::store(const check_row& row) {
  bool replaced = false;
  for (auto& r : rows_)
    if (r.key == row.key) {
      r = row;
      replaced = true;
    }
  if (!replaced) rows_.push_back(row);
  json rows = json::array();
  for (const auto& r : rows_) rows.push_back(row_to_json(r));
  report::write_file_atomic(path_, json{{"fingerprint", fingerprint_}, {"rows", rows}}.dump(1) + "\n");
}

// ---- selection and running -----------------------------------------------------------------------------

namespace {

/// Reads the whole suite through its kind without computing anything: every value in its range, every
/// tolerance finite and in its range, no unknown key. Errors name FILE:LINE:COLUMN.
void check_suite(const suite_file& f, bool full) {
  const entries root = f.root();
  const std::string kind = root.text("kind");
  const suite_kind* k = nullptr;
  try {
    k = &find_suite_kind(kind);
  } catch (const suite_error&) {
    throw;
  } catch (const collapse::domain_error& e) {
    throw suite_error(root.where("kind"), "kind", "\"" + kind + "\"", e.valid_range());
  }
  suite_context ctx;
  ctx.full = full;
  ctx.check_only = true;
  k->run(root, ctx);
  root.text("run", "always");  // `run = "full"`: the suite runs only under --full or when named (select_suites)
  root.check_unknown();
}

/// DIR/.lock, held (flock) while a run writes into DIR; a run in another process is refused. Within one
/// process the lock is shared (a library caller may run suites and write the report in several calls).
std::shared_ptr<void> lock_report_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw domain_error("--report", dir, "a directory that can be created", ec ? ec.message() : "");
  static std::mutex m;
  static std::map<std::string, std::weak_ptr<void>> held;
  std::lock_guard<std::mutex> guard(m);
  const std::string key = fs::canonical(dir).string();
  if (auto mine = held[key].lock()) return mine;
  const std::string path = dir + "/.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw domain_error("--report", dir, "a writable directory", std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    throw domain_error("--report", dir, "a report directory no other collapse verify is writing",
                       fmt::format("it is locked by process {} ({}); wait for it or choose another DIR", n > 0 ? std::string(buf, n) : "?", path));
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) { /* the lock holds without the pid note */ }
  struct dir_lock {
    int fd;
    ~dir_lock() { ::close(fd); }
  };
  std::shared_ptr<void> lock = std::make_shared<dir_lock>(dir_lock{fd});
  held[key] = lock;
  return lock;
}

}  // namespace

std::vector<suite_file> select_suites(const std::string& dir, const std::vector<std::string>& names, bool full) {
  const auto files = list_suite_files(dir);
  if (files.empty()) throw domain_error("--suites-dir", dir, "a directory holding at least one *.toml suite file", "a run that checks nothing must not pass");
  std::vector<suite_file> out;
  if (names.empty()) {
    for (const auto& f : files) {
      auto s = load_suite_file(f);
      if (full || s.root().text("run", "always") != "full") out.push_back(std::move(s));  // krr-mnist: --full only
    }
  } else {
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& n = names[i];
      for (std::size_t j = 0; j < i; ++j)
        if (names[j] == n) throw domain_error("SUITE", n, "each suite named once", "it is named twice");
      std::string found;
      for (const auto& f : files)
        if (fs::path(f).stem().string() == n) found = f;
      if (found.empty()) {
        std::string known;
        for (const auto& f : files) known += (known.empty() ? "" : ", ") + fs::path(f).stem().string();
        throw domain_error("SUITE", n, "one of: " + known, "suites are the *.toml files of " + dir);
      }
      out.push_back(load_suite_file(found));
    }
  }
  for (const auto& f : out) check_suite(f, full);
  return out;
}

std::string used_text(double used) {
  if (!std::isfinite(used)) return "inf";
  if (used > 9.99) return ">999 %";
  return fmt::format("{:.0f} %", 100 * std::max(0.0, used));
}

namespace {

json checkpoint_fingerprint(const suite_file& f, const run_options& opt) {
  return json{{"suite_file", fnv1a_hex(f.text)}, {"seed", opt.seed}, {"full", opt.full}, {"checkpoint_format", 2}};
}

/// Issue 10: the rows of a run shared by several processes, as the root collects them.
struct shared_rows {
  std::map<std::string, std::map<std::string, check_row>> computed;         // suite -> key -> row, this run (or its shards)
  std::map<std::string, std::unique_ptr<checkpoint_store>> stores;          // suite -> its checkpoints (--report)
  std::map<std::string, std::set<std::string>> resumed;                     // suite -> keys checkpointed before the run
  std::map<std::string, double> seconds;                                    // suite -> the root's first-pass time
  std::map<std::string, std::map<std::string, part_set>> parts;             // suite -> simulation_key -> parts received
  std::mutex parts_mutex;                                                   // guards `parts` (filled on the serving thread)
  std::uint64_t own_parts = 0;                                              // parts this process computed (first pass)
};

/// Issue 10, a group of a kind that splits its trials, as one process walks it: its keys, and whether
/// every table it got was complete here (then its rows are real and delivered to the root).
struct entered_group {
  std::vector<std::string> keys;
  bool real = false;
};

/// Issue 10, first pass: the trials of `c` shared by the processes. Each takes parts until none is left,
/// computes them (numerics::run_trial_range) and sends them to the root. A process that holds every part
/// returns the real table; so does the root of an MPI run that computed at least one part, after
/// waiting for the others' parts (at most the time of one part: every part is taken already). Any other
/// process gets a placeholder table and `real` turns false.
numerics::trial_table shared_trials(row_sharing& sharing, shared_rows& rows, const std::string& suite, const numerics::simulation_config& c,
                                    double part_seconds, bool& real) {
  const long parts = parts_of(c, part_seconds);
  const std::string unit = simulation_key(c);
  part_set own;
  for (long p; (p = sharing.take(suite, unit, parts)) >= 0;) {
    const auto [first, count] = part_range(c.trials, parts, p);
    trial_part part{first, count, {}};
    try {
      part.values = numerics::run_trial_range(c, first, count).values;
    } catch (...) {
      // sent empty: whoever assembles the table computes this part again and reports the error there
    }
    sharing.deliver_part(suite, unit, part);
    own.emplace(first, std::move(part));
    ++rows.own_parts;
  }
  if (own.size() == static_cast<std::size_t>(parts)) return assemble_parts(c, own);
  if (sharing.gathers() && !own.empty()) {
    for (;;) {
      {
        std::lock_guard lock(rows.parts_mutex);
        const auto& got = rows.parts[suite][unit];
        if (got.size() >= static_cast<std::size_t>(parts)) return assemble_parts(c, got);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  real = false;
  return placeholder_table(c);
}

/// Issue 10, largest first: the order in which a process walks the suites in the first pass (the
/// second pass and the report keep the run's order). Suites of kinds whose groups are handed out whole
/// come first, then the suites whose simulations are split into trial ranges, which fill the gaps to
/// within one part; within each, the suites that took longest in the previous run into the same
/// --report DIR (its results.json, same --full) first, unknown ones before known ones, else in run order.
/// The order changes who computes what, never a number.
std::vector<std::size_t> walk_order(const std::vector<suite_file>& files, const run_options& opt) {
  std::map<std::string, double> before;
  try {
    std::ifstream in(opt.report_dir + "/results.json");
    if (!opt.report_dir.empty() && in) {
      const json j = json::parse(in);
      if (j.value("full", !opt.full) == opt.full)
        for (const auto& s : j.at("suites")) before[s.at("suite").get<std::string>()] = s.at("seconds").get<double>();
    }
  } catch (const std::exception&) {
    before.clear();  // an unreadable earlier report only loses the ordering
  }
  auto cost = [&](std::size_t i) {
    const auto it = before.find(files[i].name);
    return it == before.end() ? INFINITY : it->second;
  };
  auto split = [&](std::size_t i) {
    try {
      return find_suite_kind(files[i].root().text("kind")).splits_trials;
    } catch (const std::exception&) {
      return false;
    }
  };
  std::vector<std::size_t> order(files.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (split(a) != split(b)) return !split(a);
    return cost(a) > cost(b);
  });
  return order;
}

/// Issue 10, first pass of a shared run: every process walks every suite in order and computes the row
/// groups it claims first (row_sharing); the others' groups are placeholders (kinds/common.cpp). Every
/// computed row reaches the root (checkpointed there at once with --report). A kind that stumbles over
/// placeholders only stops this process's walk of that suite: the root's second pass computes whatever
/// is missing itself, so the result never depends on it.
/// `prepare`: the root's set-up (report directory, checkpoints), whose failure stops every rank.
/// `announce`: say on `log` how many processes share the run (not for a shard job, which is alone).
void share_rows(const run_options& opt, const std::vector<suite_file>& files, shared_rows& rows, std::ostream& log,
                const std::function<void()>& prepare = {}, bool announce = true) {
  row_sharing& sharing = *opt.sharing;
  const bool root = sharing.rank() == 0;
  std::exception_ptr failure;
  if (root) {
    try {
      if (prepare) prepare();
      for (const auto& f : files)
        if (!opt.report_dir.empty()) {
          auto& st = rows.stores[f.name];
          st = std::make_unique<checkpoint_store>(opt.report_dir, f.name, checkpoint_fingerprint(f, opt), opt.resume);
          for (const auto& key : st->keys()) rows.resumed[f.name].insert(key);
        }
    } catch (...) {
      failure = std::current_exception();
    }
  }
  const bool ready = sharing.open(!failure, [&rows](const std::string& suite, const std::string& key) { return rows.resumed[suite].count(key) > 0; },
               [&rows](const std::string& suite, const std::string& row_json) {
                 const json j = json::parse(row_json);
                 if (const std::string defect = row_defect(j); !defect.empty())
                   throw std::runtime_error("a row computed by another process " + defect);
                 const check_row r = row_from_json(j);
                 rows.computed[suite][r.key] = r;
                 if (auto st = rows.stores.find(suite); st != rows.stores.end()) st->second->store(r);
               },
               [&rows](const std::string& suite, const std::string& unit, const trial_part& part) {
                 std::lock_guard lock(rows.parts_mutex);
                 rows.parts[suite][unit][part.first] = part;
               });
  if (failure) std::rethrow_exception(failure);
  if (!ready) throw std::runtime_error("rank 0 of the MPI run could not start it");  // printed by nobody: rank 0 reports why
  if (root && announce)
    log << fmt::format("collapse verify: {} processes share {} suites (row groups, and the trials of large simulations in parts, "
                       "handed out by rank 0 to whoever asks first)\n",
                       sharing.size(), files.size()) << std::flush;
  for (const std::size_t i : walk_order(files, opt)) {
    const auto& f = files[i];
    const entries suite = f.root();
    suite_context ctx;
    ctx.seed = opt.seed;
    ctx.threads = opt.threads;
    ctx.full = opt.full;
    // only the rows of the groups this process claimed (or, for a kind that splits its trials, whose
    // tables were all complete here) are delivered: a kind also emits rows derived from the whole walk
    // (fits over d), which here rest on placeholders and are never read back
    auto mine = std::make_shared<std::set<std::string>>();
    auto group = std::make_shared<entered_group>();
    bool splits = false;
    try {
      splits = find_suite_kind(suite.text("kind")).splits_trials;
    } catch (const std::exception&) {
    }
    if (splits) {
      ctx.claim = [&sharing, group, name = f.name](const std::vector<std::string>& keys) {
        group->keys = keys;
        group->real = !sharing.finished(name, keys.at(0));
        return group->real;
      };
      ctx.trials = [&sharing, &rows, group, name = f.name, part_seconds = opt.part_seconds](const numerics::simulation_config& c) {
        return shared_trials(sharing, rows, name, c, part_seconds, group->real);
      };
    } else {
      ctx.claim = [&sharing, mine, name = f.name](const std::vector<std::string>& keys) {
        const bool claimed = sharing.claim(name, keys.at(0));
        if (claimed) mine->insert(keys.begin(), keys.end());
        return claimed;
      };
    }
    ctx.store = [&sharing, mine, group, name = f.name](const check_row& r) {
      if (mine->count(r.key) || (group->real && std::find(group->keys.begin(), group->keys.end(), r.key) != group->keys.end()))
        sharing.deliver(name, row_to_json(r).dump());
    };
    const auto t0 = std::chrono::steady_clock::now();
    if (root) {
      const std::string prefix = fmt::format("[{}/{}] {}", i + 1, files.size(), f.name);
      ctx.progress = [&log, prefix, t0](const std::string& line) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        log << fmt::format("{} +{:.1f}s: {}\n", prefix, s, line) << std::flush;
      };
    }
    try {
      find_suite_kind(suite.text("kind")).run(suite, ctx);
    } catch (const std::exception&) {
      // see above: the root's second pass computes what this walk left out, and reports a real error
    }
    if (root) rows.seconds[f.name] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  sharing.close();
  std::uint64_t units = 0, parts = 0;
  for (const auto& [suite, by_unit] : rows.parts)
    for (const auto& [unit, set] : by_unit) {
      units += 1;
      parts += set.size();
    }
  if (root && announce && units > 0)
    log << fmt::format("collapse verify: {} simulations shared as {} trial ranges, {} of them computed by the other processes\n", units, parts,
                       parts - rows.own_parts)
        << std::flush;
}

}  // namespace

computed_rows compute_share(const run_options& opt, std::ostream& log) {
  if (!opt.sharing) throw std::logic_error("compute_share needs run_options::sharing");
  if (opt.threads < 1 || opt.threads > 256) throw domain_error("--threads", std::to_string(opt.threads), "1 <= threads <= 256");
  const auto files = select_suites(opt.suites_dir, opt.suites, opt.full);
  shared_rows rows;
  share_rows(opt, files, rows, log, {}, false);
  return {std::move(rows.computed), std::move(rows.seconds), std::move(rows.parts)};
}

run_outcome run_suites(const run_options& opt, std::ostream& log) {
  if (opt.resume && opt.report_dir.empty()) throw domain_error("--resume", "given", "--resume together with --report DIR", "checkpoints live in DIR");
  if (opt.threads < 1 || opt.threads > 256) throw domain_error("--threads", std::to_string(opt.threads), "1 <= threads <= 256");
  auto files = select_suites(opt.suites_dir, opt.suites, opt.full);
  run_outcome out;
  const bool shared = opt.sharing && opt.sharing->size() > 1;
  if (shared && opt.sharing->rank() != 0) {  // issue 10: a helper rank computes its share; rank 0 reports
    shared_rows none;
    share_rows(opt, files, none, log);
    out.root = false;
    return out;
  }
  auto open_report = [&] {
    if (opt.report_dir.empty()) return;
    out.report_lock = lock_report_dir(opt.report_dir);
    std::error_code ec;
    fs::remove(opt.report_dir + "/COMPLETE", ec);  // written again, last, by write_report
  };
  auto t_all = std::chrono::steady_clock::now();
  shared_rows rows;
  if (opt.computed) {  // issue 10: the rows of verify shards (collapse merge)
    rows.computed = opt.computed->rows;
    rows.seconds = opt.computed->seconds;
    rows.parts = opt.computed->parts;
  }
  std::uint64_t assembled = 0, parts_used = 0, computed_here = 0;  // issue 10: the tables rebuilt from parts
  if (shared) share_rows(opt, files, rows, log, open_report);
  else open_report();
  std::mutex log_mutex;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& f = files[i];
    const entries root = f.root();
    const std::string kind = root.text("kind");
    const auto& k = find_suite_kind(kind);
    std::optional<checkpoint_store> own;
    checkpoint_store* ck = nullptr;
    if (shared && rows.stores.count(f.name)) {
      ck = rows.stores[f.name].get();
    } else if (!opt.report_dir.empty()) {
      own.emplace(opt.report_dir, f.name, checkpoint_fingerprint(f, opt), opt.resume);
      ck = &*own;
    }
    suite_context ctx;
    ctx.seed = opt.seed;
    ctx.threads = opt.threads;
    ctx.full = opt.full;
    auto t0 = std::chrono::steady_clock::now();
    const double before = std::chrono::duration<double>(t0 - t_all).count();
    const std::string eta = i == 0 ? "ETA unknown" : fmt::format("ETA {:.0f} s", before / static_cast<double>(i) * static_cast<double>(files.size() - i));
    const std::string prefix = fmt::format("[{}/{}] {}", i + 1, files.size(), f.name);
    ctx.progress = [&, t0, prefix](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mutex);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      log << fmt::format("{} +{:.1f}s: {}\n", prefix, s, line) << std::flush;
    };
    if (ck) {
      ctx.cached = [ck](const std::string& key) { return ck->cached(key); };
      ctx.store = [ck](const check_row& r) { ck->store(r); };
    }
    if (shared || opt.computed)  // issue 10, second pass on the root: the rows computed in the first (or the shards), then the checkpoints
      ctx.cached = [ck, &done = rows.computed[f.name]](const std::string& key) -> std::optional<check_row> {
        if (auto it = done.find(key); it != done.end()) return it->second;
        return ck ? ck->cached(key) : std::nullopt;
      };
    if ((shared || opt.computed) && k.splits_trials)  // a table whose parts were computed elsewhere: rebuilt in trial order
      ctx.trials = [&assembled, &parts_used, &computed_here, &got = rows.parts[f.name]](const numerics::simulation_config& c) {
        const auto it = got.find(simulation_key(c));
        if (it == got.end()) return numerics::run_trials(c);
        ++assembled;
        parts_used += it->second.size();
        return assemble_parts(c, it->second, &computed_here);
      };
    log << fmt::format("{}: {} ({}, kind {}; {:.0f} s so far, {})\n", prefix, root.text("result"), root.text("section"), kind, before, eta)
        << std::flush;
    suite_result r = k.run(root, ctx);
    r.name = f.name;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() + rows.seconds[f.name];
    summarise(r);
    if (ck && ck->reused() > 0) r.extra["resumed_rows"] = ck->reused();
    log << fmt::format("{}: {} in {:.1f} s; uses {} of its tolerance: {}\n", prefix, r.pass ? "PASS" : "FAIL", r.seconds, used_text(r.used),
                       r.worst)
        << std::flush;
    out.pass = out.pass && r.pass;
    out.results.push_back(std::move(r));
  }
  if (assembled > 0)
    log << fmt::format("collapse verify: {} simulations rebuilt from {} trial ranges computed in parallel ({} trials computed again here)\n",
                       assembled, parts_used, computed_here)
        << std::flush;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
  if (opt.computed)  // as each suite's seconds: the shards' compute time, summed, plus this run's
    for (const auto& [suite, seconds] : opt.computed->seconds) out.seconds += seconds;
  return out;
}

// ---- summary -------------------------------------------------------------------------------------------

report::table summary_table(const run_outcome& out, report::format f) {
  using report::cell;
  using report::column;
  using report::format;
  using report::format_set;
  const auto human = format_set::except({format::json});
  const auto json_only = format_set::only({format::json});
  report::table t;
  t.columns = {column{.key = "suite"},
               column{.key = "section"},
               column{.key = "result"},
               column{.key = "tolerance used", .formats = human},
               column{.key = "tolerance_used", .formats = json_only},
               column{.key = "worst row: statistic (rule)", .formats = human},
               column{.key = "worst_row", .formats = json_only},
               column{.key = "worst", .formats = json_only},
               column{.key = "verdict", .formats = human},
               column{.key = "pass", .formats = json_only},
               column{.key = "seconds", .formats = human},
               column{.key = "seconds", .formats = json_only},
               column{.key = "rule", .formats = json_only}};
  std::size_t passed = 0;
  for (const auto& r : out.results) {
    passed += r.pass;
    t.rows.push_back({cell::of_text(r.name), cell::of_text(r.section), cell::of_text(r.result), cell::of_text(used_text(r.used)),
                      std::isfinite(r.used) ? cell::of_number(r.used) : cell::of_json(nullptr), cell::of_text(r.worst),
                      cell::of_text(r.worst_key), cell::of_text(r.worst), cell::of_text(r.pass ? "PASS" : "FAIL"), cell::of_bool(r.pass),
                      cell::of_text(fmt::format("{:.1f}", r.seconds)), cell::of_number(r.seconds), cell::of_text(r.rule)});
  }
  if (f != format::csv)
    t.footer = fmt::format("{} of {} suites passed in {:.1f} s{}", passed, out.results.size(), out.seconds, f == format::md ? "." : "");
  t.json_document = {{"pass", out.pass}, {"seconds", out.seconds}, {"suites", nullptr}};
  t.json_rows_key = "suites";
  t.json_sorted_keys = true;
  return t;
}

std::string render_summary(const run_outcome& out, const std::string& format) {
  const report::format f = report::parse_format(format);
  return report::render(summary_table(out, f), f);
}

// ---- report --------------------------------------------------------------------------------------------

namespace {

std::string params_text(const std::map<std::string, std::string>& p) {
  std::string s;
  for (const auto& [k, v] : p) s += (s.empty() ? "" : " ") + k + "=" + v;
  return s;
}

/// Renders `body` as DIR/NAME.png and DIR/NAME.svg through report/gnuplot.hpp (each output checked
/// before it is renamed into place); returns the error, "" when both were written.
std::string run_gnuplot(const std::string& dir, const std::string& name, const std::string& body) {
  if (report::find_gnuplot().empty()) return "gnuplot not found on PATH";
  try {
    report::render_gnuplot("set terminal pngcairo size 900,600 noenhanced", body, "png", dir + "/" + name + ".png", dir);
    report::render_gnuplot("set terminal svg size 900,600 noenhanced", body, "svg", dir + "/" + name + ".svg", dir);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

/// The suite's figure (figures/NAME.png) or the reason it is missing.
struct figure_outcome {
  std::string path, error;
};

/// Writes FDIR/NAME.dat and renders `body`, the gnuplot script that plots it, as FDIR/NAME.png and .svg.
figure_outcome plot_data(const std::string& fdir, const std::string& name, const std::string& dat, const std::string& body) {
  figure_outcome made;
  report::write_file_atomic(fdir + "/" + name + ".dat", dat);
  made.error = run_gnuplot(fdir, name, body);
  if (made.error.empty()) made.path = "figures/" + name;
  return made;
}

figure_outcome write_figures(const std::string& dir, const suite_result& r) {
  const std::string fdir = dir + "/figures";
  fs::create_directories(fdir);
  // z-scores of every row measured in standard errors, with the ±k band implied by the verdicts
  std::string dat;
  int i = 0;
  for (const auto& row : r.rows)
    if (row.units == "z" || row.units == "rel") dat += fmt::format("{} {} {} \"{}\"\n", i++, row.discrepancy, row.units == "z" ? 0 : 1, row.key);
  if (r.extra.contains("fits")) {
    std::string d2, plot;
    int b = 0;
    for (const auto& f : r.extra["fits"]) {
      for (std::size_t k = 0; k < f["d"].size(); ++k)
        d2 += fmt::format("{} {} {}\n", 1.0 / f["d"][k].get<double>(), f["rel"][k].get<double>(), f["rel_se"][k].get<double>());
      d2 += "\n\n";
      const std::string title = fmt::format("{} n={}", f["case"].get<std::string>(), f["n"].get<long>());
      plot += fmt::format("{}'{}.dat' index {} using 1:2:3 with yerrorbars title '{}' lc {}, {}+{}*x notitle lc {} dt 2",
                          plot.empty() ? "plot " : ", ", r.name, b, title, b + 1, f["intercept"].get<double>(),
                          f["slope"].get<double>(), b + 1);
      ++b;
    }
    return plot_data(fdir, r.name, d2,
                     "set xlabel '1/d'\nset ylabel '(MC - DE)/DE'\nset key outside\nset xrange [0:*]\nset offsets 0, graph 0.05, graph 0.05, graph 0.05\n"
                     "set grid\nset title '" + r.name + ": relative discrepancy vs 1/d, weighted fit a + c/d (dashed)'\n" + plot + "\n");
  }
  if (r.extra.contains("curves")) {
    std::string d2, plot;
    int b = 0;
    for (const auto& c : r.extra["curves"]) {
      for (std::size_t k = 0; k < c["lambda"].size(); ++k)
        d2 += fmt::format("{} {} {} {}\n", c["lambda"][k].get<double>(), c["mc"][k].get<double>(), c["mc_se"][k].get<double>(),
                          c["de"][k].get<double>());
      d2 += "\n\n";
      plot += fmt::format("{}'{}.dat' index {} using 1:2:3 with yerrorbars title 'MC n={}' lc {} pt 7 ps 0.5, '' index {} using 1:4 with lines "
                          "title 'DE n={}' lc {}",
                          plot.empty() ? "plot " : ", ", r.name, b, c["n"].get<long>(), b + 1, b, c["n"].get<long>(), b + 1);
      ++b;
    }
    return plot_data(fdir, r.name, d2,
                     "set logscale x\nset xlabel 'lambda'\nset ylabel 'test error'\nset key outside\nset grid\n"
                     "set title '" + r.name + ": simulated error (points) and DE (lines) over the lambda grid'\n" + plot + "\n");
  }
  if (dat.empty()) return {};
  return plot_data(fdir, r.name, dat,
                   "set xlabel 'grid point'\nset ylabel 'discrepancy (z: s.e.; rel: fraction)'\nset grid\nset key outside\n"
                   "set title '" + r.name + ": discrepancy at each grid point'\n"
                   "plot '" + r.name + ".dat' using 1:($3==0?$2:1/0) with impulses lw 3 title 'z', '' using 1:($3==1?$2:1/0) with impulses lw 3 title 'rel'\n");
}

}  // namespace

void write_report(const std::string& dir, const run_outcome& out, const run_options& opt, std::ostream& log) {
  const auto lock = out.report_lock ? out.report_lock : lock_report_dir(dir);
  std::error_code ec;
  fs::remove(dir + "/COMPLETE", ec);
  // steps: results.csv + results.json, one figure per suite, the paper's figures, report.md + COMPLETE
  progress_meter meter(log, "report", 2 + out.results.size() + plot_figures().size());
  meter.step("results.csv, results.json");
  std::string csv = "suite,section,key,params,theory,theory_value,observed,se,discrepancy,units,criteria,tolerance_used,pass,note\n";
  for (const auto& r : out.results)
    for (const auto& row : r.rows) {
      std::string crit;
      for (const auto& c : row.criteria) crit += (crit.empty() ? "" : "; ") + fmt::format("{} = {:.6g} ({})", c.statistic, c.value, c.rule_text());
      csv += fmt::format("{},{},{},{},{},{:.17g},{:.17g},{:.17g},{:.17g},{},{},{:.6g},{},{}\n", report::csv_field(r.name), report::csv_field(r.section),
                         report::csv_field(row.key), report::csv_field(params_text(row.params)), report::csv_field(row.theory), row.theory_value,
                         row.observed, row.se, row.discrepancy, row.units, report::csv_field(crit), used(row), row.pass ? "true" : "false",
                         report::csv_field(row.note));
    }
  report::write_file_atomic(dir + "/results.csv", csv);
  json js = json::array();
  for (const auto& r : out.results) {
    json rows = json::array();
    for (const auto& row : r.rows) rows.push_back(row_to_json(row));
    js.push_back({{"suite", r.name}, {"result", r.result}, {"section", r.section}, {"rule", r.rule}, {"tolerance_used", num(r.used)},
                  {"worst_row", r.worst_key}, {"worst", r.worst}, {"pass", r.pass}, {"seconds", r.seconds}, {"rows", rows}, {"extra", r.extra}});
  }
  report::write_file_atomic(dir + "/results.json",
                         json{{"seed", opt.seed}, {"full", opt.full}, {"threads", opt.threads}, {"pass", out.pass}, {"seconds", out.seconds},
                              {"suites", js}}
                                 .dump(1) +
                             "\n");
  std::vector<std::string> missing;
  std::string md = "# collapse verify report\n\n";
  md += fmt::format("Seed {}, {} sizes, {} threads; {} in {:.1f} s. Theory: `theory/model-collapse-regression.md` "
                    "(sections below). Numbers: `results.csv`, `results.json`. \"Tolerance used\" is each suite's margin to its own "
                    "rule: the largest share of a bound any statistic of any row takes (100 % is the edge).\n\n",
                    opt.seed, opt.full ? "--full" : "default", opt.threads, out.pass ? "**all suites pass**" : "**some suites FAIL**",
                    out.seconds);
  md += render_summary(out, "md") + "\n";
  for (const auto& r : out.results) {
    meter.step("figures/" + r.name);
    md += fmt::format("## {} — {} ({})\n\n**Verdict:** {}. **Tolerance used:** {} ({}). **Time:** {:.1f} s.\n\n**Rule:** {}\n\n", r.name,
                      md_escape(r.result), r.section, r.pass ? "PASS" : "FAIL", used_text(r.used), md_escape(r.worst), r.seconds,
                      md_escape(r.rule));
    const auto fig = write_figures(dir, r);
    if (!fig.path.empty()) md += fmt::format("![{}]({}.png)\n\n", r.name, fig.path);
    if (!fig.error.empty()) {
      md += fmt::format("Figure not rendered: {}\n\n", md_escape(fig.error));
      missing.push_back("figures/" + r.name + ": " + fig.error);
      log << "collapse verify: figure " << r.name << " not rendered: " << fig.error << "\n";
    }
    md += "| key | parameters | theory | observed ± se | discrepancy | criteria | used | verdict | note |\n|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& row : r.rows) {
      std::string crit;
      for (const auto& c : row.criteria) crit += (crit.empty() ? "" : "; ") + fmt::format("{} = {:.3g} ({})", c.statistic, c.value, c.rule_text());
      md += fmt::format("| {} | {} | {} | {:.7g} ± {:.2g} | {:.3g} {} | {} | {} | {} | {} |\n", md_escape(row.key), md_escape(params_text(row.params)),
                        md_escape(row.theory), row.observed, row.se, row.discrepancy, row.units, md_escape(crit), used_text(used(row)),
                        row.pass ? "pass" : "**FAIL**", md_escape(row.note));
    }
    md += "\n";
  }
  // the paper's figures (harness/figures.hpp, `collapse plot`): Fig. 1a/1b and the crossover; simulated
  // points (400 trials each, ~2.5 CPU minutes) only with --full, theory lines otherwise
  plot_options po;
  po.format = "both";
  po.trials = opt.full ? 400 : 0;
  po.seed = opt.seed;
  po.threads = static_cast<unsigned>(opt.threads);
  md += opt.full ? "## The paper's figures (`collapse plot`, 400 simulated trials per point)\n\n"
                 : "## The paper's figures (`collapse plot --trials 0`: theory lines; `--full` adds simulated points)\n\n";
  for (const auto& fig : plot_figures()) {
    meter.step(fmt::format("figures/{}{}", fig, opt.full && fig != "crossover" ? " (simulated points, the longest step)" : ""));
    try {
      render_figure(fig, dir + "/figures", po);
      md += fmt::format("![{}](figures/{}.png)\n\n", fig, fig);
    } catch (const std::exception& e) {
      md += fmt::format("{}: not rendered ({})\n\n", fig, e.what());
      missing.push_back("figures/" + fig + ": " + e.what());
      log << "collapse verify: figure " << fig << " not rendered: " << e.what() << "\n";
    }
  }
  meter.step("report.md, COMPLETE");
  report::write_file_atomic(dir + "/report.md", md);
  // the completion marker, last: a DIR without it is an interrupted or failed report
  report::write_file_atomic(dir + "/COMPLETE", json{{"seed", opt.seed}, {"full", opt.full}, {"pass", out.pass}, {"suites", out.results.size()},
                                                  {"figures_missing", missing}, {"pid", ::getpid()}}
                                                    .dump(1) +
                                                "\n");
  log << fmt::format("[report done in {:.0f} s]\n", meter.elapsed()) << std::flush;
}

}  // namespace collapse::harness
