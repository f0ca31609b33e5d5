// cli/processes.cpp -- see processes.hpp.
#include "cli/processes.hpp"

#include "theory/errors.hpp"

namespace collapse::cli {

namespace {
processes& instance() {
  static processes p;
  return p;
}
}  // namespace

void set_processes(processes p) { instance() = std::move(p); }
const processes& current_processes() { return instance(); }

void on_root_then_agree(const std::function<void()>& f) {
  const processes& p = current_processes();
  if (!p.shared()) return f();
  std::exception_ptr failure;
  char code = '0';
  if (p.root()) {
    try {
      f();
    } catch (const domain_error&) {
      failure = std::current_exception();
      code = '2';
    } catch (...) {
      failure = std::current_exception();
      code = '1';
    }
  }
  code = p.group->broadcast(std::string(1, code)).at(0);
  if (failure) std::rethrow_exception(failure);
  if (code != '0') throw quiet_exit(code - '0');
}

}  // namespace collapse::cli
