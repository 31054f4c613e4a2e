#include "modules/analytics/order_history.h"

#include <cstdio>
#include <cstdlib>

namespace gz::analytics {

const char* customer_type_name(CustomerType t) { return t == CustomerType::Contact ? "contacts" : "accounts"; }

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t date_to_day(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = unsigned((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int32_t(era * 146097 + int(doe) - 719468);
}

void day_to_date(int32_t z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = int(doy - (153 * mp + 2) / 5 + 1);
  m = int(mp < 10 ? mp + 3 : mp - 9);
  y = int(yoe) + era * 400 + (m <= 2);
}

bool parse_date(std::string_view t, int32_t& day) {
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return false;
  if (t.size() > 10 && t[10] != 'T' && t[10] != ' ') return false;
  int v[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < lens[k]; ++i) {
      char ch = t[size_t(starts[k] + i)];
      if (ch < '0' || ch > '9') return false;
      v[k] = v[k] * 10 + (ch - '0');
    }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1) return false;
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
  int maxd = mdays[v[1] - 1] + (v[1] == 2 && leap ? 1 : 0);
  if (v[2] > maxd) return false;
  day = date_to_day(v[0], v[1], v[2]);
  return true;
}

std::string date_text(int32_t day) {
  int y, m, d;
  day_to_date(day, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int32_t month_of(int32_t day) {
  int y, m, d;
  day_to_date(day, y, m, d);
  return y * 12 + m - 1;
}

int32_t OrderHistory::customer(CustomerType t, int64_t id) {
  const auto add = [&] {
    customer_type.push_back(t);
    customer_id.push_back(id);
    customer_account.push_back(t == CustomerType::Account ? id : 0);
    return int32_t(customer_id.size() - 1);
  };
  if (id >= 0 && id < kMaxSlotId) {
    auto& slots = t == CustomerType::Contact ? contact_slots_ : account_slots_;
    if (size_t(id) >= slots.size()) slots.resize(std::max(size_t(id) + 1, slots.size() + slots.size() / 2), -1);
    int32_t& slot = slots[size_t(id)];
    if (slot < 0) slot = add();
    return slot;
  }
  auto& index = t == CustomerType::Contact ? contact_index_ : account_index_;
  auto it = index.find(id);
  if (it != index.end()) return it->second;
  const int32_t c = add();
  index.emplace(id, c);
  return c;
}

int32_t OrderHistory::find_customer(CustomerType t, int64_t id) const {
  if (id >= 0 && id < kMaxSlotId) {
    const auto& slots = t == CustomerType::Contact ? contact_slots_ : account_slots_;
    return size_t(id) < slots.size() ? slots[size_t(id)] : -1;
  }
  const auto& index = t == CustomerType::Contact ? contact_index_ : account_index_;
  auto it = index.find(id);
  return it == index.end() ? -1 : it->second;
}

void OrderHistory::set_account(int32_t c, int64_t account_id) {
  if (customer_type[size_t(c)] == CustomerType::Contact) customer_account[size_t(c)] = account_id;
}

uint8_t OrderHistory::channel_code(std::vector<std::string>& names, std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return uint8_t(i);
  if (names.size() >= 255) return 0;  // the schema has a dozen channels; never reached
  names.emplace_back(name);
  return uint8_t(names.size() - 1);
}

void OrderHistory::add_order(const OrderInput& o) {
  auto neg = [&](int64_t v) { return o.is_return ? -std::llabs(v) : v; };
  int64_t purchases = neg(o.purchases), discount = neg(o.discount);
  int64_t revenue = purchases - discount;
  int64_t rated_margin = neg(o.rated_margin), rated_revenue = neg(o.rated_revenue);
  clustered = false;
  order_customer.push_back(o.customer);
  order_day.push_back(o.day);
  order_purchases.push_back(purchases);
  order_discount.push_back(discount);
  order_revenue.push_back(revenue);
  order_rated_margin.push_back(rated_margin);
  order_unrated.push_back(revenue - rated_revenue);
  order_is_return.push_back(o.is_return ? 1 : 0);
  if (order_channels.empty()) order_channels.emplace_back("");
  order_channel.push_back(channel_code(order_channels, o.channel));
}

namespace {

// The stable order of rows by key (counting sort): position → row.
std::vector<uint32_t> order_by_key(const std::vector<int32_t>& key, size_t keys) {
  std::vector<uint32_t> start(keys + 1, 0);
  for (int32_t k : key) ++start[size_t(k) + 1];
  for (size_t k = 1; k <= keys; ++k) start[k] += start[k - 1];
  std::vector<uint32_t> perm(key.size());
  for (size_t i = 0; i < key.size(); ++i) perm[start[size_t(key[i])]++] = uint32_t(i);
  return perm;
}

template <class T>
void permute(std::vector<T>& column, const std::vector<uint32_t>& perm) {
  std::vector<T> out(column.size());
  for (size_t i = 0; i < perm.size(); ++i) out[i] = column[perm[i]];
  column.swap(out);
}

}  // namespace

void OrderHistory::cluster_by_customer() {
  auto perm = order_by_key(order_customer, customers());
  permute(order_customer, perm);
  permute(order_day, perm);
  permute(order_purchases, perm);
  permute(order_discount, perm);
  permute(order_revenue, perm);
  permute(order_rated_margin, perm);
  permute(order_unrated, perm);
  permute(order_is_return, perm);
  permute(order_channel, perm);
  perm = order_by_key(interaction_customer, customers());
  permute(interaction_customer, perm);
  permute(interaction_day, perm);
  permute(interaction_channel, perm);
  clustered = true;
}

void OrderHistory::add_interaction(int32_t c, int32_t day, std::string_view channel) {
  clustered = false;
  interaction_customer.push_back(c);
  interaction_day.push_back(day);
  interaction_channel.push_back(channel_code(interaction_channels, channel));
}

bool parse_unit(std::string_view s, Unit& u) {
  if (s == "contacts") u = Unit::Contacts;
  else if (s == "accounts") u = Unit::Accounts;
  else return false;
  return true;
}

OrderHistory restrict_history(const OrderHistory& h, const std::vector<uint8_t>& keep) {
  OrderHistory out;
  std::vector<int32_t> remap(h.customers(), -1);
  for (size_t c = 0; c < h.customers(); ++c) {
    if (!keep[c]) continue;
    remap[c] = out.customer(h.customer_type[c], h.customer_id[c]);
    out.set_account(remap[c], h.customer_account[c]);
  }
  out.order_channels = h.order_channels;
  out.interaction_channels = h.interaction_channels;
  for (size_t o = 0; o < h.orders(); ++o) {
    int32_t c = remap[size_t(h.order_customer[o])];
    if (c < 0) continue;
    out.order_customer.push_back(c);
    out.order_day.push_back(h.order_day[o]);
    out.order_purchases.push_back(h.order_purchases[o]);
    out.order_discount.push_back(h.order_discount[o]);
    out.order_revenue.push_back(h.order_revenue[o]);
    out.order_rated_margin.push_back(h.order_rated_margin[o]);
    out.order_unrated.push_back(h.order_unrated[o]);
    out.order_is_return.push_back(h.order_is_return[o]);
    out.order_channel.push_back(h.order_channel[o]);
  }
  for (size_t i = 0; i < h.interactions(); ++i) {
    int32_t c = remap[size_t(h.interaction_customer[i])];
    if (c < 0) continue;
    out.interaction_customer.push_back(c);
    out.interaction_day.push_back(h.interaction_day[i]);
    out.interaction_channel.push_back(h.interaction_channel[i]);
  }
  // Kept customers are numbered in their original order, so sorted rows stay sorted.
  out.clustered = h.clustered;
  return out;
}

Grouping make_grouping(const OrderHistory& h, Unit unit) {
  Grouping g;
  size_t n = h.customers();
  g.group.resize(n);
  if (unit == Unit::Contacts) {
    g.type = h.customer_type;
    g.id = h.customer_id;
    for (size_t c = 0; c < n; ++c) g.group[c] = int32_t(c);
    g.identity = true;
    return g;
  }
  std::unordered_map<int64_t, int32_t> accounts, contacts;
  for (size_t c = 0; c < n; ++c) {
    bool to_account = h.customer_account[c] != 0;
    auto& index = to_account ? accounts : contacts;
    int64_t id = to_account ? h.customer_account[c] : h.customer_id[c];
    auto [it, added] = index.try_emplace(id, int32_t(g.id.size()));
    if (added) {
      g.type.push_back(to_account ? CustomerType::Account : CustomerType::Contact);
      g.id.push_back(id);
    }
    g.group[c] = it->second;
  }
  return g;
}

}  // namespace gz::analytics
