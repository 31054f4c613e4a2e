#include "io/xlsx_reader.h"

#include <expat.h>
#include <unzip.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>

namespace gz::io {

namespace {

// Local name of an element ("x:row" → "row"): some producers prefix the spreadsheet namespace.
std::string_view local(const char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attr(const char** atts, std::string_view key) {
  for (size_t i = 0; atts[i]; i += 2)
    if (local(atts[i]) == key) return atts[i + 1];
  return nullptr;
}

// Joins a relationship target to the folder of the part that names it ("worksheets/sheet1.xml"
// from xl/workbook.xml → "xl/worksheets/sheet1.xml"; "/xl/…" is absolute).
std::string resolve_target(const std::string& base_dir, const std::string& target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  std::vector<std::string> parts;
  std::string path = base_dir + target;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") { if (!parts.empty()) parts.pop_back(); }
    else if (!part.empty() && part != ".") parts.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// SAX parsing of one zip entry, fed chunk by chunk.
class Parser {
 public:
  Parser() : p_(XML_ParserCreate(nullptr)) {
    if (!p_) throw XlsxError("cannot create an XML parser");
    XML_SetUserData(p_, this);
    XML_SetElementHandler(p_, &Parser::on_start, &Parser::on_end);
    XML_SetCharacterDataHandler(p_, &Parser::on_text);
  }
  virtual ~Parser() { XML_ParserFree(p_); }
  void feed(const char* data, size_t n, bool last, const std::string& part) {
    if (XML_Parse(p_, data, int(n), last) == XML_STATUS_ERROR)
      throw XlsxError(part + " is not valid XML (line " + std::to_string(XML_GetCurrentLineNumber(p_)) +
                      "): " + XML_ErrorString(XML_GetErrorCode(p_)));
  }

 protected:
  virtual void start(std::string_view name, const char** atts) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(const char*, int) {}

 private:
  static void on_start(void* u, const char* n, const char** a) { static_cast<Parser*>(u)->start(local(n), a); }
  static void on_end(void* u, const char* n) { static_cast<Parser*>(u)->end(local(n)); }
  static void on_text(void* u, const char* s, int len) { static_cast<Parser*>(u)->text(s, len); }
  XML_Parser p_;
};

// Sheet names and relationship ids from xl/workbook.xml.
struct WorkbookParser : Parser {
  std::vector<std::pair<std::string, std::string>> sheets;  // name, r:id
  bool date1904 = false;
  void start(std::string_view name, const char** atts) override {
    if (name == "sheet") {
      const char* n = attr(atts, "name");
      const char* id = attr(atts, "id");
      if (n && id) sheets.emplace_back(n, id);
    } else if (name == "workbookPr") {
      const char* d = attr(atts, "date1904");
      date1904 = d && (std::strcmp(d, "1") == 0 || std::strcmp(d, "true") == 0);
    }
  }
  void end(std::string_view) override {}
};

struct RelsParser : Parser {
  std::map<std::string, std::string> targets;  // id -> target
  std::string office_document;                 // package rels: the workbook part
  void start(std::string_view name, const char** atts) override {
    if (name != "Relationship") return;
    const char* id = attr(atts, "Id");
    const char* target = attr(atts, "Target");
    const char* type = attr(atts, "Type");
    if (id && target) targets[id] = target;
    // The type ends in /officeDocument; other types (extended-properties…) hold the same word in
    // their namespace part, so only the end counts.
    std::string_view t = type ? type : "";
    if (target && t.size() >= 15 && t.substr(t.size() - 15) == "/officeDocument") office_document = target;
  }
  void end(std::string_view) override {}
};

// Shared strings: <si> holds a <t>, or rich-text runs <r><t>…</t></r> to concatenate; phonetic
// runs (<rPh>) are not part of the value.
struct SharedStringsParser : Parser {
  std::vector<std::string> strings;
  std::string current;
  bool in_t = false;
  int in_rph = 0;
  void start(std::string_view name, const char**) override {
    if (name == "si") current.clear();
    else if (name == "rPh") ++in_rph;
    else if (name == "t" && !in_rph) in_t = true;
  }
  void end(std::string_view name) override {
    if (name == "si") strings.push_back(std::move(current)), current.clear();
    else if (name == "rPh") --in_rph;
    else if (name == "t") in_t = false;
  }
  void text(const char* s, int len) override {
    if (in_t) current.append(s, size_t(len));
  }
};

// Styles: for each cell format (cellXfs/xf, indexed by a cell's s attribute), whether its number
// format is a date and whether it shows a time.
struct StylesParser : Parser {
  std::map<int, std::string> custom;  // numFmtId -> formatCode
  std::vector<int> xf_numfmt;
  bool in_cellxfs = false;
  void start(std::string_view name, const char** atts) override {
    if (name == "numFmt") {
      const char* id = attr(atts, "numFmtId");
      const char* code = attr(atts, "formatCode");
      if (id && code) custom[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cellxfs = true;
    } else if (name == "xf" && in_cellxfs) {
      const char* id = attr(atts, "numFmtId");
      xf_numfmt.push_back(id ? std::atoi(id) : 0);
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cellxfs = false;
  }
};

enum class DateKind : uint8_t { None, Date, DateTime };

DateKind builtin_date(int id) {
  // ECMA-376 18.8.30: 14-17 dates, 18-21 times, 22 date and time, 45-47 times.
  if (id >= 14 && id <= 17) return DateKind::Date;
  if ((id >= 18 && id <= 22) || (id >= 45 && id <= 47)) return DateKind::DateTime;
  return DateKind::None;
}

}  // namespace

int xlsx_column_index(std::string_view ref) {
  int col = 0;
  bool any = false;
  for (char ch : ref) {
    if (ch == '$') continue;
    if (ch >= 'a' && ch <= 'z') ch = char(ch - 'a' + 'A');
    if (ch < 'A' || ch > 'Z') break;
    col = col * 26 + (ch - 'A' + 1);
    any = true;
    if (col > 16384) return -1;  // beyond XFD
  }
  return any ? col - 1 : -1;
}

int64_t xlsx_row_number(std::string_view ref) {
  int64_t row = 0;
  for (char ch : ref)
    if (ch >= '0' && ch <= '9') row = row * 10 + (ch - '0');
  return row;
}

bool xlsx_format_is_date(std::string_view code, bool* has_time) {
  bool date = false, time = false;
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char ch = code[i];
    if (quoted) { if (ch == '"') quoted = false; continue; }
    if (ch == '"') { quoted = true; continue; }
    if (ch == '\\' || ch == '_' || ch == '*') { ++i; continue; }  // escaped / padding character
    if (ch == '[') {  // [h] elapsed hours is a time; [Red], [$-409] are not date parts
      size_t close = code.find(']', i);
      std::string_view in = code.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
      if (!in.empty() && (in[0] == 'h' || in[0] == 'H' || in[0] == 'm' || in[0] == 's')) time = true;
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    char l = char(std::tolower(static_cast<unsigned char>(ch)));
    if (l == 'y' || l == 'd') date = true;
    else if (l == 'h' || l == 's') time = true;
    else if (l == 'm') date = true;  // month or minute: either way a date/time format
    else if (ch == ';') break;       // only the first section decides
  }
  if (has_time) *has_time = time;
  return date || time;
}

std::string xlsx_serial_to_iso(double serial, bool with_time, bool date1904) {
  // Seconds rounded first, so 0.99999999 of a day becomes the next day at 00:00:00.
  int64_t total = int64_t(std::llround(serial * 86400.0));
  int64_t days = total / 86400, secs = total % 86400;
  if (secs < 0) secs += 86400, --days;
  if (date1904) {
    days += 1462;  // 1904-01-01 is serial 1462 in the 1900 system
  } else if (days < 61) {
    // Serial 60 is Lotus's 1900-02-29, which does not exist; below it, days count from 1899-12-31.
    if (days == 60) days = 61;
    days += 1;
  }
  // Days since 1899-12-30 → civil date (Howard Hinnant's algorithm, from 1970-01-01).
  int64_t z = days - 25569 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[96];  // room for any int64 fields, so that -Wformat-truncation has nothing to say
  if (with_time)
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", (long long)y, (long long)m, (long long)d,
                  (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
  return buf;
}

// ---------------------------------------------------------------------------------------------

namespace {

// The sheet: rows collected into a queue as the parser meets them.
struct SheetParser : Parser {
  const std::vector<std::string>* shared = nullptr;
  const std::vector<DateKind>* xf_dates = nullptr;
  bool date1904 = false;

  struct Row {
    int64_t number;
    std::vector<std::string> cells;
  };
  std::deque<Row> ready;

  bool in_row = false;
  Row row;
  int64_t last_row = 0;
  int next_col = 0;
  // Current cell
  bool in_cell = false;
  int col = 0;
  std::string type;
  int style = 0;
  std::string value;  // <v> text or inline string
  bool in_v = false, in_t = false;
  int in_rph = 0;

  void start(std::string_view name, const char** atts) override {
    if (name == "row") {
      in_row = true;
      row.cells.clear();
      const char* r = attr(atts, "r");
      row.number = r ? std::atoll(r) : last_row + 1;
      next_col = 0;
    } else if (name == "c" && in_row) {
      in_cell = true;
      const char* r = attr(atts, "r");
      int c = r ? xlsx_column_index(r) : -1;
      col = c >= 0 ? c : next_col;
      const char* t = attr(atts, "t");
      type = t ? t : "n";
      const char* s = attr(atts, "s");
      style = s ? std::atoi(s) : 0;
      value.clear();
    } else if (in_cell && name == "v") {
      in_v = true;
    } else if (in_cell && name == "rPh") {
      ++in_rph;
    } else if (in_cell && name == "t" && !in_rph) {
      in_t = true;
    }
  }

  void end(std::string_view name) override {
    if (name == "v") in_v = false;
    else if (name == "t") in_t = false;
    else if (name == "rPh") --in_rph;
    else if (name == "c" && in_cell) {
      in_cell = false;
      if (col >= 16384) throw XlsxError("cell beyond column XFD in row " + std::to_string(row.number));
      if (row.cells.size() <= size_t(col)) row.cells.resize(size_t(col) + 1);
      row.cells[size_t(col)] = cell_text();
      next_col = col + 1;
    } else if (name == "row" && in_row) {
      in_row = false;
      while (!row.cells.empty() && row.cells.back().empty()) row.cells.pop_back();
      last_row = row.number;
      ready.push_back(std::move(row));
      row = Row{};
    }
  }

  void text(const char* s, int len) override {
    if (in_v || in_t) value.append(s, size_t(len));
  }

  std::string cell_text() {
    if (type == "s") {
      char* end = nullptr;
      long idx = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end || idx < 0 || size_t(idx) >= shared->size())
        throw XlsxError("row " + std::to_string(row.number) + ": shared string index '" + value + "' out of range");
      return (*shared)[size_t(idx)];
    }
    if (type == "b") return value == "1" || value == "true" ? "true" : value.empty() ? "" : "false";
    if (type == "inlineStr" || type == "str" || type == "e") return value;
    if (type == "d") return value;  // ISO 8601 date cell, already text
    // Number
    if (value.empty()) return value;
    if (style >= 0 && size_t(style) < xf_dates->size() && (*xf_dates)[size_t(style)] != DateKind::None) {
      char* end = nullptr;
      double serial = std::strtod(value.c_str(), &end);
      if (!*end && std::isfinite(serial) && serial >= 0 && serial < 2958466)  // up to 9999-12-31
        return xlsx_serial_to_iso(serial, (*xf_dates)[size_t(style)] == DateKind::DateTime ||
                                               serial != std::floor(serial),
                                  date1904);
    }
    return value;
  }
};

}  // namespace

struct XlsxReader::Impl {
  std::string path;
  unzFile zip = nullptr;
  std::vector<std::string> names;
  std::vector<std::string> parts;  // zip path of each sheet
  std::vector<std::string> shared;
  std::vector<DateKind> xf_dates;
  bool date1904 = false;

  bool entry_open = false;
  std::string entry;
  uint64_t total = 0, read = 0;
  bool done = false;
  std::unique_ptr<SheetParser> sheet;

  ~Impl() {
    if (zip) {
      if (entry_open) unzCloseCurrentFile(zip);
      unzClose(zip);
    }
  }

  bool locate(const std::string& name) { return unzLocateFile(zip, name.c_str(), 1) == UNZ_OK; }

  void open_entry(const std::string& name) {
    if (entry_open) unzCloseCurrentFile(zip), entry_open = false;
    if (!locate(name)) throw XlsxError(path + ": the workbook has no part " + name);
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK ||
        unzOpenCurrentFile(zip) != UNZ_OK)
      throw XlsxError(path + ": cannot read " + name + " in the zip");
    entry_open = true;
    entry = name;
    total = info.uncompressed_size;
    read = 0;
  }

  // Reads up to n bytes of the open entry; 0 at its end.
  size_t read_chunk(char* buf, size_t n) {
    int got = unzReadCurrentFile(zip, buf, unsigned(n));
    if (got < 0) throw XlsxError(path + ": " + entry + " is damaged in the zip (error " + std::to_string(got) + ")");
    read += uint64_t(got);
    return size_t(got);
  }

  void parse_whole(const std::string& name, Parser& p) {
    open_entry(name);
    std::vector<char> buf(1 << 16);
    for (;;) {
      size_t n = read_chunk(buf.data(), buf.size());
      p.feed(buf.data(), n, n == 0, name);
      if (n == 0) break;
    }
    unzCloseCurrentFile(zip);
    entry_open = false;
  }
};

XlsxReader::XlsxReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.path = path;
  m.zip = unzOpen64(path.c_str());
  if (!m.zip) throw XlsxError(path + " is not an XLSX workbook (not a zip file)");

  std::string workbook = "xl/workbook.xml";
  if (m.locate("_rels/.rels")) {
    RelsParser pkg;
    m.parse_whole("_rels/.rels", pkg);
    if (!pkg.office_document.empty()) workbook = resolve_target("", pkg.office_document);
  }
  if (!m.locate(workbook)) throw XlsxError(path + " is not an XLSX workbook (no " + workbook + ")");
  std::string dir = workbook.substr(0, workbook.rfind('/') + 1);
  std::string rels_name = dir + "_rels/" + workbook.substr(dir.size()) + ".rels";

  WorkbookParser wb;
  m.parse_whole(workbook, wb);
  m.date1904 = wb.date1904;
  RelsParser rels;
  if (m.locate(rels_name)) m.parse_whole(rels_name, rels);
  for (const auto& [name, id] : wb.sheets) {
    auto it = rels.targets.find(id);
    if (it == rels.targets.end()) continue;
    m.names.push_back(name);
    m.parts.push_back(resolve_target(dir, it->second));
  }
  if (m.names.empty()) throw XlsxError(path + ": the workbook has no worksheet");

  // Shared strings and styles: found by their usual names (the relationships name them the same
  // way in every producer seen in practice).
  for (const auto& [id, target] : rels.targets) {
    std::string part = resolve_target(dir, target);
    if (part.size() >= 17 && part.compare(part.size() - 17, 17, "sharedStrings.xml") == 0 && m.locate(part)) {
      SharedStringsParser ss;
      m.parse_whole(part, ss);
      m.shared = std::move(ss.strings);
    } else if (part.size() >= 10 && part.compare(part.size() - 10, 10, "styles.xml") == 0 && m.locate(part)) {
      StylesParser st;
      m.parse_whole(part, st);
      for (int id_fmt : st.xf_numfmt) {
        DateKind k = builtin_date(id_fmt);
        auto c = st.custom.find(id_fmt);
        if (c != st.custom.end()) {
          bool has_time = false;
          k = xlsx_format_is_date(c->second, &has_time) ? (has_time ? DateKind::DateTime : DateKind::Date)
                                                        : DateKind::None;
        }
        m.xf_dates.push_back(k);
      }
    }
  }
}

XlsxReader::~XlsxReader() = default;

const std::vector<std::string>& XlsxReader::sheet_names() const { return impl_->names; }

void XlsxReader::open_sheet(const std::string& name) {
  auto& m = *impl_;
  size_t idx = 0;
  if (!name.empty()) {
    idx = m.names.size();
    for (size_t i = 0; i < m.names.size(); ++i)
      if (m.names[i] == name) idx = i;
    if (idx == m.names.size()) {
      std::string list;
      for (const auto& n : m.names) list += (list.empty() ? "'" : ", '") + n + "'";
      throw XlsxError("the workbook has no sheet '" + name + "'; its sheets are " + list);
    }
  }
  m.open_entry(m.parts[idx]);
  m.sheet = std::make_unique<SheetParser>();
  m.sheet->shared = &m.shared;
  m.sheet->xf_dates = &m.xf_dates;
  m.sheet->date1904 = m.date1904;
  m.done = false;
}

bool XlsxReader::next_row(std::vector<std::string>& cells, int64_t& row) {
  auto& m = *impl_;
  if (!m.sheet) open_sheet("");
  char buf[1 << 15];
  while (m.sheet->ready.empty() && !m.done) {
    size_t n = m.read_chunk(buf, sizeof buf);
    m.sheet->feed(buf, n, n == 0, m.entry);
    if (n == 0) m.done = true;
  }
  if (m.sheet->ready.empty()) return false;
  auto& r = m.sheet->ready.front();
  cells = std::move(r.cells);
  row = r.number;
  m.sheet->ready.pop_front();
  return true;
}

uint64_t XlsxReader::bytes_read() const { return impl_->read; }
uint64_t XlsxReader::total_bytes() const { return impl_->total; }

}  // namespace gz::io
