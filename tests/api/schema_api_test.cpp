// The catalogue served to the web (GET /api/v1/schema): labels in the reader's language, enum
// values with labels, child lines, and what the reader's role may do.
#include "api_fixture.h"

using namespace gzt;

class SchemaApi : public ApiTest {
 protected:
  static const json* find(const json& list, const std::string& name) {
    for (const auto& x : list)
      if (x["name"] == name) return &x;
    return nullptr;
  }
};

TEST_F(SchemaApi, LabelsFollowTheReadersLanguage) {
  Response fr = get("/api/v1/schema?lang=fr", as("sales_a"));
  ASSERT_EQ(fr.status, 200) << fr.dump();
  EXPECT_EQ(fr.j["language"], "fr");
  const json* contacts = find(fr.j["entities"], "contacts");
  ASSERT_NE(contacts, nullptr);
  EXPECT_EQ((*contacts)["label"], "Contacts");
  EXPECT_EQ((*contacts)["module"], "customers");
  const json* last = find((*contacts)["fields"], "last_name");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ((*last)["label"], "Nom");
  EXPECT_EQ((*last)["kind"], "text");
  EXPECT_EQ((*last)["required"], true);
  const json* stage = find((*contacts)["fields"], "lifecycle_stage");
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ((*stage)["kind"], "enum");
  EXPECT_EQ((*stage)["values"][3], json({{"value", "new_customer"}, {"label", "Nouveau client"}}));
  EXPECT_EQ((*find((*contacts)["fields"], "account_id"))["references"], "accounts");
  // Every field and every enum value has a label, never its code alone.
  for (const auto& e : fr.j["entities"])
    for (const auto& f : e["fields"]) {
      EXPECT_FALSE(f["label"].get<std::string>().empty()) << e["name"] << "." << f["name"];
      for (const auto& v : f.value("values", json::array())) EXPECT_FALSE(v["label"].get<std::string>().empty());
    }

  httplib::Headers en = {{"Accept-Language", "en-GB,en;q=0.9,fr;q=0.8"}};
  Response r = srv().request("GET", "/api/v1/schema", as("sales_a"), std::nullopt, en);
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["language"], "en");
  EXPECT_EQ((*find((*find(r.j["entities"], "contacts"))["fields"], "last_name"))["label"], "Last name");
  // ?lang= wins over the header; an unknown language or parameter is refused naming it.
  EXPECT_EQ(srv().request("GET", "/api/v1/schema?lang=fr", as("sales_a"), std::nullopt, en).j["language"], "fr");
  Response bad = get("/api/v1/schema?lang=de", as("sales_a"));
  EXPECT_EQ(bad.status, 400) << bad.dump();
  EXPECT_TRUE(bad.names_field("lang")) << bad.dump();
  EXPECT_EQ(get("/api/v1/schema?langue=fr", as("sales_a")).status, 400);
  EXPECT_EQ(get("/api/v1/schema", Auth::none()).status, 401);
}

TEST_F(SchemaApi, SaysWhatTheReaderMayDo) {
  auto can = [&](const std::string& who, const std::string& entity) {
    Response r = get("/api/v1/schema", as(who));
    const json* e = find(r.j["entities"], entity);
    return e ? (*e)["can"] : json();
  };
  EXPECT_EQ(can("admin", "products"), json({{"read", true}, {"create", true}, {"update", true}, {"delete", "any"}}));
  EXPECT_EQ(can("manager_a", "products")["create"], true);
  EXPECT_EQ(can("sales_a", "products"), json({{"read", true}, {"create", false}, {"update", false}, {"delete", false}}));
  EXPECT_EQ(can("sales_a", "contacts")["delete"], "own");
  EXPECT_EQ(can("read_only", "contacts")["create"], false);
  EXPECT_EQ(can("service", "accounts")["update"], false);
  EXPECT_EQ(can("service", "contacts")["update"], true);
  // The API agrees with what the catalogue says.
  EXPECT_EQ(post("/api/v1/products", as("sales_a"), {{"name", "Refusé"}}).status, 403);
  EXPECT_EQ(post("/api/v1/products", as("manager_a"), {{"name", "Accepté"}}).status, 201);
}

TEST_F(SchemaApi, OrdersDescribeTheirLinesAndTraits) {
  Response r = get("/api/v1/schema?lang=fr", as("admin"));
  ASSERT_EQ(r.status, 200);
  const json* orders = find(r.j["entities"], "orders");
  ASSERT_NE(orders, nullptr);
  ASSERT_EQ((*orders)["children"].size(), 1u);
  EXPECT_EQ((*orders)["children"][0]["name"], "lines");
  EXPECT_EQ((*find((*orders)["children"][0]["fields"], "quantity"))["label"], "Quantité");
  EXPECT_EQ((*orders)["default_sort"], "-ordered_at");
  EXPECT_EQ((*find(r.j["entities"], "contacts"))["traits"]["mergeable"], true);
  EXPECT_EQ((*orders)["traits"]["mergeable"], false);
  EXPECT_EQ((*find(r.j["entities"], "products"))["menu"]["order"], 60);
  EXPECT_TRUE((*find(r.j["entities"], "interactions"))["menu"].is_null());
  const json* roles = &r.j["roles"];
  EXPECT_EQ((*find(*roles, "sales"))["label"], "Commercial");
  EXPECT_NE(find(r.j["modules"], "customers"), nullptr);
}
