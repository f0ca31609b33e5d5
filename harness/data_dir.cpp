// harness/data_dir.cpp -- see data_dir.hpp.
#include "harness/data_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <dlfcn.h>

namespace collapse::harness {

namespace fs = std::filesystem;

namespace {

/// The file (executable or shared object) that holds this function, or empty when unknown.
fs::path this_image() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&this_image), &info) == 0 || !info.dli_fname) return {};
  std::error_code ec;
  fs::path p = fs::canonical(info.dli_fname, ec);  // dli_fname of the main program may be relative or argv[0]
  if (ec) p = fs::canonical("/proc/self/exe", ec);
  return ec ? fs::path{} : p;
}

}  // namespace

std::string data_dir() {
  if (const char* env = std::getenv("COLLAPSE_DATA_DIR"); env && *env) return env;
  // <prefix>/bin/collapse and <prefix>/lib/pythonX.Y/site-packages/collapse/_core*.so: the prefix is one or four
  // directories above the file's own; only those, so a build tree under an install prefix keeps its source data.
  const fs::path dir = this_image().parent_path();
  for (const char* up : {"..", "../../../.."}) {
    const fs::path candidate = (dir / up / "share" / "collapse" / "data").lexically_normal();
    std::error_code ec;
    if (!dir.empty() && fs::is_directory(candidate / "suites", ec)) return candidate.string();
  }
  return std::string(COLLAPSE_SOURCE_DIR) + "/data";
}

std::string data_root() {
  fs::path p = fs::path(data_dir()).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "DIR/" names DIR
  return p.parent_path().string();
}

}  // namespace collapse::harness
