// tests/harness/committed_suite.hpp -- runs one committed suite file (data/suites/NAME.toml) through its
// registered kind with the default context, as `collapse verify NAME` does, and summarises it.
#pragma once

#include "harness/runner.hpp"
#include "harness/suite.hpp"

#include <string>

namespace collapse::harness_test {

using namespace collapse::harness;

inline suite_result run_committed(const std::string& name) {
  const auto f = load_suite_file(default_suites_dir() + "/" + name + ".toml");
  const entries root = f.root();
  suite_context ctx;
  suite_result res = find_suite_kind(root.text("kind")).run(root, ctx);
  summarise(res);
  return res;
}

}  // namespace collapse::harness_test
