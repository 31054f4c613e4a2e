// Imports of whole files as tracked runs (docs/import.md): the saved mapping format, the run row
// with its checkpoint (table import_runs), automatic resume of an unfinished run of the same file,
// the reject and warning files. Used by `gazelle import` and by the web import wizard.
//
// A mapping is JSON:
//   {"columns":   {"file column": "field" | "-", …},
//    "constants": {"field": value, …},
//    "options":   {"create_missing": bool, "returns_prefix": "C", "allow_anonymous": bool}}
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "domain/import_service.h"

namespace gz::domain {

// Checks a mapping's shape (throws Problem naming the wrong key) and returns it normalised.
json normalise_mapping(const json& mapping);
// Puts a mapping into import options (map, constants, options).
void apply_mapping(const json& mapping, ImportOptions& o);
// The mapping that the options express (for --save-mapping).
json mapping_of(const ImportOptions& o);

struct ImportFileRequest {
  std::string entity;
  std::string path;       // the file (CSV or XLSX)
  std::string file_name;  // as shown to the user; default: path
  std::string sheet;      // XLSX: "" = the first
  json mapping = json::object();
  bool dry_run = false, all_or_nothing = false;
  int batch_size = 1000;
  bool restart = false;         // ignore an unfinished run of the same file (start again)
  bool require_resume = false;  // fail when there is no unfinished run to resume
  std::optional<int64_t> run_id;  // a run created beforehand (queued by the web), to run now
  std::string rejects_path;     // "" = no reject file; written as line,column,reason
  std::string warnings_path;    // "" = none; line,column,warning
  size_t preview_rows = 0;
  int64_t limit_rows = 0;
  std::function<void(int64_t rows, uint64_t bytes, uint64_t total)> on_progress;
  // Derived columns ("target=expression", domain/import_derive.h) applied to the rows as they are
  // read; their warnings go to the warnings file and the report (kind "derive").
  std::vector<std::string> derive;
  // Before the rows are written: the rows that look like stored records, each as a warning
  // (line, column, "looks like …"). Given by the CLI and the API (matching::
  // import_duplicate_warnings; the domain does not know the matching engine). Each becomes a
  // warning of kind "probable_duplicate" in the warnings file and the report; the row is still
  // imported (the user decides: merge afterwards, or dismiss).
  std::function<std::vector<ImportError>(RowSource& source, const ImportOptions& options)> duplicate_check;
};

struct ImportFileResult {
  ImportReport report;
  int64_t run_id = 0;  // 0 for a dry run (not tracked)
  bool resumed = false;
};

// The report as JSON (API, CLI --format json, import_runs.report).
json report_json(const ImportReport& r);

// SHA-256 of a file, streamed.
std::string file_sha256(const std::string& path);

// Runs the import of a file as a tracked run. Throws Problem before writing anything when the
// file, mapping or columns are wrong; marks the run failed when it stops on an error after that.
ImportFileResult import_file(RecordService& records, const Actor& actor, const ImportFileRequest& req);

// A running import renews its run's updated_at every kHeartbeatSeconds; a run left running or
// queued without a sign of life for kRunLeaseSeconds belongs to a process that died.
constexpr int64_t kHeartbeatSeconds = 20;
constexpr int64_t kRunLeaseSeconds = 120;
// Marks the runs whose process died (see kRunLeaseSeconds) as failed, with an error saying they
// were interrupted; importing the same file again resumes them. Called by `gazelle serve` at
// start and whenever runs are read. Returns how many were marked.
int64_t mark_interrupted_runs(store::Database& db);
extern const char* const kInterruptedError;

// Creates a queued run for the web (the file is imported later by import_file with run_id).
int64_t queue_import_run(store::Database& db, const Actor& actor, const ImportFileRequest& req);

}  // namespace gz::domain
