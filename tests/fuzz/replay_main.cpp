// Replays a fuzz corpus through a fuzz target without libFuzzer, so that `make test` (built with
// the ordinary compiler) runs every input the fuzzers kept: seconds, not minutes.
//   replay_TARGET DIR...   runs LLVMFuzzerTestOneInput on every file of each DIR
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  size_t n = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(argv[i]))
      if (entry.is_regular_file()) files.push_back(entry.path());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      ++n;
    }
  }
  if (n == 0) {
    std::fprintf(stderr, "no corpus file found\n");
    return 1;
  }
  std::printf("%zu inputs replayed without a crash\n", n);
  return 0;
}
