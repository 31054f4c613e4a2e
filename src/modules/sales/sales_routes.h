// The sales module's routes beyond the generic record routes (routes_sales.cpp), and what it adds
// to a customer's 360° view.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http
namespace gz::domain {
struct View360;
}

namespace gz::modules::sales {

void add_sales_routes(http::Api& api, http::Services& s);
void view360(domain::View360& v);
std::vector<std::pair<std::string, std::string>> messages_fr();

}  // namespace gz::modules::sales
