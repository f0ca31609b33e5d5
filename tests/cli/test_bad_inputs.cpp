// tests/cli/test_bad_inputs.cpp -- issue 7's hostile-input sweep (tests/cli/bad_inputs.sh: hundreds of
// rows generated from tables of options x bad values) through the real command line: every row exits 2
// with one `collapse: error: invalid PARAMETER = VALUE: valid range is ...` line and nothing on stdout.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

TEST_CASE("every command refuses every generated bad input with one line naming the parameter, value and range", "[cli][sweep]") {
  const std::string cmd = std::string("bash tests/cli/bad_inputs.sh '") + COLLAPSE_BINARY + "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(p);
  INFO(out);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(out.find("bad inputs: tried ") != std::string::npos);
}
