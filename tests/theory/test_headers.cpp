// tests/theory/test_headers.cpp -- every header of theory/ says which tests verify it, and those tests
// exist (issue 15 item 3): the "Verified by" line of each header names files that are in the repository.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

TEST_CASE("every theory header has a Verified by line whose test files exist") {
  namespace fs = std::filesystem;
  const fs::path root = COLLAPSE_SOURCE_DIR;
  int headers = 0;
  for (const auto& entry : fs::directory_iterator(root / "theory")) {
    if (entry.path().extension() != ".hpp") continue;
    ++headers;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const std::string header = text.substr(0, text.find("#pragma once"));
    CAPTURE(entry.path().filename().string());
    const auto at = header.find("Verified by");
    REQUIRE(at != std::string::npos);
    // every tests/... path named in the header comment exists
    const std::regex path_re("tests/[A-Za-z0-9_/]+(\\.cpp|\\.hpp|\\.csv|\\.py)?");
    int named = 0;
    for (std::sregex_iterator it(header.begin() + static_cast<long>(at), header.end(), path_re), end; it != end; ++it) {
      const std::string p = it->str();
      CAPTURE(p);
      CHECK(fs::exists(root / p));
      ++named;
    }
    CHECK(named >= 1);
  }
  CHECK(headers >= 18);
}
