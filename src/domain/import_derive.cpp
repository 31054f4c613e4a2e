#include "domain/import_derive.h"

#include <algorithm>

#include "core/problem.h"
#include "core/text.h"
#include "core/validate.h"
#include "io/csv.h"

namespace gz::domain {

namespace {

std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    out.push_back(text::trim(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

[[noreturn]] void bad(const std::string& spec, const Message& why) {
  throw Problem(ProblemKind::BadRequest, tr("--derive '{spec}': {reason}", {{"spec", spec}, {"reason", why}}),
                {{"derive", why}});
}

}  // namespace

ColumnDerivation ColumnDerivation::parse(const std::vector<std::string>& specs) {
  ColumnDerivation d;
  for (const auto& spec : specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) bad(spec, tr("write target=expression, e.g. street=concat(number, street_name)"));
    Target t;
    t.name = text::trim(spec.substr(0, eq));
    std::string expr = text::trim(spec.substr(eq + 1));
    size_t open = expr.find('(');
    if (open == std::string::npos) {
      if (expr.empty()) bad(spec, tr("the expression is empty"));
      t.args.push_back({"", expr, -1});
    } else {
      if (expr.back() != ')') bad(spec, tr("missing closing parenthesis"));
      std::string fn = text::trim(expr.substr(0, open));
      auto args = split_args(expr.substr(open + 1, expr.size() - open - 2));
      if (fn == "concat") t.op = Op::Concat;
      else if (fn == "coalesce") t.op = Op::Coalesce;
      else if (fn == "date") t.op = Op::Date;
      else if (fn == "object") t.op = Op::Object;
      else bad(spec, tr("unknown function '{function}'; use concat, coalesce, date or object", {{"function", fn}}));
      if (t.op == Op::Date) {
        if (args.size() != 2) bad(spec, tr("date takes a column and a format, e.g. date(born, YYYYMMDD)"));
        t.format = args[1];
        if (t.format.find("YYYY") == std::string::npos || t.format.find("MM") == std::string::npos ||
            t.format.find("DD") == std::string::npos)
          bad(spec, tr("the date format needs YYYY, MM and DD, e.g. YYYYMMDD or DD/MM/YYYY"));
        args.resize(1);
      }
      for (const auto& a : args) {
        if (a.empty()) bad(spec, tr("an argument is empty"));
        size_t k = t.op == Op::Object ? a.find('=') : std::string::npos;
        if (k != std::string::npos) t.args.push_back({text::trim(a.substr(0, k)), text::trim(a.substr(k + 1)), -1});
        else t.args.push_back({a, a, -1});
      }
    }
    for (const auto& other : d.targets_)
      if (other.name == t.name) bad(spec, tr("column '{column}' is derived twice", {{"column", t.name}}));
    d.targets_.push_back(std::move(t));
  }
  return d;
}

std::vector<std::string> ColumnDerivation::bind(const std::vector<std::string>& raw_header,
                                                const std::set<std::string>& keep) {
  std::vector<std::string> header;
  for (const auto& h : raw_header) header.push_back(text::trim(h));
  std::set<std::string> used, targets;
  for (auto& t : targets_) {
    targets.insert(t.name);
    for (auto& a : t.args) {
      auto it = std::find(header.begin(), header.end(), a.column);
      if (it == header.end())
        throw Problem(ProblemKind::BadRequest,
                      tr("--derive {target}: the file has no column '{column}'", {{"target", t.name}, {"column", a.column}}),
                      {{"derive", tr("no column '{column}' in the header", {{"column", a.column}})}});
      a.index = int(it - header.begin());
      used.insert(a.column);
    }
  }
  std::vector<std::string> out;
  kept_.clear();
  for (size_t i = 0; i < header.size(); ++i) {
    const auto& h = header[i];
    if (targets.count(h) || (used.count(h) && !keep.count(h))) continue;  // replaced or consumed
    kept_.push_back(int(i));
    out.push_back(h);
  }
  for (const auto& t : targets_) out.push_back(t.name);
  return out;
}

void ColumnDerivation::apply(int64_t line, const std::vector<std::string>& in, std::vector<std::string>& out,
                             std::vector<ImportError>& warnings) const {
  out.clear();
  auto cell = [&](int i) { return i >= 0 && size_t(i) < in.size() ? text::trim(in[size_t(i)]) : std::string(); };
  for (int i : kept_) out.push_back(size_t(i) < in.size() ? in[size_t(i)] : std::string());
  for (const auto& t : targets_) {
    std::string v;
    switch (t.op) {
      case Op::Copy:
        v = cell(t.args[0].index);
        break;
      case Op::Concat:
        for (const auto& a : t.args) {
          std::string c = cell(a.index);
          if (!c.empty()) v += (v.empty() ? "" : " ") + c;
        }
        break;
      case Op::Coalesce:
        for (const auto& a : t.args)
          if (v.empty()) v = cell(a.index);
        break;
      case Op::Date: {
        std::string c = cell(t.args[0].index);
        if (c.empty()) break;
        std::string y, m, d;
        bool ok = c.size() == t.format.size();
        for (size_t i = 0; ok && i < c.size(); ++i) {
          char f = t.format[i];
          if (f == 'Y' || f == 'M' || f == 'D') {
            if (!std::isdigit(static_cast<unsigned char>(c[i]))) ok = false;
            (f == 'Y' ? y : f == 'M' ? m : d) += c[i];
          } else if (c[i] != f) {
            ok = false;
          }
        }
        std::string iso = y + "-" + m + "-" + d;
        if (ok && validate::iso_date(iso)) v = iso;
        else
          warnings.push_back({line, t.args[0].column,
                              tr("'{value}' is not a date in the form {format}; left empty", {{"value", c}, {"format", t.format}})});
        break;
      }
      case Op::Object: {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& a : t.args) {
          std::string c = cell(a.index);
          if (!c.empty()) o[a.key] = c;
        }
        if (!o.empty()) v = o.dump();
        break;
      }
    }
    out.push_back(v);
  }
}

int64_t ColumnDerivation::rewrite(std::istream& in, std::ostream& out, const std::set<std::string>& keep,
                                  const std::function<void(const ImportError&)>& on_warning) {
  io::CsvReader reader(in);
  std::vector<std::string> header;
  try {
    if (!reader.read_header(header)) throw Problem(ProblemKind::BadRequest, tr("the file is empty; it needs a header row"));
  } catch (const io::CsvError& err) {
    throw Problem(ProblemKind::BadRequest,
                  tr("the header is not valid CSV: line {line}: {reason}", {{"line", err.line()}, {"reason", err.message()}}));
  }
  io::CsvWriter writer(out, ',', false);  // read back by the import: cells kept as they are
  writer.write_row(bind(header, keep));
  io::CsvRow row;
  std::vector<std::string> derived;
  std::vector<ImportError> warnings;
  int64_t rows = 0;
  for (;;) {
    try {
      if (!reader.next(row)) break;
    } catch (const io::CsvError& err) {
      if (!err.recoverable())
        throw Problem(ProblemKind::BadRequest,
                      tr("the file is not valid CSV: line {line}: {reason}", {{"line", err.line()}, {"reason", err.message()}}),
                      {{"line " + std::to_string(err.line()), err.message()}});
      // A row with the wrong number of cells: reported under its line and left out.
      if (on_warning) on_warning({err.line(), "", err.message()});
      continue;
    }
    warnings.clear();
    apply(row.line, row.fields, derived, warnings);
    if (on_warning)
      for (const auto& w : warnings) on_warning(w);
    writer.write_row(derived);
    ++rows;
  }
  out.flush();
  return rows;
}

}  // namespace gz::domain
