// report/output.cpp -- see output.hpp.
#include "report/output.hpp"

#include "report/cleanup.hpp"
#include "theory/errors.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
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

namespace {

/// `path`, or the file a symbolic link `path` finally points to (relative targets resolved against the
/// link's directory), so that an atomic rename replaces the target and the link survives.
std::string resolve_links(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p = path;
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return p.string();
}

/// Can a new entry be made in directory `dir`? Probed for real: an empty temporary file made and removed.
bool accepts_entries(const std::string& dir) {
  const std::string probe = unique_temp_name(dir + "/probe");
  temp_path_guard guard(probe);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  ::close(fd);
  ::unlink(probe.c_str());
  return true;
}

}  // namespace

void check_output_path(const std::string& option, const std::string& path, output_kind kind) {
  namespace fs = std::filesystem;
  const std::string what = kind == output_kind::file ? "a writable file path" : "a directory that exists or can be created";
  if (path.empty()) throw domain_error(option, "''", what, "an empty path names no file");
  std::error_code ec;
  const std::string target = resolve_links(path);
  const fs::file_status st = fs::status(target, ec);
  if (kind == output_kind::file) {
    if (fs::is_directory(st)) throw domain_error(option, path, what, "it is a directory");
    if (fs::exists(st)) {
      if (!fs::is_regular_file(st)) throw domain_error(option, path, what, "it exists and is not a regular file");
      if ((st.permissions() & (fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write)) == fs::perms::none ||
          ::access(target.c_str(), W_OK) != 0)
        throw domain_error(option, path, what, "the file is read-only");
    }
    const std::string dir = parent_dir(target);
    if (!fs::is_directory(dir, ec)) throw domain_error(option, path, what, "directory " + dir + " does not exist");
    if (!accepts_entries(dir)) throw domain_error(option, path, what, "cannot create a file in " + dir);
    return;
  }
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) throw domain_error(option, path, what, "it exists and is not a directory");
    if (!accepts_entries(target)) throw domain_error(option, path, what, "cannot create a file in it");
    return;
  }
  fs::path ancestor = fs::absolute(target, ec).parent_path();
  while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.root_path()) ancestor = ancestor.parent_path();
  if (!fs::is_directory(ancestor, ec)) throw domain_error(option, path, what, ancestor.string() + " is not a directory");
  if (!accepts_entries(ancestor.string())) throw domain_error(option, path, what, "cannot create a directory in " + ancestor.string());
}

void write_file_atomic(const std::string& given_path, const std::string& content) {
  const std::string path = resolve_links(given_path);  // a symbolic link stays one: its target is replaced
  struct stat old{};
  const bool replaces = ::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode);
  const std::string tmp = unique_temp_name(path);
  temp_path_guard guard(tmp);  // removed on SIGINT/SIGTERM too
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("write", path, errno, -1, "");
  if (replaces && ::fchmod(fd, old.st_mode & 07777) != 0) fail("keep the mode of", path, errno, fd, tmp);  // e.g. 0640 stays 0640
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
