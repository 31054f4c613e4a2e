// Streaming reader of XLSX workbooks (Office Open XML spreadsheets), for imports.
//
// The workbook is a zip (minizip) of XML parts (expat). The sheet is parsed as it is
// decompressed, a chunk at a time, so a sheet of a million rows is read in constant memory; only
// the shared-string table (which the format keeps apart from the sheets) and the styles are held
// whole. Cells come out as text, as a CSV reader would give them:
//   - shared and inline strings as written (UTF-8), formula results (t="str") as their value;
//   - numbers as written in the file ("12.5", "17850"), except when the cell's number format is a
//     date or time format: the serial number becomes an ISO date "YYYY-MM-DD", or
//     "YYYY-MM-DDTHH:MM:SS" when the format shows a time (1900 and 1904 date systems);
//   - booleans as "true"/"false", errors as their code ("#N/A"), empty cells as "".
// Cells are placed by their reference (C7 → third column), so skipped cells and rows leave
// empty strings and gaps, never shifted columns.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gz::io {

class XlsxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "A1" → 0, "Z9" → 25, "AA10" → 26, "$B$2" → 1; -1 when the reference has no column letters.
int xlsx_column_index(std::string_view cell_ref);
// Row number of a reference ("B12" → 12), 0 when absent.
int64_t xlsx_row_number(std::string_view cell_ref);
// Spreadsheet serial day number (1900 system unless date1904) → "YYYY-MM-DD" or, with_time,
// "YYYY-MM-DDTHH:MM:SS" (rounded to the second).
std::string xlsx_serial_to_iso(double serial, bool with_time, bool date1904 = false);
// Whether a number format code ("dd/mm/yyyy", "[h]:mm", "0.00") shows a date or a time.
bool xlsx_format_is_date(std::string_view format_code, bool* has_time = nullptr);

class XlsxReader {
 public:
  // Opens the workbook and reads its sheet list, shared strings and styles. Throws XlsxError.
  explicit XlsxReader(const std::string& path);
  ~XlsxReader();
  XlsxReader(const XlsxReader&) = delete;
  XlsxReader& operator=(const XlsxReader&) = delete;

  const std::vector<std::string>& sheet_names() const;
  // Starts reading a sheet by name; "" = the first. Throws XlsxError naming the sheets there are.
  void open_sheet(const std::string& name = "");
  // The next row that has at least one cell element: cells by column (trailing empty cells cut),
  // row = its 1-based row number in the sheet. False at the end of the sheet.
  bool next_row(std::vector<std::string>& cells, int64_t& row);

  // Uncompressed bytes of the open sheet read so far / in total (for a progress bar).
  uint64_t bytes_read() const;
  uint64_t total_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gz::io
