// Import of CSV and XLSX files into accounts, contacts, households, orders and interactions, and export of any of them to CSV or
// XLSX. The import turns each CSV row into the JSON input of RecordService::create_in/update_in,
// so an imported record obeys exactly the rules of one entered by hand; the export pages through
// RecordService::list, so it shows what the actor may see and nothing more.
//
// Columns: a header names a schema field (or is mapped to one with map, "-" to skip it).
// Special columns: external_id (upsert key), id (matches a record of this database, see
// docs/cli.md), <ref>_external_id (a reference given by the other record's external_id),
// <money>_eur / amount / unit_price / discount (decimal euros, converted to cents). An order
// file with a quantity column has one row per order line; rows with the same order external_id
// make one order.
//
// Counts are records (orders in the one-row-per-line form); errors are per CSV line and column.
//
// Streaming: rows are read one at a time from a RowSource (CSV stream or XLSX sheet) and
// committed in batches of batch_size rows, one transaction each; on_commit runs inside each
// batch's transaction so a checkpoint written there is exactly as durable as the batch (resume:
// ImportOptions::resume). See docs/import.md.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/message.h"
#include "domain/access.h"
#include "domain/records.h"
#include "io/csv.h"
#include "io/csv_encoding.h"

namespace gz::domain {

// Rows of an import file. next() throws io::CsvError like io::CsvReader (recoverable: the row is
// malformed but reading may go on).
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual bool read_header(std::vector<std::string>& names) = 0;
  virtual bool next(io::CsvRow& row) = 0;
  virtual uint64_t bytes_read() = 0;   // for progress (uncompressed sheet bytes for XLSX)
  virtual uint64_t total_bytes() = 0;  // 0 when unknown
  // Back to the start, for the validation pass over the whole file; false when not possible.
  virtual bool rewind() { return false; }
  // CSV: the file's encoding as it is read (detected, or given by the user), and its separator
  // once the header is read; XLSX: none (a workbook is Unicode).
  virtual std::optional<io::TextEncoding> text_encoding() const { return std::nullopt; }
  virtual char separator() const { return 0; }
};
// CSV from a stream (total_bytes: its size when known, for progress). encoding: "" = detect
// (io/csv_encoding.h; a stream that cannot seek is read as UTF-8), else one of
// io::supported_encodings().
std::unique_ptr<RowSource> csv_source(std::istream& in, uint64_t total_bytes = 0, const std::string& encoding = "");
// A sheet of an XLSX workbook ("" = the first). Throws Problem naming the sheets when absent.
std::unique_ptr<RowSource> xlsx_source(const std::string& path, const std::string& sheet = "");
// By content: a zip (XLSX) or CSV (in `encoding`, "" = detected). Keeps the stream it opens.
std::unique_ptr<RowSource> open_source(const std::string& path, const std::string& sheet = "",
                                       const std::string& encoding = "");
bool is_xlsx_file(const std::string& path);
// How a CSV file is read, for the API and the CLI: {"encoding": "windows-1252",
// "encoding_detected": true, "bom": false, "separator": ";"}; {} for XLSX.
json file_format_json(const std::optional<io::TextEncoding>& encoding, char separator);

// The entities that can be imported and exported.
const std::vector<std::string>& transfer_entities();

struct ImportError {
  int64_t line = 0;    // CSV line where the row starts (0: the file as a whole)
  std::string column;  // CSV column name, "" when the whole row is concerned
  Message message;     // rendered in the reader's language where it is shown or written
};

// Where a batched import stands; written by on_commit, given back in ImportOptions::resume.
struct ImportCheckpoint {
  int64_t last_line = 0;  // last file line of the last committed batch
  int64_t rows = 0;       // rows read up to it
  uint64_t bytes = 0;
  int64_t created = 0, updated = 0, unchanged = 0, rejected = 0, warnings = 0;
};

// What a row without an external_id does when it designates a stored record by its natural key
// (contacts: one of its e-mail addresses; accounts: its SIRET or SIREN): update that record
// (the default), leave it as it is (skip), or create a new record as if none matched (create).
enum class OnMatch { Update, Skip, Create };
const char* on_match_name(OnMatch m);
std::optional<OnMatch> on_match_of(std::string_view name);

struct ImportOptions {
  std::vector<std::pair<std::string, std::string>> map;  // CSV column -> field name, or "-" to skip
  std::map<std::string, json> constants;  // field -> value given to every record (e.g. currency GBP)
  // References by <ref>_external_id to a contact, account or household that does not exist create
  // it (contacts: last_name "Customer <id>"; accounts/households: name "<id>"), and order lines
  // with an unknown SKU create the product (name = the line's description, price = its price).
  bool create_missing = false;
  std::string returns_prefix;    // orders: an external_id with this prefix is a return (status returned)
  bool allow_anonymous = false;  // orders: rows without customer make orders without a customer
  std::string encoding;          // CSV: "" = detected (io/csv_encoding.h), else the file's encoding
  // A value the rules would refuse costs the whole row (strict), or, for a phone number that
  // cannot be used (too short, not in use…), only that number: the row is imported without it
  // and a warning (kind phone_set_aside) names it, to be corrected on the record.
  bool strict = false;
  OnMatch on_match = OnMatch::Update;
  ImportCheckpoint resume;       // resume.last_line > 0: rows up to it are read but not imported
  std::function<void(store::Connection&, const ImportCheckpoint&)> on_commit;  // in each batch's transaction
  std::function<void(const ImportError&)> on_warning;  // kept but noteworthy (e.g. price 0)
  std::function<void(int64_t rows, uint64_t bytes, uint64_t total_bytes)> on_progress_bytes;
  int64_t limit_rows = 0;   // > 0: read only the first rows (a dry-run preview of a large file)
  size_t preview_rows = 0;  // dry run: the first records as they would be stored, in ImportReport::preview
  bool dry_run = false;         // validate and report, write nothing
  bool all_or_nothing = false;  // one transaction: any rejected row -> nothing written
  int batch_size = 1000;        // rows per transaction otherwise
  // Read and check rows on one thread while another writes (see import_rows); false: all on the
  // calling thread (the reference the tests compare the two-thread import with).
  bool pipeline = true;
  size_t max_errors_kept = 1000;  // in ImportReport::errors (on_error sees them all)
  std::function<void(const ImportError&)> on_error;  // every error, in line order
  std::function<void(int64_t rows)> on_progress;     // called every few hundred rows
  // After each record written (created, updated, unchanged or skipped), in file order: the line
  // of its (first) row and the stored record's id.
  std::function<void(int64_t line, int64_t id)> on_record;
  // The lines of each rejected record (an order in the one-row-per-line form has several), in
  // file order, after its errors went to on_error: what a reject file of the original rows needs.
  std::function<void(const std::vector<int64_t>& lines)> on_rejected;
};

struct ImportReport {
  int64_t rows = 0;  // data rows read
  int64_t created = 0, updated = 0, unchanged = 0, rejected = 0;
  // Rows without external_id that matched a stored record by e-mail (contacts) or SIRET/SIREN
  // (accounts): counted also as updated or unchanged; skipped: those left as they were
  // (on_match skip, counted as unchanged too). A resumed run counts them from its checkpoint on.
  int64_t matched = 0, skipped = 0;
  std::vector<ImportError> errors;  // the first max_errors_kept
  int64_t error_count = 0;
  bool written = false;  // whether the changes were committed (false on dry run / all-or-nothing failure)
  int64_t warning_count = 0;
  std::vector<ImportError> warnings;           // the first max_errors_kept
  std::map<std::string, int64_t> warning_kinds;  // short kind ("price_zero", …) -> count
  std::map<std::string, int64_t> created_related;  // entity -> records created by create_missing
  json preview = json::array();                // dry run: [{line, record}] of the first preview_rows
  int64_t resumed_after_line = 0;
  std::optional<io::TextEncoding> encoding;  // CSV: how the file was read
  char separator = 0;                         // CSV: its separator
  // Columns named after no field and not mapped, read as suggest_mapping suggests: column -> target.
  std::vector<std::pair<std::string, std::string>> suggested_columns;
};

class ImportService {
 public:
  explicit ImportService(RecordService& records) : records_(records) {}

  // Throws Problem (before writing anything) when the entity cannot be imported, a column is
  // unknown or the CSV quoting is broken. Row-level problems are reported, not thrown.
  ImportReport import_csv(const Actor& actor, const Entity& e, std::istream& in, const ImportOptions& options);
  ImportReport import_rows(const Actor& actor, const Entity& e, RowSource& source, const ImportOptions& options);
  // The header of a file and its first rows (for the mapping step of the web wizard).
  static json peek(RowSource& source, size_t rows);
  // Suggested target for each header ("" when none), what the wizard proposes and what a column
  // that names no field is read as without a mapping (the CLI): the field names, the catalogue's
  // labels in French and English (Field::label), the entity's import_aliases and common names
  // of spreadsheets ("email", "Téléphone", "Portable", "Courriel", "Adresse e-mail", "Code
  // postal", "CP", "Raison sociale", "SIRET"…), compared folded (case, accents, spaces and
  // punctuation ignored); on contacts, a company's name or SIRET designates the contact's
  // account (account_name, account_legal_id). One column per target: the first wins, a column
  // named exactly after a field before any other. The reason column of a reject file is "-".
  static std::vector<std::string> suggest_mapping(const Entity& e, const std::vector<std::string>& header);

  // CSV with a header row: id, external_id, the fields a user can write, created_at, updated_at.
  void export_csv(const Actor& actor, const Entity& e, std::ostream& out);
  // Same columns in an XLSX workbook written to path.
  void export_xlsx(const Actor& actor, const Entity& e, const std::string& path);
  // The export's column names.
  static std::vector<std::string> export_columns(const Entity& e);

 private:
  template <class Fn>
  void for_each_record(const Actor& actor, const Entity& e, Fn&& fn);
  RecordService& records_;
};

}  // namespace gz::domain
