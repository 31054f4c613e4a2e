#include "domain/import_runs.h"
#include "domain/derived_source.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/problem.h"
#include "core/text.h"
#include "io/csv.h"
#include "io/csv_encoding.h"
#include "store/import_store.h"
#include "store/user_store.h"
#include "domain/auth.h"

namespace gz::domain {

namespace {

std::optional<int64_t> user_of(const Actor& a) {
  return a.user_id > 0 ? std::optional<int64_t>(a.user_id) : std::nullopt;
}

// Keeps the rows of a line,column,… file whose line is at most last_line (a resumed run redoes
// the rows after its checkpoint, and reports them again).
void truncate_report_file(const std::string& path, int64_t last_line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::vector<std::vector<std::string>> keep;
  {
    io::CsvReader r(in, ',');
    std::vector<std::string> header;
    if (!r.read_header(header)) return;
    keep.push_back(header);
    io::CsvRow row;
    try {
      while (r.next(row))
        if (!row.fields.empty() && std::atoll(row.fields[0].c_str()) <= last_line) keep.push_back(row.fields);
    } catch (const io::CsvError&) {
      // A line cut by the kill: dropped with what follows.
    }
  }
  in.close();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  io::CsvWriter w(out);
  for (const auto& r : keep) w.write_row(r);
}

// A report file (rejects or warnings) opened on its first row.
class ReportFile {
 public:
  ReportFile(std::string path, std::vector<std::string> header, bool append, std::string lang)
      : path_(std::move(path)), header_(std::move(header)), append_(append), lang_(std::move(lang)) {}
  // add and flush may come from two threads: a pipelined import writes on one and reads (with
  // its --derive warnings) on the other.
  void add(const ImportError& e) {
    if (path_.empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!writer_) {
      bool exists = append_ && std::filesystem::exists(path_) && std::filesystem::file_size(path_) > 0;
      out_.open(path_, std::ios::binary | (exists ? std::ios::app : std::ios::trunc));
      if (!out_) throw std::runtime_error("cannot write " + path_);
      writer_ = std::make_unique<io::CsvWriter>(out_);
      if (!exists) writer_->write_row(header_);
    }
    writer_->write_row({std::to_string(e.line), e.column, e.message.render(lang_)});
    ++written_;
  }
  // Before a commit: what the checkpoint covers is on disk.
  void flush() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (writer_) out_.flush();
  }
  bool used() const { return writer_ != nullptr; }

 private:
  std::string path_;
  std::vector<std::string> header_;
  bool append_;
  std::string lang_;
  std::ofstream out_;
  std::unique_ptr<io::CsvWriter> writer_;
  int64_t written_ = 0;
  std::mutex mutex_;
};

// Renews the run's updated_at while an import runs (the duplicate check of a large file writes no
// checkpoint for a while), so that another server does not take it for interrupted.
class Heartbeat {
 public:
  Heartbeat(store::Database& db, int64_t run_id) : db_(db), run_id_(run_id) {
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!cv_.wait_for(lock, std::chrono::seconds(kHeartbeatSeconds), [this] { return stop_; })) {
        lock.unlock();
        try {
          store::with_transaction(db_, true, [&](store::Connection& c) {
            store::ImportRunStore::touch(c, run_id_, clock::now_utc());
          });
        } catch (const std::exception&) {
          // A missed beat is retried at the next one.
        }
        lock.lock();
      }
    });
  }
  ~Heartbeat() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  store::Database& db_;
  int64_t run_id_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Entities whose imports can check for probable duplicates: the mergeable ones.
bool has_duplicate_check(const std::string& entity) {
  const Entity* e = find_entity(entity);
  return e && e->mergeable;
}

}  // namespace

const char* const kInterruptedError =
    "interrupted: the server stopped during the import; import the same file again to resume from the last checkpoint";

int64_t mark_interrupted_runs(store::Database& db) {
  std::string before = clock::format_utc(clock::now_unix() - kRunLeaseSeconds);
  return store::with_transaction(db, true, [&](store::Connection& c) {
    return store::ImportRunStore::mark_interrupted(c, before, kInterruptedError, clock::now_utc());
  });
}

json normalise_mapping(const json& m) {
  if (m.is_null()) return json::object();
  if (!m.is_object())
    throw Problem(ProblemKind::Unprocessable, tr("a mapping is a JSON object"), {{"mapping", tr("must be an object")}});
  json out = json::object();
  for (auto it = m.begin(); it != m.end(); ++it)
    if (it.key() != "columns" && it.key() != "constants" && it.key() != "options")
      throw Problem(ProblemKind::Unprocessable, tr("unknown key '{key}' in the mapping", {{"key", it.key()}}),
                    {{"mapping." + it.key(), tr("use columns, constants and options")}});
  if (m.contains("columns") && !m["columns"].empty()) {
    if (!m["columns"].is_object())
      throw Problem(ProblemKind::Unprocessable, tr("mapping.columns maps file columns to fields"),
                    {{"mapping.columns", tr("must be an object {column: field}")}});
    for (auto it = m["columns"].begin(); it != m["columns"].end(); ++it)
      if (!it.value().is_string() || it.value().get<std::string>().empty())
        throw Problem(ProblemKind::Unprocessable,
                      tr("column '{column}' must map to a field name or -", {{"column", it.key()}}),
                      {{"mapping.columns." + it.key(), tr("must be a field name or -")}});
    out["columns"] = m["columns"];
  }
  if (m.contains("constants") && !m["constants"].empty()) {
    if (!m["constants"].is_object())
      throw Problem(ProblemKind::Unprocessable, tr("mapping.constants gives a value per field"),
                    {{"mapping.constants", tr("must be an object {field: value}")}});
    out["constants"] = m["constants"];
  }
  if (m.contains("options") && !m["options"].empty()) {
    const json& o = m["options"];
    if (!o.is_object())
      throw Problem(ProblemKind::Unprocessable, tr("mapping.options must be an object"),
                    {{"mapping.options", tr("must be an object")}});
    json opts = json::object();
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string& k = it.key();
      std::string path = "mapping.options." + k;
      if (k == "create_missing" || k == "allow_anonymous" || k == "strict") {
        if (!it.value().is_boolean())
          throw Problem(ProblemKind::Unprocessable, tr("{option} must be true or false", {{"option", path}}),
                        {{path, tr("must be a boolean")}});
        if (it.value().get<bool>()) opts[k] = true;
      } else if (k == "returns_prefix") {
        if (!it.value().is_string() || it.value().get<std::string>().size() > 20)
          throw Problem(ProblemKind::Unprocessable, tr("{option} must be a short text", {{"option", path}}),
                        {{path, tr("must be a text of at most 20 characters")}});
        if (!it.value().get<std::string>().empty()) opts[k] = it.value();
      } else if (k == "encoding") {
        auto enc = it.value().is_string() ? io::canonical_encoding(it.value().get<std::string>()) : std::nullopt;
        if (!enc) {
          std::string names;
          for (const auto& n : io::supported_encodings()) names += (names.empty() ? "" : ", ") + n;
          throw Problem(ProblemKind::Unprocessable,
                        tr("{option} must name an encoding the import reads: {encodings}, or auto",
                           {{"option", path}, {"encodings", names}}),
                        {{path, tr("use {encodings} or auto", {{"encodings", names}})}});
        }
        if (!enc->empty()) opts[k] = *enc;  // auto: detected, the default
      } else if (k == "on_match") {
        auto v = it.value().is_string() ? on_match_of(it.value().get<std::string>()) : std::nullopt;
        if (!v)
          throw Problem(ProblemKind::Unprocessable, tr("{option} must be update, skip or create", {{"option", path}}),
                        {{path, tr("use update, skip or create")}});
        if (*v != OnMatch::Update) opts[k] = on_match_name(*v);  // update: the default
      } else {
        throw Problem(ProblemKind::Unprocessable, tr("unknown import option '{option}'", {{"option", k}}),
                      {{path, tr("use create_missing, returns_prefix, allow_anonymous, encoding, strict or on_match")}});
      }
    }
    if (!opts.empty()) out["options"] = opts;
  }
  return out;
}

void apply_mapping(const json& raw, ImportOptions& o) {
  json m = normalise_mapping(raw);
  if (m.contains("columns"))
    for (auto it = m["columns"].begin(); it != m["columns"].end(); ++it)
      o.map.emplace_back(it.key(), it.value().get<std::string>());
  if (m.contains("constants"))
    for (auto it = m["constants"].begin(); it != m["constants"].end(); ++it) o.constants[it.key()] = it.value();
  if (m.contains("options")) {
    const json& opts = m["options"];
    o.create_missing = opts.value("create_missing", false);
    o.allow_anonymous = opts.value("allow_anonymous", false);
    o.returns_prefix = opts.value("returns_prefix", std::string());
    o.encoding = opts.value("encoding", std::string());
    o.strict = opts.value("strict", false);
    o.on_match = on_match_of(opts.value("on_match", std::string("update"))).value_or(OnMatch::Update);
  }
}

json mapping_of(const ImportOptions& o) {
  json m = json::object();
  for (const auto& [col, field] : o.map) m["columns"][col] = field;
  for (const auto& [field, v] : o.constants) m["constants"][field] = v;
  if (o.create_missing) m["options"]["create_missing"] = true;
  if (o.allow_anonymous) m["options"]["allow_anonymous"] = true;
  if (!o.returns_prefix.empty()) m["options"]["returns_prefix"] = o.returns_prefix;
  if (!o.encoding.empty()) m["options"]["encoding"] = o.encoding;
  if (o.strict) m["options"]["strict"] = true;
  if (o.on_match != OnMatch::Update) m["options"]["on_match"] = on_match_name(o.on_match);
  return m;
}

json report_json(const ImportReport& r, std::string_view lang) {
  json errors = json::array(), warnings = json::array();
  for (const auto& e : r.errors)
    errors.push_back({{"line", e.line}, {"column", e.column}, {"message", e.message.render(lang)}});
  for (const auto& w : r.warnings)
    warnings.push_back({{"line", w.line}, {"column", w.column}, {"message", w.message.render(lang)}});
  json body = {{"created", r.created},       {"updated", r.updated},         {"unchanged", r.unchanged},
               {"rejected", r.rejected},     {"rows", r.rows},               {"written", r.written},
               {"matched", r.matched},       {"skipped", r.skipped},
               {"errors", errors},           {"error_count", r.error_count}, {"warnings", warnings},
               {"warning_count", r.warning_count}, {"warning_kinds", r.warning_kinds},
               {"created_related", r.created_related}};
  body.update(file_format_json(r.encoding, r.separator));
  if (!r.preview.empty()) body["preview"] = r.preview;
  if (r.resumed_after_line > 0) body["resumed_after_line"] = r.resumed_after_line;
  return body;
}

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Problem(ProblemKind::NotFound, tr("cannot open {file}", {{"file", path}}));
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    if (in.gcount() > 0)
      crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()), uint64_t(in.gcount()));
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : out) s += hex[c >> 4], s += hex[c & 15];
  return s;
}

int64_t queue_import_run(store::Database& db, const Actor& actor, const ImportFileRequest& req) {
  json mapping = normalise_mapping(req.mapping);
  std::string hash = file_sha256(req.path);
  int64_t size = int64_t(std::filesystem::file_size(req.path));
  return store::with_transaction(db, true, [&](store::Connection& c) {
    if (!req.restart)
      if (auto old = store::ImportRunStore::find_resumable(c, hash, req.entity, req.sheet, mapping)) {
        store::ImportRunStore::set_status(c, (*old)["id"].get<int64_t>(), "queued", clock::now_utc());
        return (*old)["id"].get<int64_t>();
      }
    return store::ImportRunStore::create(c, req.entity, req.file_name.empty() ? req.path : req.file_name, hash, size,
                                         req.sheet, mapping, "queued", user_of(actor), req.rejects_path,
                                         clock::now_utc());
  });
}

namespace {

// The journal of a run's rejects (line, column, reason; the lines of a rejected record without
// an error of their own with an empty reason), written as rows are rejected and cut back to the
// checkpoint on resume; the reject file of original rows is made from it when the run is done.
std::string journal_path(const std::string& rejects_path) { return rejects_path + ".journal"; }

// The reject file a user corrects and imports again: the rejected rows as they are in the file
// (every column, in the file's order), in its separator, encoding and byte-order mark, with a
// last column giving the reasons in the run's language. An XLSX sheet's rows are written as
// CSV in UTF-8 with a byte-order mark and ";" (what French Excel opens as it is).
void write_rejected_rows(const ImportFileRequest& req, const std::string& encoding, const std::string& journal,
                         const std::string& out_path) {
  std::map<int64_t, std::string> reasons;  // line -> the reasons, joined
  std::set<int64_t> rejected;
  {
    std::ifstream in(journal, std::ios::binary);
    io::CsvReader r(in, ',');
    std::vector<std::string> header;
    if (in && r.read_header(header)) {
      io::CsvRow row;
      std::string sep = req.language == "en" ? "; " : "\u00a0; ";
      try {
        while (r.next(row)) {
          if (row.fields.size() < 3) continue;
          int64_t line = std::atoll(row.fields[0].c_str());
          rejected.insert(line);
          if (row.fields[2].empty()) continue;
          std::string text = row.fields[1].empty()
                                 ? row.fields[2]
                                 : tr("{column}: {reason}", {{"column", row.fields[1]}, {"reason", row.fields[2]}}).render(req.language);
          std::string& all = reasons[line];
          if (all.find(text) == std::string::npos) all += (all.empty() ? "" : sep) + text;
        }
      } catch (const io::CsvError&) {
        // A line cut by a kill: what was read is written.
      }
    }
  }
  std::error_code ec;
  std::filesystem::remove(out_path, ec);
  if (rejected.empty()) return;
  auto source = open_source(req.path, req.sheet, encoding);
  std::vector<std::string> header;
  if (!source->read_header(header)) return;
  auto enc = source->text_encoding();
  std::string out_encoding = enc ? enc->name : "UTF-8";
  bool bom = enc ? enc->bom : true;
  char sep = source->separator() ? source->separator() : ';';
  std::string tmp = out_path + ".part";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + out_path);
  if (bom) out << io::byte_order_mark(out_encoding);
  auto write = [&](const std::vector<std::string>& cells) {
    std::ostringstream line;
    io::CsvWriter w(line, sep);
    w.write_row(cells);
    out << io::encode_text(line.str(), out_encoding);
  };
  header.push_back(tr("Rejection reason").render(req.language));
  write(header);
  io::CsvRow row;
  std::string generic = tr("rejected with the other rows of the same record").render(req.language);
  for (;;) {
    try {
      if (!source->next(row)) break;
    } catch (const io::CsvError& err) {
      if (!err.recoverable()) break;
      row.line = err.line();  // a row with a wrong number of cells: written as read
    }
    if (!rejected.count(row.line)) continue;
    auto it = reasons.find(row.line);
    row.fields.push_back(it != reasons.end() ? it->second : generic);
    write(row.fields);
  }
  out.close();
  std::filesystem::rename(tmp, out_path);
}

// "probablement la même personne que …; peut-être …" for the candidates left (at most three).
Message duplicate_message(const std::vector<const ImportDuplicate::Candidate*>& cands) {
  Message m = cands.front()->text;
  for (size_t i = 1; i < cands.size() && i < 3; ++i) m = tr("{first}; {next}", {{"first", m}, {"next", cands[i]->text}});
  if (cands.size() > 3) m = tr("{list}; and {n} more", {{"list", m}, {"n", cands.size() - 3}});
  return m;
}

}  // namespace

ImportFileResult import_file(RecordService& records, const Actor& actor, const ImportFileRequest& req) {
  const Entity* e = find_entity(req.entity);
  if (!e) throw Problem(ProblemKind::NotFound, tr("'{entity}' cannot be imported", {{"entity", req.entity}}));
  ImportOptions o;
  json mapping = normalise_mapping(req.mapping);
  apply_mapping(mapping, o);
  o.dry_run = req.dry_run;
  o.all_or_nothing = req.all_or_nothing;
  o.batch_size = req.batch_size;
  o.preview_rows = req.preview_rows;
  o.limit_rows = req.limit_rows;
  // A wrong derivation fails before the run is recorded.
  ColumnDerivation derivation = ColumnDerivation::parse(req.derive);
  auto source = open_source(req.path, req.sheet, o.encoding);
  store::Database& db = records.database();

  ImportFileResult result;
  bool tracked = !req.dry_run;
  if (tracked) {
    std::string hash = file_sha256(req.path);
    int64_t size = int64_t(std::filesystem::file_size(req.path));
    std::string now = clock::now_utc();
    std::optional<json> run = store::with_transaction(db, true, [&](store::Connection& c) -> std::optional<json> {
      if (req.run_id) return store::ImportRunStore::find(c, *req.run_id);
      if (req.restart) return std::nullopt;
      return store::ImportRunStore::find_resumable(c, hash, req.entity, req.sheet, mapping);
    });
    if (req.require_resume && (!run || run->value("last_line", int64_t(0)) == 0))
      throw Problem(ProblemKind::NotFound,
                    tr("there is no unfinished import of {file} into {entity} with this mapping to resume",
                       {{"file", req.path}, {"entity", Message::both(e->label.fr, e->label.en)}}));
    if (run) {
      result.run_id = (*run)["id"].get<int64_t>();
      o.resume.last_line = run->value("last_line", int64_t(0));
      o.resume.rows = run->value("rows_done", int64_t(0));
      o.resume.created = run->value("created", int64_t(0));
      o.resume.updated = run->value("updated", int64_t(0));
      o.resume.unchanged = run->value("unchanged", int64_t(0));
      o.resume.rejected = run->value("rejected", int64_t(0));
      o.resume.warnings = run->value("warnings", int64_t(0));
      result.resumed = o.resume.last_line > 0;
      store::with_transaction(db, true, [&](store::Connection& c) {
        store::ImportRunStore::set_status(c, result.run_id, "running", now);
      });
    } else {
      result.run_id = store::with_transaction(db, true, [&](store::Connection& c) {
        return store::ImportRunStore::create(c, req.entity, req.file_name.empty() ? req.path : req.file_name, hash,
                                             size, req.sheet, mapping, "running", user_of(actor), req.rejects_path, now);
      });
    }
    store::with_transaction(db, true, [&](store::Connection& c) {
      store::ImportRunStore::set_total_bytes(c, result.run_id, int64_t(source->total_bytes()));
    });
  }

  std::optional<Heartbeat> heartbeat;
  if (tracked) heartbeat.emplace(db, result.run_id);

  // A resumed run keeps the reports of the rows its checkpoint covers.
  std::string journal = req.rejects_path.empty() ? "" : journal_path(req.rejects_path);
  if (result.resumed) {
    if (!journal.empty()) truncate_report_file(journal, o.resume.last_line);
    if (!req.warnings_path.empty()) truncate_report_file(req.warnings_path, o.resume.last_line);
  } else {
    std::error_code ec;
    if (!req.dry_run && !req.rejects_path.empty()) {  // stale
      std::filesystem::remove(req.rejects_path, ec);
      std::filesystem::remove(journal, ec);
    }
    if (!req.dry_run && !req.warnings_path.empty()) std::filesystem::remove(req.warnings_path, ec);
  }
  ReportFile rejects(req.dry_run ? "" : journal, {"line", "column", "reason"}, result.resumed, req.language);
  ReportFile warnings(req.dry_run ? "" : req.warnings_path, {"line", "column", "warning"}, result.resumed, req.language);
  o.on_error = [&](const ImportError& err) { rejects.add(err); };
  // The other lines of a rejected record (an order's), so that the reject file gives it whole.
  o.on_rejected = [&](const std::vector<int64_t>& lines) {
    if (lines.size() > 1)
      for (int64_t line : lines) rejects.add({line, "", Message()});
  };
  o.on_warning = [&](const ImportError& w) { warnings.add(w); };
  o.on_progress_bytes = req.on_progress;
  if (tracked)
    o.on_commit = [&](store::Connection& c, const ImportCheckpoint& cp) {
      rejects.flush();
      warnings.flush();
      store::ImportCounts n;
      n.last_line = cp.last_line;
      n.rows = cp.rows;
      n.bytes = int64_t(cp.bytes);
      n.created = cp.created;
      n.updated = cp.updated;
      n.unchanged = cp.unchanged;
      n.rejected = cp.rejected;
      n.warnings = cp.warnings;
      store::ImportRunStore::checkpoint(c, result.run_id, n, clock::now_utc());
    };

  // Rows that look like stored records, found before any row is written (a resumed run: those
  // after its checkpoint). The file is read again for this, derived the same way. They are
  // reported once the rows are written, when the record each row became is known: a row never
  // looks like itself (the record its e-mail or SIRET matched), and each pair goes to the
  // duplicates review list.
  ImportDuplicates duplicates;
  std::map<int64_t, int64_t> record_of_line;  // lines of duplicates.rows -> the record written
  if (req.duplicate_check && !req.dry_run) {
    auto check_source = open_source(req.path, req.sheet, o.encoding);
    if (!req.derive.empty())
      check_source = derived_source(std::move(check_source), derivation, mapped_columns(o), nullptr, 0);
    duplicates = req.duplicate_check(*check_source, o);
    std::vector<ImportDuplicate> after;
    for (auto& d : duplicates.rows)
      if (d.line > o.resume.last_line && !d.candidates.empty()) {
        record_of_line[d.line] = 0;
        after.push_back(std::move(d));
      }
    duplicates.rows = std::move(after);
    o.on_record = [&](int64_t line, int64_t id) {
      if (auto it = record_of_line.find(line); it != record_of_line.end()) it->second = id;
    };
  }

  // --derive: the rows rewritten as they are read (derived_source.h); warnings counted below.
  int64_t derive_warnings = 0;
  std::vector<ImportError> derive_kept;
  if (!req.derive.empty())
    source = derived_source(std::move(source), std::move(derivation), mapped_columns(o),
                            [&](const ImportError& w) {
                              ++derive_warnings;
                              if (derive_kept.size() < o.max_errors_kept) derive_kept.push_back(w);
                              warnings.add(w);
                            },
                            o.resume.last_line);

  ImportService service(records);
  try {
    result.report = service.import_rows(actor, *e, *source, o);
  } catch (const std::exception& ex) {
    if (tracked) {
      std::string msg = ex.what();
      if (auto* p = dynamic_cast<const Problem*>(&ex)) msg = p->detail(req.language);
      store::with_transaction(db, true, [&](store::Connection& c) {
        store::ImportRunStore::finish(c, result.run_id, "failed", json::object(), msg, clock::now_utc());
      });
    }
    throw;
  }
  if (!duplicates.rows.empty()) {
    int64_t n = 0;
    std::vector<std::pair<int64_t, const ImportDuplicate::Candidate*>> pairs;
    for (const auto& d : duplicates.rows) {
      int64_t own = record_of_line.count(d.line) ? record_of_line[d.line] : 0;
      std::vector<const ImportDuplicate::Candidate*> others;
      for (const auto& c : d.candidates)
        if (c.id != own) others.push_back(&c);
      if (others.empty()) continue;  // the row updated the record it looked like
      ImportError w{d.line, "", duplicate_message(others)};
      ++n;
      warnings.add(w);
      if (result.report.warnings.size() < o.max_errors_kept) result.report.warnings.push_back(w);
      if (own > 0)
        for (const auto* c : others) pairs.emplace_back(own, c);
    }
    if (n > 0) {
      result.report.warning_count += n;
      result.report.warning_kinds["probable_duplicate"] += n;
    }
    if (!pairs.empty() && duplicates.queue) duplicates.queue(pairs);
  }
  if (derive_warnings > 0) {
    result.report.warning_count += derive_warnings;
    result.report.warning_kinds["derive"] += derive_warnings;
    for (auto& w : derive_kept)
      if (result.report.warnings.size() < o.max_errors_kept) result.report.warnings.push_back(std::move(w));
  }
  rejects.flush();
  warnings.flush();
  if (tracked && !req.rejects_path.empty()) {
    // The journal becomes the reject file of original rows.
    if (rejects.used() || result.resumed) write_rejected_rows(req, o.encoding, journal, req.rejects_path);
    std::error_code ec;
    std::filesystem::remove(journal, ec);
  }
  if (tracked) {
    json rep = report_json(result.report, req.language);
    rep.erase("preview");
    store::with_transaction(db, true, [&](store::Connection& c) {
      store::ImportRunStore::finish(c, result.run_id, result.report.written || !req.all_or_nothing ? "done" : "failed",
                                    rep, "", clock::now_utc());
    });
  }
  return result;
}

// ---- Runs as users see them.

json run_json(const json& row, std::string_view lang) {
  json out = store::ImportRunStore::to_json(row);
  // Stored as its English template (the runs are marked by whichever process starts first, for
  // no reader in particular): said in the reader's language here.
  if (out.value("error", json()) == json(kInterruptedError)) out["error"] = tr(kInterruptedError).render(lang);
  int64_t total = row.value("file_bytes", int64_t(0)), done = row.value("bytes_done", int64_t(0));
  std::string status = row.value("status", std::string());
  out["percent"] = status == "done" ? 100.0 : total > 0 ? std::min(100.0, 100.0 * double(done) / double(total)) : 0.0;
  return out;
}

json visible_run(store::Database& db, const Actor& actor, int64_t id) {
  auto row = store::with_transaction(db, false, [&](store::Connection& c) { return store::ImportRunStore::find(c, id); });
  if (!row || (!actor.is_admin() && row->value("created_by", json()) != json(actor.user_id)))
    throw Problem(ProblemKind::NotFound, tr("import run {id} not found", {{"id", id}}));
  return *row;
}

std::vector<json> list_runs(store::Database& db, const Actor& actor, std::string_view lang) {
  mark_interrupted_runs(db);
  auto rows = store::with_transaction(db, false, [&](store::Connection& c) { return store::ImportRunStore::list(c, 200); });
  std::vector<json> out;
  for (const auto& r : rows)
    if (actor.is_admin() || r.value("created_by", json()) == json(actor.user_id)) out.push_back(run_json(r, lang));
  return out;
}

json get_run(store::Database& db, const Actor& actor, int64_t id, std::string_view lang) {
  mark_interrupted_runs(db);
  return run_json(visible_run(db, actor, id), lang);
}

json reimport_warning(store::Database& db, const std::string& path, const std::string& entity, const std::string& sheet,
                      const json& mapping, std::string_view lang) {
  ImportOptions o;
  apply_mapping(mapping, o);
  auto source = open_source(path, sheet, o.encoding);
  json peek = ImportService::peek(*source, 0);
  const json& columns = mapping.value("columns", json::object());
  const Entity* e = find_entity(entity);
  std::vector<std::string> header = peek["header"].get<std::vector<std::string>>();
  std::vector<std::string> suggested = e ? ImportService::suggest_mapping(*e, header) : std::vector<std::string>(header.size());
  // Rows are recognised by their external_id, or (contacts, accounts; on_match update or skip)
  // by their e-mail or SIRET: then importing the file again adds nothing.
  bool keyed = false;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = text::trim(header[i]);
    std::string field = columns.contains(name) && columns[name].is_string() ? columns[name].get<std::string>()
                        : e && e->field(name)                                ? name
                        : !suggested[i].empty()                              ? suggested[i]
                                                                             : name;
    if (field == "external_id") keyed = true;
    if (o.on_match != OnMatch::Create && ((entity == "contacts" && field == "emails") || (entity == "accounts" && field == "legal_id")))
      keyed = true;
  }
  if (keyed) return nullptr;
  std::string hash = file_sha256(path);
  auto done = store::with_transaction(db, false, [&](store::Connection& c) {
    return store::ImportRunStore::find_done(c, hash, entity);
  });
  if (!done) return nullptr;
  int64_t created = done->value("created", int64_t(0));
  Message label = e ? Message::both(e->label.fr, e->label.en) : Message::verbatim(entity);
  Message m = has_duplicate_check(entity)
                  ? tr("this file was already imported into {entity} (run {run}, {created} created) and no column gives "
                       "external_id, e-mail or SIRET: importing it again adds every row again. Map the column that "
                       "identifies a row to external_id so that rows update their records, or check duplicates "
                       "(e-mail, name) first",
                       {{"entity", label}, {"run", (*done)["id"].get<int64_t>()}, {"created", created}})
                  : tr("this file was already imported into {entity} (run {run}, {created} created) and no column gives "
                       "external_id: importing it again adds every row again. Map the column that identifies a row to "
                       "external_id so that rows update their records",
                       {{"entity", label}, {"run", (*done)["id"].get<int64_t>()}, {"created", created}});
  return {{"kind", "already_imported"},
          {"run_id", (*done)["id"]},
          {"finished_at", done->value("finished_at", json())},
          {"created", created},
          {"message", m.render(lang)}};
}

// ---- Import runs as jobs.

std::string import_run_active_key(int64_t run_id) { return std::string(kImportRunJobKind) + ":" + std::to_string(run_id); }

Job queue_import_job(store::Database& db, const Actor& actor, const ImportJobRequest& req) {
  json payload = {{"run_id", req.run_id}, {"path", req.path}};
  if (!req.warnings_path.empty()) payload["warnings_path"] = req.warnings_path;
  if (req.check_duplicates) payload["check_duplicates"] = true;
  if (req.remove_file) payload["remove_file"] = true;
  payload["language"] = req.language;
  JobQueue queue(db);
  EnqueueOptions o;
  o.active_key = import_run_active_key(req.run_id);
  o.created_by = actor.user_id;
  // A failure other than a wrong file (the database went away…) is tried again, from the
  // checkpoint; a worker that died mid-import counts as an attempt too.
  o.max_attempts = 3;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (auto id = queue.enqueue(kImportRunJobKind, payload, o)) return *queue.find(*id);
    if (auto active = queue.find_active(*o.active_key)) return *active;
  }
  throw Problem(ProblemKind::Conflict,
                tr("the import run {id} keeps starting and ending; try again", {{"id", req.run_id}}));
}

void add_import_run_handler(JobHandlers& handlers, ImportDuplicateCheck duplicate_check) {
  handlers.add(kImportRunJobKind, [duplicate_check](JobContext& ctx) {
    const json& p = ctx.job.payload;
    int64_t run_id = p.value("run_id", json()).is_number_integer() ? p["run_id"].get<int64_t>() : 0;
    std::string path = p.value("path", json()).is_string() ? p["path"].get<std::string>() : "";
    auto run = store::with_transaction(ctx.db, false, [&](store::Connection& c) { return store::ImportRunStore::find(c, run_id); });
    if (!run || path.empty()) throw PermanentJobError("import run " + std::to_string(run_id) + " does not exist");
    auto text = [&](const char* k) { return run->value(k, json()).is_string() ? (*run)[k].get<std::string>() : std::string(); };
    auto summary = [&](const json& row) {
      json out = {{"run_id", run_id}, {"status", row.value("status", json())}};
      for (const char* k : {"created", "updated", "unchanged", "rejected"}) out[k] = row.value(k, json());
      return out;
    };
    if (text("status") == "done") {  // done by an earlier attempt whose worker died before completing the job
      ctx.result = summary(*run);
      return;
    }
    Actor actor = actor_of_user(ctx.db, ctx.job.created_by);
    ImportFileRequest req;
    req.entity = text("entity");
    req.path = path;
    req.file_name = text("file_name");
    req.sheet = text("sheet");
    json mapping = json::parse(text("mapping").empty() ? "{}" : text("mapping"), nullptr, false);
    req.mapping = mapping.is_discarded() ? json::object() : mapping;
    req.run_id = run_id;
    req.rejects_path = text("rejects_path");
    req.warnings_path = p.value("warnings_path", std::string());
    req.language = p.value("language", std::string("fr"));
    if (p.value("check_duplicates", false) && duplicate_check) {
      store::Database* db = &ctx.db;
      std::string entity = req.entity;
      req.duplicate_check = [duplicate_check, db, actor, entity](RowSource& source, const ImportOptions& o) {
        return duplicate_check(*db, actor, entity, source, o);
      };
    }
    // The job's progress, as the run's: at most once a second.
    using Clock = std::chrono::steady_clock;
    Clock::time_point last{};
    req.on_progress = [&](int64_t rows, uint64_t bytes, uint64_t total) {
      auto now = Clock::now();
      if (now - last < std::chrono::seconds(1)) return;
      last = now;
      ctx.report({{"run_id", run_id}, {"rows_done", rows}, {"bytes_done", bytes},
                  {"percent", total > 0 ? std::min(100.0, 100.0 * double(bytes) / double(total)) : 0.0}});
    };
    RecordService records(ctx.db);
    try {
      import_file(records, actor, req);
    } catch (const Problem& e) {
      // A wrong file, mapping or column, a user no longer allowed: another attempt fails the same way.
      throw PermanentJobError(e.detail(req.language));
    }
    if (p.value("remove_file", false)) {
      std::error_code ec;
      std::filesystem::remove(path, ec);  // done: the upload is no longer needed (a failed run keeps it, to resume)
    }
    auto after = store::with_transaction(ctx.db, false, [&](store::Connection& c) { return store::ImportRunStore::find(c, run_id); });
    ctx.result = summary(after ? *after : *run);
    ctx.report({{"run_id", run_id}, {"rows_done", after ? after->value("rows_done", json()) : json()},
                {"percent", 100.0}});
  });
}

}  // namespace gz::domain
