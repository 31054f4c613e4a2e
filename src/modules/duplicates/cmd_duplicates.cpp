// gazelle duplicates scan | check — duplicate detection over contacts or accounts, and of an
// incoming file against them (docs/duplicates.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "cli/cli.h"
#include "cli/import_mapping.h"
#include "core/problem.h"
#include "domain/access.h"
#include "domain/derived_source.h"
#include "io/csv.h"
#include "modules/duplicates/duplicates.h"

namespace gz::cli {

using json = nlohmann::json;

namespace {

struct ScanArgs {
  std::string entity = "contacts", format = "csv";
  double upper = 0, lower = 0;
  bool explain = false, no_store = false;
  int threads = 2;
  size_t max_block = 50;
};

std::string score_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

struct CheckArgs {
  std::string file, sheet, entity = "contacts", mapping, format = "table";
  std::vector<std::string> map, derive;
  int threads = 2;
};

// duplicates check --file: the file's rows read as the import reads them (mapping, derived
// columns, cell parsing; nothing written), then matched against the base.
void run_check(CliContext& ctx, const CheckArgs& a) {
  auto db = ctx.open_database();
  const auto& e = domain::entity(a.entity);
  domain::ImportOptions o = mapping_options(*db, e, a.mapping, a.map);
  auto derivation = domain::ColumnDerivation::parse(a.derive);
  auto source = domain::open_source(a.file, a.sheet);
  size_t derive_warnings = 0;
  if (!derivation.empty())
    source = domain::derived_source(std::move(source), std::move(derivation), domain::mapped_columns(o),
                                    [&](const domain::ImportError& w) {
                                      if (++derive_warnings <= 20)
                                        std::fprintf(stderr, "line %lld, %s: %s\n", (long long)w.line, w.column.c_str(),
                                                     w.message.render(locale_language()).c_str());
                                    });
  auto started = std::chrono::steady_clock::now();
  json out = matching::check_import_file(*db, domain::system_actor(), a.entity, *source, o, a.threads, 0, locale_language());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // A row the import would reject for its cells is not checked: say why.
  for (const auto& err : out["not_checked"])
    std::fprintf(stderr, "line %lld%s: %s (row not checked)\n", (long long)err["line"].get<int64_t>(),
                 err["column"].get<std::string>().empty() ? "" : (", " + err["column"].get<std::string>()).c_str(),
                 err["message"].get<std::string>().c_str());
  const json& matches = out["matches"];
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  if (a.format == "json") {
    std::cout << out.dump(2) << "\n";
  } else if (a.format == "csv") {
    io::CsvWriter w(std::cout);
    w.write_row({"line", "external_id", "candidate_id", "candidate_external_id", "candidate_name", "score",
                 "probability", "probable"});
    for (const auto& m : matches)
      w.write_row({m["line"].dump(), text(m["external_id"]), m["candidate_id"].dump(), text(m["candidate_external_id"]),
                   text(m["candidate_name"]), score_text(m["score"].get<double>()),
                   score_text(m["probability"].get<double>()), m["probable"].get<bool>() ? "yes" : "no"});
  } else {
    std::printf("%-7s %-18s %-12s %-18s %-28s %7s %6s %s\n", "line", "external_id", "candidate", "candidate_ext",
                "candidate_name", "score", "prob", "verdict");
    for (const auto& m : matches)
      std::printf("%-7lld %-18s %-12lld %-18s %-28s %7.2f %6.3f %s\n", (long long)m["line"].get<int64_t>(),
                  text(m["external_id"]).c_str(), (long long)m["candidate_id"].get<int64_t>(),
                  text(m["candidate_external_id"]).c_str(), text(m["candidate_name"]).c_str(), m["score"].get<double>(),
                  m["probability"].get<double>(), m["probable"].get<bool>() ? "probable" : "possible");
  }
  std::cout.flush();  // the listing before the summary, also when both go to one pipe
  std::set<int64_t> lines;
  size_t probable = 0;
  for (const auto& m : matches) {
    lines.insert(m["line"].get<int64_t>());
    probable += m["probable"].get<bool>();
  }
  size_t unreadable = out["rows_not_checked"].get<size_t>();
  std::fprintf(stderr,
               "%zu rows checked against %zu %s: %zu rows with candidates (%zu matches, %zu probable at score >= %.2f, "
               "possible >= %.2f)%s in %.2f s\n",
               out["rows_checked"].get<size_t>(), out["base_records"].get<size_t>(), a.entity.c_str(), lines.size(),
               matches.size(), probable, out["threshold_upper"].get<double>(), out["threshold_lower"].get<double>(),
               unreadable ? (", " + std::to_string(unreadable) + " rows not checked").c_str() : "", seconds);
  if (derive_warnings > 20) std::fprintf(stderr, "… and %zu more derivation warnings\n", derive_warnings - 20);
}

}  // namespace

void add_duplicate_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* dup = app.add_subcommand("duplicates", "Duplicate detection: scan contacts or accounts (docs/duplicates.md)");
  dup->require_subcommand(1);
  static ScanArgs a;
  auto* scan = dup->add_subcommand(
      "scan", "List every record that belongs to a duplicate cluster: cluster_id,id,external_id,score (CSV) or JSON");
  add_db_option(scan, ctx);
  scan->add_option("--entity", a.entity, "contacts or accounts")->capture_default_str()->check(CLI::IsMember({"contacts", "accounts"}));
  scan->add_option("--format", a.format, "csv or json")->capture_default_str()->check(CLI::IsMember({"csv", "json"}));
  auto* up = scan->add_option("--threshold-upper", a.upper,
                              "Score (sum of log2 likelihood ratios) above which a cluster is proposed for automatic "
                              "merge; default: where the match probability reaches 0.99");
  auto* low = scan->add_option("--threshold-lower", a.lower,
                               "Score above which a pair goes to the review queue; default: match probability 0.5");
  scan->add_flag("--explain", a.explain, "JSON: add the scored pairs of each cluster with the per-field explanation");
  scan->add_flag("--no-store", a.no_store, "Do not replace the review queue in the database with this scan's clusters");
  scan->add_option("--threads", a.threads, "Threads for blocking and comparison")->capture_default_str()->check(CLI::Range(1, 64));
  scan->add_option("--max-block", a.max_block, "Blocks larger than this are paired by sorted neighbourhood only")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  scan->callback([&ctx, &action, up, low] {
    bool has_upper = up->count() > 0, has_lower = low->count() > 0;
    action = [&ctx, has_upper, has_lower] {
      auto db = ctx.open_database();
      matching::DuplicateService service(*db);
      matching::ScanOptions o;
      o.has_upper = has_upper;
      o.threshold_upper = a.upper;
      o.has_lower = has_lower;
      o.threshold_lower = a.lower;
      o.threads = a.threads;
      o.max_block = a.max_block;
      auto run = service.scan(domain::system_actor(), a.entity, o, !a.no_store);
      const auto& rs = run.records;
      const auto& r = run.result;
      // Cluster ids: the stored ones (the review queue's) in the order of the scan, else 1…n.
      std::vector<int64_t> cluster_ids;
      if (run.scan_id) {
        auto stored = service.list(domain::system_actor(), a.entity, "", 1000000, "");
        std::map<int64_t, int64_t> by_first;  // first member's id -> cluster id
        for (const auto& c : stored["data"]) by_first[c["members"][0]["id"].get<int64_t>()] = c["id"].get<int64_t>();
        for (const auto& c : r.clusters) cluster_ids.push_back(by_first.count(rs.id(c.members[0])) ? by_first[rs.id(c.members[0])] : 0);
      } else {
        for (size_t i = 0; i < r.clusters.size(); ++i) cluster_ids.push_back(int64_t(i + 1));
      }
      if (a.format == "csv") {
        io::CsvWriter w(std::cout);
        w.write_row({"cluster_id", "id", "external_id", "score"});
        for (size_t k = 0; k < r.clusters.size(); ++k) {
          const auto& c = r.clusters[k];
          for (size_t i = 0; i < c.members.size(); ++i)
            w.write_row({std::to_string(cluster_ids[k]), std::to_string(rs.id(c.members[i])),
                         std::string(rs.external_id(c.members[i])), score_text(c.member_scores[i])});
        }
      } else {
        json out = r.summary();
        out["entity"] = a.entity;
        out["seconds_total"] = run.seconds;
        out["clusters"] = json::array();
        for (size_t k = 0; k < r.clusters.size(); ++k) {
          const auto& c = r.clusters[k];
          json cj = {{"cluster_id", cluster_ids[k]}, {"status", c.proposed ? "proposed" : "review"},
                     {"best_score", c.best_score}, {"members", json::array()}};
          for (size_t i = 0; i < c.members.size(); ++i)
            cj["members"].push_back({{"id", rs.id(c.members[i])},
                                     {"external_id", std::string(rs.external_id(c.members[i]))},
                                     {"score", std::stod(score_text(c.member_scores[i]))}});
          if (a.explain) {
            cj["pairs"] = json::array();
            for (const auto& p : c.pairs)
              cj["pairs"].push_back({{"a", rs.id(p.a)}, {"b", rs.id(p.b)}, {"score", std::stod(score_text(p.score))},
                                     {"probability", r.model.probability(p.score)},
                                     {"explanation", matching::explanation_json(matching::explain(r.model, rs, p.a, p.b))}});
          }
          out["clusters"].push_back(cj);
        }
        std::cout << out.dump(2) << "\n";
      }
      std::cout.flush();  // the listing before the summary, also when both go to one pipe
      std::fprintf(stderr, "%zu %s, %zu candidate pairs, %zu pairs above %.2f, %zu clusters in %.2f s\n", rs.size(),
                   a.entity.c_str(), r.candidate_pairs, r.pairs.size(), r.threshold_lower, r.clusters.size(), run.seconds);
    };
  });

  static CheckArgs ca;
  auto* check = dup->add_subcommand(
      "check",
      "Rows of an incoming CSV/XLSX file that probably duplicate records of the base, without importing anything: "
      "line, external_id, candidate id and external_id, score (json: with the per-field explanation)");
  add_db_option(check, ctx);
  check->add_option("--file", ca.file, "CSV or XLSX file with a header row, read as `gazelle import` reads it")
      ->required()
      ->check(CLI::ExistingFile);
  check->add_option("--entity", ca.entity, "contacts or accounts")->capture_default_str()->check(CLI::IsMember({"contacts", "accounts"}));
  check->add_option("--sheet", ca.sheet, "XLSX: the sheet to read (default the first)");
  check->add_option("--map", ca.map, "column=field, or column=- to skip it, as for import; repeatable")
      ->allow_extra_args(false)
      ->take_all();
  check->add_option("--mapping", ca.mapping, "Use the import mapping saved under NAME (then --map on top)");
  check->add_option("--derive", ca.derive, "target=expression: a derived column, as for import; repeatable")
      ->allow_extra_args(false)
      ->take_all();
  check->add_option("--format", ca.format, "table, csv or json")->capture_default_str()->check(CLI::IsMember({"table", "csv", "json"}));
  check->add_option("--threads", ca.threads, "Threads for blocking and comparison")->capture_default_str()->check(CLI::Range(1, 64));
  check->callback([&ctx, &action] { action = [&ctx] { run_check(ctx, ca); }; });
}

}  // namespace gz::cli
