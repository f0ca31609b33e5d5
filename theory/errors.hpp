// theory/errors.hpp -- domain and convergence errors carrying their context.
// Library code throws; only the CLI turns an exception into a message and a nonzero exit.
// Verified by: tests/theory/test_domain.cpp (parameter, value and range of a refusal), tests/cli/test_eval_command.cpp.
#pragma once

#include <stdexcept>
#include <string>

namespace collapse {

/// An input outside the domain of a formula: names the parameter, the value given and the valid range.
class domain_error : public std::domain_error {
public:
  domain_error(std::string parameter, std::string value, std::string valid_range, std::string why = {})
      : std::domain_error(compose(parameter, value, valid_range, why)),
        parameter_(std::move(parameter)), value_(std::move(value)), valid_range_(std::move(valid_range)) {}
  const std::string& parameter() const noexcept { return parameter_; }
  const std::string& value() const noexcept { return value_; }
  const std::string& valid_range() const noexcept { return valid_range_; }

private:
  static std::string compose(const std::string& p, const std::string& v, const std::string& r,
                             const std::string& why) {
    std::string s = "invalid " + p + " = " + v + ": valid range is " + r;
    if (!why.empty()) s += " (" + why + ")";
    return s;
  }
  std::string parameter_, value_, valid_range_;
};

/// An iterative method that did not reach its tolerance, or a result whose digits cannot be vouched
/// for. Never returned as a value.
class convergence_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace collapse
