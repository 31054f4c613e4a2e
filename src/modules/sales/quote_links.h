// A quote the customer reads and accepts on line: the salesperson makes a one-use link
// (POST /api/v1/quotes/{id}/link); /q/{token} shows the quote (lines, VAT, totals, the PDF) and a
// "Bon pour accord" form; accepting records the name typed, the date and the client address,
// makes the quote accepted (hence its order, docs/sales.md) and spends the link.
#pragma once

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http

namespace gz::modules::sales {

void add_quote_link_routes(http::Api& api, http::Services& s);

}  // namespace gz::modules::sales
