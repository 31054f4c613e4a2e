// Record life cycle over HTTP: ETag / If-Match concurrency, PUT semantics, delete, audit trail;
// the 360° view; order lines; tasks; lifecycle-stage history.
#include "api_fixture.h"

using namespace gzt;

namespace {

std::string path_of(const std::string& entity, int64_t id) { return "/api/v1/" + entity + "/" + std::to_string(id); }

}  // namespace

class RecordsApi : public ApiTest {
 protected:
  // create -> read (ETag) -> PATCH current -> PATCH stale (412, unchanged) -> DELETE -> 404.
  void check_etag_cycle(const std::string& entity, const json& body, const std::string& field, const json& v2,
                        const json& v3) {
    SCOPED_TRACE(entity);
    Auth a = as("sales_a");
    Response created = post("/api/v1/" + entity, a, body);
    ASSERT_EQ(created.status, 201) << created.dump();
    int64_t id = created.j["id"].get<int64_t>();
    EXPECT_EQ(created.j["version"], 1);
    EXPECT_EQ(created.header("ETag"), "\"1\"");
    EXPECT_EQ(created.header("Location"), path_of(entity, id));

    Response read = get(path_of(entity, id), a);
    ASSERT_EQ(read.status, 200) << read.dump();
    std::string etag1 = read.header("ETag");
    EXPECT_EQ(etag1, "\"1\"");
    EXPECT_EQ(read.j["id"], id);
    EXPECT_EQ(read.j["owner_id"], uid("sales_a"));
    EXPECT_EQ(read.j["created_by"], uid("sales_a"));

    Response p1 = patch(path_of(entity, id), a, {{field, v2}}, {{"If-Match", etag1}});
    ASSERT_EQ(p1.status, 200) << p1.dump();
    std::string etag2 = p1.header("ETag");
    EXPECT_EQ(etag2, "\"2\"");
    EXPECT_NE(etag2, etag1);
    EXPECT_EQ(p1.j[field], v2);
    EXPECT_EQ(p1.j["version"], 2);

    Response stale = patch(path_of(entity, id), a, {{field, v3}}, {{"If-Match", etag1}});
    EXPECT_EQ(stale.status, 412) << stale.dump();
    EXPECT_TRUE(stale.is_problem()) << stale.header("Content-Type");
    Response after = get(path_of(entity, id), a);
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(after.j[field], v2) << "a stale PATCH must not change the record";
    EXPECT_EQ(after.j["version"], 2);
    EXPECT_EQ(after.header("ETag"), etag2);

    // A malformed If-Match matches no version.
    EXPECT_EQ(patch(path_of(entity, id), a, {{field, v3}}, {{"If-Match", "\"abc\""}}).status, 412);
    // Without If-Match the change is applied (last writer wins).
    Response p3 = patch(path_of(entity, id), a, {{field, v3}});
    ASSERT_EQ(p3.status, 200) << p3.dump();
    EXPECT_EQ(p3.header("ETag"), "\"3\"");

    // The audit trail lists the create and both accepted updates, newest first, not the refused ones.
    Response audit = get(path_of(entity, id) + "/audit", a);
    ASSERT_EQ(audit.status, 200) << audit.dump();
    ASSERT_EQ(audit.j["data"].size(), 3u) << audit.dump();
    EXPECT_EQ(audit.j["data"][0]["action"], "update");
    EXPECT_EQ(audit.j["data"][0]["changes"][field], json::array({v2, v3}));
    EXPECT_EQ(audit.j["data"][2]["action"], "create");
    EXPECT_EQ(audit.j["data"][2]["user_id"], uid("sales_a"));

    // DELETE with a stale version is refused and deletes nothing.
    EXPECT_EQ(del(path_of(entity, id), a, {{"If-Match", etag2}}).status, 412);
    EXPECT_EQ(get(path_of(entity, id), a).status, 200);
    Response d = del(path_of(entity, id), a, {{"If-Match", "\"3\""}});
    EXPECT_EQ(d.status, 204) << d.dump();
    Response gone = get(path_of(entity, id), a);
    EXPECT_EQ(gone.status, 404) << gone.dump();
    EXPECT_TRUE(gone.is_problem());
    EXPECT_EQ(del(path_of(entity, id), a).status, 404);
    EXPECT_EQ(patch(path_of(entity, id), a, {{field, v2}}).status, 404);
  }
};

TEST_F(RecordsApi, ContactEtagCycle) {
  check_etag_cycle("contacts",
                   {{"first_name", "Jeanne"}, {"last_name", "Martin"}, {"emails", {"jeanne.martin@example.fr"}},
                    {"phones", {"06 11 22 33 44"}}},
                   "job_title", "Acheteuse", "Directrice des achats");
}

TEST_F(RecordsApi, AccountEtagCycle) {
  check_etag_cycle("accounts", {{"name", "Boulangerie Martin"}, {"legal_id", "732 829 320"}, {"city", "Lyon"}}, "city",
                   "Paris", "Marseille");
}

TEST_F(RecordsApi, HouseholdEtagCycle) {
  check_etag_cycle("households", {{"name", "Famille Durand"}, {"size", 3}}, "size", 4, 5);
}

TEST_F(RecordsApi, CreateNormalisesValues) {
  json c = create("contacts", {{"first_name", "  Paul "},
                               {"last_name", "Durand"},
                               {"phones", {"06.12.34.56.78", "+44 20 7946 0958"}},
                               {"emails", {"paul.durand@example.fr"}}});
  EXPECT_EQ(c["first_name"], "Paul");
  EXPECT_EQ(c["phones"], json::array({"+33612345678", "+442079460958"}));
  EXPECT_EQ(c["lifecycle_stage"], "suspect");
  EXPECT_EQ(c["country"], "FR");
  json a = create("accounts", {{"name", "Acme"}, {"legal_id", "732 829 320 00074"}, {"phone", "01 42 68 53 00"}});
  EXPECT_EQ(a["legal_id"], "73282932000074");
  EXPECT_EQ(a["phone"], "+33142685300");
}

TEST_F(RecordsApi, PutClearsMissingFields) {
  json c = create("contacts", {{"first_name", "Luc"}, {"last_name", "Petit"}, {"job_title", "Gérant"}}, "sales_a");
  int64_t id = c["id"];
  Response r = put(path_of("contacts", id), as("sales_a"), {{"last_name", "Petit-Jean"}}, {{"If-Match", "\"1\""}});
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["last_name"], "Petit-Jean");
  EXPECT_TRUE(r.j["job_title"].is_null());
  EXPECT_TRUE(r.j["first_name"].is_null());
  EXPECT_EQ(r.j["version"], 2);
  // PUT without the required field is refused and changes nothing.
  Response bad = put(path_of("contacts", id), as("sales_a"), {{"first_name", "X"}});
  EXPECT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("last_name")) << bad.dump();
  EXPECT_EQ(get(path_of("contacts", id), as("sales_a")).j["version"], 2);
}

TEST_F(RecordsApi, Contact360View) {
  json acc = create("accounts", {{"name", "Fromagerie Vue"}});
  json hh = create("households", {{"name", "Famille Vue"}});
  json c = create("contacts", {{"first_name", "Anne"}, {"last_name", "Vue"}, {"account_id", acc["id"]},
                               {"household_id", hh["id"]}});
  int64_t cid = c["id"];
  json other = create("contacts", {{"last_name", "Autre"}});

  json t_open = create("tasks", {{"title", "Rappeler Anne"}, {"contact_id", cid}, {"due_at", "2030-01-01T10:00:00Z"}});
  create("tasks", {{"title", "Déjà fait"}, {"contact_id", cid}, {"status", "done"}});
  create("tasks", {{"title", "Pas pour elle"}, {"contact_id", other["id"]}});
  json i_old = create("interactions", {{"channel", "phone"}, {"contact_id", cid}, {"subject", "Premier appel"},
                                       {"occurred_at", "2026-01-10T10:00:00+01:00"}});
  json i_new = create("interactions", {{"channel", "email"}, {"contact_id", cid}, {"subject", "Relance"},
                                       {"occurred_at", "2026-02-10T10:00:00Z"}});
  EXPECT_EQ(i_old["occurred_at"], "2026-01-10T09:00:00Z");
  EXPECT_EQ(i_old["account_id"], acc["id"]) << "the contact's company is filled in";
  // Orders: 2 x 10.00 + 1 x 5.00 - 1.00 = 24.00; 10.00 paid; 50.00 cancelled (not revenue).
  json o1 = create("orders", {{"contact_id", cid},
                              {"ordered_at", "2026-01-15T09:00:00Z"},
                              {"lines", {{{"description", "Comté"}, {"quantity", 2}, {"unit_price_cents", 1000}},
                                         {{"description", "Beaufort"}, {"quantity", 1}, {"unit_price_cents", 500},
                                          {"discount_cents", 100}}}}});
  EXPECT_EQ(o1["total_cents"], 2400);
  create("orders", {{"contact_id", cid}, {"status", "paid"}, {"total_cents", 1000}, {"ordered_at", "2026-02-01T09:00:00Z"}});
  create("orders", {{"contact_id", cid}, {"status", "cancelled"}, {"total_cents", 5000}, {"ordered_at", "2026-03-01T09:00:00Z"}});

  Response r = get(path_of("contacts", cid) + "/360", as("admin"));
  ASSERT_EQ(r.status, 200) << r.dump();
  const json& v = r.j;
  EXPECT_EQ(v["contact"]["id"], cid);
  ASSERT_TRUE(v["account"].is_object()) << r.dump();
  EXPECT_EQ(v["account"]["id"], acc["id"]);
  EXPECT_EQ(v["account"]["name"], "Fromagerie Vue");
  ASSERT_TRUE(v["household"].is_object());
  EXPECT_EQ(v["household"]["id"], hh["id"]);
  ASSERT_EQ(v["household"]["members"].size(), 1u);
  EXPECT_EQ(v["household"]["members"][0]["id"], cid);
  ASSERT_EQ(v["open_tasks"].size(), 1u) << v["open_tasks"].dump();
  EXPECT_EQ(v["open_tasks"][0]["id"], t_open["id"]);
  ASSERT_EQ(v["interactions"].size(), 2u);
  EXPECT_EQ(v["interactions"][0]["id"], i_new["id"]) << "latest interaction first";
  EXPECT_EQ(v["interactions"][1]["id"], i_old["id"]);
  EXPECT_EQ(v["orders"].size(), 3u);
  EXPECT_EQ(v["value"]["revenue_cents"], 3400) << v["value"].dump();
  EXPECT_EQ(v["value"]["order_count"], 2);
  EXPECT_EQ(v["value"]["average_order_cents"], 1700);
  EXPECT_EQ(v["value"]["first_purchase_at"], "2026-01-15T09:00:00Z");
  EXPECT_EQ(v["value"]["last_purchase_at"], "2026-02-01T09:00:00Z");
  ASSERT_TRUE(v["stage_history"].is_array());
  EXPECT_EQ(v["stage_history"].size(), 1u);

  Response acc360 = get(path_of("accounts", acc["id"]) + "/360", as("admin"));
  ASSERT_EQ(acc360.status, 200) << acc360.dump();
  EXPECT_EQ(acc360.j["value"]["revenue_cents"], 3400) << "the orders got the contact's account";
  ASSERT_EQ(acc360.j["contacts"].size(), 1u);

  EXPECT_EQ(get("/api/v1/contacts/999999/360", as("admin")).status, 404);
}

TEST_F(RecordsApi, OrderLinesComputeTotals) {
  json product = create("products", {{"sku", unique("SKU")}, {"name", "Panier garni"}, {"unit_price_cents", 2500}});
  json c = create("contacts", {{"last_name", "Client"}}, "sales_a");
  Response r = post("/api/v1/orders", as("sales_a"),
                    {{"contact_id", c["id"]},
                     {"lines", {{{"product_id", product["id"]}, {"quantity", 3}, {"discount_cents", 500}},
                                {{"description", "Livraison"}, {"quantity", 1}, {"unit_price_cents", 990}}}}});
  ASSERT_EQ(r.status, 201) << r.dump();
  EXPECT_EQ(r.j["subtotal_cents"], 3 * 2500 + 990);
  EXPECT_EQ(r.j["discount_cents"], 500);
  EXPECT_EQ(r.j["total_cents"], 3 * 2500 + 990 - 500);
  ASSERT_EQ(r.j["lines"].size(), 2u);
  EXPECT_EQ(r.j["lines"][0]["unit_price_cents"], 2500) << "price taken from the product";
  EXPECT_EQ(r.j["lines"][0]["description"], "Panier garni");
  EXPECT_EQ(r.j["lines"][0]["total_cents"], 7000);
  EXPECT_EQ(r.j["lines"][1]["total_cents"], 990);
  int64_t id = r.j["id"];

  // Replacing the lines recomputes the totals.
  Response p = patch(path_of("orders", id), as("sales_a"),
                     {{"lines", {{{"description", "Coffret"}, {"quantity", 2}, {"unit_price_cents", 1500}}}}});
  ASSERT_EQ(p.status, 200) << p.dump();
  EXPECT_EQ(p.j["total_cents"], 3000);
  EXPECT_EQ(p.j["lines"].size(), 1u);
  EXPECT_EQ(get(path_of("orders", id), as("sales_a")).j["lines"].size(), 1u);

  int64_t before = count("orders");
  for (const json& qty : {json(0), json("two"), json(nullptr), json(1.5)}) {
    Response bad = post("/api/v1/orders", as("sales_a"),
                        {{"contact_id", c["id"]}, {"lines", {{{"description", "X"}, {"quantity", qty}, {"unit_price_cents", 100}}}}});
    EXPECT_EQ(bad.status, 422) << qty.dump() << ": " << bad.dump();
    EXPECT_TRUE(bad.is_problem());
    EXPECT_TRUE(bad.names_field("lines[0].quantity")) << bad.dump();
  }
  Response bad_price = post("/api/v1/orders", as("sales_a"),
                            {{"contact_id", c["id"]}, {"lines", {{{"description", "Y"}, {"quantity", 1}, {"unit_price_cents", -5}}}}});
  EXPECT_EQ(bad_price.status, 422);
  EXPECT_TRUE(bad_price.names_field("lines[0].unit_price_cents")) << bad_price.dump();
  Response bad_line_patch = patch(path_of("orders", id), as("sales_a"),
                                  {{"lines", {{{"description", "Z"}, {"quantity", 0}, {"unit_price_cents", 1}}}}});
  EXPECT_EQ(bad_line_patch.status, 422);
  EXPECT_TRUE(bad_line_patch.names_field("lines[0].quantity")) << bad_line_patch.dump();
  EXPECT_EQ(get(path_of("orders", id), as("sales_a")).j["total_cents"], 3000) << "refused change left the order as it was";
  EXPECT_EQ(count("orders"), before);
  // An order needs a customer.
  Response orphan = post("/api/v1/orders", as("sales_a"), {{"lines", json::array()}});
  EXPECT_EQ(orphan.status, 422);
  EXPECT_TRUE(orphan.names_field("contact_id")) << orphan.dump();
}

TEST_F(RecordsApi, TasksOverdueAndCompletion) {
  json c = create("contacts", {{"last_name", "Tâches"}});
  int64_t cid = c["id"];
  json past_open = create("tasks", {{"title", "En retard"}, {"contact_id", cid}, {"due_at", "2020-01-01T09:00:00Z"}});
  json past_done = create("tasks", {{"title", "Fait à temps"}, {"contact_id", cid}, {"due_at", "2020-01-02T09:00:00Z"},
                                    {"status", "done"}});
  json past_cancelled = create("tasks", {{"title", "Annulée"}, {"contact_id", cid}, {"due_at", "2020-01-03T09:00:00Z"},
                                         {"status", "cancelled"}});
  json future = create("tasks", {{"title", "Plus tard"}, {"contact_id", cid}, {"due_at", "2099-01-01T09:00:00Z"}});
  json no_due = create("tasks", {{"title", "Sans date"}, {"contact_id", cid}});

  Response r = get("/api/v1/tasks?overdue=true&contact_id=" + std::to_string(cid), as("admin"));
  ASSERT_EQ(r.status, 200) << r.dump();
  ASSERT_EQ(r.j["data"].size(), 1u) << r.dump();
  EXPECT_EQ(r.j["data"][0]["id"], past_open["id"]);
  // Across all tasks, every overdue one is open and past due.
  Response all = get("/api/v1/tasks?overdue=true&limit=500", as("admin"));
  ASSERT_EQ(all.status, 200);
  for (const auto& t : all.j["data"]) {
    EXPECT_EQ(t["status"], "open");
    EXPECT_LT(t["due_at"].get<std::string>(), std::string("2098"));
  }
  Response not_overdue = get("/api/v1/tasks?overdue=false&contact_id=" + std::to_string(cid), as("admin"));
  EXPECT_EQ(not_overdue.j["data"].size(), 5u);

  EXPECT_FALSE(past_done["completed_at"].is_null()) << "created done: completed_at set";
  EXPECT_TRUE(past_open["completed_at"].is_null());
  Response done = patch(path_of("tasks", future["id"]), as("admin"), {{"status", "done"}});
  ASSERT_EQ(done.status, 200) << done.dump();
  ASSERT_TRUE(done.j["completed_at"].is_string()) << done.dump();
  EXPECT_EQ(done.j["completed_at"].get<std::string>().size(), 20u);  // YYYY-MM-DDTHH:MM:SSZ
  EXPECT_EQ(done.j["completed_at"].get<std::string>().back(), 'Z');
  // completed_at is set by the server: a client value is ignored.
  Response forced = patch(path_of("tasks", no_due["id"]), as("admin"), {{"completed_at", "2001-01-01T00:00:00Z"}});
  ASSERT_EQ(forced.status, 200);
  EXPECT_TRUE(forced.j["completed_at"].is_null());
  Response reopened = patch(path_of("tasks", future["id"]), as("admin"), {{"status", "open"}});
  ASSERT_EQ(reopened.status, 200);
  EXPECT_TRUE(reopened.j["completed_at"].is_null());
  // The assignee defaults to the creator.
  EXPECT_EQ(past_open["assignee_id"], uid("admin"));
  (void)past_cancelled;
}

TEST_F(RecordsApi, StageHistory) {
  json c = create("contacts", {{"last_name", "Étape"}}, "sales_a");
  int64_t id = c["id"];
  Auth a = as("sales_a");
  EXPECT_EQ(c["lifecycle_stage"], "suspect");
  ASSERT_EQ(patch(path_of("contacts", id), a, {{"lifecycle_stage", "prospect"}}).status, 200);

  Response no_reason = patch(path_of("contacts", id), a, {{"lifecycle_stage", "disqualified"}});
  EXPECT_EQ(no_reason.status, 422) << no_reason.dump();
  EXPECT_TRUE(no_reason.names_field("stage_reason")) << no_reason.dump();
  EXPECT_EQ(get(path_of("contacts", id), a).j["lifecycle_stage"], "prospect");

  Response with_reason = patch(path_of("contacts", id), a, {{"lifecycle_stage", "disqualified"}, {"stage_reason", "budget"}});
  ASSERT_EQ(with_reason.status, 200) << with_reason.dump();
  EXPECT_EQ(with_reason.j["stage_reason"], "budget");

  Response h = get(path_of("contacts", id) + "/stage-history", a);
  ASSERT_EQ(h.status, 200) << h.dump();
  ASSERT_EQ(h.j["data"].size(), 3u) << h.dump();
  EXPECT_EQ(h.j["data"][0]["stage"], "suspect");
  EXPECT_EQ(h.j["data"][1]["stage"], "prospect");
  EXPECT_EQ(h.j["data"][2]["stage"], "disqualified");
  EXPECT_EQ(h.j["data"][2]["reason"], "budget");
  EXPECT_EQ(h.j["data"][2]["user_id"], uid("sales_a"));
  for (const auto& e : h.j["data"]) {
    ASSERT_TRUE(e["changed_at"].is_string());
    EXPECT_EQ(e["changed_at"].get<std::string>().size(), 20u) << e.dump();
  }
  // A change that is not a stage change records nothing.
  ASSERT_EQ(patch(path_of("contacts", id), a, {{"job_title", "Artisan"}}).status, 200);
  EXPECT_EQ(get(path_of("contacts", id) + "/stage-history", a).j["data"].size(), 3u);

  // A customer cannot go back to prospect.
  json cust = create("accounts", {{"name", "Client fidèle"}, {"lifecycle_stage", "prospect"}}, "sales_a");
  ASSERT_EQ(patch(path_of("accounts", cust["id"]), a, {{"lifecycle_stage", "new_customer"}}).status, 200);
  Response back = patch(path_of("accounts", cust["id"]), a, {{"lifecycle_stage", "prospect"}});
  EXPECT_EQ(back.status, 422) << back.dump();
  EXPECT_TRUE(back.names_field("lifecycle_stage")) << back.dump();
  Response acc = get(path_of("accounts", cust["id"]), a);
  EXPECT_EQ(acc.j["lifecycle_stage"], "new_customer");
  EXPECT_EQ(acc.j["version"], 2);
  Response ah = get(path_of("accounts", cust["id"]) + "/stage-history", a);
  ASSERT_EQ(ah.j["data"].size(), 2u) << ah.dump();
  EXPECT_EQ(ah.j["data"][1]["stage"], "new_customer");
  // inactive needs a reason too; from there only a customer stage.
  EXPECT_EQ(patch(path_of("accounts", cust["id"]), a, {{"lifecycle_stage", "inactive"}}).status, 422);
  ASSERT_EQ(patch(path_of("accounts", cust["id"]), a, {{"lifecycle_stage", "inactive"}, {"stage_reason", "moved"}}).status, 200);
  EXPECT_EQ(patch(path_of("accounts", cust["id"]), a, {{"lifecycle_stage", "suspect"}}).status, 422);
  Response won_back = patch(path_of("accounts", cust["id"]), a, {{"lifecycle_stage", "customer"}});
  EXPECT_EQ(won_back.status, 200) << won_back.dump();
  EXPECT_TRUE(won_back.j["stage_reason"].is_null()) << "the reason belonged to the previous stage";
}

TEST_F(RecordsApi, DeletingAProductInUseIsRefusedCleanly) {
  json product = create("products", {{"sku", unique("USED")}, {"name", "Produit vendu"}, {"unit_price_cents", 100}});
  json c = create("contacts", {{"last_name", "Acheteur"}});
  json o = create("orders", {{"contact_id", c["id"]}, {"lines", {{{"product_id", product["id"]}, {"quantity", 1}}}}});
  Response r = del(path_of("products", product["id"]), as("admin"));
  // Either refused as a conflict (the product is on an order) or allowed; never a server error,
  // and the order keeps its line.
  EXPECT_TRUE(r.status == 409 || r.status == 204) << r.dump();
  EXPECT_LT(r.status, 500);
  Response order = get(path_of("orders", o["id"]), as("admin"));
  ASSERT_EQ(order.status, 200);
  EXPECT_EQ(order.j["lines"].size(), 1u);
  EXPECT_EQ(order.j["total_cents"], 100);
}

TEST_F(RecordsApi, DeletingACustomerKeepsTheServerConsistent) {
  json acc = create("accounts", {{"name", "Éphémère"}});
  json c = create("contacts", {{"last_name", "Passager"}, {"account_id", acc["id"]}});
  create("interactions", {{"channel", "phone"}, {"contact_id", c["id"]}});
  create("tasks", {{"title", "Rappel"}, {"contact_id", c["id"]}});
  json o = create("orders", {{"contact_id", c["id"]}, {"total_cents", 500}});
  Response d = del(path_of("accounts", acc["id"]), as("admin"));
  EXPECT_TRUE(d.status == 204 || d.status == 409) << d.dump();
  Response dc = del(path_of("contacts", c["id"]), as("admin"));
  EXPECT_TRUE(dc.status == 204 || dc.status == 409) << dc.dump();
  EXPECT_EQ(get(path_of("orders", o["id"]), as("admin")).status, 200) << "orders are kept for the books";
}
