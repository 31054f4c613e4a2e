// gazelle duplicates scan — duplicate detection over contacts or accounts (docs/duplicates.md).
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/cli.h"
#include "core/problem.h"
#include "domain/access.h"
#include "io/csv.h"
#include "matching/duplicates.h"

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
      std::fprintf(stderr, "%zu %s, %zu candidate pairs, %zu pairs above %.2f, %zu clusters in %.2f s\n", rs.size(),
                   a.entity.c_str(), r.candidate_pairs, r.pairs.size(), r.threshold_lower, r.clusters.size(), run.seconds);
    };
  });
}

}  // namespace gz::cli
