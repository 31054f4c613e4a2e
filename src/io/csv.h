// CSV reading and writing (RFC 4180, with the variants spreadsheets produce).
//
// CsvReader reads one record at a time from a stream, so a file of any size is read in constant
// memory. It reads UTF-8 (io/csv_encoding.h turns other encodings into UTF-8 first) with or
// without a byte-order mark, `,`, `;` or tab as separator (detected
// from the header line: French Excel writes `;`), quoted fields with "" for a quote and with line
// breaks inside, and CRLF, LF or CR line ends. Blank lines are skipped. Errors carry the line
// number (1-based, physical lines) where the offending record starts.
//
// CsvWriter writes records with `,` (or another separator), quoting only the fields that need
// it, with CRLF line ends as RFC 4180 asks.
#pragma once
#include <cstdint>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/message.h"

namespace gz::io {

class CsvError : public std::runtime_error {
 public:
  // recoverable: the bad record was consumed and reading may go on (wrong number of columns);
  // otherwise (broken quoting) the rest of the input cannot be trusted.
  // what(): "line N: " and the English message, for logs.
  CsvError(int64_t line, Message message, bool recoverable)
      : std::runtime_error("line " + std::to_string(line) + ": " + message.english()),
        line_(line), message_(std::move(message)), recoverable_(recoverable) {}
  int64_t line() const { return line_; }
  const Message& message() const { return message_; }
  bool recoverable() const { return recoverable_; }

 private:
  int64_t line_;
  Message message_;
  bool recoverable_;
};

struct CsvRow {
  std::vector<std::string> fields;
  int64_t line = 0;  // line on which the record starts
};

class CsvReader {
 public:
  // separator 0 = detect from the first line: the most frequent of `,`, `;` and tab outside
  // quotes (`,` when none; Excel's "Texte Unicode" is tab-separated).
  explicit CsvReader(std::istream& in, char separator = 0);

  // Reads the header (the first record). Returns false on an empty input.
  bool read_header(std::vector<std::string>& names);
  // Reads the next record into row. Returns false at the end of the input. Throws CsvError on
  // broken quoting, and (recoverable) when a record has not as many fields as the header.
  bool next(CsvRow& row);

  char separator() const { return sep_; }
  int64_t line() const { return line_; }
  size_t columns() const { return columns_; }

 private:
  int get();
  int peek();
  bool read_record(CsvRow& row);
  void detect_separator();

  std::istream& in_;
  std::streambuf* buf_;
  std::string pending_;  // first line, read ahead to detect the separator
  size_t pending_pos_ = 0;
  char sep_;
  bool started_ = false;
  int64_t line_ = 1;
  size_t columns_ = 0;  // 0 until the header is read
};

// Cells that a spreadsheet would run as a formula (formula injection, OWASP "CSV Injection"): a
// cell starting with =, +, -, @, a tab or a carriage return is written with a single quote in
// front ('=1+2), which Excel and LibreOffice show as text. A plain number (-12, -12,50, +33612345678,
// 1.5) is left as it is: a spreadsheet reads it as a number, and there is no formula to run in
// digits with one sign and one decimal separator.
std::string neutralise_formula(const std::string& cell);

class CsvWriter {
 public:
  // neutralise: apply neutralise_formula to every cell (exports and reports that a user opens in
  // a spreadsheet); off for files read back by the program only.
  explicit CsvWriter(std::ostream& out, char separator = ',', bool neutralise = true)
      : out_(out), sep_(separator), neutralise_(neutralise) {}
  void write_row(const std::vector<std::string>& fields);
  static std::string quote(const std::string& field, char separator = ',');

 private:
  std::ostream& out_;
  char sep_;
  bool neutralise_;
};

}  // namespace gz::io
