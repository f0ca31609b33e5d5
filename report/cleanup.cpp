// report/cleanup.cpp -- see cleanup.hpp.
#include "report/cleanup.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace collapse::report {

namespace {

constexpr int slots = 64;
constexpr std::size_t max_path = 4096;
char paths[slots][max_path];
std::atomic<int> state[slots];  // 0 free, 1 being written, 2 registered

/// Removes a file, or a folder with the files in it (one level: what our temporary folders hold).
void remove_path(const char* p) {
  if (::unlink(p) == 0) return;
  if (DIR* d = ::opendir(p)) {
    char child[max_path];
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      std::size_t a = std::strlen(p), b = std::strlen(e->d_name);
      if (a + 1 + b + 1 > max_path) continue;
      std::memcpy(child, p, a);
      child[a] = '/';
      std::memcpy(child + a + 1, e->d_name, b + 1);
      ::unlink(child);
    }
    ::closedir(d);
  }
  ::rmdir(p);
}

extern "C" void on_signal(int sig) {
  for (int i = 0; i < slots; ++i)
    if (state[i].load() == 2) remove_path(paths[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void install_signal_cleanup() {
  static std::atomic<bool> done{false};
  if (done.exchange(true)) return;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);
  }
}

temp_path_guard::temp_path_guard(const std::string& path) {
  if (path.size() + 1 > max_path) return;
  for (int i = 0; i < slots; ++i) {
    int expected = 0;
    if (!state[i].compare_exchange_strong(expected, 1)) continue;
    std::memcpy(paths[i], path.c_str(), path.size() + 1);
    state[i].store(2);  // the handler reads a slot only once its path is complete
    slot_ = i;
    return;
  }
}

temp_path_guard::~temp_path_guard() {
  if (slot_ >= 0) state[slot_].store(0);
}

temp_dir::temp_dir(const std::string& name) {
  std::string tmpl = (std::filesystem::temp_directory_path() / ("collapse-" + name + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error(std::string("cannot create a temporary folder: ") + std::strerror(errno));
  path_ = buf.data();
  guard_ = new temp_path_guard(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  delete guard_;
}

}  // namespace collapse::report
