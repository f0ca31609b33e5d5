// tests/run_command.hpp -- run the `collapse` binary from a test: exit code, stdout, stderr.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace collapse::test {

struct command_result {
  int exit_code = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A fresh empty directory under the system temp directory.
inline std::string fresh_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("collapse-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

/// Runs `COLLAPSE_BINARY args` with stdout and stderr captured.
inline command_result run_collapse(const std::string& args) {
  const std::string dir = fresh_dir("cmd");
  const std::string cmd = std::string("'") + COLLAPSE_BINARY + "' " + args + " >'" + dir + "/out' 2>'" + dir + "/err'";
  int status = std::system(cmd.c_str());
  command_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out");
  r.err = slurp(dir + "/err");
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace collapse::test
