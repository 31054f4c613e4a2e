// Fuzz target: the static file route's path resolution. Whatever the request path, a file it
// returns is a regular file inside the web root (tests/fuzz/web_root, with a symlink leading out).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "build_paths.h"
#include "http/web_static.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string root = fs::canonical(fs::path(GAZELLE_SOURCE_DIR) / "tests" / "fuzz" / "web_root").string();
  std::string_view path(reinterpret_cast<const char*>(data), size);
  if (auto file = gz::http::resolve_static_file(root, path)) {
    std::string f = file->string();
    if (f.compare(0, root.size() + 1, root + "/") != 0 || !fs::is_regular_file(*file)) std::abort();
  }
  return 0;
}
