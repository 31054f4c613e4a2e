// Sales rules: a pipeline's stages (codes, probabilities, outcomes), an opportunity's stage in its
// pipeline (status, probability, time in stage, close date and loss reason), a quote's lines
// (price lists, VAT) and totals, and what an accepted quote does (an order, the opportunity's
// amount).
#include <algorithm>
#include <cstdlib>
#include <set>

#include "core/clock.h"
#include "core/message.h"
#include "core/text.h"
#include "core/zoned_time.h"
#include "domain/records.h"
#include "modules/customers/rules.h"
#include "modules/orders/rules.h"
#include "modules/sales/quote_totals.h"
#include "modules/sales/rules.h"
#include "modules/sales/sales_store.h"
#include "modules/sales/vocabulary.h"
#include "modules/settings/company_settings.h"
#include "store/amounts.h"
#include "store/record_store.h"

namespace gz::modules::sales {

using json = nlohmann::json;
using customers::attach_customer;

namespace {

// The value of a field as the write will store it: the input's, else the stored record's.
json current(const WriteContext& ctx, const char* key) {
  if (ctx.input.contains(key)) return ctx.input[key];
  return ctx.before ? ctx.before->value(key, json()) : json();
}

bool changed(const WriteContext& ctx, const json& record, const char* key) {
  return !ctx.before || ctx.before->value(key, json()) != record.value(key, json());
}

// "Proposition commerciale" -> "proposition_commerciale": a stage's default key.
std::string key_of(const std::string& name) {
  std::string out;
  for (char ch : text::fold(name)) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.substr(0, 40);
}


}  // namespace

// ---------------------------------------------------------------------------------- pipelines

void pipeline_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  json& children = ctx.scratch["children"];
  if (!ctx.before && !children.contains("stages")) {
    // A pipeline made without stages gets the usual ones (the user edits them afterwards).
    children["stages"] = default_stages();
    ctx.scratch["changed_children"].push_back("stages");
  }
  if (!children.contains("stages")) return;
  json& stages = children["stages"];
  if (stages.empty()) errors.add("stages", tr("a pipeline needs at least one stage"));
  std::set<std::string> keys;
  bool open = false;
  for (size_t i = 0; i < stages.size(); ++i) {
    json& s = stages[i];
    const std::string p = "stages[" + std::to_string(i) + "]";
    if (!s.value("key", json()).is_string() || s["key"].get<std::string>().empty())
      s["key"] = key_of(text_of(s, "name"));
    std::string key = s["key"].get<std::string>();
    if (key.empty()) errors.add(p + ".key", tr("must hold letters or digits"));
    else if (!keys.insert(key).second)
      errors.add(p + ".key", tr("'{key}' is already the code of another stage of this pipeline", {{"key", key}}));
    const json& prob = s.value("probability_pct", json(10));
    if (!prob.is_number_integer() || prob.get<int64_t>() < 0 || prob.get<int64_t>() > 100)
      errors.add(p + ".probability_pct", tr("must be a percentage from 0 to 100"));
    const json& stale = s.value("stale_after_days", json());
    if (!stale.is_null() && (!stale.is_number_integer() || stale.get<int64_t>() < 1 || stale.get<int64_t>() > 3650))
      errors.add(p + ".stale_after_days", tr("must be a number of days from 1 to 3650, or empty"));
    if (text_of(s, "outcome", "open") == "open") open = true;
  }
  if (!stages.empty() && !open) errors.add("stages", tr("a pipeline needs at least one open stage"));
  // A stage that opportunities are still in cannot go: they would stand nowhere.
  if (ctx.before) {
    for (const auto& [key, count] : SalesStore::opportunities_per_stage(ctx.conn, (*ctx.before)["id"].get<int64_t>()))
      if (!keys.count(key))
        errors.add("stages", tr("{count} opportunities are in the stage '{key}': move them before removing it",
                                {{"count", count}, {"key", key}}));
  }
}

void pipeline_after_write(WriteContext& ctx, const json& record) {
  if (record.value("is_default", false)) SalesStore::make_only_default(ctx.conn, record["id"].get<int64_t>());
}

// ------------------------------------------------------------------------------ opportunities

bool opportunity_line(WriteContext& ctx, const json& in, json& line, const std::string& path, FieldErrors& errors) {
  return orders::order_line(ctx, in, line, path, errors);
}

void opportunity_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  attach_customer(ctx, record, errors, true);
  if (record.value("pipeline_id", json()).is_null()) record["pipeline_id"] = SalesStore::default_pipeline(ctx.conn, ctx.actor);
  const int64_t pipeline = record["pipeline_id"].get<int64_t>();
  const std::vector<json> stages = SalesStore::stages(ctx.conn, pipeline);
  if (stages.empty()) {
    errors.add("pipeline_id", tr("pipeline {id} has no stages", {{"id", pipeline}}));
    return;
  }
  if (record.value("stage", json()).is_null()) record["stage"] = stages.front()["key"];
  std::string key = record["stage"].get<std::string>();
  const json* stage = nullptr;
  std::string keys;
  for (const auto& s : stages) {
    if (s["key"] == key) stage = &s;
    keys += (keys.empty() ? "" : ", ") + s["key"].get<std::string>();
  }
  // A stage may be given by its name as the board shows it ("Négociation", an imported file's
  // column): it is stored as its key.
  if (!stage && record["stage"].is_string())
    for (const auto& s : stages)
      if (text::fold(text_of(s, "name")) == text::fold(key)) {
        stage = &s;
        key = s["key"].get<std::string>();
        record["stage"] = key;
        break;
      }
  if (!stage) {
    errors.add("stage", tr("'{stage}' is not a stage of this pipeline (its stages: {keys})", {{"stage", key}, {"keys", keys}}));
    return;
  }
  const std::string outcome = (*stage)["outcome"].get<std::string>();
  record["status"] = outcome;
  const bool moved = changed(ctx, record, "stage") || changed(ctx, record, "pipeline_id");
  if (moved) record["stage_entered_at"] = clock::now_utc();
  if (moved && !ctx.input.contains("probability_pct")) record["probability_pct"] = (*stage)["probability_pct"];
  if (record.value("probability_pct", json()).is_null()) record["probability_pct"] = (*stage)["probability_pct"];
  const json& prob = record["probability_pct"];
  if (!prob.is_number_integer() || prob.get<int64_t>() < 0 || prob.get<int64_t>() > 100)
    errors.add("probability_pct", tr("must be a percentage from 0 to 100"));
  if (outcome != "open" && record.value("closed_on", json()).is_null())
    errors.add("closed_on", tr("is required when the opportunity is won or lost"));
  if (outcome == "lost" && record.value("loss_reason_id", json()).is_null())
    errors.add("loss_reason_id", tr("is required when the opportunity is lost (a coded reason, from the sales reasons)"));
  if (ctx.scratch.contains("children") && ctx.scratch["children"].contains("lines")) {
    int64_t total = 0;
    for (const auto& l : ctx.scratch["children"]["lines"]) total += l["total_cents"].get<int64_t>();
    if (!ctx.scratch["children"]["lines"].empty()) record["amount_cents"] = total;
  }
  const json& amount = record.value("amount_cents", json(0));
  if (amount.is_number_integer() && amount.get<int64_t>() < 0) errors.add("amount_cents", tr("must not be negative"));
}

// ------------------------------------------------------------------------------------- quotes

namespace {

// The customer, currency, date and price list a quote's lines are priced for: as the write
// will store them (the lines are checked before the quote's own fields are settled).
PriceQuery price_query(WriteContext& ctx) {
  PriceQuery q;
  json contact = current(ctx, "contact_id"), account = current(ctx, "account_id"), list = current(ctx, "price_list_id");
  if (contact.is_number_integer()) q.contact_id = contact.get<int64_t>();
  if (account.is_number_integer()) q.account_id = account.get<int64_t>();
  if (!q.account_id && q.contact_id) q.account_id = SalesStore::account_of_contact(ctx.conn, *q.contact_id);
  if (list.is_number_integer()) q.price_list_id = list.get<int64_t>();
  json currency = current(ctx, "currency"), date = current(ctx, "issued_on");
  q.currency = currency.is_string() ? currency.get<std::string>() : "EUR";
  q.date = date.is_string() ? date.get<std::string>() : settings::company_today(ctx.conn);
  return q;
}

}  // namespace

std::string quote_base_number(const std::string& number) {
  const auto v = number.rfind("-V");
  return v == std::string::npos ? number : number.substr(0, v);
}

bool quote_line(WriteContext& ctx, const json& l, json& line, const std::string& p, FieldErrors& errors) {
  std::optional<json> product;
  if (l.contains("product_id") && !l["product_id"].is_null()) {
    if (!l["product_id"].is_number_integer()) errors.add(p + ".product_id", tr("must be an integer"));
    else if (!(product = SalesStore::product(ctx.conn, l["product_id"].get<int64_t>())))
      errors.add(p + ".product_id", tr("product {id} does not exist", {{"id", l["product_id"].dump()}}));
  } else if (l.contains("sku") && l["sku"].is_string()) {
    product = SalesStore::product_by_sku(ctx.conn, l["sku"].get<std::string>());
    if (!product) errors.add(p + ".sku", tr("no product has SKU '{sku}'", {{"sku", l["sku"].get<std::string>().substr(0, 50)}}));
  }
  line["product_id"] = product ? (*product)["id"] : json();
  json desc = l.value("description", product ? (*product)["name"] : json());
  if (desc.is_null() && !product) errors.add(p + ".description", tr("is required for a line without product"));
  else if (!desc.is_string() || desc.get<std::string>().size() > 500)
    errors.add(p + ".description", tr("must be a text of at most 500 characters"));
  line["description"] = desc;
  const json qty = l.value("quantity", json());
  if (!qty.is_number_integer() || qty.get<int64_t>() < 1 || qty.get<int64_t>() > store::kMaxQuantity) {
    errors.add(p + ".quantity", tr("must be a whole quantity from 1 to {max}", {{"max", store::kMaxQuantity}}));
    return false;
  }
  json price = l.value("unit_price_cents", json());
  std::string source = "manual";
  if (price.is_null() && product) {
    PriceQuery q = price_query(ctx);
    q.product_id = (*product)["id"].get<int64_t>();
    q.quantity = qty.get<int64_t>();
    PriceFound found = SalesStore::find_price(ctx.conn, q, (*product)["unit_price_cents"].get<int64_t>());
    price = found.unit_price_cents;
    source = found.source;
  }
  if (!price.is_number_integer() || price.get<int64_t>() < 0 || price.get<int64_t>() > store::kMaxAmountCents) {
    errors.add(p + ".unit_price_cents", price.is_null() ? tr("is required when no product gives the price")
                                                         : tr("must be an amount in cents from 0 to {max}",
                                                              {{"max", store::kMaxAmountCents}}));
    return false;
  }
  const json rate = l.value("vat_rate", json("20"));
  if (!rate.is_string() || !vat_rate_basis_points(rate.get<std::string>())) {
    errors.add(p + ".vat_rate", tr("'{value}' is not a French VAT rate: 20, 10, 5.5, 2.1 or 0",
                                   {{"value", rate.is_string() ? rate.get<std::string>() : rate.dump()}}));
    return false;
  }
  __int128 gross128 = __int128(qty.get<int64_t>()) * price.get<int64_t>();
  if (gross128 > store::kMaxAmountCents) {
    errors.add(p + ".quantity", tr("quantity × unit price exceeds {max} cents", {{"max", store::kMaxAmountCents}}));
    return false;
  }
  const int64_t gross = int64_t(gross128);
  const json disc = l.value("discount_cents", json(0));
  if (!disc.is_number_integer() || disc.get<int64_t>() < 0 || disc.get<int64_t>() > gross) {
    errors.add(p + ".discount_cents", tr("must be an amount in cents from 0 to the line's amount"));
    return false;
  }
  line["quantity"] = qty;
  line["unit_price_cents"] = price;
  line["discount_cents"] = disc;
  line["vat_rate"] = rate;
  line["total_cents"] = gross - disc.get<int64_t>();
  line["price_source"] = source;
  return true;
}

void quote_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  const std::string before_status = ctx.before ? text_of(*ctx.before, "status") : "";
  if (before_status == "accepted" || before_status == "superseded") {
    // An accepted quote is what the customer signed and what its order holds; a superseded one
    // is what was sent before the new version: both stay so.
    for (const char* k : {"lines", "currency", "price_list_id", "contact_id", "account_id", "status", "vat_exemption"})
      if (ctx.input.contains(k) && (std::string(k) == "lines" ? ctx.scratch["children"].contains("lines") &&
                                                                    ctx.scratch.value("nested_changed", false)
                                                              : ctx.input[k] != ctx.before->value(k, json())))
        errors.add(k, before_status == "accepted" ? tr("an accepted quote does not change: make a new quote")
                                                  : tr("this version was replaced by a newer one: change the newer one"));
  }
  if (text_of(record, "status") == "superseded" && before_status != "superseded")
    errors.add("status", tr("a quote is superseded when a new version of it is made, not by hand"));
  if (ctx.before && changed(ctx, record, "previous_quote_id"))
    errors.add("previous_quote_id", tr("is given when the new version is made, and does not change"));
  // A quote made from an opportunity is for its customer.
  if (record.value("contact_id", json()).is_null() && record.value("account_id", json()).is_null() &&
      record.value("opportunity_id", json()).is_number_integer())
    if (auto o = SalesStore::opportunity_customer(ctx.conn, record["opportunity_id"].get<int64_t>())) {
      record["contact_id"] = (*o)["contact_id"];
      record["account_id"] = (*o)["account_id"];
    }
  attach_customer(ctx, record, errors, true);
  if (record.value("issued_on", json()).is_null()) record["issued_on"] = settings::company_today(ctx.conn);
  const std::string issued = record["issued_on"].get<std::string>();
  if (record.value("valid_until", json()).is_null()) record["valid_until"] = zoned::next_date(issued, 30);
  if (record["valid_until"].get<std::string>() < issued)
    errors.add("valid_until", tr("must not be before the quote's date ({date})", {{"date", issued}}));
  if (!ctx.before) {
    const json previous = record.value("previous_quote_id", json());
    if (previous.is_number_integer()) {
      // A new version: the number of the first with -V2, -V3…; the previous one is superseded.
      // The previous version as its maker may see it (NotFound, a 404, for one out of reach).
      json p = domain::RecordService::load_visible(ctx.conn, ctx.actor, ctx.entity, previous.get<int64_t>());
      const std::string status = p.is_null() ? "" : text_of(p, "status");
      if (status == "accepted")
        errors.add("previous_quote_id", tr("an accepted quote does not change: make a new quote"));
      else if (status == "superseded")
        errors.add("previous_quote_id", tr("this version was replaced by a newer one: change the newer one"));
      else if (!p.is_null()) {
        const std::string number = text_of(p, "number");
        const int64_t revision = p.value("revision", int64_t(1)) + 1;
        record["number"] = quote_base_number(number) + "-V" + std::to_string(revision);
        record["revision"] = revision;
        ctx.scratch["supersedes"] = p["id"];
      }
    } else {
      record["number"] = SalesStore::next_quote_number(ctx.conn, issued.substr(0, 4));
      record["revision"] = 1;
    }
  }
  const std::string currency = text_of(record, "currency", "EUR");
  if (record.value("price_list_id", json()).is_number_integer() && changed(ctx, record, "price_list_id")) {
    auto list = SalesStore::price_list(ctx.conn, record["price_list_id"].get<int64_t>());
    if (list && (*list)["currency"] != currency)
      errors.add("price_list_id", tr("the price list is in {list}, the quote in {quote}",
                                     {{"list", (*list)["currency"].get<std::string>()}, {"quote", currency}}));
    else if (list && !SalesStore::valid_on(*list, issued))
      errors.add("price_list_id", tr("the price list is not valid on {date}", {{"date", issued}}));
  }
  if (ctx.scratch.contains("children") && ctx.scratch["children"].contains("lines")) {
    const json exemption = record.value("vat_exemption", json());
    std::vector<QuoteLineInput> lines;
    for (const auto& l : ctx.scratch["children"]["lines"]) {
      const std::string rate = l["vat_rate"].get<std::string>();
      lines.push_back({l["quantity"].get<int64_t>(), l["unit_price_cents"].get<int64_t>(), l["discount_cents"].get<int64_t>(), rate,
                       rate == "0" && exemption.is_string() ? exemption.get<std::string>() : ""});
    }
    QuoteTotals t = quote_totals(lines);
    record["subtotal_cents"] = t.net_cents;
    record["vat_cents"] = t.vat_cents;
    record["total_cents"] = t.gross_cents;
    json breakdown = json::array();
    for (const auto& r : t.breakdown)
      breakdown.push_back({{"vat_rate", r.rate}, {"base_cents", r.base_cents}, {"vat_cents", r.vat_cents},
                           {"exemption", exemption_code(r.exemption).empty() ? json() : json(std::string(exemption_code(r.exemption)))}});
    record["vat_breakdown"] = json{{"rates", breakdown}};
    const bool zero = std::any_of(lines.begin(), lines.end(), [](const QuoteLineInput& l) { return l.vat_rate == "0"; });
    if (zero && record.value("vat_exemption", json()).is_null())
      errors.add("vat_exemption", tr("is required when a line has the 0 % rate (the wording the document must carry)"));
  }
  if (text_of(record, "status") == "accepted" && before_status != "accepted") {
    if (ctx.before == nullptr && !ctx.scratch["children"].contains("lines"))
      errors.add("lines", tr("a quote is accepted with its lines"));
    if (record.value("accepted_at", json()).is_null()) record["accepted_at"] = clock::now_utc();
    // Who signed for the customer, as the acceptance gives it (the field is the server's, so the
    // generic validation leaves it out of the changes: it is read from the request), else you.
    const json given = ctx.input.is_object() ? ctx.input.value("accepted_by_name", json()) : json();
    const std::string signer = given.is_string() ? text::trim(given.get<std::string>()) : std::string();
    if (!signer.empty() && text::length(signer) <= 200) record["accepted_by_name"] = signer;
    else if (record.value("accepted_by_name", json()).is_null()) record["accepted_by_name"] = ctx.actor.name;
  }
}

// An accepted quote becomes an order with the same lines (amounts net of VAT, as orders count
// them), and its opportunity's amount follows it.
void quote_after_write(WriteContext& ctx, const json& record) {
  if (ctx.scratch.contains("supersedes"))
    ctx.conn.execute("UPDATE quotes SET status = 'superseded', version = version + 1, updated_at = ? WHERE id = ?",
                     {clock::now_utc(), ctx.scratch["supersedes"]});
  const std::string before_status = ctx.before ? text_of(*ctx.before, "status") : "";
  if (text_of(record, "status") != "accepted" || before_status == "accepted") return;
  const int64_t id = record["id"].get<int64_t>();
  json lines = json::array();
  for (const auto& l : store::RecordStore::children(ctx.conn, *ctx.entity.child("lines"), id))
    lines.push_back({{"product_id", l["product_id"]}, {"description", l["description"]}, {"quantity", l["quantity"]},
                     {"unit_price_cents", l["unit_price_cents"]}, {"discount_cents", l["discount_cents"]}});
  if (ctx.scratch.contains("children") && ctx.scratch["children"].contains("lines")) {
    lines = json::array();
    for (const auto& l : ctx.scratch["children"]["lines"])
      lines.push_back({{"product_id", l["product_id"]}, {"description", l["description"]}, {"quantity", l["quantity"]},
                       {"unit_price_cents", l["unit_price_cents"]}, {"discount_cents", l["discount_cents"]}});
  }
  json order = {{"contact_id", record["contact_id"]}, {"account_id", record["account_id"]},
                {"channel", "sales_rep"}, {"status", "confirmed"}, {"currency", record["currency"]}, {"lines", lines},
                {"notes", tr("Quote {number} accepted", {{"number", text_of(record, "number")}})
                               .render(settings::read_company_settings(ctx.conn).value("language", std::string("fr")))}};
  const domain::Actor system = domain::system_actor();
  json made = domain::RecordService::create_in(ctx.conn, system, kernel::entity("orders"), order);
  SalesStore::set_quote_order(ctx.conn, id, made["id"].get<int64_t>(), record["vat_cents"].get<int64_t>());
  if (record.value("opportunity_id", json()).is_number_integer())
    domain::RecordService::update_in(ctx.conn, system, kernel::entity("opportunities"), record["opportunity_id"].get<int64_t>(),
                                     {{"amount_cents", record["subtotal_cents"]}, {"currency", record["currency"]}},
                                     std::nullopt, false);
}

// -------------------------------------------------------------------------------- price lists

void price_list_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  const json from = record.value("valid_from", json()), until = record.value("valid_until", json());
  if (from.is_string() && until.is_string() && until.get<std::string>() < from.get<std::string>())
    errors.add("valid_until", tr("must not be before the start of validity ({date})", {{"date", from.get<std::string>()}}));
  if (!ctx.scratch.contains("children") || !ctx.scratch["children"].contains("items")) return;
  const json& items = ctx.scratch["children"]["items"];
  std::set<std::pair<int64_t, int64_t>> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string p = "items[" + std::to_string(i) + "]";
    const json& q = items[i].value("min_quantity", json(1));
    if (!q.is_number_integer() || q.get<int64_t>() < 1) errors.add(p + ".min_quantity", tr("must be at least 1"));
    const json& price = items[i].value("unit_price_cents", json());
    if (price.is_number_integer() && price.get<int64_t>() < 0) errors.add(p + ".unit_price_cents", tr("must not be negative"));
    if (items[i]["product_id"].is_number_integer() && q.is_number_integer() &&
        !seen.insert({items[i]["product_id"].get<int64_t>(), q.get<int64_t>()}).second)
      errors.add(p + ".min_quantity", tr("this product already has a price from this quantity in the list"));
  }
}

}  // namespace gz::modules::sales
