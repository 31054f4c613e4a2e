// Fuzz target: the CSV reader (header detection, quoting, line ends). Errors must come out as
// CsvError, never as a crash, a hang or another exception.
#include <cstdint>
#include <sstream>

#include "io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  gz::io::CsvReader reader(in);
  try {
    std::vector<std::string> header;
    if (!reader.read_header(header)) return 0;
    gz::io::CsvRow row;
    for (int n = 0; n < 100000; ++n) {
      try {
        if (!reader.next(row)) break;
      } catch (const gz::io::CsvError& e) {
        if (!e.recoverable()) break;
      }
    }
  } catch (const gz::io::CsvError&) {
  }
  return 0;
}
