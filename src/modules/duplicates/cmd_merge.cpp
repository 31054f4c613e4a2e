// gazelle merge contacts|accounts|households SURVIVOR ABSORBED... | merge undo ID | merge list
// gazelle purge list | purge archive | purge restore            (docs/merge.md)
#include <iomanip>
#include <iostream>

#include "cli/cli.h"
#include "core/plural.h"
#include "core/problem.h"
#include "domain/access.h"
#include "modules/duplicates/merge.h"
#include "modules/duplicates/purge.h"

namespace gz::cli {

using json = nlohmann::json;

namespace {

struct MergeArgs {
  std::vector<int64_t> ids;  // survivor first
  std::string rule = "most_complete";
  std::vector<std::string> fields;  // name=rule|id
  int64_t merge_id = 0;
  std::string entity;
  int limit = 50;
};

struct PurgeArgs {
  std::string entity = "contacts", reason;
  int years = 3, limit = 100;
  std::vector<int64_t> ids;
};

std::string name_of(const nlohmann::json& r) {
  if (r.contains("last_name"))
    return (r.value("first_name", json()).is_string() ? r["first_name"].get<std::string>() + " " : "") +
           r.value("last_name", std::string());
  return r.value("name", json()).is_string() ? r["name"].get<std::string>() : "";
}

void run_merge(CliContext& ctx, const std::string& entity, const MergeArgs& a) {
  auto db = ctx.open_database();
  domain::RecordService records(*db);
  domain::MergeService merges(*db, records);
  json body = {{"survivor_id", a.ids[0]}, {"absorbed_ids", std::vector<int64_t>(a.ids.begin() + 1, a.ids.end())},
               {"default_rule", a.rule}, {"fields", json::object()}};
  for (const auto& f : a.fields) {
    auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Problem(ProblemKind::BadRequest,
                    tr("--field takes name=rule (survivor, most_recent, most_complete or a record id), not '{value}'", {{"value", f}}));
    std::string v = f.substr(eq + 1);
    bool digits = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
    body["fields"][f.substr(0, eq)] = digits ? json(std::stoll(v)) : json(v);
  }
  const auto& e = domain::entity(entity);
  json out = merges.merge(domain::system_actor(), e, domain::MergeRequest::from_json(e, body));
  std::cout << "Merged " << (a.ids.size() - 1) << " " << entity << " into " << e.singular << " " << a.ids[0] << " ("
            << name_of(out["record"]) << "): merge " << out["merge_id"] << "\n";
  for (auto it = out["moved"].begin(); it != out["moved"].end(); ++it)
    std::cout << "  moved " << it.value() << " " << it.key() << "\n";
  std::cout << "Undo with: gazelle merge undo " << out["merge_id"] << std::endl;
}

}  // namespace

void add_merge_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* merge = app.add_subcommand("merge", "Merge duplicate contacts, accounts or households; undo a merge; list merges");
  merge->require_subcommand(1);
  static MergeArgs margs;
  for (const char* entity : {"contacts", "accounts", "households"}) {
    auto* cmd = merge->add_subcommand(entity, std::string("Merge ") + entity + " into the first id given (the survivor)");
    add_db_option(cmd, ctx);
    cmd->add_option("IDS", margs.ids, "Survivor id, then the ids absorbed into it")->required()->expected(2, 51);
    cmd->add_option("--rule", margs.rule, "Default rule for each field")
        ->check(CLI::IsMember({"survivor", "most_recent", "most_complete"}))
        ->capture_default_str();
    cmd->add_option("--field", margs.fields, "Rule for one field: name=survivor|most_recent|most_complete|<record id>");
    std::string name = entity;
    cmd->callback([&ctx, &action, name] { action = [&ctx, name] { run_merge(ctx, name, margs); }; });
  }
  auto* undo = merge->add_subcommand("undo", "Undo a merge: the absorbed records and everything moved come back");
  add_db_option(undo, ctx);
  undo->add_option("ID", margs.merge_id, "Merge id (see gazelle merge list)")->required();
  undo->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::RecordService records(*db);
      domain::MergeService merges(*db, records);
      json out = merges.undo(domain::system_actor(), margs.merge_id);
      std::cout << "Undid merge " << margs.merge_id << ": restored " << out["restored_ids"].dump() << "\n";
      for (auto it = out["moved_back"].begin(); it != out["moved_back"].end(); ++it)
        std::cout << "  moved back " << it.value() << " " << it.key() << "\n";
      if (!out["kept"].empty())
        std::cout << "  changed since the merge, kept as they are: " << out["kept"].dump() << "\n";
    };
  });
  auto* list = merge->add_subcommand("list", "List merges, newest first");
  add_db_option(list, ctx);
  list->add_option("--entity", margs.entity, "contacts, accounts or households")->check(CLI::IsMember({"contacts", "accounts", "households"}));
  list->add_option("--limit", margs.limit, "At most this many")->capture_default_str()->check(CLI::Range(1, 200));
  list->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::RecordService records(*db);
      domain::MergeService merges(*db, records);
      std::cout << std::left << std::setw(7) << "ID" << std::setw(12) << "ENTITY" << std::setw(10) << "SURVIVOR"
                << std::setw(22) << "MERGED AT" << std::setw(22) << "UNDONE AT" << "ABSORBED\n";
      for (const auto& m : merges.history(domain::system_actor(), margs.entity, 0, margs.limit))
        std::cout << std::left << std::setw(7) << m["id"].get<int64_t>() << std::setw(12) << m["entity"].get<std::string>()
                  << std::setw(10) << m["survivor_id"].get<int64_t>() << std::setw(22) << m["merged_at"].get<std::string>()
                  << std::setw(22) << (m["undone_at"].is_string() ? m["undone_at"].get<std::string>() : "-")
                  << m["absorbed_ids"].dump() << "\n";
    };
  });

  auto* purge = app.add_subcommand("purge", "Find dead records (inactive, closed, bounced), archive them, restore them");
  purge->require_subcommand(1);
  static PurgeArgs pargs;
  auto* plist = purge->add_subcommand("list", "List purge candidates");
  add_db_option(plist, ctx);
  plist->add_option("--entity", pargs.entity, "contacts or accounts")->check(CLI::IsMember({"contacts", "accounts"}))->capture_default_str();
  plist->add_option("--reason", pargs.reason, "inactive, closed or bounced (default: all)")
      ->check(CLI::IsMember({"inactive", "closed", "bounced"}));
  plist->add_option("--inactive-years", pargs.years, "Inactive: nothing since this many years")->capture_default_str()->check(CLI::Range(1, 50));
  plist->add_option("--limit", pargs.limit, "At most this many")->capture_default_str()->check(CLI::Range(1, 1000));
  plist->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::PurgeService service(*db);
      std::map<std::string, std::string> params = {{"entity", pargs.entity}, {"inactive_years", std::to_string(pargs.years)},
                                                   {"limit", std::to_string(pargs.limit)}};
      if (!pargs.reason.empty()) params["reason"] = pargs.reason;
      json out = service.candidates(domain::system_actor(), domain::PurgeQuery::from_params(params));
      std::cout << std::left << std::setw(9) << "ID" << std::setw(34) << "NAME" << std::setw(22) << "LAST ACTIVITY" << "REASONS\n";
      for (const auto& r : out["data"]) {
        std::string reasons;
        for (const auto& x : r["reasons"]) reasons += (reasons.empty() ? "" : ",") + x.get<std::string>();
        std::cout << std::left << std::setw(9) << r["id"].get<int64_t>() << std::setw(34) << name_of(r).substr(0, 33)
                  << std::setw(22) << r["last_activity_at"].get<std::string>() << reasons << "\n";
      }
      const int64_t n = int64_t(out["data"].size());
      std::cout << plural(n, tr("{n} candidate", {{"n", n}}), tr("{n} candidates", {{"n", n}})).render(locale_language())
                << (out["next_after_id"].is_null() ? "" : tr(" (more: raise --limit)").render(locale_language())) << std::endl;
    };
  });
  auto* parch = purge->add_subcommand("archive", "Archive records: out of lists and search, restorable");
  add_db_option(parch, ctx);
  parch->add_option("--entity", pargs.entity, "contacts, accounts or households")
      ->check(CLI::IsMember({"contacts", "accounts", "households"}))->capture_default_str();
  parch->add_option("IDS", pargs.ids, "Record ids")->required();
  parch->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::PurgeService service(*db);
      json out = service.archive(domain::system_actor(), domain::entity(pargs.entity), pargs.ids);
      std::cout << "Archived " << out["archived"].size() << " " << pargs.entity << " " << out["archived"].dump();
      if (!out["already_archived"].empty()) std::cout << "; already archived: " << out["already_archived"].dump();
      std::cout << std::endl;
    };
  });
  auto* prest = purge->add_subcommand("restore", "Restore an archived record");
  add_db_option(prest, ctx);
  prest->add_option("--entity", pargs.entity, "contacts, accounts or households")
      ->check(CLI::IsMember({"contacts", "accounts", "households"}))->capture_default_str();
  prest->add_option("IDS", pargs.ids, "Record ids")->required();
  prest->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::PurgeService service(*db);
      for (int64_t id : pargs.ids) {
        json rec = service.restore(domain::system_actor(), domain::entity(pargs.entity), id);
        std::cout << "Restored " << domain::entity(pargs.entity).singular << " " << id << " (" << name_of(rec) << ")\n";
      }
    };
  });
}

}  // namespace gz::cli
