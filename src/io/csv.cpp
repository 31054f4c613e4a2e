#include "io/csv.h"

#include <algorithm>

namespace gz::io {

namespace {
constexpr int kEof = std::char_traits<char>::eof();

Message shown(int c) {
  if (c == '\t') return tr("a tab");
  if (c < 0x20) return tr("a control character");
  return tr("'{char}'", {{"char", std::string(1, char(c))}});
}
}  // namespace

CsvReader::CsvReader(std::istream& in, char separator) : in_(in), buf_(in.rdbuf()), sep_(separator) {}

int CsvReader::get() {
  if (pending_pos_ < pending_.size()) return static_cast<unsigned char>(pending_[pending_pos_++]);
  if (!buf_) return kEof;
  return buf_->sbumpc();
}

int CsvReader::peek() {
  if (pending_pos_ < pending_.size()) return static_cast<unsigned char>(pending_[pending_pos_]);
  if (!buf_) return kEof;
  return buf_->sgetc();
}

// Reads the first line ahead (up to a line end outside quotes), drops a UTF-8 byte-order mark,
// and picks the separator that occurs most often outside quotes.
void CsvReader::detect_separator() {
  started_ = true;
  bool quoted = false;
  while (buf_) {
    int c = buf_->sbumpc();
    if (c == kEof) break;
    pending_ += char(c);
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) {
      if (c == '\r' && buf_->sgetc() == '\n') pending_ += char(buf_->sbumpc());
      break;
    }
    if (pending_.size() > (1 << 20)) break;  // a header line of a megabyte is not a header
  }
  if (pending_.compare(0, 3, "\xEF\xBB\xBF") == 0) pending_pos_ = 3;
  if (sep_) return;
  size_t commas = 0, semicolons = 0, tabs = 0;
  quoted = false;
  for (size_t i = pending_pos_; i < pending_.size(); ++i) {
    char c = pending_[i];
    if (c == '"') quoted = !quoted;
    else if (!quoted && c == ',') ++commas;
    else if (!quoted && c == ';') ++semicolons;
    else if (!quoted && c == '\t') ++tabs;
  }
  sep_ = semicolons > commas ? ';' : ',';
  if (tabs > std::max(commas, semicolons)) sep_ = '\t';  // Excel's "Texte Unicode" (UTF-16, tabs)
}

bool CsvReader::read_record(CsvRow& row) {
  if (!started_) detect_separator();
  row.fields.clear();
  int c = get();
  // Blank lines between records are skipped.
  while (c == '\n' || c == '\r') {
    if (c == '\r' && peek() == '\n') get();
    ++line_;
    c = get();
  }
  if (c == kEof) return false;
  row.line = line_;
  std::string field;
  for (;;) {
    field.clear();
    if (c == '"') {
      int64_t start = line_;
      for (;;) {
        c = get();
        if (c == kEof)
          throw CsvError(start, tr("the quoted field that starts on this line is never closed (missing \")"), false);
        if (c == '"') {
          if (peek() == '"') {
            get();
            field += '"';
            continue;
          }
          break;
        }
        if (c == '\n') {
          ++line_;
        } else if (c == '\r') {
          ++line_;
          if (peek() == '\n') {
            field += '\r';
            c = get();
          }
        }
        field += char(c);
      }
      c = get();
      if (c != sep_ && c != '\n' && c != '\r' && c != kEof)
        throw CsvError(line_,
                       tr("{char} follows a closing quote; a quoted field must end at its closing quote "
                          "(write a quote inside a quoted field as \"\")",
                          {{"char", shown(c)}}),
                       false);
    } else {
      while (c != sep_ && c != '\n' && c != '\r' && c != kEof) {
        if (c == '"')
          throw CsvError(line_,
                         tr("quote in the middle of an unquoted field; put the whole field in quotes and "
                            "double the quotes inside (\"like \"\"this\"\"\")"),
                         false);
        field += char(c);
        c = get();
      }
    }
    row.fields.push_back(field);
    if (c == sep_) {
      c = get();
      continue;
    }
    if (c == '\r' && peek() == '\n') get();
    if (c != kEof) ++line_;
    break;
  }
  return true;
}

bool CsvReader::read_header(std::vector<std::string>& names) {
  CsvRow row;
  if (!read_record(row)) return false;
  names = row.fields;
  columns_ = names.size();
  return true;
}

bool CsvReader::next(CsvRow& row) {
  if (!read_record(row)) return false;
  if (columns_ && row.fields.size() != columns_)
    throw CsvError(row.line,
                   tr(row.fields.size() == 1 ? "has {n} column but the header has {header}"
                                             : "has {n} columns but the header has {header}",
                      {{"n", row.fields.size()}, {"header", columns_}}),
                   true);
  return true;
}

std::string CsvWriter::quote(const std::string& f, char sep) {
  bool needs = f.find_first_of(std::string("\"\r\n") + sep) != std::string::npos ||
               (!f.empty() && (f.front() == ' ' || f.back() == ' '));
  if (!needs) return f;
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string neutralise_formula(const std::string& f) {
  if (f.empty()) return f;
  char c = f.front();
  if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') return f;
  if (c == '+' || c == '-') {
    // A sign, digits, at most one decimal separator (',' or '.') between digits: a number.
    size_t i = 1, digits = 0, seps = 0;
    bool number = f.size() > 1;
    for (; i < f.size() && number; ++i) {
      char d = f[i];
      if (d >= '0' && d <= '9') ++digits;
      else if ((d == ',' || d == '.') && seps == 0 && digits > 0 && i + 1 < f.size()) ++seps;
      else number = false;
    }
    if (number && digits > 0) return f;
  }
  return "'" + f;
}

void CsvWriter::write_row(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out_ << sep_;
    out_ << quote(neutralise_ ? neutralise_formula(fields[i]) : fields[i], sep_);
  }
  out_ << "\r\n";
}

}  // namespace gz::io
