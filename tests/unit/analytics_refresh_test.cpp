// The value card under a running AnalyticsRefresher: after a write, a card whose reload is slow
// answers from the previous snapshot marked stale, and the refresher brings it up to date in the
// background (the inline-reload bound is lowered to 0 here so that every reload counts as slow).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto.h"
#include "domain/access.h"
#include "modules/analytics/analytics_service.h"
#include "domain/records.h"
#include "store/migrations.h"

using namespace gz;
using json = nlohmann::json;

namespace {

TEST(AnalyticsRefresh, StaleCardThenBackgroundReload) {
  crypto::init();
  auto dir = std::filesystem::temp_directory_path() / ("gz-refresh-" + crypto::random_token(6));
  std::filesystem::create_directories(dir);
  {
    auto db = store::Database::open((dir / "refresh.db").string());
    store::apply_migrations(*db);
    domain::RecordService records(*db);
    auto actor = domain::system_actor();
    const auto& contacts = domain::entity("contacts");
    const auto& orders = domain::entity("orders");
    int64_t id = records.create(actor, contacts, {{"first_name", "Zoé"}, {"last_name", "Refresh"}})["id"];
    records.create(actor, orders, {{"contact_id", id}, {"total_cents", 10000}, {"ordered_at", "2026-01-10T10:00:00Z"}});

    domain::AnalyticsService svc(*db);
    auto card_frequency = [&](json& card) {
      card = svc.value_card("contacts", id, json());
      return card["rfm"].is_null() ? -1 : card["rfm"]["frequency"].get<int64_t>();
    };
    json card;
    {
      domain::AnalyticsRefresher refresher(*db);
      refresher.wait_idle();  // its first load, at start
      ASSERT_EQ(card_frequency(card), 1);
      EXPECT_FALSE(card["stale"].get<bool>());

      records.create(actor, orders, {{"contact_id", id}, {"total_cents", 5000}, {"ordered_at", "2026-02-10T10:00:00Z"}});
      bool saw_stale = false;
      int64_t f = card_frequency(card);
      if (card["stale"].get<bool>()) {
        saw_stale = true;
        EXPECT_EQ(f, 1) << "a stale card shows the previous figures";
      }
      refresher.wait_idle();
      f = card_frequency(card);
      EXPECT_EQ(f, 2) << "reloaded in the background";
      EXPECT_FALSE(card["stale"].get<bool>());
      EXPECT_TRUE(saw_stale) << "the card did not wait for the reload";
    }
    // Without a refresher (the CLI, tests), a card reloads inline and is never stale.
    records.create(actor, orders, {{"contact_id", id}, {"total_cents", 2500}, {"ordered_at", "2026-03-10T10:00:00Z"}});
    EXPECT_EQ(card_frequency(card), 3);
    EXPECT_FALSE(card["stale"].get<bool>());
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
