// gazelle analytics clv — lifetime-value models (docs/analytics.md, "Lifetime value"): fits
// BG/NBD, Pareto/NBD or Gamma-Gamma on the database's orders (through domain::ClvService, as the
// system actor) or on a purchase log file (--input, CDNOW format), prints the fit or the
// customers by CLV, and can draw the predicted vs actual cumulative repeat purchases as SVG.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <functional>

#include "modules/analytics/clv_models.h"
#include "cli/cli.h"
#include "core/problem.h"
#include "modules/analytics/clv_service.h"
#include "io/csv.h"

namespace gz::cli {

namespace {

using json = nlohmann::json;
namespace an = gz::analytics;

struct ClvCliOptions {
  std::string model = "bgnbd";
  std::string calibration_end;
  std::string format = "table";
  std::string input, input_format = "cdnow";
  std::string unit = "contacts";
  double horizon_weeks = 52;
  std::optional<double> margin, discount_rate;
  std::string plot;
  bool customers = false;
};

std::string number(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

void print_table(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows, const std::string& format) {
  if (format == "csv") {
    io::CsvWriter w(std::cout, ',');
    w.write_row(columns);
    for (const auto& r : rows) w.write_row(r);
    return;
  }
  std::vector<size_t> width;
  for (const auto& c : columns) width.push_back(c.size());
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (size_t i = 0; i < columns.size(); ++i) std::cout << std::left << std::setw(int(width[i] + 2)) << columns[i];
  std::cout << "\n";
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) std::cout << std::left << std::setw(int(width[i] + 2)) << r[i];
    std::cout << "\n";
  }
}

std::string money(const json& cents) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", cents.get<double>() / 100.0);
  return buf;
}

void run_clv_command(const CliContext& ctx, const ClvCliOptions& o) {
  int32_t end = 0;
  if (!o.calibration_end.empty() && (o.calibration_end.size() != 10 || !an::parse_day(o.calibration_end, end)))
    throw Problem(ProblemKind::BadRequest, "--calibration-end must be a date YYYY-MM-DD", {{"--calibration-end", "must be a date YYYY-MM-DD"}});
  if (!o.plot.empty() && (o.plot.size() < 4 || o.plot.substr(o.plot.size() - 4) != ".svg"))
    throw Problem(ProblemKind::BadRequest, "--plot must name an .svg file", {{"--plot", "must end in .svg"}});
  an::ClvOptions clv;
  clv.horizon_weeks = o.horizon_weeks;
  std::shared_ptr<const domain::ClvRun> run;
  std::function<std::pair<std::string, int64_t>(int64_t)> who;  // summary customer → (type, id)
  std::unique_ptr<store::Database> db;
  std::shared_ptr<const domain::AnalyticsSnapshot> snap;
  if (!o.input.empty()) {
    auto purchases = an::read_cdnow(o.input);
    if (purchases.empty())
      throw Problem(ProblemKind::BadRequest, tr("{file} holds no purchase", {{"file", o.input}}), {{"--input", "no purchase"}});
    // The customers list needs a count model: BG/NBD, with the same Gamma-Gamma fit.
    run = domain::run_clv(purchases, o.model == "gammagamma" && o.customers ? "bgnbd" : o.model, end);
    clv.margin = o.margin.value_or(0.3);
    clv.annual_discount_rate = o.discount_rate.value_or(0.1);
    who = [](int64_t c) { return std::make_pair(std::string("cdnow"), c); };
  } else {
    db = ctx.open_database();
    domain::ClvService svc(*db);
    domain::Query q = {{"model", o.customers && o.model == "gammagamma" ? "bgnbd" : o.model}, {"unit", o.unit}};
    if (!o.calibration_end.empty()) q["calibration_end"] = o.calibration_end;
    if (o.margin) q["margin"] = number(*o.margin, 17);
    if (o.discount_rate) q["discount_rate"] = number(*o.discount_rate, 17);
    q["horizon_weeks"] = number(o.horizon_weeks, 17);
    auto cq = svc.parse(q, true);
    clv = cq.clv;
    run = svc.run(cq);
    snap = domain::AnalyticsService(*db).snapshot();
    auto unit = cq.unit;
    who = [snap, unit](int64_t c) {
      const auto& g = snap->grouping(unit);
      return std::make_pair(std::string(an::customer_type_name(g.type[size_t(c)])), g.id[size_t(c)]);
    };
  }

  if (!o.plot.empty()) {
    std::ofstream out(o.plot);
    if (!out) throw Problem(ProblemKind::BadRequest, tr("cannot write {file}", {{"file", o.plot}}), {{"--plot", "cannot write the file"}});
    double cal_week = 0;
    if (!run->summaries.empty()) {
      int32_t origin = INT32_MAX;
      for (const auto& s : run->summaries) origin = std::min(origin, s.first_day);
      cal_week = (run->calibration_end - origin + 1) / an::kDaysPerWeek;
    }
    std::string name = run->count.kind == an::CountModel::Kind::ParetoNbd ? "Pareto/NBD" : "BG/NBD";
    out << an::tracking_svg(run->tracking, "Cumulative repeat purchases: actual vs " + name, cal_week);
    if (!out) throw Problem(ProblemKind::BadRequest, tr("cannot write {file}", {{"file", o.plot}}), {{"--plot", "write failed"}});
    std::cerr << tr("wrote {file} ({weeks} weeks)", {{"file", o.plot}, {"weeks", run->tracking.size()}}).render(locale_language())
              << "\n";
  }

  // A degenerate or unconverged fit is said so (docs/analytics.md, "When a fit says nothing");
  // not in JSON, whose output is the fit document alone.
  if (json q = run->quality(run->model); !q["reliable"].get<bool>() && o.format != "json") {
    // The reasons are codes (clv_service.h, quality), said as they are.
    std::string reasons;
    for (const auto& r : q["reasons"]) reasons += (reasons.empty() ? "" : ", ") + r.get<std::string>();
    std::cerr << tr("Warning: this fit is not reliable ({reasons}), so its parameters and P(alive) are not findings "
                    "about the customers.",
                    {{"reasons", reasons}})
                     .render(locale_language())
              << "\n";
  }

  if (o.customers) {
    auto values = run->values(clv);
    json all = json::array();
    for (const auto& v : *values) {
      auto [type, id] = who(v.summary.customer);
      all.push_back(domain::clv_customer_json(v, type, id));
    }
    if (o.format == "json") {
      std::cout << all.dump(2) << "\n";
      return;
    }
    std::vector<std::string> cols = {"customer_type", "customer_id", "x", "t_x", "T", "monetary", "p_alive", "expected_purchases",
                                     "expected_value", "clv"};
    std::vector<std::vector<std::string>> rows;
    bool csv = o.format == "csv";
    for (const auto& r : all)
      rows.push_back({r["customer_type"].get<std::string>(), std::to_string(r["customer_id"].get<int64_t>()),
                      number(r["x"].get<double>()), number(r["t_x"].get<double>(), csv ? 17 : 5), number(r["T"].get<double>(), csv ? 17 : 5),
                      money(r["monetary_cents"]), number(r["p_alive"].get<double>(), csv ? 17 : 4),
                      number(r["expected_purchases"].get<double>(), csv ? 17 : 4), money(r["expected_value_cents"]),
                      money(r["clv_cents"])});
    print_table(cols, rows, o.format);
    return;
  }

  json fit = run->fit_json();
  if (o.format == "json") {
    std::cout << fit.dump(2) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {{"model", o.model},
                                                {"calibration_end", an::format_day(run->calibration_end)},
                                                {"customers", std::to_string(fit["customers"].get<int64_t>())},
                                                {"log_likelihood", number(fit["log_likelihood"].get<double>(), o.format == "csv" ? 17 : 10)}};
  for (const auto& [k, v] : fit["params"].items()) rows.push_back({k, number(v.get<double>(), o.format == "csv" ? 17 : 6)});
  print_table({"key", "value"}, rows, o.format);
}

}  // namespace

void add_clv_command(CLI::App* analytics, CliContext& ctx, std::function<void()>& action) {
  static ClvCliOptions o;
  auto* cmd = analytics->add_subcommand(
      "clv",
      "Lifetime value: fit BG/NBD, Pareto/NBD or Gamma-Gamma by maximum likelihood (weeks, same-day purchases merged) "
      "on the orders or a purchase log; print the fit or, with --customers, P(alive), expected purchases, expected "
      "value and discounted CLV per customer");
  add_db_option(cmd, ctx);
  cmd->add_option("--model", o.model, "bgnbd, pnbd or gammagamma")->check(CLI::IsMember({"bgnbd", "pnbd", "gammagamma"}))->capture_default_str();
  cmd->add_option("--calibration-end", o.calibration_end, "Last day of the calibration period, YYYY-MM-DD (default: the last purchase)");
  cmd->add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))->capture_default_str();
  cmd->add_option("--input", o.input, "Read purchases from this file instead of the database");
  cmd->add_option("--input-format", o.input_format, "Format of --input: cdnow (id [sample_id] yyyymmdd quantity amount)")
      ->check(CLI::IsMember({"cdnow"}))->capture_default_str();
  cmd->add_option("--unit", o.unit, "Customers: contacts (an order's contact, else its account) or accounts")
      ->check(CLI::IsMember({"contacts", "accounts"}))->capture_default_str();
  cmd->add_option("--horizon-weeks", o.horizon_weeks, "Horizon of expected purchases and CLV, in weeks")->check(CLI::Range(1.0, 520.0))->capture_default_str();
  cmd->add_option("--margin", o.margin, "Margin rate applied to expected value (default: analytics settings, 0.3)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--discount-rate", o.discount_rate, "Annual discount rate (default: analytics settings, 0.1)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--plot", o.plot, "Write an SVG chart of predicted vs actual weekly cumulative repeat purchases");
  cmd->add_flag("--customers", o.customers, "Print every customer by CLV descending instead of the fit");
  cmd->callback([&ctx, &action] { action = [&ctx] { run_clv_command(ctx, o); }; });
}

}  // namespace gz::cli
