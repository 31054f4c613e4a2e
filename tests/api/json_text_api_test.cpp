// The list route writes its pages as JSON text straight from the rows (store/record_json.h).
// Here every entity's pages, as the route answers them, are compared byte for byte with what the
// JSON tree path gives for the same request (RecordService::list, the reference names, dump())
// on the same database — on both backends, with values that test the escaping: accents, quotes,
// backslashes, control characters, emoji, booleans, empty and nested JSON columns.
#include "api_fixture.h"

#include <cctype>

#include "domain/customer_view.h"
#include "domain/jobs.h"
#include "domain/record_names.h"
#include "domain/records.h"
#include "kernel/module.h"
#include "store/database.h"
#include "store/row_stream.h"

using namespace gzt;
namespace store = gz::store;
namespace domain = gz::domain;
namespace kernel = gz::kernel;

namespace {

// The page as the tree path builds it (the list route's answer before JSON text).
std::string tree_page(store::Database& db, const domain::Actor& actor, const kernel::Entity& e,
                      const std::map<std::string, std::string>& params) {
  domain::RecordService records(db);
  domain::ListResult r = records.list(actor, e, domain::ListRequest{params});
  json body = {{"data", r.data}, {"next_cursor", r.next_cursor.empty() ? json() : json(r.next_cursor)}};
  if (r.total) body["total"] = *r.total;
  body["names"] = domain::reference_names(db, actor, e, r.data);
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string url_encode(const std::string& v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : v) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') out += char(ch);
    else { out += '%'; out += hex[ch >> 4]; out += hex[ch & 15]; }
  }
  return out;
}

std::string query_string(const std::map<std::string, std::string>& params) {
  std::string q;
  for (const auto& [k, v] : params) q += (q.empty() ? "?" : "&") + k + "=" + url_encode(v);
  return q;
}

}  // namespace

class JsonTextApi : public ApiTest {};

TEST_F(JsonTextApi, EveryListPageIsTheTreePathsAnswerByteForByte) {
  // Values that test the writer: what a French file holds, and what a careless import brings.
  json acc = create("accounts", {{"name", unique("Société \"Les Pâtés\" \\ Lyon ") + " 🦌"}, {"tags", {"vip", "école"}}}, "sales_a");
  json c = create("contacts", {{"first_name", "Élodie"}, {"last_name", unique("O'Brien \"Zoé\" ")}, {"account_id", acc["id"]},
                               {"emails", {"elodie@example.fr"}}, {"phones", {"06 12 34 56 78"}}, {"tags", json::array()},
                               {"preferences", {{"channel", "email"}}}}, "sales_a");
  create("tasks", {{"title", "Rappeler « vite »"}, {"contact_id", c["id"]}, {"due_date", "2026-12-24"}}, "sales_a");
  create("interactions", {{"contact_id", c["id"]}, {"channel", "phone"}, {"direction", "inbound"}, {"subject", "Appel"}, {"content", "Ligne 1\r\nLigne 2\tfin </script>"}}, "sales_a");
  store::Database& db = *store::Database::open(srv().db_location()).release();
  const domain::Actor admin = domain::actor_of_user(db, uid("admin"));
  const domain::Actor sales = domain::actor_of_user(db, uid("sales_a"));
  int compared = 0;
  for (const kernel::Entity& entity : kernel::entities()) {
    const kernel::Entity* e = &entity;
    std::vector<std::map<std::string, std::string>> variants = {{}, {{"limit", "3"}}, {{"limit", "2"}, {"count", "true"}}};
    for (const auto& f : e->fields)
      if (f.sortable && f.name != "id") {
        variants.push_back({{"sort", "-" + f.name}, {"limit", "7"}});
        break;
      }
    if (e->searchable) variants.push_back({{"q", "élodie"}});
    for (const auto* actor : {&admin, &sales}) {
      const std::string who = actor == &admin ? "admin" : "sales_a";
      for (auto params : variants) {
        if (!domain::can_read(*actor, *e)) continue;
        for (int page = 0; page < 2; ++page) {
          Response http = get("/api/v1/" + e->name + query_string(params), as(who));
          ASSERT_EQ(http.status, 200) << e->name << query_string(params) << " " << http.dump();
          const std::string tree = tree_page(db, *actor, *e, params);
          ASSERT_EQ(http.body, tree) << e->name << query_string(params) << " as " << who;
          ++compared;
          // The next page through the cursor the text path gave.
          if (!http.j["next_cursor"].is_string()) break;
          params["cursor"] = http.j["next_cursor"].get<std::string>();
        }
      }
    }
  }
  EXPECT_GT(compared, 40);

  // The 360° views: their related lists are written as text too. The value card comes from each
  // process's own analytics snapshot, so it is left out of the comparison.
  domain::CustomerViewService views(db);
  for (const auto& [entity, id] : {std::pair<std::string, json>{"contacts", c["id"]}, {"accounts", acc["id"]}})
    for (const auto* actor : {&admin, &sales}) {
      Response http = get("/api/v1/" + entity + "/" + id.dump() + "/360", as(actor == &admin ? "admin" : "sales_a"));
      ASSERT_EQ(http.status, 200) << http.dump();
      auto tree = views.view_360(*actor, kernel::entity(entity), id.get<int64_t>());
      ASSERT_TRUE(tree.has_value());
      json from_http = http.j;
      // The related lists hold rows, so that the batch that reads them is compared with rows.
      if (entity == "contacts") {
        EXPECT_EQ(from_http["open_tasks"].size(), 1u) << http.body;
        EXPECT_EQ(from_http["interactions"].size(), 1u) << http.body;
      } else {
        EXPECT_EQ(from_http["contacts"].size(), 1u) << http.body;
      }
      from_http.erase("value_card");
      tree->erase("value_card");
      EXPECT_EQ(from_http.dump(), tree->dump()) << entity;
      EXPECT_FALSE(http.body.find("gz-view-") != std::string::npos) << "a placeholder was left in the answer";
    }
}

// store::stream_batch, which reads a 360° view's lists together (PostgreSQL: libpq's pipeline
// mode): each statement's rows go to its own callback, in order; a failing statement throws after
// every answer was read, and the connection goes on serving.
TEST_F(JsonTextApi, ABatchAnswersEachStatementAndSurvivesOneThatFails) {
  json a = create("contacts", {{"first_name", "Anne"}, {"last_name", unique("Lot")}}, "admin");
  json b = create("contacts", {{"first_name", "Bruno"}, {"last_name", unique("Lot")}}, "admin");
  std::unique_ptr<store::Database> db = store::Database::open(srv().db_location());
  std::vector<std::string> seen;
  auto record = [&](const std::string& tag) {
    return [&seen, tag](const store::RowView& row) { seen.push_back(tag + std::string(row.text(1))); };
  };
  const std::string by_id = "SELECT id, first_name FROM contacts WHERE id = ?";
  store::with_transaction(*db, false, [&](store::Connection& c) {
    store::stream_batch(c, {{by_id, {b["id"]}, record("1:")},
                            {"SELECT id, first_name FROM contacts WHERE id IN (?, ?) ORDER BY id", {a["id"], b["id"]}, record("2:")},
                            {by_id, {int64_t(-1)}, record("3:")}});
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"1:Bruno", "2:Anne", "2:Bruno"}));

  seen.clear();
  EXPECT_ANY_THROW(store::with_transaction(*db, false, [&](store::Connection& c) {
    store::stream_batch(c, {{by_id, {a["id"]}, record("1:")},
                            {"SELECT id, no_such_column FROM contacts WHERE id = ?", {a["id"]}, record("2:")},
                            {by_id, {b["id"]}, record("3:")}});
  }));
  // What came before the failure may have been read; nothing after it.
  EXPECT_TRUE(std::find(seen.begin(), seen.end(), "3:Bruno") == seen.end());

  seen.clear();
  for (int i = 0; i < 3; ++i)  // the pool's connections, the one that failed among them
    store::with_transaction(*db, false, [&](store::Connection& c) {
      store::stream_batch(c, {{by_id, {a["id"]}, record("ok:")}});
      EXPECT_EQ(c.query(by_id, {b["id"]}).at(0)["first_name"], "Bruno");
    });
  EXPECT_EQ(seen, (std::vector<std::string>{"ok:Anne", "ok:Anne", "ok:Anne"}));
}

// A batch right after a streamed read on the same connection (a list page, then its names): on
// PostgreSQL the stream's single-row mode outlived it in libpq and the batch's answers came one
// row at a time, which the batch took for an error.
TEST_F(JsonTextApi, ABatchAfterAStreamedReadReadsItsRows) {
  json a = create("contacts", {{"first_name", "Anne"}, {"last_name", unique("Suite")}}, "admin");
  json b = create("contacts", {{"first_name", "Bruno"}, {"last_name", unique("Suite")}}, "admin");
  std::unique_ptr<store::Database> db = store::Database::open(srv().db_location());
  std::vector<std::string> seen;
  store::with_transaction(*db, false, [&](store::Connection& c) {
    store::stream_rows(c, "SELECT id, first_name FROM contacts WHERE id IN (?, ?) ORDER BY id", {a["id"], b["id"]},
                       [&](const store::RowView& row) { seen.push_back("stream:" + std::string(row.text(1))); });
    store::stream_batch(c, {{"SELECT id, first_name FROM contacts WHERE id IN (?, ?) ORDER BY id", {a["id"], b["id"]},
                             [&](const store::RowView& row) { seen.push_back("batch:" + std::string(row.text(1))); }}});
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"stream:Anne", "stream:Bruno", "batch:Anne", "batch:Bruno"}));
}
