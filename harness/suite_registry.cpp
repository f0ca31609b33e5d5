// harness/suite_registry.cpp -- the registry of suite kinds declared in suite.hpp.
#include "harness/suite.hpp"

#include "theory/errors.hpp"

#include <mutex>

namespace collapse::harness {

namespace {
std::map<std::string, suite_kind_fn>& registry() {
  static std::map<std::string, suite_kind_fn> r;
  return r;
}
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

void register_suite_kind(const std::string& kind, suite_kind_fn fn) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry()[kind] = std::move(fn);
}

const suite_kind_fn& find_suite_kind(const std::string& kind) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto it = registry().find(kind);
  if (it != registry().end()) return it->second;
  std::string known;
  for (const auto& [k, f] : registry()) known += (known.empty() ? "" : ", ") + k;
  throw domain_error("kind", kind.empty() ? "(missing)" : kind, "one of: " + (known.empty() ? std::string("(none registered)") : known));
}

std::vector<std::string> suite_kinds() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  std::vector<std::string> out;
  for (const auto& [k, f] : registry()) out.push_back(k);
  return out;
}

}  // namespace collapse::harness
