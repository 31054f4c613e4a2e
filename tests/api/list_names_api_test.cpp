// What the web needs to show words rather than ids, from one answer: a list carries the names of
// the records its rows refer to (GET /{entity} → "names", built from the catalogue's title
// fields, only for what the reader may see); the catalogue describes what object fields hold
// (labels of their keys and values); POST /{entity}/preview gives what a record would be, with
// what its rules compute (an order's totals), storing nothing.
#include "api_fixture.h"

using namespace gzt;

class ListNamesApi : public ApiTest {};

TEST_F(ListNamesApi, ListCarriesTheNamesOfWhatItRefersToAndOnlyWhatTheReaderSees) {
  json mine = create("accounts", {{"name", "Boulangerie Visible"}, {"owner_id", uid("sales_a")}});
  json theirs = create("accounts", {{"name", "Atelier Caché"}, {"owner_id", uid("sales_b")}});
  json boss = create("contacts", {{"first_name", "Amélie"}, {"last_name", "Parrain"}, {"owner_id", uid("sales_a")}});
  // Contacts of sales_a referring to a visible company, a hidden one and a referrer.
  create("contacts", {{"last_name", "Nommé Un"}, {"account_id", mine["id"]}, {"source_type", "referral"}, {"source_contact_id", boss["id"]},
                      {"owner_id", uid("sales_a")}});
  create("contacts", {{"last_name", "Nommé Deux"}, {"account_id", theirs["id"]}, {"owner_id", uid("sales_a")}});

  Response r = get("/api/v1/contacts?limit=500&owner_id=" + std::to_string(uid("sales_a")), as("sales_a"));
  ASSERT_EQ(r.status, 200) << r.dump();
  ASSERT_TRUE(r.j["names"].is_object()) << r.dump();
  const json& names = r.j["names"];
  EXPECT_EQ(names["accounts"][mine["id"].dump()], "Boulangerie Visible");
  EXPECT_FALSE(names["accounts"].contains(theirs["id"].dump())) << "a company the reader may not see is not named";
  EXPECT_EQ(names["contacts"][boss["id"].dump()], "Amélie Parrain") << "title fields joined by a space";
  EXPECT_FALSE(names.contains("users")) << "users are named by the users list";

  // The admin sees both companies.
  Response all = get("/api/v1/contacts?limit=500", as("admin"));
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.j["names"]["accounts"][theirs["id"].dump()], "Atelier Caché");

  // An order list names its customers; a product list has nothing to name.
  json product = create("products", {{"sku", unique("NAME")}, {"name", "Panier"}, {"unit_price_cents", 1000}});
  create("orders", {{"contact_id", boss["id"]}, {"lines", {{{"product_id", product["id"]}, {"quantity", 1}}}}});
  Response orders = get("/api/v1/orders?contact_id=" + boss["id"].dump(), as("admin"));
  ASSERT_EQ(orders.status, 200);
  EXPECT_EQ(orders.j["names"]["contacts"][boss["id"].dump()], "Amélie Parrain");
  Response products = get("/api/v1/products?limit=1", as("admin"));
  EXPECT_EQ(products.j["names"], json::object());
}

TEST_F(ListNamesApi, CatalogueDescribesWhatObjectFieldsHold) {
  Response fr = get("/api/v1/schema?lang=fr", as("sales_a"));
  ASSERT_EQ(fr.status, 200);
  auto field = [](const json& schema, const std::string& entity, const std::string& name) {
    for (const auto& e : schema["entities"])
      if (e["name"] == entity)
        for (const auto& f : e["fields"])
          if (f["name"] == name) return f;
    return json();
  };
  auto member = [](const json& f, const std::string& name) {
    for (const auto& m : f.value("members", json::array()))
      if (m["name"] == name) return m;
    return json();
  };
  json attrs = field(fr.j, "households", "attributes");
  json ages = member(attrs, "children_ages");
  EXPECT_EQ(ages["label"], "Âges des enfants");
  EXPECT_EQ(ages["kind"], "integer");
  EXPECT_EQ(ages["unit"], "year");
  EXPECT_EQ(member(attrs, "owner_occupier")["label"], "Propriétaire occupant");
  json origin = member(member(field(fr.j, "contacts", "consent"), "email"), "origin");
  ASSERT_TRUE(origin["values"].is_array()) << field(fr.j, "contacts", "consent").dump();
  bool salon = false;
  for (const auto& v : origin["values"]) salon |= v["value"] == "trade fair" && v["label"] == "Salon";
  EXPECT_TRUE(salon) << origin.dump();
  Response en = get("/api/v1/schema?lang=en", as("sales_a"));
  EXPECT_EQ(member(field(en.j, "households", "attributes"), "children_ages")["label"], "Children's ages");
}

TEST_F(ListNamesApi, PreviewComputesAnOrdersTotalsAndStoresNothing) {
  json contact = create("contacts", {{"last_name", "Aperçu"}, {"owner_id", uid("sales_a")}}, "sales_a");
  json product = create("products", {{"sku", unique("PREV")}, {"name", "Coffret"}, {"unit_price_cents", 2500}});
  int64_t before = count("orders");
  json body = {{"contact_id", contact["id"]},
               {"lines", {{{"product_id", product["id"]}, {"quantity", 2}},
                          {{"description", "Livraison"}, {"quantity", 1}, {"unit_price_cents", 990}, {"discount_cents", 90}}}}};
  Response r = post("/api/v1/orders/preview", as("sales_a"), body);
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["subtotal_cents"], 2 * 2500 + 990);
  EXPECT_EQ(r.j["discount_cents"], 90);
  EXPECT_EQ(r.j["total_cents"], 2 * 2500 + 990 - 90);
  ASSERT_EQ(r.j["lines"].size(), 2u);
  EXPECT_EQ(r.j["lines"][0]["unit_price_cents"], 2500) << "the product's price by default";
  EXPECT_EQ(r.j["lines"][0]["total_cents"], 5000);
  EXPECT_EQ(count("orders"), before) << "a preview stores nothing";

  // Wrong lines are named as on a create.
  body["lines"][1]["quantity"] = 0;
  Response bad = post("/api/v1/orders/preview", as("sales_a"), body);
  EXPECT_EQ(bad.status, 422) << bad.dump();
  bool named = false;
  for (const auto& e : bad.j["errors"]) named |= e["field"] == "lines[1].quantity";
  EXPECT_TRUE(named) << bad.dump();
  // A role that may not create orders may not preview one either.
  EXPECT_EQ(post("/api/v1/orders/preview", as("read_only"), body).status, 403);
}
