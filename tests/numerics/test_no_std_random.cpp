// tests/numerics/test_no_std_random.cpp -- every simulation goes through the Philox streams and the
// project's own samplers (numerics/random.hpp): no std:: distribution, Mersenne twister or
// random_device anywhere in the source tree, whose output would differ between standard libraries
// (issue 15 item 2; README "reproducibility contract").
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

TEST_CASE("no source file uses a std:: distribution, mt19937 or std::random_device", "[random][source]") {
  // ctest runs from the source root (WORKING_DIRECTORY); the pattern is split so that this file,
  // which is not scanned anyway, cannot match itself.
  const std::regex forbidden(std::string("std::[A-Za-z_0-9]*_distribution|mt19937|std::random") + "_device");
  std::vector<std::string> hits;
  std::size_t scanned = 0;
  for (const char* dir : {"theory", "numerics", "eval", "report", "harness", "cli"}) {
    REQUIRE(fs::is_directory(dir));
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const auto ext = entry.path().extension().string();
      if (ext != ".hpp" && ext != ".cpp" && ext != ".h" && ext != ".cc") continue;
      ++scanned;
      std::ifstream in(entry.path());
      std::string line;
      for (int no = 1; std::getline(in, line); ++no)
        if (std::regex_search(line, forbidden)) hits.push_back(entry.path().string() + ":" + std::to_string(no) + ": " + line);
    }
  }
  INFO("files scanned: " << scanned);
  for (const auto& h : hits) UNSCOPED_INFO(h);
  CHECK(scanned > 20);
  CHECK(hits.empty());
}

TEST_CASE("the source scan would catch each forbidden form", "[random][source]") {
  const std::regex forbidden(std::string("std::[A-Za-z_0-9]*_distribution|mt19937|std::random") + "_device");
  for (const char* line : {"std::normal_distribution<double> n;", "std::mt19937_64 eng(1);", "std::random_device rd;",
                           "std::chi_squared_distribution<double>(k)(eng)"})
    CHECK(std::regex_search(std::string(line), forbidden));
  CHECK_FALSE(std::regex_search(std::string("rng.normal(); // philox_stream"), forbidden));
}
