// SQL of the orders module beyond the generic records: a product as an order line reads it,
// and the aggregates of a customer's purchases for the 360° view. Stateless; the caller's
// Connection.
#pragma once
#include <optional>
#include <string>

#include "store/database.h"
#include "store/row_stream.h"

namespace gz::store {

struct OrderStore {
  static std::optional<json> product(Connection& c, int64_t id);
  static std::optional<int64_t> product_id_by_sku(Connection& c, const std::string& sku);
  // Revenue to date (orders not cancelled or returned), order count, first and last purchase,
  // for column = "contact_id" or "account_id".
  // A statement of a batch (store::stream_batch) that writes them into out.
  static BatchStatement value_figures(const std::string& column, int64_t id, json& out);
};

}  // namespace gz::store
