// harness/data_dir.hpp -- where `collapse` finds its data (suites/, golden/) at run time, so that an
// installed or moved binary (and the Python module) runs `verify` without the source tree (issue 14).
#pragma once

#include <string>

namespace collapse::harness {

/// The data directory, laid out like the source tree's data/ (suites/, golden/), first match of:
///   1. $COLLAPSE_DATA_DIR when set and not empty (used as given; not checked here, so a wrong value
///      shows up as an error naming the missing suites directory or golden file);
///   2. PREFIX/share/collapse/data when the file holding this code is an installed one --
///      PREFIX/bin/collapse or the Python module PREFIX/lib/pythonX.Y/site-packages/collapse/_core*.so
///      (cmake/install.cmake) -- and that directory has suites/;
///   3. the source tree the binary was built from (COLLAPSE_SOURCE_DIR/data): build-tree runs.
std::string data_dir();

/// The directory that relative spectrum paths of golden rows (`file:data/golden/X.csv`) are read
/// against: the parent of data_dir().
std::string data_root();

}  // namespace collapse::harness
