// numerics/version.cpp -- the library's version string (keeps collapse_numerics non-empty).
namespace collapse { const char* version() { return "0.1.0"; } }
