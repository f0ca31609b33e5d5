// report/output.cpp -- see output.hpp.
#include "report/output.hpp"

#include "report/cleanup.hpp"
#include "theory/errors.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace collapse::report {

namespace {

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int err, int fd, const std::string& tmp) {
  if (fd >= 0) ::close(fd);
  if (!tmp.empty()) ::unlink(tmp.c_str());
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(err));
}

}  // namespace

std::string unique_temp_name(const std::string& path) {
  static std::atomic<unsigned long> counter{0};
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + base + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = unique_temp_name(path);
  temp_path_guard guard(tmp);  // removed on SIGINT/SIGTERM too
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("write", path, errno, -1, "");
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("write", path, errno, fd, tmp);  // disk full (ENOSPC), quota, I/O error: no rename
    }
    if (w == 0) fail("write", path, EIO, fd, tmp);
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0) fail("flush", path, errno, fd, tmp);
  if (::close(fd) != 0) fail("close", path, errno, -1, tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename a temporary file to", path, errno, -1, tmp);
  // the rename is durable only once the directory entry is on disk
  const std::string dir = parent_dir(path);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // some file systems refuse fsync on a directory (EINVAL); the file itself is safe
    ::close(dfd);
  }
}

void check_format(const std::string& format, const std::vector<std::string>& accepted) {
  for (const auto& a : accepted)
    if (a == format) return;
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  throw domain_error("--format", format, "one of " + list);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) { if (c == '"') o += '"'; o += c; }
  return o + "\"";
}

}  // namespace collapse::report
