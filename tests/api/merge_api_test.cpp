// Merge of duplicates with undo, aliases of absorbed records, and purge (archive / restore),
// over HTTP on both backends (docs/merge.md).
#include "api_fixture.h"
#include "store/database.h"

using namespace gzt;

// Records are created with ?allow_duplicate=true: these tests make duplicates on purpose, and
// the duplicate check at entry would answer 409 (the parameter is ignored without it).
class MergeApi : public ApiTest {
 protected:
  std::string c(int64_t id) { return "/api/v1/contacts/" + std::to_string(id); }
  json get_ok(const std::string& path, const std::string& who = "admin") {
    Response r = get(path, as(who));
    EXPECT_EQ(r.status, 200) << path << ": " << r.dump();
    return r.j;
  }
  std::vector<int64_t> ids_of(const std::string& entity, const std::string& query) {
    std::vector<int64_t> out;
    // Held in a variable: a range-for over get_ok(…)["data"] would walk a destroyed temporary.
    json page = get_ok("/api/v1/" + entity + "?limit=100&" + query);
    for (const auto& r : page["data"]) out.push_back(r["id"].get<int64_t>());
    std::sort(out.begin(), out.end());
    return out;
  }
  // Runs SQL on the suite's database, to age records (nothing in the API sets updated_at).
  void sql(const std::string& statement, const gz::store::Params& params) {
    auto db = gz::store::Database::open(srv().db_location());
    gz::store::with_transaction(*db, true, [&](gz::store::Connection& conn) { conn.execute(statement, params); });
  }
  static json without(json j, std::initializer_list<const char*> keys) {
    for (const char* k : keys) j.erase(k);
    return j;
  }
};

TEST_F(MergeApi, MergeMovesEverythingAndUndoRestoresExactly) {
  std::string mark = unique("Doublon");
  json acc = create("accounts?allow_duplicate=true", {{"name", "Cartonnerie " + mark}});
  json a = create("contacts?allow_duplicate=true", {{"first_name", "Jean"}, {"last_name", mark}, {"emails", {"jean@" + mark + ".fr"}},
                               {"external_id", mark + "-A"}, {"lifecycle_stage", "prospect"}});
  json b = create("contacts?allow_duplicate=true", {{"first_name", "Jean-Marc"}, {"last_name", mark}, {"emails", {"jm@" + mark + ".fr"}},
                               {"phones", {"06 12 34 56 78"}}, {"job_title", "Gérant"}, {"account_id", acc["id"]},
                               {"external_id", mark + "-B"}, {"lifecycle_stage", "new_customer"}});
  int64_t ida = a["id"], idb = b["id"];
  json ia = create("interactions", {{"channel", "phone"}, {"contact_id", ida}, {"subject", "A call"}});
  json ib1 = create("interactions", {{"channel", "email"}, {"contact_id", idb}, {"subject", "B mail"}});
  json ib2 = create("interactions", {{"channel", "meeting"}, {"contact_id", idb}, {"subject", "B meeting"}});
  json ob = create("orders", {{"contact_id", idb}, {"total_cents", 12000}});
  json tb = create("tasks", {{"title", "Relancer " + mark}, {"contact_id", idb}});
  ASSERT_EQ(post(c(idb) + "/shares", as("admin"), {{"user_id", uid("sales_b")}}).status, 204);
  ASSERT_EQ(get(c(idb), as("sales_b")).status, 200);

  json before_a = get_ok(c(ida)), before_b = get_ok(c(idb));
  json before_ib1 = get_ok("/api/v1/interactions/" + ib1["id"].dump()), before_ob = get_ok("/api/v1/orders/" + ob["id"].dump());
  auto b_stages = get_ok(c(idb) + "/stage-history")["data"];

  // Compare: the differing fields are flagged, the equal ones are not.
  json cmp = get_ok("/api/v1/contacts/compare?ids=" + std::to_string(ida) + "," + std::to_string(idb));
  std::map<std::string, json> by_name;
  for (const auto& f : cmp["fields"]) by_name[f["name"]] = f;
  EXPECT_TRUE(by_name["first_name"]["differs"].get<bool>());
  EXPECT_FALSE(by_name["last_name"]["differs"].get<bool>());
  EXPECT_EQ(by_name["emails"]["most_complete"].size(), 2u);
  EXPECT_EQ(cmp["links"][1]["interactions"], 2);

  Response m = post("/api/v1/contacts/merge", as("admin"),
                    {{"survivor_id", ida}, {"absorbed_ids", {idb}}, {"default_rule", "most_complete"},
                     {"fields", {{"first_name", "survivor"}, {"lifecycle_stage", idb}}}});
  ASSERT_EQ(m.status, 201) << m.dump();
  int64_t merge_id = m.j["merge_id"];
  json rec = m.j["record"];
  EXPECT_EQ(rec["id"], ida);
  EXPECT_EQ(rec["first_name"], "Jean");                     // picked: survivor
  EXPECT_EQ(rec["lifecycle_stage"], "new_customer");        // picked: record b
  EXPECT_EQ(rec["job_title"], "Gérant");                    // most complete: the only value
  EXPECT_EQ(rec["account_id"], acc["id"]);
  EXPECT_EQ(rec["emails"].size(), 2u);                      // lists united
  EXPECT_EQ(rec["phones"], b["phones"]);
  EXPECT_EQ(rec["external_id"], mark + "-A");               // the survivor keeps its own

  // Everything of b is now a's.
  EXPECT_EQ(ids_of("interactions", "contact_id=" + std::to_string(ida)).size(), 3u);
  EXPECT_EQ(ids_of("orders", "contact_id=" + std::to_string(ida)), std::vector<int64_t>{ob["id"].get<int64_t>()});
  EXPECT_EQ(ids_of("tasks", "contact_id=" + std::to_string(ida)), std::vector<int64_t>{tb["id"].get<int64_t>()});
  EXPECT_TRUE(ids_of("interactions", "contact_id=" + std::to_string(idb)).empty());
  json view = get_ok(c(ida) + "/360");
  EXPECT_EQ(view["interactions"].size(), 3u);
  EXPECT_EQ(get(c(ida), as("sales_b")).status, 200) << "the share moved with the record";

  // The absorbed id leads to the survivor; it left lists and search.
  Response old = get(c(idb) + "/360", as("admin"));
  EXPECT_EQ(old.status, 308) << old.dump();
  EXPECT_EQ(old.header("Location"), c(ida) + "/360");
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), std::vector<int64_t>{ida});
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), std::vector<int64_t>{ida});

  // Audit entries on both sides, and the merge in the history.
  bool audited = false;
  json audit = get_ok(c(ida) + "/audit");
  for (const auto& e : audit["data"])
    audited |= e["action"] == "merge" && e["changes"]["merge_id"] == merge_id;
  EXPECT_TRUE(audited);
  bool listed = false;
  json merges = get_ok("/api/v1/merges?entity=contacts");
  for (const auto& e : merges["data"]) listed |= e["id"] == merge_id;
  EXPECT_TRUE(listed);

  // Undo: b comes back as it was (a new version), its rows go back, a gets its values back.
  Response u = post("/api/v1/merges/" + std::to_string(merge_id) + "/undo", as("admin"), json::object());
  ASSERT_EQ(u.status, 200) << u.dump();
  EXPECT_EQ(u.j["restored_ids"], json::array({idb}));
  json after_b = get_ok(c(idb)), after_a = get_ok(c(ida));
  EXPECT_EQ(after_b["version"].get<int64_t>(), before_b["version"].get<int64_t>() + 1);
  EXPECT_EQ(without(after_b, {"version"}), without(before_b, {"version"}));
  EXPECT_EQ(without(after_a, {"version", "updated_at", "updated_by"}), without(before_a, {"version", "updated_at", "updated_by"}));
  EXPECT_EQ(get_ok("/api/v1/interactions/" + ib1["id"].dump()), before_ib1);
  EXPECT_EQ(get_ok("/api/v1/orders/" + ob["id"].dump()), before_ob);
  EXPECT_EQ(ids_of("interactions", "contact_id=" + std::to_string(ida)), std::vector<int64_t>{ia["id"].get<int64_t>()});
  EXPECT_EQ(ids_of("interactions", "contact_id=" + std::to_string(idb)),
            (std::vector<int64_t>{ib1["id"].get<int64_t>(), ib2["id"].get<int64_t>()}));
  EXPECT_EQ(ids_of("tasks", "contact_id=" + std::to_string(idb)), std::vector<int64_t>{tb["id"].get<int64_t>()});
  EXPECT_EQ(get_ok(c(idb) + "/stage-history")["data"], b_stages);
  EXPECT_EQ(get(c(idb), as("sales_b")).status, 200) << "the share came back";
  EXPECT_EQ(get(c(ida), as("sales_b")).status, 404) << "and left the survivor";
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), (std::vector<int64_t>{ida, idb}));
  // Twice is once too many.
  Response again = post("/api/v1/merges/" + std::to_string(merge_id) + "/undo", as("admin"), json::object());
  EXPECT_EQ(again.status, 409) << again.dump();
}

TEST_F(MergeApi, ReimportOfAnAbsorbedExternalIdUpdatesTheSurvivor) {
  std::string mark = unique("Reimport");
  int64_t ida = create("contacts?allow_duplicate=true", {{"last_name", mark}, {"external_id", mark + "-1"}})["id"];
  int64_t idb = create("contacts?allow_duplicate=true", {{"last_name", mark}, {"external_id", mark + "-2"}})["id"];
  Response m = post("/api/v1/contacts/merge", as("admin"), {{"survivor_id", ida}, {"absorbed_ids", {idb}}});
  ASSERT_EQ(m.status, 201) << m.dump();
  Response imp = raw("POST", "/api/v1/import/contacts", as("admin"),
                     "external_id,last_name,job_title\n" + mark + "-2," + mark + ",Comptable\n");
  ASSERT_EQ(imp.status, 200) << imp.dump();
  EXPECT_EQ(imp.j["created"], 0) << imp.dump();
  EXPECT_EQ(imp.j["updated"], 1) << imp.dump();
  EXPECT_EQ(get_ok(c(ida))["job_title"], "Comptable");
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), std::vector<int64_t>{ida});
  // A new contact never takes the id of an absorbed one: old links must not lead to a stranger.
  int64_t fresh = create("contacts?allow_duplicate=true", {{"last_name", mark + "-new"}})["id"];
  EXPECT_NE(fresh, idb);
  EXPECT_EQ(get(c(idb), as("admin")).status, 308);
}

TEST_F(MergeApi, MergeOfAccountsMovesTheirPeople) {
  std::string mark = unique("Societe");
  int64_t a1 = create("accounts?allow_duplicate=true", {{"name", mark + " SARL"}})["id"];
  int64_t a2 = create("accounts?allow_duplicate=true", {{"name", mark + " S.A.R.L."}, {"city", "Lyon"}})["id"];
  int64_t p = create("contacts?allow_duplicate=true", {{"last_name", unique("Salarie")}, {"account_id", a2}})["id"];
  Response m = post("/api/v1/accounts/merge", as("admin"), {{"survivor_id", a1}, {"absorbed_ids", {a2}}, {"default_rule", "survivor"}});
  ASSERT_EQ(m.status, 201) << m.dump();
  EXPECT_EQ(m.j["record"]["name"], mark + " SARL");
  EXPECT_TRUE(m.j["record"]["city"].is_null());  // rule survivor: its own empty city
  EXPECT_EQ(get_ok(c(p))["account_id"], a1);
  EXPECT_EQ(get_ok("/api/v1/accounts/" + std::to_string(a1) + "/360")["contacts"].size(), 1u);
  EXPECT_EQ(get(("/api/v1/accounts/" + std::to_string(a2)), as("admin")).status, 308);
  ASSERT_EQ(post("/api/v1/merges/" + m.j["merge_id"].dump() + "/undo", as("admin"), json::object()).status, 200);
  EXPECT_EQ(get_ok(c(p))["account_id"], a2);
  EXPECT_EQ(get_ok("/api/v1/accounts/" + std::to_string(a2))["city"], "Lyon");
}

TEST_F(MergeApi, BadRequestsNameTheField) {
  int64_t a = create("contacts?allow_duplicate=true", {{"last_name", unique("Seul")}})["id"];
  Response self = post("/api/v1/contacts/merge", as("admin"), {{"survivor_id", a}, {"absorbed_ids", {a}}});
  EXPECT_EQ(self.status, 400) << self.dump();
  EXPECT_TRUE(self.names_field("absorbed_ids[0]")) << self.dump();
  Response unknown = post("/api/v1/contacts/merge", as("admin"), {{"survivor_id", a}, {"absorbed_ids", {987654321}}});
  EXPECT_EQ(unknown.status, 404) << unknown.dump();
  EXPECT_TRUE(unknown.names_field("absorbed_ids[0]")) << unknown.dump();
  Response missing = post("/api/v1/contacts/merge", as("admin"), {{"absorbed_ids", {a}}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(missing.names_field("survivor_id")) << missing.dump();
  int64_t b = create("contacts?allow_duplicate=true", {{"last_name", unique("Autre")}})["id"];
  Response field = post("/api/v1/contacts/merge", as("admin"),
                        {{"survivor_id", a}, {"absorbed_ids", {b}}, {"fields", {{"version", "most_recent"}, {"city", 42}}}});
  EXPECT_EQ(field.status, 400);
  EXPECT_TRUE(field.names_field("fields.version")) << field.dump();
  EXPECT_TRUE(field.names_field("fields.city")) << field.dump();
  Response cmp = get("/api/v1/contacts/compare?ids=" + std::to_string(a) + ",x", as("admin"));
  EXPECT_EQ(cmp.status, 400);
  EXPECT_TRUE(cmp.names_field("ids")) << cmp.dump();
  // Nothing was merged by any of these.
  EXPECT_EQ(get(c(a), as("admin")).status, 200);
  EXPECT_EQ(get(c(b), as("admin")).status, 200);
}

TEST_F(MergeApi, OnlyWhoMayEditEveryRecordMerges) {
  int64_t mine = create("contacts?allow_duplicate=true", {{"last_name", unique("Alpha")}}, "sales_a")["id"];
  int64_t theirs = create("contacts?allow_duplicate=true", {{"last_name", unique("Bravo")}}, "sales_b")["id"];
  Response r = post("/api/v1/contacts/merge", as("sales_a"), {{"survivor_id", mine}, {"absorbed_ids", {theirs}}});
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.dump();
  EXPECT_TRUE(r.names_field("absorbed_ids[0]")) << r.dump();
  Response ro = post("/api/v1/contacts/merge", as("read_only"), {{"survivor_id", mine}, {"absorbed_ids", {theirs}}});
  EXPECT_EQ(ro.status, 403) << ro.dump();
  EXPECT_EQ(get(c(theirs), as("sales_b")).status, 200);
  // Within the team it works, and the history shows it to the team but not to the other one.
  int64_t mate = create("contacts?allow_duplicate=true", {{"last_name", unique("Alpha")}}, "manager_a")["id"];
  Response ok = post("/api/v1/contacts/merge", as("sales_a"), {{"survivor_id", mine}, {"absorbed_ids", {mate}}});
  ASSERT_EQ(ok.status, 201) << ok.dump();
  auto seen = [&](const std::string& who) {
    json history = get_ok("/api/v1/merges", who);
    for (const auto& e : history["data"])
      if (e["id"] == ok.j["merge_id"]) return true;
    return false;
  };
  EXPECT_TRUE(seen("manager_a"));
  EXPECT_FALSE(seen("sales_b"));
  EXPECT_EQ(post("/api/v1/merges/" + ok.j["merge_id"].dump() + "/undo", as("sales_b"), json::object()).status, 404);
}

TEST_F(MergeApi, PurgeFindsArchivesAndRestores) {
  std::string mark = unique("Dormant");
  int64_t old = create("contacts?allow_duplicate=true", {{"last_name", mark}, {"first_name", "Ancien"}})["id"];
  int64_t busy = create("contacts?allow_duplicate=true", {{"last_name", mark}, {"first_name", "Actif"}})["id"];
  int64_t bounced = create("contacts?allow_duplicate=true", {{"last_name", mark}, {"emails", {"x@" + mark + ".fr"}},
                                        {"email_bounced_at", "2026-01-05T10:00:00Z"}})["id"];
  // Both untouched for five years; only `busy` had an interaction last month.
  sql("UPDATE contacts SET updated_at = ?, created_at = ? WHERE id IN (?, ?)",
      {"2020-03-01T09:00:00Z", "2020-03-01T09:00:00Z", old, busy});
  create("interactions", {{"channel", "phone"}, {"contact_id", busy}});
  json inactive = get_ok("/api/v1/purge/candidates?entity=contacts&reason=inactive&inactive_years=3&limit=1000");
  std::set<int64_t> found;
  for (const auto& r : inactive["data"]) found.insert(r["id"].get<int64_t>());
  EXPECT_TRUE(found.count(old));
  EXPECT_FALSE(found.count(busy));
  EXPECT_FALSE(found.count(bounced));
  json bounces = get_ok("/api/v1/purge/candidates?entity=contacts&reason=bounced&limit=1000");
  bool has_bounced = false;
  for (const auto& r : bounces["data"]) has_bounced |= r["id"] == bounced && r["reasons"] == json::array({"bounced"});
  EXPECT_TRUE(has_bounced);
  Response bad = get("/api/v1/purge/candidates?entity=contacts&reason=gone", as("admin"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.names_field("reason"));

  Response arch = post("/api/v1/purge/archive", as("admin"), {{"entity", "contacts"}, {"ids", {old, bounced}}});
  ASSERT_EQ(arch.status, 200) << arch.dump();
  EXPECT_EQ(arch.j["archived"].size(), 2u);
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), std::vector<int64_t>{busy});
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), std::vector<int64_t>{busy});
  EXPECT_EQ(ids_of("contacts", "archived=only&q=" + enc(mark)), (std::vector<int64_t>{old, bounced}));
  EXPECT_EQ(ids_of("contacts", "archived=include&q=" + enc(mark)).size(), 3u);
  EXPECT_FALSE(get_ok(c(old))["archived_at"].is_null());  // still readable by id
  Response wrong = get("/api/v1/contacts?archived=maybe", as("admin"));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(wrong.names_field("archived"));
  Response other = post("/api/v1/purge/archive", as("sales_b"), {{"entity", "contacts"}, {"ids", {busy}}});
  EXPECT_EQ(other.status, 404) << other.dump();
  EXPECT_TRUE(other.names_field("ids[0]"));

  Response rest = post(c(old) + "/restore", as("admin"), json::object());
  ASSERT_EQ(rest.status, 200) << rest.dump();
  EXPECT_TRUE(rest.j["archived_at"].is_null());
  EXPECT_EQ(ids_of("contacts", "q=" + enc(mark)), (std::vector<int64_t>{old, busy}));
  EXPECT_EQ(post(c(old) + "/restore", as("admin"), json::object()).status, 409);
}
