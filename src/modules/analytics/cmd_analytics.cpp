// gazelle analytics summary|rfm|profitability|concentration|cohorts|tiers|share-of-wallet|demand|
// retention-vs-acquisition — customer value analytics (docs/analytics.md), through the same
// domain::AnalyticsService as the API, as the system actor. Each prints a table (money in
// units, shares in %), CSV (money in cents, shares as fractions) or the API's JSON.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "core/problem.h"
#include "modules/analytics/analytics_service.h"
#include "io/csv.h"

namespace gz::cli {

namespace {

using json = nlohmann::json;

struct AnalyticsOptions {
  std::string format = "table";
  std::string as_of, from, to, unit = "contacts";
};

// One value for a table cell: money in units with two decimals, shares and rates in percent.
std::string cell(const std::string& column, const json& v, bool table) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (!table) return v.is_number_float() ? json(v.get<double>()).dump() : v.dump();
  bool money = column.size() > 6 && column.compare(column.size() - 6, 6, "_cents") == 0;
  if (money && v.is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v.get<double>() / 100.0);
    return buf;
  }
  bool month_cell = column.size() >= 2 && column[0] == 'm' && std::isdigit(static_cast<unsigned char>(column[1]));
  bool share = column.find("share") != std::string::npos || column == "rate" || column == "churn_rate" ||
               column == "gini" || (month_cell && v.is_number_float());
  if (share && v.is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, column == "gini" ? "%.4f" : "%.1f %%", column == "gini" ? v.get<double>() : v.get<double>() * 100.0);
    return buf;
  }
  if (v.is_number_float()) {  // whole numbers in full (6000000, not 6e+06), others to 4 significant digits
    double d = v.get<double>();
    char buf[64];
    std::snprintf(buf, sizeof buf, std::fabs(d) < 1e15 && d == std::floor(d) ? "%.0f" : "%.4g", d);
    return buf;
  }
  return v.dump();
}

// A count of the answer (customers, bins) as a message argument; 0 when absent.
int64_t count_of(const json& v) { return v.is_number() ? v.get<int64_t>() : 0; }

// Rows (JSON objects) as a table or CSV with the given columns.
void print_rows(const json& rows, const std::vector<std::string>& columns, const std::string& format) {
  if (format == "csv") {
    io::CsvWriter w(std::cout, ',');
    w.write_row(columns);
    for (const auto& r : rows) {
      std::vector<std::string> vals;
      for (const auto& c : columns) vals.push_back(cell(c, r.value(c, json()), false));
      w.write_row(vals);
    }
    return;
  }
  std::vector<size_t> width;
  std::vector<std::vector<std::string>> text;
  for (const auto& c : columns) width.push_back(c.size());
  for (const auto& r : rows) {
    std::vector<std::string> vals;
    for (size_t i = 0; i < columns.size(); ++i) {
      vals.push_back(cell(columns[i], r.value(columns[i], json()), true));
      width[i] = std::max(width[i], vals.back().size());
    }
    text.push_back(std::move(vals));
  }
  for (size_t i = 0; i < columns.size(); ++i) std::cout << std::left << std::setw(int(width[i] + 2)) << columns[i];
  std::cout << "\n";
  for (const auto& vals : text) {
    for (size_t i = 0; i < vals.size(); ++i) std::cout << std::left << std::setw(int(width[i] + 2)) << vals[i];
    std::cout << "\n";
  }
}

// A flat object as key/value rows.
void print_object(const json& obj, const std::string& format) {
  json rows = json::array();
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!it.value().is_structured()) rows.push_back({{"key", it.key()}, {"value", it.value()}});
  if (format == "table") {
    for (auto& r : rows) r["value"] = cell(r["key"].get<std::string>(), r["value"], true);
  }
  print_rows(rows, {"key", "value"}, format);
}

domain::Query query_of(const AnalyticsOptions& o, bool period) {
  domain::Query q;
  if (!o.as_of.empty()) q["as_of"] = o.as_of;
  if (!o.unit.empty()) q["unit"] = o.unit;
  if (period) {
    if (!o.from.empty()) q["from"] = o.from;
    if (!o.to.empty()) q["to"] = o.to;
  }
  return q;
}

CLI::App* command(CLI::App* parent, const char* name, const char* help, CliContext& ctx, AnalyticsOptions& o,
                  bool window, bool period) {
  auto* cmd = parent->add_subcommand(name, help);
  add_db_option(cmd, ctx);
  cmd->add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))->capture_default_str();
  if (window) {
    cmd->add_option("--as-of", o.as_of, "Analysis date YYYY-MM-DD (default: the day of the last order)");
    cmd->add_option("--unit", o.unit, "contacts or accounts")->check(CLI::IsMember({"contacts", "accounts"}))->capture_default_str();
  }
  if (period) {
    cmd->add_option("--from", o.from, "First day of the period YYYY-MM-DD (default: the first order)");
    cmd->add_option("--to", o.to, "Last day of the period YYYY-MM-DD (default: --as-of)");
  }
  return cmd;
}

}  // namespace

CLI::App* add_analytics_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* analytics = app.add_subcommand("analytics", "Customer value analytics: RFM, profitability, concentration, cohorts, tiers");
  analytics->require_subcommand(1);
  static AnalyticsOptions o;
  domain::Actor actor = domain::system_actor();

  command(analytics, "summary", "Customers, orders and revenue of the order history", ctx, o, true, false)
      ->callback([&ctx, &action, actor] {
        action = [&ctx, actor] {
          auto db = ctx.open_database();
          json r = domain::AnalyticsService(*db).summary(actor, query_of(o, false));
          if (o.format == "json") std::cout << r.dump(2) << "\n";
          else print_object(r, o.format);
        };
      });

  static int bins = 0;
  static std::string segment;
  static int64_t limit = 20;
  auto* rfm = command(analytics, "rfm", "RFM segments (or, with --customers, the scores of each customer)", ctx, o, true, false);
  rfm->add_option("--bins", bins, "Score bins, 2-10 (default: the settings, 5)")->check(CLI::Range(2, 10));
  static bool customers = false;
  rfm->add_flag("--customers", customers, "List customers with their scores instead of the segments");
  rfm->add_option("--segment", segment, "With --customers: only this segment (champions, at_risk, …)");
  rfm->add_option("--limit", limit, "With --customers: at most this many")->capture_default_str()->check(CLI::Range(1, 1000000));
  rfm->callback([&ctx, &action, actor] {
    action = [&ctx, actor] {
      auto db = ctx.open_database();
      domain::AnalyticsService svc(*db);
      domain::Query q = query_of(o, false);
      if (bins) q["bins"] = std::to_string(bins);
      if (customers) {
        if (!segment.empty()) q["segment"] = segment;
        q["limit"] = std::to_string(std::min<int64_t>(limit, 1000));
        json all = json::array();
        json page;
        do {  // the service pages by 1000 at most
          page = svc.rfm_customers(actor, q);
          for (auto& r : page["data"]) if (int64_t(all.size()) < limit) all.push_back(r);
          if (page["next_cursor"].is_string()) q["cursor"] = page["next_cursor"].get<std::string>();
        } while (page["next_cursor"].is_string() && int64_t(all.size()) < limit);
        if (o.format == "json") std::cout << json{{"as_of", page["as_of"]}, {"data", all}}.dump(2) << "\n";
        else print_rows(all, {"customer_type", "customer_id", "name", "recency_days", "frequency", "monetary_cents", "r", "f", "m", "segment"}, o.format);
        return;
      }
      json r = svc.rfm(actor, q);
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      if (o.format == "table")
        std::cout << tr("RFM as of {date}: {customers} customers, {bins} bins",
                        {{"date", r["as_of"].get<std::string>()}, {"customers", count_of(r["customers"])},
                         {"bins", count_of(r["bins"])}})
                         .render(locale_language())
                  << "\n";
      print_rows(r["segments"], {"segment", "customers", "revenue_cents", "share_customers", "share_revenue"}, o.format);
    };
  });

  static std::string order = "net_profit_desc";
  auto* profit = command(analytics, "profitability", "Net profit per customer (purchases − discounts − solicitation costs), ranked", ctx, o, true, true);
  profit->add_option("--order", order, "net_profit_desc or net_profit_asc")->check(CLI::IsMember({"net_profit_desc", "net_profit_asc"}))->capture_default_str();
  profit->add_option("--limit", limit, "Customers listed")->capture_default_str()->check(CLI::Range(1, 1000));
  profit->callback([&ctx, &action, actor] {
    action = [&ctx, actor] {
      auto db = ctx.open_database();
      domain::AnalyticsService svc(*db);
      domain::Query q = query_of(o, true);
      json totals = svc.profitability(actor, q);
      q["order"] = order;
      q["limit"] = std::to_string(limit);
      json rows = svc.profitability_customers(actor, q);
      if (o.format == "json") {
        totals["data"] = rows["data"];
        std::cout << totals.dump(2) << "\n";
        return;
      }
      if (o.format == "table") {
        std::cout << tr("Profitability {from} … {to}: {customers} customers, {losing} losing money",
                        {{"from", totals["from"].get<std::string>()}, {"to", totals["to"].get<std::string>()},
                         {"customers", count_of(totals["customers"])}, {"losing", count_of(totals["losing_customers"])}})
                         .render(locale_language())
                  << "\n";
        json t = totals["totals"];
        print_object(t, "table");
        std::cout << "\n";
      }
      print_rows(rows["data"], {"rank", "customer_type", "customer_id", "name", "orders", "purchases_cents", "discounts_cents",
                                "gross_profit_cents", "interactions", "solicitation_cost_cents", "net_profit_cents"},
                 o.format);
    };
  });

  static std::string measure = "revenue";
  auto* conc = command(analytics, "concentration", "Top shares, Pareto and Stobachoff curves, Gini coefficient", ctx, o, true, true);
  conc->add_option("--measure", measure, "revenue or profit")->check(CLI::IsMember({"revenue", "profit"}))->capture_default_str();
  conc->callback([&ctx, &action, actor] {
    action = [&ctx, actor] {
      auto db = ctx.open_database();
      domain::Query q = query_of(o, true);
      q["measure"] = measure;
      json r = domain::AnalyticsService(*db).concentration(actor, q);
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      if (o.format == "csv") {  // the two curves side by side
        json rows = json::array();
        for (size_t i = 0; i < r["pareto"].size(); ++i)
          rows.push_back({{"customers_pct", r["pareto"][i]["customers_pct"]}, {"pareto_share", r["pareto"][i]["share"]},
                          {"stobachoff_share", r["stobachoff"][i]["share"]}});
        print_rows(rows, {"customers_pct", "pareto_share", "stobachoff_share"}, "csv");
        return;
      }
      // The figures as the table writes them (cell): the same in both languages.
      std::cout << tr("Concentration of {measure} over {customers} customers, Gini {gini}; Stobachoff peak: the best "
                      "{pct} % make {share} of the profit",
                      {{"measure", measure == "profit" ? Message::both("marge", "profit") : Message::both("chiffre d'affaires", "revenue")},
                       {"customers", count_of(r["customers"])}, {"gini", cell("gini", r["gini"], true)},
                       {"pct", cell("x", r["stobachoff_peak"]["customers_pct"], true)},
                       {"share", cell("share", r["stobachoff_peak"]["share"], true)}})
                       .render(locale_language())
                << "\n";
      print_rows(r["top_shares"], {"top_pct", "share"}, "table");
    };
  });

  static std::string period = "month";
  auto* coh = command(analytics, "cohorts", "Retention by cohort of first purchase, churn and the four macro-processes", ctx, o, true, true);
  coh->add_option("--period", period, "month, quarter or year (churn and macro-processes)")->check(CLI::IsMember({"month", "quarter", "year"}))->capture_default_str();
  coh->callback([&ctx, &action, actor] {
    action = [&ctx, actor] {
      auto db = ctx.open_database();
      domain::Query q = query_of(o, true);
      q["period"] = period;
      json r = domain::AnalyticsService(*db).cohorts(actor, q);
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      // Cohorts: retention by months since (m0, m1, …).
      size_t width = 0;
      for (const auto& c : r["cohorts"]) width = std::max(width, c["retention"].size());
      // partial: the cohort's month is not over on as_of; a month in progress has no retention
      // (an empty cell), the churn of a period in progress neither.
      std::vector<std::string> cols = {"cohort", "customers", "partial"};
      for (size_t k = 0; k < width; ++k) cols.push_back("m" + std::to_string(k));
      json rows = json::array();
      for (const auto& c : r["cohorts"]) {
        json row = {{"cohort", c["cohort"]}, {"customers", c["customers"]}, {"partial", c["partial"]}};
        for (size_t k = 0; k < c["retention"].size(); ++k) row["m" + std::to_string(k)] = c["retention"][k];
        rows.push_back(row);
      }
      print_rows(rows, cols, o.format);
      if (o.format == "table") {
        std::cout << "\n";
        json macro = r["macro"];
        for (size_t i = 0; i < macro.size(); ++i) macro[i]["churn_rate"] = r["churn"][i]["rate"];
        print_rows(macro, {"period", "active", "recruited", "retained", "developed", "won_back", "lost", "churn_rate", "partial"}, "table");
      }
    };
  });

  auto* tiers = command(analytics, "tiers", "Recompute the value tiers (gold, silver, bronze…) stored on contacts and accounts", ctx, o, false, false);
  tiers->add_option("--as-of", o.as_of, "Analysis date YYYY-MM-DD (default: the day of the last order)");
  tiers->callback([&ctx, &action, actor] {
        action = [&ctx, actor] {
          auto db = ctx.open_database();
          domain::Query q;
          if (!o.as_of.empty()) q["as_of"] = o.as_of;
          json r = domain::AnalyticsService(*db).recompute_tiers(actor, q);
          if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
          json rows = json::array();
          for (const char* unit : {"contacts", "accounts"})
            for (auto it = r[unit].begin(); it != r[unit].end(); ++it)
              rows.push_back({{"unit", unit}, {"tier", it.key()}, {"customers", it.value()}});
          if (o.format == "table")
            std::cout << tr("Tiers by {measure} from {from} to {to}",
                            {{"measure", r["measure"].get<std::string>()}, {"from", r["from"].get<std::string>()},
                             {"to", r["as_of"].get<std::string>()}})
                             .render(locale_language())
                      << "\n";
          print_rows(rows, {"unit", "tier", "customers"}, o.format);
        };
      });

  auto* sow = command(analytics, "share-of-wallet", "Revenue of the last 12 months over the known category spend", ctx, o, false, false);
  sow->add_option("--as-of", o.as_of, "Analysis date YYYY-MM-DD (default: the day of the last order)");
  sow->add_option("--limit", limit, "Customers listed")->capture_default_str()->check(CLI::Range(1, 1000));
  sow->callback([&ctx, &action, actor] {
    action = [&ctx, actor] {
      auto db = ctx.open_database();
      domain::Query q;
      if (!o.as_of.empty()) q["as_of"] = o.as_of;
      q["limit"] = std::to_string(limit);
      json r = domain::AnalyticsService(*db).share_of_wallet(actor, q);
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      print_rows(r["data"], {"customer_type", "customer_id", "name", "revenue_12m_cents", "category_spend_cents", "share"}, o.format);
    };
  });

  static std::string settings_change;
  auto* settings = command(analytics, "settings",
                           "Show the analytics settings (margins, channel costs, RFM bins, tier rules, CLV rates), "
                           "or change some with --set (docs/analytics.md, Settings)",
                           ctx, o, false, false);
  settings->add_option("--set", settings_change,
                       "JSON object of the keys to change, e.g. '{\"tiers\": {\"measure\": \"clv\"}, \"rfm_bins\": 4}'");
  settings->callback([&ctx, &action, actor] {
    action = [&ctx, actor] {
      auto db = ctx.open_database();
      domain::AnalyticsService svc(*db);
      json r;
      if (settings_change.empty()) {
        r = svc.settings(actor);
      } else {
        json body = json::parse(settings_change, nullptr, false);
        if (body.is_discarded())
          throw Problem(ProblemKind::BadRequest, "--set is not valid JSON", {{"--set", "must be a JSON object of settings"}});
        r = svc.put_settings(actor, body);
      }
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      // One row per setting: nested objects flattened to dotted names, lists as JSON.
      json rows = json::array();
      std::function<void(const std::string&, const json&)> flatten = [&](const std::string& name, const json& v) {
        if (v.is_object()) {
          for (auto it = v.begin(); it != v.end(); ++it) flatten(name.empty() ? it.key() : name + "." + it.key(), it.value());
        } else {
          rows.push_back({{"setting", name}, {"value", v.is_string() ? v.get<std::string>() : v.dump()}});
        }
      };
      flatten("", r);
      print_rows(rows, {"setting", "value"}, o.format);
    };
  });

  static double households = 0, category_penetration = 0, brand_penetration = 0, quantity = 0, share_req = 0;
  auto* demand = analytics->add_subcommand("demand", "Static demand: households × category penetration × brand penetration × quantity × share of requirements");
  demand->add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))->capture_default_str();
  demand->add_option("--households", households, "Households in the market")->required();
  demand->add_option("--category-penetration", category_penetration, "Share of households buying the category (0-1)")->required();
  demand->add_option("--brand-penetration", brand_penetration, "Share of category buyers buying the brand (0-1)")->required();
  demand->add_option("--quantity-per-buyer", quantity, "Quantity a buyer buys per period")->required();
  demand->add_option("--share-of-requirements", share_req, "Share of the buyer's needs the brand gets (0-1)")->required();
  demand->callback([&action, actor] {
    action = [actor] {
      json body = {{"households", households}, {"category_penetration", category_penetration},
                   {"brand_penetration", brand_penetration}, {"quantity_per_buyer", quantity},
                   {"share_of_requirements", share_req}};
      json r = domain::AnalyticsService::demand(actor, body);
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      print_rows(r["steps"], {"label", "factor", "value"}, o.format);
    };
  });

  static int64_t gross = 0, acquisition = 0, retention = 0;
  static int years = 2;
  auto* rva = analytics->add_subcommand("retention-vs-acquisition", "Keep one customer for years vs replace it every year (money in cents)");
  rva->add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))->capture_default_str();
  rva->add_option("--annual-gross-profit-cents", gross, "Gross profit a customer brings each year")->required();
  rva->add_option("--acquisition-cost-cents", acquisition, "Cost of recruiting a customer")->required();
  rva->add_option("--retention-cost-cents", retention, "Cost of keeping a customer one more year")->capture_default_str();
  rva->add_option("--years", years, "Years compared")->capture_default_str();
  rva->callback([&action, actor] {
    action = [actor] {
      json body = {{"annual_gross_profit_cents", gross}, {"acquisition_cost_cents", acquisition},
                   {"retention_cost_cents", retention}, {"years", years}};
      json r = domain::AnalyticsService::retention_vs_acquisition(actor, body);
      if (o.format == "json") { std::cout << r.dump(2) << "\n"; return; }
      json rows = json::array();
      for (const char* s : {"retain", "replace"}) {
        json row = r[s];
        row["scenario"] = s;
        rows.push_back(row);
      }
      print_rows(rows, {"scenario", "gross_profit_cents", "acquisition_cost_cents", "retention_cost_cents", "net_cents"}, o.format);
      if (o.format == "table")
        std::cout << tr("Replacing earns {pct} % less ({difference})",
                        {{"pct", cell("x", r["replace_earns_less_pct"], true)},
                         {"difference", cell("difference_cents", r["difference_cents"], true)}})
                         .render(locale_language())
                  << "\n";
    };
  });
  return analytics;
}

}  // namespace gz::cli
