#include "modules/sales/exchange_rates.h"

#include "core/clock.h"
#include "core/message.h"
#include "core/text.h"
#include "modules/sales/sales_store.h"
#include "modules/settings/company_settings.h"

namespace gz::modules::sales {

using json = nlohmann::json;

std::optional<int64_t> rate_millionths(std::string_view text) {
  int64_t whole = 0, frac = 0;
  int whole_digits = 0, frac_digits = 0;
  bool point = false;
  for (char ch : text) {
    if (ch == ',' || ch == '.') {
      if (point) return std::nullopt;
      point = true;
    } else if (ch >= '0' && ch <= '9') {
      if (!point) {
        if (++whole_digits > 6) return std::nullopt;
        whole = whole * 10 + (ch - '0');
      } else {
        if (++frac_digits > 6) return std::nullopt;
        frac = frac * 10 + (ch - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (whole_digits == 0 || (point && frac_digits == 0)) return std::nullopt;
  for (int i = frac_digits; i < 6; ++i) frac *= 10;
  const int64_t r = whole * 1000000 + frac;
  return r > 0 ? std::optional<int64_t>(r) : std::nullopt;
}

int64_t convert_cents(int64_t cents, int64_t rate) {
  const __int128 x = __int128(cents) * rate;
  const __int128 q = x >= 0 ? (x + 500000) / 1000000 : -((-x + 500000) / 1000000);
  return int64_t(q);
}

std::string company_currency(store::Connection& c) {
  return text_of(settings::read_company_settings(c), "currency", "EUR");
}

std::optional<int64_t> in_company_currency(store::Connection& c, int64_t cents, const std::string& currency,
                                           const std::string& date) {
  if (currency == company_currency(c)) return cents;
  json r = c.query_one("SELECT rate FROM exchange_rates WHERE currency = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
                       {currency, date});
  if (r.is_null()) return std::nullopt;
  auto rate = rate_millionths(text_of(r, "rate"));
  if (!rate) return std::nullopt;
  return convert_cents(cents, *rate);
}

void exchange_rate_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors) {
  const std::string rate = text::trim(text_of(record, "rate"));
  if (auto r = rate_millionths(rate)) {
    std::string normal = rate;
    for (char& ch : normal)
      if (ch == ',') ch = '.';
    record["rate"] = normal;
  } else {
    errors.add("rate", tr("'{value}' is not a rate: a number above 0 with at most 6 decimals, e.g. 0,9231",
                          {{"value", rate.substr(0, 30)}}));
  }
  const std::string currency = text_of(record, "currency");
  const std::string own = company_currency(ctx.conn);
  if (currency == own)
    errors.add("currency", tr("{currency} is the company's own currency: it needs no rate", {{"currency", currency}}));
  if (record.value("valid_from", json()).is_null()) record["valid_from"] = settings::company_today(ctx.conn);
  if (!ctx.conn.query_one("SELECT id FROM exchange_rates WHERE currency = ? AND valid_from = ? AND id <> ?",
                          {currency, record["valid_from"], ctx.before ? (*ctx.before)["id"] : json(0)})
           .is_null())
    errors.add("valid_from", tr("a rate for {currency} already starts on this day", {{"currency", currency}}));
}

void company_amount_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors) {
  const json& amount = record.value("amount_cents", json(0));
  if (!amount.is_number_integer()) return;
  const std::string currency = text_of(record, "currency", "EUR");
  const std::string closed = text_of(record, "closed_on");
  const std::string day =
      record.value("status", json("open")) != "open" && !closed.empty() ? closed : settings::company_today(ctx.conn);
  auto converted = in_company_currency(ctx.conn, amount.get<int64_t>(), currency, day);
  if (!converted) {
    errors.add("currency", tr("no exchange rate from {currency} to {company} is recorded (Sales › Exchange rates)",
                              {{"currency", currency}, {"company", company_currency(ctx.conn)}}));
    return;
  }
  ctx.scratch["company_amount_cents"] = *converted;
}

void company_amount_after_write(domain::WriteContext& ctx, const json& record) {
  if (!ctx.scratch.contains("company_amount_cents")) return;
  ctx.conn.execute("UPDATE opportunities SET company_amount_cents = ? WHERE id = ?",
                   {ctx.scratch["company_amount_cents"], record["id"]});
}

}  // namespace gz::modules::sales
