#include "modules/duplicates/duplicates.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/problem.h"
#include "domain/field_values.h"
#include "domain/import_read.h"
#include "domain/records.h"
#include "modules/duplicates/normalize.h"
#include "modules/duplicates/reasons.h"
#include "store/matching_store.h"

namespace gz::matching {

using json = nlohmann::json;
using store::MatchingStore;

namespace {

void require_reviewer(const domain::Actor& actor) {
  if (!actor.may("duplicates.review"))
    throw Problem(ProblemKind::Forbidden, tr("only admins and managers scan for duplicates and review them (your role: {role})",
                                             {{"role", domain::role_label(actor.role)}}));
}

std::vector<std::string> columns_of(const Profile& p) {
  std::vector<std::string> cols;
  const auto& e = domain::entity(p.entity);
  for (const auto& f : p.fields)
    if (e.field(f.name)) cols.push_back(f.name);
  // What display_name needs.
  for (const char* extra : {"first_name", "last_name", "name"})
    if (e.field(extra) && std::find(cols.begin(), cols.end(), extra) == cols.end()) cols.push_back(extra);
  return cols;
}

double rounded(double x) { return std::round(x * 100) / 100; }

}  // namespace

const Profile& DuplicateService::profile_of(const std::string& entity) {
  const Profile* p = find_profile(entity);
  if (!p)
    throw Problem(ProblemKind::NotFound, tr("duplicates are detected for contacts and accounts, not '{entity}'", {{"entity", entity}}),
                  {{"entity", "use contacts or accounts"}});
  return *p;
}

void DuplicateService::check_scan_allowed(const domain::Actor& actor, const std::string& entity) {
  require_reviewer(actor);
  profile_of(entity);
}

RecordSet DuplicateService::load(const domain::Actor& actor, const Profile& profile, uint8_t source, int threads,
                                 const std::function<void(double)>& progress) {
  const auto& e = domain::entity(profile.entity);
  auto scope = domain::read_scope(actor, e);
  auto cols = columns_of(profile);
  RecordSet all(profile.fields);
  int64_t total = 0;
  if (progress) {
    total = store::with_transaction(db_, false, [&](store::Connection& c) { return MatchingStore::count(c, e, scope); });
    progress(0);
  }
  const int page = 50000;
  int64_t after = 0;
  threads = std::max(1, threads);
  for (;;) {
    auto rows = store::with_transaction(db_, false, [&](store::Connection& c) {
      return MatchingStore::page(c, e, cols, after, page, scope);
    });
    if (rows.empty()) break;
    after = rows.back()["id"].get<int64_t>();
    // Normalising (ICU folding, phone parsing) is the costly part: split it between threads.
    std::vector<RecordSet> parts(size_t(threads), RecordSet(profile.fields));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        size_t lo = rows.size() * size_t(t) / size_t(threads), hi = rows.size() * size_t(t + 1) / size_t(threads);
        for (size_t i = lo; i < hi; ++i) {
          const json& r = rows[i];
          std::string ext = r.value("external_id", json()).is_string() ? r["external_id"].get<std::string>() : "";
          parts[size_t(t)].add(r["id"].get<int64_t>(), ext, profile.normalise(r), source);
        }
      });
    for (auto& th : pool) th.join();
    for (auto& part : parts) all.append(part);
    if (progress && total > 0) progress(std::min(1.0, double(all.size()) / double(total)));
    if (rows.size() < size_t(page)) break;
  }
  return all;
}

DuplicateService::ScanRun DuplicateService::scan(const domain::Actor& actor, const std::string& entity,
                                                 ScanOptions options, bool store) {
  require_reviewer(actor);
  const Profile& profile = profile_of(entity);
  auto t0 = std::chrono::steady_clock::now();
  std::function<void(double)> loading;
  if (options.progress) loading = [&](double f) { options.progress("loading", f); };
  ScanRun run{load(actor, profile, 0, options.threads, loading), {}, 0, 0};
  options.dismissed = store::with_transaction(db_, false, [&](store::Connection& c) {
    return MatchingStore::dismissed_pairs(c, entity);
  });
  run.result = matching::scan(profile, run.records, options);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!store) return run;
  if (options.progress) options.progress("storing", 0);
  std::string now = clock::now_utc();
  const auto& rs = run.records;
  const auto& r = run.result;
  run.scan_id = store::with_transaction(db_, true, [&](store::Connection& c) {
    int64_t scan_id = MatchingStore::begin_scan(c, entity, r.summary(), run.seconds, actor.user_id, now);
    for (const auto& cl : r.clusters) {
      int64_t cid = MatchingStore::add_cluster(c, scan_id, entity, cl.proposed ? "proposed" : "review",
                                               int64_t(cl.members.size()), rounded(cl.best_score), now);
      for (size_t i = 0; i < cl.members.size(); ++i)
        MatchingStore::add_member(c, cid, rs.id(cl.members[i]), rounded(cl.member_scores[i]));
      for (const auto& p : cl.pairs) {
        int64_t a = rs.id(p.a), b = rs.id(p.b);
        uint32_t ia = p.a, ib = p.b;
        if (a > b) {
          std::swap(a, b);
          std::swap(ia, ib);
        }
        MatchingStore::add_pair(c, cid, a, b, rounded(p.score), explanation_json(explain(r.model, rs, ia, ib)));
      }
    }
    return scan_id;
  });
  return run;
}

json DuplicateService::cluster(const domain::Actor& actor, int64_t cluster_id, std::string_view lang) {
  require_reviewer(actor);
  return store::with_transaction(db_, false, [&](store::Connection& c) {
    auto cl = MatchingStore::cluster(c, cluster_id);
    if (!cl)
      throw Problem(ProblemKind::NotFound, tr("duplicate cluster {id} does not exist", {{"id", std::to_string(cluster_id)}}));
    const Profile& profile = profile_of((*cl)["entity"].get<std::string>());
    const auto& e = domain::entity(profile.entity);
    auto members = MatchingStore::members(c, cluster_id);
    std::vector<int64_t> ids;
    for (const auto& m : members) ids.push_back(m["record_id"].get<int64_t>());
    auto records = MatchingStore::by_ids(c, e, columns_of(profile), ids, domain::read_scope(actor, e));
    std::map<int64_t, json> by_id;
    for (auto& rec : records) by_id[rec["id"].get<int64_t>()] = rec;
    json out = *cl;
    out["members"] = json::array();
    for (const auto& m : members) {
      int64_t id = m["record_id"].get<int64_t>();
      auto it = by_id.find(id);
      if (it == by_id.end()) continue;  // merged away, deleted, or not visible to the actor
      out["members"].push_back({{"id", id},
                                {"external_id", it->second.value("external_id", json())},
                                {"display_name", profile.display_name(it->second)},
                                {"score", m["score"]}});
    }
    out["pairs"] = json::array();
    for (auto& p : MatchingStore::pairs(c, cluster_id))
      if (by_id.count(p["record_a"].get<int64_t>()) && by_id.count(p["record_b"].get<int64_t>()))
        out["pairs"].push_back({{"a", p["record_a"]}, {"b", p["record_b"]}, {"score", p["score"]},
                                {"reasons", reasons_json(profile, p["explanation"], lang)},
                                {"explanation", p["explanation"]}});
    return out;
  });
}

json DuplicateService::list(const domain::Actor& actor, const std::string& entity, const std::string& status, int limit,
                            const std::string& cursor, std::string_view lang) {
  require_reviewer(actor);
  profile_of(entity);
  static const std::set<std::string> statuses = {"", "proposed", "review", "dismissed", "merged"};
  if (!statuses.count(status))
    throw Problem(ProblemKind::BadRequest, "status must be proposed, review, dismissed or merged",
                  {{"status", "use proposed, review, dismissed or merged"}});
  std::optional<std::pair<double, int64_t>> after;
  if (!cursor.empty()) {
    auto decoded = crypto::base64url_decode(cursor);
    json c = decoded ? json::parse(*decoded, nullptr, false) : json();
    if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number_integer())
      throw Problem(ProblemKind::BadRequest, "cursor is not one this server gave out",
                    {{"cursor", "use the next_cursor of the previous page"}});
    after = std::make_pair(c[0].get<double>(), c[1].get<int64_t>());
  }
  auto rows = store::with_transaction(db_, false, [&](store::Connection& c) {
    return MatchingStore::clusters(c, entity, status, limit + 1, after);
  });
  json body = {{"data", json::array()}, {"next_cursor", nullptr}};
  bool more = int(rows.size()) > limit;
  if (more) rows.resize(size_t(limit));
  for (const auto& row : rows) {
    json cl = cluster(actor, row["id"].get<int64_t>(), lang);
    if (cl["members"].size() >= 2) body["data"].push_back(cl);  // fewer: nothing left to compare for this actor
  }
  if (more && !rows.empty())
    body["next_cursor"] = crypto::base64url_encode(json::array({rows.back()["best_score"], rows.back()["id"]}).dump());
  return body;
}

json DuplicateService::dismiss(const domain::Actor& actor, int64_t cluster_id) {
  require_reviewer(actor);
  json cl = cluster(actor, cluster_id);
  if (cl["status"] == "merged") throw Problem(ProblemKind::Conflict, "this cluster was merged; undo the merge instead");
  std::string now = clock::now_utc();
  std::string entity = cl["entity"];
  store::with_transaction(db_, true, [&](store::Connection& c) {
    // Every pair of members, not only the scored ones: the people were all judged distinct.
    const auto& members = cl["members"];
    for (size_t i = 0; i < members.size(); ++i)
      for (size_t j = i + 1; j < members.size(); ++j)
        MatchingStore::add_dismissal(c, entity, members[i]["id"].get<int64_t>(), members[j]["id"].get<int64_t>(),
                                     actor.user_id, now);
    MatchingStore::set_status(c, cluster_id, "dismissed", actor.user_id, now);
  });
  return cluster(actor, cluster_id);
}

void DuplicateService::mark_merged(const domain::Actor& actor, int64_t cluster_id) {
  store::with_transaction(db_, true, [&](store::Connection& c) {
    if (!MatchingStore::cluster(c, cluster_id))
      throw Problem(ProblemKind::NotFound, tr("duplicate cluster {id} does not exist", {{"id", std::to_string(cluster_id)}}));
    MatchingStore::set_status(c, cluster_id, "merged", actor.user_id, clock::now_utc());
  });
}

Model DuplicateService::model_for(const Profile& profile, double& upper, double& lower) {
  auto stored = store::with_transaction(db_, false, [&](store::Connection& c) {
    return MatchingStore::latest_model(c, profile.entity);
  });
  Model m = stored ? Model::from_json((*stored)["model"]) : Model::prior(profile);
  bool same_fields = m.fields.size() == profile.fields.size();
  for (size_t f = 0; same_fields && f < m.fields.size(); ++f) same_fields = m.fields[f] == profile.fields[f].name;
  if (!same_fields) {  // fields changed since that scan: its weights and thresholds are of another model
    m = Model::prior(profile);
    stored.reset();
  }
  m.attach(profile.fields);
  upper = stored ? (*stored)["threshold_upper"].get<double>() : m.default_upper();
  lower = stored ? (*stored)["threshold_lower"].get<double>() : m.default_lower();
  return m;
}

DuplicateService::CheckResult DuplicateService::check(const domain::Actor& actor, const std::string& entity,
                                                      const json& record, size_t limit, int64_t exclude_id) {
  const Profile& profile = profile_of(entity);
  if (!record.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be a JSON object (the record to check)");
  const auto& e = domain::entity(entity);
  CheckResult out;
  out.entity = entity;
  Model model = model_for(profile, out.threshold_upper, out.threshold_lower);

  RecordSet rs(profile.fields);
  auto incoming = profile.normalise(record);
  rs.add(0, "", incoming, 1);

  // Candidates through the search index and filters, as the actor sees them: the words of the
  // name, each e-mail and phone, the birth date or the legal id.
  std::set<int64_t> ids;
  domain::RecordService records(db_);
  auto probe = [&](std::map<std::string, std::string> params) {
    params["limit"] = "100";
    try {
      for (const auto& r : records.list(actor, e, domain::ListRequest{params}).data) ids.insert(r["id"].get<int64_t>());
    } catch (const Problem&) {
      // A value the search cannot take (e.g. a malformed date) just finds nothing.
    }
  };
  auto str = [&](const char* k) { return record.value(k, json()).is_string() ? record[k].get<std::string>() : ""; };
  std::string name_words = entity == "contacts" ? norm_name(str("last_name")) : norm_company_name(str("name"));
  if (!name_words.empty()) probe({{"q", name_words.substr(0, name_words.find(' '))}});
  if (entity == "contacts" && !norm_name(str("first_name")).empty() && !name_words.empty())
    probe({{"q", norm_name(str("first_name")).substr(0, norm_name(str("first_name")).find(' ')) + " " +
                     name_words.substr(0, 3)}});
  for (const char* list : {"emails", "phones"})
    if (record.value(list, json()).is_array())
      for (const auto& v : record[list])
        if (v.is_string() && !v.get<std::string>().empty())
          probe({{"q", list == std::string("phones") ? norm_phone(v.get<std::string>()) : norm_email(v.get<std::string>())}});
  if (entity == "contacts" && !norm_date(str("birth_date")).empty()) probe({{"birth_date", str("birth_date")}});
  if (entity == "accounts" && !str("phone").empty()) probe({{"q", norm_phone(str("phone"))}});
  if (entity == "accounts" && !str("legal_id").empty()) probe({{"legal_id", str("legal_id")}});
  ids.erase(exclude_id);
  if (ids.empty()) return out;

  std::vector<int64_t> id_list(ids.begin(), ids.end());
  auto rows = store::with_transaction(db_, false, [&](store::Connection& c) {
    return MatchingStore::by_ids(c, e, columns_of(profile), id_list, domain::read_scope(actor, e));
  });
  std::map<int64_t, std::string> names;
  for (const auto& r : rows) {
    int64_t id = r["id"].get<int64_t>();
    rs.add(id, "", profile.normalise(r), 0);
    names[id] = profile.display_name(r);
  }
  for (uint32_t i = 1; i < rs.size(); ++i) {
    auto levels = compare_records(rs, 0, i);
    double s = score_levels(model, levels);
    if (s < out.threshold_lower) continue;
    Candidate c;
    c.id = rs.id(i);
    c.display_name = names[c.id];
    c.score = rounded(s);
    c.probability = std::round(model.probability(s) * 1000) / 1000;
    c.explanation = explanation_json(explain(model, rs, 0, i));
    out.candidates.push_back(std::move(c));
  }
  std::sort(out.candidates.begin(), out.candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; });
  if (out.candidates.size() > limit) out.candidates.resize(limit);
  return out;
}

DuplicateService::FileCheckResult DuplicateService::check_file(const domain::Actor& actor, const std::string& entity,
                                                              const std::vector<FileRow>& rows, int threads) {
  const Profile& profile = profile_of(entity);
  const auto& e = domain::entity(entity);
  auto t0 = std::chrono::steady_clock::now();
  FileCheckResult out;
  out.rows = rows.size();
  Model model = model_for(profile, out.threshold_upper, out.threshold_lower);
  RecordSet rs = load(actor, profile, 0, threads);
  out.base_records = rs.size();
  const size_t base = rs.size();
  {
    RecordSet incoming(profile.fields);
    for (const auto& r : rows) incoming.add(r.line, r.external_id, profile.normalise(r.input), 1);
    rs.append(incoming);
  }
  ScanOptions o;
  o.link_only = true;
  o.fixed_model = &model;
  o.has_upper = o.has_lower = true;
  o.threshold_upper = out.threshold_upper;
  o.threshold_lower = out.threshold_lower;
  o.threads = threads;
  ScanResult res = matching::scan(profile, rs, o);
  out.candidate_pairs = res.candidate_pairs;
  // Names of the candidates, for the listing.
  std::vector<int64_t> ids;
  for (const auto& p : res.pairs) ids.push_back(rs.id(std::min(p.a, p.b)));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::map<int64_t, std::string> names;
  if (!ids.empty()) {
    auto found = store::with_transaction(db_, false, [&](store::Connection& c) {
      return MatchingStore::by_ids(c, e, columns_of(profile), ids, domain::read_scope(actor, e));
    });
    for (const auto& r : found) names[r["id"].get<int64_t>()] = profile.display_name(r);
  }
  for (const auto& p : res.pairs) {
    // Link only: one side is in the base (indexes below `base`), the other is a row of the file.
    uint32_t cand = p.a < base ? p.a : p.b, row = p.a < base ? p.b : p.a;
    FileMatch m;
    m.line = rs.id(row);
    m.external_id = std::string(rs.external_id(row));
    m.candidate_id = rs.id(cand);
    m.candidate_external_id = std::string(rs.external_id(cand));
    m.candidate_name = names[m.candidate_id];
    m.score = rounded(p.score);
    m.probability = std::round(model.probability(p.score) * 1000) / 1000;
    m.probable = p.score >= out.threshold_upper;
    m.explanation = explanation_json(explain(model, rs, row, cand));
    out.matches.push_back(std::move(m));
  }
  std::sort(out.matches.begin(), out.matches.end(), [](const FileMatch& x, const FileMatch& y) {
    if (x.line != y.line) return x.line < y.line;
    return x.score != y.score ? x.score > y.score : x.candidate_id < y.candidate_id;
  });
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

json candidates_json(const DuplicateService::CheckResult& r, std::string_view lang) {
  json list = json::array();
  const Profile* profile = find_profile(r.entity);
  for (const auto& c : r.candidates)
    list.push_back({{"id", c.id},
                    {"display_name", c.display_name},
                    {"score", c.score},
                    {"probability", c.probability},
                    {"probable", c.score >= r.threshold_upper},
                    {"reasons", profile ? reasons_json(*profile, c.explanation, lang) : json::array()},
                    {"explanation", c.explanation}});
  return list;
}

json DuplicateService::compare(const domain::Actor& actor, const std::string& entity, const std::vector<int64_t>& ids,
                               std::string_view lang) {
  const Profile& profile = profile_of(entity);
  const auto& e = domain::entity(entity);
  double upper = 0, lower = 0;
  Model model = model_for(profile, upper, lower);
  auto rows = store::with_transaction(db_, false, [&](store::Connection& c) {
    return MatchingStore::by_ids(c, e, columns_of(profile), ids, domain::read_scope(actor, e));
  });
  RecordSet rs(profile.fields);
  for (const auto& r : rows) rs.add(r["id"].get<int64_t>(), "", profile.normalise(r));
  json out = json::array();
  for (uint32_t i = 0; i < rs.size(); ++i)
    for (uint32_t j = i + 1; j < rs.size(); ++j) {
      uint32_t a = rs.id(i) < rs.id(j) ? i : j, b = a == i ? j : i;
      double s = score_levels(model, compare_records(rs, a, b));
      json explanation = explanation_json(explain(model, rs, a, b));
      out.push_back({{"a", rs.id(a)},
                     {"b", rs.id(b)},
                     {"score", rounded(s)},
                     {"probability", std::round(model.probability(s) * 1000) / 1000},
                     {"probable", s >= upper},
                     {"reasons", reasons_json(profile, explanation, lang)},
                     {"explanation", explanation}});
    }
  return out;
}

namespace {

// An incoming file read as the import reads it, its readable rows matched against the base.
struct FileCheck {
  DuplicateService::FileCheckResult result;
  size_t unreadable = 0;
  json not_checked = json::array();  // the errors of the first 20 unreadable rows
};

FileCheck check_file_rows(store::Database& db, const domain::Actor& actor, const std::string& entity,
                          domain::RowSource& source, const domain::ImportOptions& options, int threads,
                          std::string_view lang) {
  DuplicateService::profile_of(entity);  // 404 for an entity without duplicate detection
  FileCheck out;
  std::vector<DuplicateService::FileRow> rows;
  domain::read_import_records(db, domain::entity(entity), source, options, [&](const domain::ReadRecord& r) {
    if (!r.errors.empty()) {  // a row the import would reject for its cells is not checked
      if (++out.unreadable <= 20)
        for (const auto& err : r.errors)
          out.not_checked.push_back({{"line", err.line}, {"column", err.column}, {"message", err.message.render(lang)}});
      return;
    }
    rows.push_back({r.line, r.external_id, r.input});
  });
  out.result = DuplicateService(db).check_file(actor, entity, rows, threads);
  // A row that shares an e-mail (contacts) or a SIRET (accounts) with a stored record updates it
  // (ImportOptions::on_match update or skip): that record is the row itself, not a duplicate.
  if (options.on_match != domain::OnMatch::Create) {
    const char* key = entity == "contacts" ? "emails" : entity == "accounts" ? "legal_id" : nullptr;
    auto& matches = out.result.matches;
    if (key)
      matches.erase(std::remove_if(matches.begin(), matches.end(),
                                   [&](const DuplicateService::FileMatch& m) {
                                     if (!m.external_id.empty()) return false;
                                     for (const auto& x : m.explanation)
                                       if (x.value("field", "") == key && x.value("level", "") == "exact") return true;
                                     return false;
                                   }),
                    matches.end());
  }
  return out;
}

}  // namespace

json check_import_file(store::Database& db, const domain::Actor& actor, const std::string& entity,
                       domain::RowSource& source, const domain::ImportOptions& options, int threads, size_t max_matches,
                       std::string_view lang) {
  FileCheck check = check_file_rows(db, actor, entity, source, options, threads, lang);
  const auto& res = check.result;
  json out = {{"entity", entity},
              {"rows_checked", res.rows},
              {"rows_not_checked", check.unreadable},
              {"not_checked", check.not_checked},
              {"base_records", res.base_records},
              {"candidate_pairs", res.candidate_pairs},
              {"threshold_upper", res.threshold_upper},
              {"threshold_lower", res.threshold_lower},
              {"matches_total", res.matches.size()},
              {"matches", json::array()}};
  for (const auto& m : res.matches) {
    if (max_matches > 0 && out["matches"].size() >= max_matches) break;
    out["matches"].push_back({{"line", m.line},
                              {"external_id", m.external_id.empty() ? json() : json(m.external_id)},
                              {"candidate_id", m.candidate_id},
                              {"candidate_external_id", m.candidate_external_id.empty() ? json() : json(m.candidate_external_id)},
                              {"candidate_name", m.candidate_name},
                              {"score", m.score},
                              {"probability", m.probability},
                              {"probable", m.probable},
                              {"explanation", m.explanation}});
  }
  return out;
}

namespace {

// The reasons two records look alike, in words: the fields that agree, strongest first (three at
// most), in both languages.
Message agreement_words(const Profile& profile, const json& explanation) {
  auto words = [&](std::string_view lang) {
    std::string out;
    int n = 0;
    for (const auto& r : reasons_json(profile, explanation, lang))
      if (r.value("agree", false) && n++ < 3) out += (out.empty() ? "" : ", ") + r.value("text", std::string());
    return out;
  };
  return Message::both(words("fr"), words("en"));
}

// The explanation of a pair as stored (a = the lower id): the file check's has a = the row.
json oriented(const json& explanation, bool swap) {
  if (!swap || !explanation.is_array()) return explanation;
  json out = explanation;
  for (auto& x : out)
    if (x.is_object() && x.contains("a") && x.contains("b")) std::swap(x["a"], x["b"]);
  return out;
}

}  // namespace

domain::ImportDuplicates import_duplicate_warnings(store::Database& db, const domain::Actor& actor,
                                                   const std::string& entity, domain::RowSource& source,
                                                   const domain::ImportOptions& options) {
  FileCheck check = check_file_rows(db, actor, entity, source, options, 2, "fr");
  const Profile& profile = DuplicateService::profile_of(entity);
  domain::ImportDuplicates out;
  // Matches come sorted by line, best first. The stored record the row's own external_id names
  // is the row itself (an update), not a duplicate; so is the record its e-mail or SIRET matches,
  // which import_file leaves out once it knows it.
  for (const auto& m : check.result.matches) {
    if (!m.external_id.empty() && m.external_id == m.candidate_external_id) continue;
    if (out.rows.empty() || out.rows.back().line != m.line) out.rows.push_back({m.line, {}});
    domain::ImportDuplicate::Candidate c;
    c.id = m.candidate_id;
    c.score = m.score;
    c.probable = m.probable;
    c.explanation = m.explanation;
    Message why = agreement_words(profile, m.explanation);
    std::string name = m.candidate_name.empty() ? "#" + std::to_string(m.candidate_id) : m.candidate_name;
    if (why.render("en").empty())
      c.text = m.probable ? tr("very likely the same record as {name}", {{"name", name}})
                          : tr("perhaps the same record as {name}", {{"name", name}});
    else
      c.text = m.probable ? tr("very likely the same record as {name} ({reasons})", {{"name", name}, {"reasons", why}})
                          : tr("perhaps the same record as {name} ({reasons})", {{"name", name}, {"reasons", why}});
    out.rows.back().candidates.push_back(std::move(c));
  }
  // The pairs of the rows written go to the review list (GET /api/v1/duplicates), each as a
  // cluster of two, unless a person dismissed the pair or an open cluster holds it already.
  store::Database* dbp = &db;
  int64_t user = actor.user_id;
  out.queue = [dbp, entity, user](const std::vector<std::pair<int64_t, const domain::ImportDuplicate::Candidate*>>& pairs) {
    std::string now = clock::now_utc();
    store::with_transaction(*dbp, true, [&](store::Connection& c) {
      auto dismissed = MatchingStore::dismissed_pairs(c, entity);
      std::set<std::pair<int64_t, int64_t>> skip(dismissed.begin(), dismissed.end());
      std::optional<int64_t> scan = MatchingStore::latest_scan_id(c, entity);
      for (const auto& [own, cand] : pairs) {
        int64_t a = std::min(own, cand->id), b = std::max(own, cand->id);
        if (a == b || skip.count({a, b}) || MatchingStore::open_pair_exists(c, entity, a, b)) continue;
        skip.insert({a, b});
        if (!scan) scan = MatchingStore::add_scan_record(c, entity, user, now);
        double score = rounded(cand->score);
        int64_t cid = MatchingStore::add_cluster(c, *scan, entity, cand->probable ? "proposed" : "review", 2, score, now);
        MatchingStore::add_member(c, cid, a, score);
        MatchingStore::add_member(c, cid, b, score);
        MatchingStore::add_pair(c, cid, a, b, score, oriented(cand->explanation, own != a));
      }
      return 0;
    });
  };
  return out;
}

}  // namespace gz::matching
