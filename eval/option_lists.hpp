// eval/option_lists.hpp -- comma-separated option values ("1.5,2,3", "proportional,power"): the one
// splitter of the tree, and lists of exact numbers built on it.
#pragma once

#include "theory/rational.hpp"

#include <string>
#include <vector>

namespace collapse::eval {

/// "a,b,,c" -> {"a", "b", "", "c"}; "" -> {""} (callers reject empty items with their own message).
inline std::vector<std::string> split_comma_list(const std::string& text) {
  std::vector<std::string> items;
  for (std::size_t start = 0;;) {
    const auto comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

/// Parses a comma-separated list of exact numbers ("1.5,2,3" or "3/2,2"), naming `parameter` on error.
inline std::vector<exact_number> parse_exact_list(const std::string& parameter, const std::string& text) {
  std::vector<exact_number> v;
  for (const auto& item : split_comma_list(text)) v.push_back(parse_exact(parameter, item));
  return v;
}

}  // namespace collapse::eval
