// Imports of whole files as tracked runs (docs/import.md): the saved mapping format, the run row
// with its checkpoint (table import_runs), automatic resume of an unfinished run of the same file,
// the reject and warning files. Used by `gazelle import` and by the web import wizard.
//
// A mapping is JSON:
//   {"columns":   {"file column": "field" | "-", …},
//    "constants": {"field": value, …},
//    "options":   {"create_missing": bool, "returns_prefix": "C", "allow_anonymous": bool,
//                  "encoding": "windows-1252" (default: detected), "strict": bool,
//                  "on_match": "update" (default) | "skip" | "create"}}
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "domain/import_service.h"
#include "domain/jobs.h"

namespace gz::domain {

// Checks a mapping's shape (throws Problem naming the wrong key) and returns it normalised.
json normalise_mapping(const json& mapping);
// Puts a mapping into import options (map, constants, options).
void apply_mapping(const json& mapping, ImportOptions& o);
// The mapping that the options express (for --save-mapping).
json mapping_of(const ImportOptions& o);

// A row of a file that looks like stored records (the duplicate check of an import run, given
// by the matching engine: the domain does not know it).
struct ImportDuplicate {
  int64_t line = 0;
  struct Candidate {
    int64_t id = 0;
    // In words, without a score: "probablement la même personne que Isabelle Denis (même e-mail,
    // même date de naissance)".
    Message text;
    double score = 0;
    bool probable = false;
    json explanation;  // per field: a = the row's value, b = the candidate's
  };
  std::vector<Candidate> candidates;  // best first
};
struct ImportDuplicates {
  std::vector<ImportDuplicate> rows;
  // Puts pairs (the record a row became, a candidate it looks like) into the duplicates review
  // list, so that the duplicates page shows them without a scan.
  std::function<void(const std::vector<std::pair<int64_t, const ImportDuplicate::Candidate*>>&)> queue;
};

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
  // "" = no reject file; otherwise, once the run is done, the rejected rows as they are in the
  // file with a reason column (docs/import.md, "Reject and warning files"); during the run a
  // journal beside it (rejects_path + ".journal", line,column,reason) keeps them for a resume.
  std::string rejects_path;
  std::string warnings_path;    // "" = none; line,column,warning
  size_t preview_rows = 0;
  int64_t limit_rows = 0;
  // The language the run's messages are written in (its report, the rejects and warnings
  // files): the user's, as the API or the CLI's locale gives it.
  std::string language = "fr";
  std::function<void(int64_t rows, uint64_t bytes, uint64_t total)> on_progress;
  // Derived columns ("target=expression", domain/import_derive.h) applied to the rows as they are
  // read; their warnings go to the warnings file and the report (kind "derive").
  std::vector<std::string> derive;
  // Before the rows are written: the rows that look like stored records (matching::
  // import_duplicate_check; the domain does not know the matching engine). Once the rows are
  // written, each becomes a warning of kind "probable_duplicate" in the warnings file and the
  // report, naming the records it looks like in words (never the record the row itself updated,
  // matched by external_id, e-mail or SIRET), and each pair goes to the duplicates review list.
  // The rows are still imported (the user decides: merge, or dismiss).
  std::function<ImportDuplicates(RowSource& source, const ImportOptions& options)> duplicate_check;
};

struct ImportFileResult {
  ImportReport report;
  int64_t run_id = 0;  // 0 for a dry run (not tracked)
  bool resumed = false;
};

// The report as JSON (API, CLI --format json, import_runs.report).
json report_json(const ImportReport& r, std::string_view lang);

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

// ---- Runs as users see them (API, web wizard).
// The run as the API answers it: the row without internals (file hash, paths), mapping and report
// parsed, has_rejects, and percent (of the file's bytes; 100 when done). An interrupted run's
// error (kInterruptedError, stored as is) is said in `lang`.
json run_json(const json& row, std::string_view lang = "en");
// The run's row if the actor may see it (its creator, or an admin); 404 otherwise.
json visible_run(store::Database& db, const Actor& actor, int64_t id);
// The runs the actor may see, newest first (at most 200), as run_json; and one run. Both first
// mark the runs of dead processes interrupted (mark_interrupted_runs).
std::vector<json> list_runs(store::Database& db, const Actor& actor, std::string_view lang = "en");
json get_run(store::Database& db, const Actor& actor, int64_t id, std::string_view lang = "en");
// A file already imported in full, with a mapping that gives no external_id: importing it again
// creates every row again. The warning for the check step and the run's answer, or null.
// Rows are recognised by external_id, or on contacts and accounts (on_match update or skip) by
// their e-mail or SIRET: a file with such a column gets no warning. message: in lang.
json reimport_warning(store::Database& db, const std::string& path, const std::string& entity, const std::string& sheet,
                      const json& mapping, std::string_view lang = "fr");

// ---- Import runs as background jobs (docs/jobs.md): kind "import_run", payload {run_id, path,
// warnings_path, check_duplicates, remove_file}, run as the user who queued it. The job holds the
// active key "import_run:<run id>" while queued or running, so one run has one job; a job whose
// worker died is taken again after its lease and resumes the run from its checkpoint. Progress:
// {run_id, rows_done, bytes_done, percent}; result: {run_id, status, created, updated, unchanged,
// rejected}.
inline constexpr const char* kImportRunJobKind = "import_run";
std::string import_run_active_key(int64_t run_id);

struct ImportJobRequest {
  int64_t run_id = 0;            // a run made by queue_import_run
  std::string path;              // the file
  std::string warnings_path;     // "" = none
  bool check_duplicates = false;  // warn about rows that look like stored records
  bool remove_file = false;       // delete the file once the run is done (the wizard's uploads)
  std::string language = "fr";    // of the run's messages (ImportFileRequest::language)
};
// Queues the job that imports the run (nothing when the run has a queued or running job already);
// returns that job.
Job queue_import_job(store::Database& db, const Actor& actor, const ImportJobRequest& req);

// The duplicate check of a run that asked for it: given by the composition root (matching::
// import_duplicate_warnings), since the domain does not know the matching engine; empty = none.
using ImportDuplicateCheck = std::function<ImportDuplicates(store::Database& db, const Actor& actor,
                                                             const std::string& entity, RowSource& source,
                                                             const ImportOptions& options)>;
// Registers the "import_run" handler.
void add_import_run_handler(JobHandlers& handlers, ImportDuplicateCheck duplicate_check);

}  // namespace gz::domain
