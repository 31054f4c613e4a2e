// Fuzz target: the XLSX reader (zip container, XML parts, shared strings, styles, cell
// references). A bad workbook must come out as XlsxError, never as a crash or another exception.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "io/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader opens a path (minizip): the input goes to a file in memory-backed /dev/shm.
  static const std::string path = "/dev/shm/gazelle-fuzz-xlsx-" + std::to_string(getpid()) + ".xlsx";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    gz::io::XlsxReader reader(path);
    for (const auto& name : reader.sheet_names()) {
      reader.open_sheet(name);
      std::vector<std::string> cells;
      int64_t row = 0;
      for (int n = 0; n < 100000 && reader.next_row(cells, row); ++n) {
      }
    }
  } catch (const gz::io::XlsxError&) {
  }
  std::remove(path.c_str());
  return 0;
}
