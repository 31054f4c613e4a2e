// Import of CSV files into accounts, contacts and orders, and export of any of them to CSV or
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
#pragma once
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "domain/access.h"
#include "domain/records.h"

namespace gz::domain {

// The entities that can be imported and exported.
const std::vector<std::string>& transfer_entities();

struct ImportError {
  int64_t line = 0;    // CSV line where the row starts (0: the file as a whole)
  std::string column;  // CSV column name, "" when the whole row is concerned
  std::string message;
};

struct ImportOptions {
  std::vector<std::pair<std::string, std::string>> map;  // CSV column -> field name, or "-" to skip
  bool dry_run = false;         // validate and report, write nothing
  bool all_or_nothing = false;  // one transaction: any rejected row -> nothing written
  int batch_size = 1000;        // rows per transaction otherwise
  size_t max_errors_kept = 1000;  // in ImportReport::errors (on_error sees them all)
  std::function<void(const ImportError&)> on_error;  // every error, in line order
  std::function<void(int64_t rows)> on_progress;     // called every few hundred rows
};

struct ImportReport {
  int64_t rows = 0;  // data rows read
  int64_t created = 0, updated = 0, unchanged = 0, rejected = 0;
  std::vector<ImportError> errors;  // the first max_errors_kept
  int64_t error_count = 0;
  bool written = false;  // whether the changes were committed (false on dry run / all-or-nothing failure)
};

class ImportService {
 public:
  explicit ImportService(RecordService& records) : records_(records) {}

  // Throws Problem (before writing anything) when the entity cannot be imported, a column is
  // unknown or the CSV quoting is broken. Row-level problems are reported, not thrown.
  ImportReport import_csv(const Actor& actor, const Entity& e, std::istream& in, const ImportOptions& options);

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
