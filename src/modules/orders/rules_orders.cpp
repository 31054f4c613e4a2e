// Order rules: an order belongs to a customer; its lines (quantity × unit price − discount)
// make its totals. An order given without lines carries its amount in total_cents (imports of
// one row per order).
#include <cstdlib>

#include "core/clock.h"
#include "modules/customers/rules.h"
#include "modules/orders/rules.h"
#include "store/amounts.h"
#include "store/record_store.h"
#include "modules/orders/order_store.h"

namespace gz::modules::orders {

using namespace gz::domain;
using customers::attach_customer;
using json = nlohmann::json;

namespace {

using store::kMaxAmountCents;
using store::kMaxQuantity;

// An integer JSON value within [lo, hi]; an unsigned beyond int64_t is out of range (read as
// int64_t it would wrap to a negative number).
bool integer_in(const json& v, int64_t lo, int64_t hi) {
  if (!v.is_number_integer()) return false;
  if (v.is_number_unsigned()) return v.get<uint64_t>() <= uint64_t(hi) && hi >= 0 && int64_t(v.get<uint64_t>()) >= lo;
  int64_t n = v.get<int64_t>();
  return n >= lo && n <= hi;
}

}  // namespace

// One order line: the product by id or SKU gives the description and the price; quantity ×
// price − discount makes the line's total.
bool order_line(WriteContext& ctx, const json& l, json& line, const std::string& p, FieldErrors& errors) {
  std::optional<json> product;
  if (l.contains("product_id") && !l["product_id"].is_null()) {
    if (!l["product_id"].is_number_integer()) errors.add(p + ".product_id", "must be an integer");
    else if (!(product = store::OrderStore::product(ctx.conn, l["product_id"].get<int64_t>())))
      errors.add(p + ".product_id", tr("product {id} does not exist", {{"id", l["product_id"].dump()}}));
  } else if (l.contains("sku") && l["sku"].is_string()) {
    auto id = store::OrderStore::product_id_by_sku(ctx.conn, l["sku"].get<std::string>());
    if (!id) errors.add(p + ".sku", tr("no product has SKU '{sku}'", {{"sku", l["sku"].get<std::string>().substr(0, 50)}}));
    else product = store::OrderStore::product(ctx.conn, *id);
  }
  line["product_id"] = product ? (*product)["id"] : json();
  json desc = l.value("description", product ? (*product)["name"] : json());
  if (!desc.is_null() && (!desc.is_string() || desc.get<std::string>().size() > 500))
    errors.add(p + ".description", "must be a text of at most 500 characters");
  line["description"] = desc;
  json qty = l.value("quantity", json());
  if (!integer_in(qty, -kMaxQuantity, kMaxQuantity) || qty.get<int64_t>() == 0) {
    errors.add(p + ".quantity", tr("must be a non-zero integer from -{max} to {max} (negative for a return)",
                                   {{"max", static_cast<long long>(kMaxQuantity)}}));
    return false;
  }
  json price = l.value("unit_price_cents", product ? (*product)["unit_price_cents"] : json());
  if (!integer_in(price, 0, kMaxAmountCents)) {
    errors.add(p + ".unit_price_cents", price.is_null() ? tr("is required when no product gives the price")
                                                         : tr("must be an integer number of cents from 0 to {max}",
                                                              {{"max", static_cast<long long>(kMaxAmountCents)}}));
    return false;
  }
  // quantity × price reaches 10^21: computed on 128 bits, and the line must stay a single
  // amount (at most 10^12 cents) so that every sum of lines fits in int64_t.
  __int128 gross128 = __int128(qty.get<int64_t>()) * price.get<int64_t>();
  if (gross128 > kMaxAmountCents || gross128 < -kMaxAmountCents) {
    errors.add(p + ".quantity", tr("quantity × unit price exceeds {max} cents", {{"max", static_cast<long long>(kMaxAmountCents)}}));
    return false;
  }
  int64_t gross = int64_t(gross128);
  json disc = l.value("discount_cents", json(0));
  if (!integer_in(disc, 0, std::llabs(gross))) {
    errors.add(p + ".discount_cents", "must be an integer number of cents from 0 to the line's amount");
    return false;
  }
  line["quantity"] = qty;
  line["unit_price_cents"] = price;
  line["discount_cents"] = disc;
  line["total_cents"] = gross - (gross < 0 ? -disc.get<int64_t>() : disc.get<int64_t>());
  return true;
}

void order_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  // "anonymous": true (imports of anonymous sales, docs/import.md) lets an order have no
  // customer; such orders count in sales but belong to no customer.
  json anonymous = ctx.input.value("anonymous", json());
  if (!anonymous.is_null() && !anonymous.is_boolean()) errors.add("anonymous", "must be true or false");
  bool no_customer = anonymous.is_boolean() && anonymous.get<bool>();
  if (no_customer && (!record.value("contact_id", json()).is_null() || !record.value("account_id", json()).is_null()))
    errors.add("anonymous", "an anonymous sale has no contact_id nor account_id");
  attach_customer(ctx, record, errors, !no_customer);
  if (record.value("ordered_at", json()).is_null()) record["ordered_at"] = clock::now_utc();
  if (ctx.scratch.contains("children") && ctx.scratch["children"].contains("lines")) {
    const json& lines = ctx.scratch["children"]["lines"];
    int64_t subtotal = 0, discount = 0;
    for (const auto& l : lines) {
      subtotal += l["quantity"].get<int64_t>() * l["unit_price_cents"].get<int64_t>();
      discount += l["discount_cents"].get<int64_t>();
    }
    // At most 10,000 lines of at most 10^12 cents: these sums fit; the order is one amount too.
    if (subtotal > kMaxAmountCents || subtotal < -kMaxAmountCents)
      errors.add("lines", tr("the order's subtotal exceeds {max} cents", {{"max", static_cast<long long>(kMaxAmountCents)}}));
    record["subtotal_cents"] = subtotal;
    record["discount_cents"] = discount;
    record["total_cents"] = subtotal - discount;
  } else if (!ctx.before) {
    json total = record.value("total_cents", json(0)), disc = record.value("discount_cents", json(0));
    if (!disc.is_number_integer()) disc = 0;  // null, or refused by the field's range already
    if (!total.is_number_integer()) total = 0;
    record["subtotal_cents"] = total.get<int64_t>() + disc.get<int64_t>();
  }
}

// The margin rate the profitability analysis applies to the product's order lines.
void product_rules(WriteContext&, json& record, FieldErrors& errors) {
  const json& m = record.value("margin_bp", json());
  if (!m.is_null() && (!m.is_number_integer() || m.get<int64_t>() < 0 || m.get<int64_t>() > 10000))
    errors.add("margin_bp", "must be an integer from 0 to 10000 basis points (3750 = 37.5 %)");
}

}  // namespace gz::modules::orders
