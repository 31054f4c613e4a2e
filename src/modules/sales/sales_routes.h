// The sales module's routes beyond the generic record routes (routes_sales.cpp), and what it adds
// to a customer's 360° view.
#pragma once
#include <string>
#include <utility>
#include <vector>
#include <cstdint>

namespace httplib {
struct Request;
}
namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http
namespace gz::domain {
struct View360;
}
namespace gz::store {
class Database;
}

namespace gz::modules::sales {

// The stored quote as a PDF (no access check: the caller has made it), and its number.
std::string render_stored_quote_pdf(store::Database& db, int64_t id, std::string& number);

void add_sales_routes(http::Api& api, http::Services& s);

// The period of a report (the funnel, the macro-processes, the win rates): `from` and `to`
// (dates), by default the last 12 months up to the company's today; a bad date is a 400 naming it.
struct ReportPeriod {
  std::string from, to;
};
ReportPeriod report_period(store::Database& db, const httplib::Request& req);
// The customers a report is about: `entity`, contacts (default) or accounts; a 400 naming it otherwise.
std::string customer_entity_param(const httplib::Request& req);
void view360(domain::View360& v);
std::vector<std::pair<std::string, std::string>> messages_fr();

}  // namespace gz::modules::sales
