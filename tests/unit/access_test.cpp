// The password policy (domain/password_policy) and the restriction of the analytics history to
// the customers a reader may see (analytics::restrict_history).
#include <gtest/gtest.h>

#include "modules/analytics/customer_value.h"
#include "modules/analytics/order_history.h"
#include "domain/password_policy.h"

using namespace gz;

TEST(AccessPasswordPolicy, LengthInCharactersCommonPasswordsAndPatterns) {
  using domain::password_weakness;
  EXPECT_GT(domain::common_password_count(), 200u);
  EXPECT_TRUE(password_weakness("onze-caract"));           // 11
  EXPECT_FALSE(password_weakness("douze-carac!"));         // 12
  EXPECT_FALSE(password_weakness("éléphant-vert"));        // 13 characters, more bytes
  EXPECT_TRUE(password_weakness("éléphantvrt"));           // 11 characters, 13 bytes
  for (const char* weak : {"motdepasse123", "MotDePasse2024!", "Password1234", "azertyuiopqsdf", "qwertyuiop!!",
                           "123456789012", "000000000000", "aaaaaaaaaaaa", "soleil123456", "!!iloveyou2024",
                           "abcdefghijkl", "0987654321098"})
    EXPECT_TRUE(password_weakness(weak)) << weak;
  EXPECT_TRUE(password_weakness("anne.martin@exemple.fr", "anne.martin@exemple.fr"));
  EXPECT_TRUE(password_weakness("anne.martin2024", "anne.martin@exemple.fr"));
  EXPECT_FALSE(password_weakness("gazelle-demo"));  // the demo's password stays usable
  EXPECT_FALSE(password_weakness("correct-horse-42"));
  EXPECT_FALSE(password_weakness("loutre violette sur le toit"));
}

TEST(AccessAnalytics, RestrictedHistoryKeepsOnlyTheKeptCustomersRows) {
  analytics::OrderHistory h;
  int32_t a = h.customer(analytics::CustomerType::Contact, 10);
  int32_t b = h.customer(analytics::CustomerType::Contact, 20);
  int32_t c = h.customer(analytics::CustomerType::Account, 30);
  h.set_account(b, 30);
  auto order = [&](int32_t who, int32_t day, int64_t cents) {
    analytics::OrderHistory::OrderInput o;
    o.customer = who;
    o.day = day;
    o.purchases = cents;
    o.channel = "web";
    h.add_order(o);
  };
  order(a, 100, 1000);
  order(b, 101, 2000);
  order(c, 102, 4000);
  order(a, 103, 8000);
  h.add_interaction(b, 100, "phone");
  h.add_interaction(a, 100, "email");
  h.cluster_by_customer();

  auto r = analytics::restrict_history(h, {1, 0, 1});
  ASSERT_EQ(r.customers(), 2u);
  EXPECT_EQ(r.customer_id[0], 10);
  EXPECT_EQ(r.customer_id[1], 30);
  ASSERT_EQ(r.orders(), 3u);
  int64_t revenue = 0;
  for (auto v : r.order_revenue) revenue += v;
  EXPECT_EQ(revenue, 13000);
  ASSERT_EQ(r.interactions(), 1u);
  EXPECT_EQ(r.interaction_channels[r.interaction_channel[0]], "email");
  EXPECT_TRUE(r.clustered);
  EXPECT_EQ(r.find_customer(analytics::CustomerType::Contact, 20), -1);
  // The kept contact's account link survives (unit accounts).
  auto rb = analytics::restrict_history(h, {0, 1, 0});
  ASSERT_EQ(rb.customers(), 1u);
  EXPECT_EQ(rb.customer_account[0], 30);
  auto g = analytics::make_grouping(rb, analytics::Unit::Accounts);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g.id[0], 30);
}
