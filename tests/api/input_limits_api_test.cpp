// Security issue 12: out-of-range numbers, malformed bodies and ids, formula cells in exports,
// audit pagination, uploads and saved mappings of other users, interrupted import runs, and the
// re-import of a file without external_id. Each test failed on the code before the fix.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_fixture.h"
#include "io/xlsx_reader.h"
#include "store/database.h"

using namespace gzt;

class InputLimitsApi : public ApiTest {
 protected:
  // A refused write: status, problem+json with a detail, the field named, nothing added.
  void expect_refused(const std::string& method, const std::string& path, const std::string& body, int status,
                      const std::string& field, const std::string& counted) {
    SCOPED_TRACE(method + " " + path + " " + body.substr(0, 160));
    int64_t before = count(counted);
    Response r = raw(method, path, as("admin"), body);
    EXPECT_EQ(r.status, status) << r.dump();
    EXPECT_TRUE(r.is_problem()) << r.header("Content-Type");
    EXPECT_FALSE(r.j.value("detail", "").empty()) << r.dump();
    if (!field.empty()) {
      EXPECT_TRUE(r.names_field(field)) << "field " << field << " not named: " << r.dump();
    }
    EXPECT_EQ(count(counted), before);
  }
  // The server's database, opened beside it (to plant rows that the API would now refuse).
  std::unique_ptr<gz::store::Database> open_db() { return gz::store::Database::open(srv().db_location()); }
  void sql(const std::string& statement, const gz::store::Params& params = {}) {
    auto db = open_db();
    gz::store::with_transaction(*db, true, [&](gz::store::Connection& c) { c.execute(statement, params); });
  }
  json upload(const std::string& csv, const std::string& who, const std::string& entity = "contacts") {
    Response up = raw("POST", "/api/v1/imports/uploads?entity=" + entity + "&file_name=f.csv", as(who), csv);
    EXPECT_EQ(up.status, 201) << up.dump();
    return up.j;
  }
  json wait_run(int64_t id, const std::string& who) {
    json run;
    for (int i = 0; i < 200; ++i) {
      run = get("/api/v1/imports/runs/" + std::to_string(id), as(who)).j;
      if (run.value("status", "") != "running" && run.value("status", "") != "queued") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return run;
  }
};

TEST_F(InputLimitsApi, AmountsBeyondTheirRangeAreRefusedNamingTheField) {
  json contact = create("contacts", {{"last_name", unique("Range")}});
  const std::string c = contact["id"].dump();
  const std::string huge = "9223372036854775808";  // 2^63: read as int64_t it wrapped to -2^63
  expect_refused("POST", "/api/v1/orders", R"({"contact_id": )" + c + R"(, "total_cents": )" + huge + "}", 422,
                 "total_cents", "orders");
  expect_refused("POST", "/api/v1/orders", R"({"contact_id": )" + c + R"(, "total_cents": 1000000000001})", 422,
                 "total_cents", "orders");
  expect_refused("POST", "/api/v1/orders", R"({"contact_id": )" + c + R"(, "total_cents": 100, "discount_cents": )" + huge + "}",
                 422, "discount_cents", "orders");
  expect_refused("POST", "/api/v1/orders",
                 R"({"contact_id": )" + c + R"(, "lines": [{"description": "x", "quantity": 1, "unit_price_cents": )" + huge + "}]}",
                 422, "lines[0].unit_price_cents", "orders");
  expect_refused("POST", "/api/v1/orders",
                 R"({"contact_id": )" + c + R"(, "lines": [{"description": "x", "quantity": )" + huge + R"(, "unit_price_cents": 5}]})",
                 422, "lines[0].quantity", "orders");
  // 10^9 × 10^11 used to overflow int64_t silently.
  expect_refused("POST", "/api/v1/orders",
                 R"({"contact_id": )" + c + R"(, "lines": [{"description": "x", "quantity": 1000000000, "unit_price_cents": 100000000000}]})",
                 422, "lines[0].quantity", "orders");
  expect_refused("POST", "/api/v1/accounts", R"({"name": "Big", "category_spend_cents": )" + huge + "}", 422,
                 "category_spend_cents", "accounts");
  expect_refused("POST", "/api/v1/products", R"({"name": "Negative", "unit_price_cents": -1})", 422, "unit_price_cents",
                 "products");
  expect_refused("POST", "/api/v1/interactions",
                 R"({"channel": "phone", "contact_id": )" + c + R"(, "duration_seconds": -5})", 422, "duration_seconds",
                 "interactions");
  // The bounds themselves are accepted; a return stays negative.
  Response ok = post("/api/v1/orders", as("admin"), {{"contact_id", contact["id"]}, {"total_cents", 1000000000000LL}});
  EXPECT_EQ(ok.status, 201) << ok.dump();
  Response ret = post("/api/v1/orders", as("admin"),
                      {{"contact_id", contact["id"]}, {"status", "returned"},
                       {"lines", {{{"description", "back"}, {"quantity", -2}, {"unit_price_cents", 500}}}}});
  ASSERT_EQ(ret.status, 201) << ret.dump();
  EXPECT_EQ(ret.j["total_cents"], -1000);
  // The OpenAPI document states the ranges.
  Response doc = get("/api/v1/openapi.json", as("admin"));
  EXPECT_EQ(doc.j["components"]["schemas"]["orders"]["properties"]["total_cents"]["maximum"], 1000000000000LL);
  EXPECT_EQ(doc.j["components"]["schemas"]["products"]["properties"]["unit_price_cents"]["minimum"], 0);
}

TEST_F(InputLimitsApi, RowsStoredBeforeTheBoundsDoNotBreakTheDashboardNor360) {
  json contact = create("contacts", {{"last_name", unique("Wrapped")}});
  json a = create("orders", {{"contact_id", contact["id"]}, {"total_cents", 100}});
  json b = create("orders", {{"contact_id", contact["id"]}, {"total_cents", -100}});
  // What the old code stored for 9223372036854775808; with another negative order the sum
  // overflowed (SQLite: "integer overflow", a 500 for everyone who could see the order).
  sql("UPDATE orders SET total_cents = ? WHERE id = ?", {json(INT64_MIN), a["id"]});
  sql("UPDATE orders SET total_cents = ? WHERE id = ?", {json(INT64_MIN + 1), b["id"]});
  Response dash = get("/api/v1/dashboard?months=36", as("admin"));
  EXPECT_EQ(dash.status, 200) << dash.dump();
  Response view = get("/api/v1/contacts/" + contact["id"].dump() + "/360", as("admin"));
  ASSERT_EQ(view.status, 200) << view.dump();
  // Each is counted at the bound, -10^12.
  EXPECT_EQ(view.j["value"]["revenue_cents"], -2000000000000LL) << view.j["value"].dump();
}

TEST_F(InputLimitsApi, MalformedBodiesAndIdsAreClientErrors) {
  for (const char* body : {R"({"email": "a@b.c", "password": 1e400})", "1e400", R"({"x": [1e400]})"}) {
    Response r = raw("POST", "/api/v1/auth/login", Auth::none(), body);
    EXPECT_EQ(r.status, 400) << body << ": " << r.dump();
    EXPECT_NE(r.j.value("detail", "").find("number overflow"), std::string::npos) << r.dump();
  }
  expect_refused("POST", "/api/v1/contacts", R"({"last_name": "X", "category_spend_cents": 1e400})", 400, "",
                 "contacts");
  for (const char* body : {"null", "[]", "\"s\"", "123"}) {
    for (const char* path : {"/api/v1/import-mappings", "/api/v1/imports/preview", "/api/v1/imports/runs",
                             "/api/v1/imports/duplicates", "/api/v1/contacts"}) {
      Response r = raw("POST", path, as("admin"), body);
      EXPECT_EQ(r.status, 400) << path << " " << body << ": " << r.dump();
      EXPECT_TRUE(r.is_problem());
      EXPECT_TRUE(r.names_field("body")) << r.dump();
    }
  }
  Response wrong_type = post("/api/v1/imports/preview", as("admin"), {{"upload", 12}, {"entity", "contacts"}});
  EXPECT_EQ(wrong_type.status, 422) << wrong_type.dump();
  EXPECT_TRUE(wrong_type.names_field("upload")) << wrong_type.dump();
  Response mapping_type = post("/api/v1/import-mappings", as("admin"), {{"name", {1}}, {"entity", "contacts"}});
  EXPECT_EQ(mapping_type.status, 422) << mapping_type.dump();
  EXPECT_TRUE(mapping_type.names_field("name")) << mapping_type.dump();
  // Ids: digits only.
  json contact = create("contacts", {{"last_name", unique("Id")}});
  std::string id = contact["id"].dump();
  EXPECT_EQ(get("/api/v1/contacts/" + id, as("admin")).status, 200);
  for (const std::string& bad : std::vector<std::string>{"%20" + id, id + "%20", "+" + id, "0" + id + "x",
                                                         "99999999999999999999", "-1", "0"})
    EXPECT_EQ(get("/api/v1/contacts/" + bad, as("admin")).status, 404) << bad;
  EXPECT_EQ(get("/api/v1/imports/runs/%201", as("admin")).status, 404);
  // A scan with an unknown (misspelt) option is refused, not run with the defaults.
  Response scan = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "contacts"}, {"threshold_uper", 5}});
  EXPECT_EQ(scan.status, 422) << scan.dump();
  EXPECT_TRUE(scan.names_field("threshold_uper")) << scan.dump();
}

TEST_F(InputLimitsApi, BrokenQuoteInTheCsvHeaderIsA400NamingLine1) {
  int64_t before = count("contacts");
  Response r = raw("POST", "/api/v1/import/contacts", as("admin"), "last_name,\"first\"x\nDupont,Jean\n");
  EXPECT_EQ(r.status, 400) << r.dump();
  EXPECT_TRUE(r.names_field("line 1")) << r.dump();
  Response line2 = raw("POST", "/api/v1/import/contacts", as("admin"), "last_name,first_name\n\"Dupont\"x,Jean\n");
  EXPECT_EQ(line2.status, 400) << line2.dump();
  EXPECT_TRUE(line2.names_field("line 2")) << line2.dump();
  // Through the wizard: the upload of such a file is refused, not a 500.
  Response up = raw("POST", "/api/v1/imports/uploads?entity=contacts", as("admin"), "a,\"b\"c\n1,2\n");
  EXPECT_EQ(up.status, 400) << up.dump();
  EXPECT_TRUE(up.names_field("line 1")) << up.dump();
  EXPECT_EQ(count("contacts"), before);
}

TEST_F(InputLimitsApi, ExportsNeutraliseFormulaCells) {
  std::string mark = unique("Formula");
  json c = create("contacts", {{"last_name", "=HYPERLINK(\"http://evil.test\",\"" + mark + "\")"},
                               {"first_name", "@SUM(1+1)"},
                               {"city", "+cmd|' /C calc'!A0"},
                               {"street", "-2+3"},
                               {"region", mark},
                               {"phones", {"+33 6 12 34 56 78"}}});
  create("orders", {{"contact_id", c["id"]}, {"status", "returned"}, {"total_cents", -1250}});
  Response csv = get("/api/v1/export/contacts?format=csv", as("admin"));
  ASSERT_EQ(csv.status, 200);
  std::string line;
  std::istringstream in(csv.body);
  std::string row;
  while (std::getline(in, line))
    if (line.find(mark) != std::string::npos && line.find("HYPERLINK") != std::string::npos) row = line;
  ASSERT_FALSE(row.empty()) << csv.body.substr(0, 2000);
  EXPECT_NE(row.find("\"'=HYPERLINK("), std::string::npos) << row;
  EXPECT_NE(row.find("'@SUM(1+1)"), std::string::npos) << row;
  EXPECT_NE(row.find("'+cmd|"), std::string::npos) << row;
  EXPECT_NE(row.find("'-2+3"), std::string::npos) << row;
  for (const char* bare : {",=", ",@", ",+cmd", ",-2+3"}) EXPECT_EQ(row.find(bare), std::string::npos) << bare << " in " << row;
  EXPECT_NE(row.find("+33612345678"), std::string::npos) << "a phone number stays a number: " << row;
  EXPECT_EQ(row.find("'+33612345678"), std::string::npos) << row;
  Response orders = get("/api/v1/export/orders?format=csv", as("admin"));
  EXPECT_NE(orders.body.find(",-1250"), std::string::npos) << "a negative amount stays a number";
  // XLSX: the cell is text (a shared string), not a formula: read back, it is the text itself.
  Response xlsx = get("/api/v1/export/contacts?format=xlsx", as("admin"));
  ASSERT_EQ(xlsx.status, 200);
  std::string path = "/tmp/gazelle-test-export-" + std::to_string(getpid()) + ".xlsx";
  { std::ofstream(path, std::ios::binary) << xlsx.body; }
  gz::io::XlsxReader reader(path);
  reader.open_sheet("");
  std::vector<std::string> cells;
  int64_t row_number = 0;
  bool found = false;
  while (reader.next_row(cells, row_number))
    for (const auto& v : cells)
      if (v == "=HYPERLINK(\"http://evil.test\",\"" + mark + "\")") found = true;
  std::remove(path.c_str());
  EXPECT_TRUE(found) << "the formula text is stored as a string cell";
}

TEST_F(InputLimitsApi, AuditTrailIsPaginated) {
  json c = create("contacts", {{"last_name", unique("Audit")}});
  std::string p = "/api/v1/contacts/" + c["id"].dump();
  for (int i = 0; i < 6; ++i) ASSERT_EQ(patch(p, as("admin"), {{"city", "Ville " + std::to_string(i)}}).status, 200);
  // 7 entries (create + 6 updates), read 3 at a time, newest first, each once.
  std::vector<int64_t> seen;
  std::string cursor;
  int pages = 0;
  for (; pages < 10; ++pages) {
    Response r = get(p + "/audit?limit=3" + (cursor.empty() ? "" : "&cursor=" + enc(cursor)), as("admin"));
    ASSERT_EQ(r.status, 200) << r.dump();
    EXPECT_LE(r.j["data"].size(), 3u);
    for (const auto& e : r.j["data"]) seen.push_back(e["id"].get<int64_t>());
    if (r.j["next_cursor"].is_null()) break;
    cursor = r.j["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(pages, 2);
  ASSERT_EQ(seen.size(), 7u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i - 1], seen[i]);
  EXPECT_EQ(get(p + "/audit?limit=0", as("admin")).status, 400);
  EXPECT_EQ(get(p + "/audit?limit=501", as("admin")).status, 400);
  EXPECT_EQ(get(p + "/audit?cursor=abc", as("admin")).status, 400);
  Response unknown = get(p + "/audit?lmit=3", as("admin"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(unknown.names_field("lmit")) << unknown.dump();
}

TEST_F(InputLimitsApi, UploadsBelongToTheirOwnerArePrivateAndRemovedAfterTheRun) {
  std::string mark = unique("Upload");
  json up = upload("last_name,external_id\n" + mark + "," + mark + "\n", "sales_a");
  std::string token = up["upload"];
  json body = {{"upload", token}, {"entity", "contacts"}};
  // Another user holding the token (even an admin, even of the same team) does not reach it.
  for (const char* other : {"sales_b", "manager_a", "admin"}) {
    Response r = post("/api/v1/imports/preview", as(other), body);
    EXPECT_EQ(r.status, 404) << other << ": " << r.dump();
    EXPECT_TRUE(r.names_field("upload"));
  }
  EXPECT_EQ(post("/api/v1/imports/preview", as("sales_a"), body).status, 200);
  // The file: 0600 in a 0700 directory of this user.
  std::string dir = "/tmp/gazelle-imports-" + std::to_string(geteuid());
  std::string file = dir + "/" + std::to_string(uid("sales_a")) + "-" + token + ".csv";
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0) << file;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // Imported: the upload is removed.
  Response started = post("/api/v1/imports/runs", as("sales_a"), body);
  ASSERT_EQ(started.status, 202) << started.dump();
  json run = wait_run(started.j["id"].get<int64_t>(), "sales_a");
  EXPECT_EQ(run["status"], "done") << run.dump();
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = stat(file.c_str(), &st) != 0;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << file << " is still there after the run";
  EXPECT_EQ(post("/api/v1/imports/preview", as("sales_a"), body).status, 404);
}

TEST_F(InputLimitsApi, SavedMappingsAreChangedOnlyByTheirTeam) {
  std::string name = unique("map");
  json mapping = {{"columns", {{"Nom", "last_name"}}}};
  Response saved = post("/api/v1/import-mappings", as("sales_a"), {{"name", name}, {"entity", "contacts"}, {"mapping", mapping}});
  ASSERT_EQ(saved.status, 201) << saved.dump();
  std::string p = "/api/v1/import-mappings/" + saved.j["id"].dump();
  json hijack = {{"columns", {{"Nom", "-"}}}};
  Response over = post("/api/v1/import-mappings", as("sales_b"), {{"name", name}, {"entity", "contacts"}, {"mapping", hijack}});
  EXPECT_EQ(over.status, 403) << over.dump();
  EXPECT_TRUE(over.names_field("name"));
  EXPECT_EQ(put(p, as("sales_b"), {{"name", name}, {"mapping", hijack}}).status, 403);
  EXPECT_EQ(del(p, as("manager_b")).status, 403);
  EXPECT_EQ(get(p, as("admin")).j["mapping"], mapping) << "unchanged";
  // The owner's team and admins may.
  EXPECT_EQ(put(p, as("manager_a"), {{"name", name}, {"mapping", hijack}}).status, 200);
  EXPECT_EQ(del(p, as("admin")).status, 204);
}

TEST_F(InputLimitsApi, RunsLeftRunningByADeadServerAreMarkedInterrupted) {
  // A run that a killed server left running: its heartbeat stopped 10 minutes ago.
  std::string old = "2020-01-01T00:00:00Z";
  int64_t stale_id = 0, fresh_id = 0;
  {
    auto db = open_db();
    gz::store::with_transaction(*db, true, [&](gz::store::Connection& c) {
      stale_id = c.insert("INSERT INTO import_runs (entity, file_name, file_hash, status, created_by, started_at, updated_at, last_line) "
                          "VALUES ('contacts', 'crashed.csv', 'abc', 'running', ?, ?, ?, 1000)",
                          {uid("admin"), old, old});
      // One whose heartbeat is fresh may belong to another live server: left alone.
      std::string now = get("/healthz", Auth::none()).j["time"];
      fresh_id = c.insert("INSERT INTO import_runs (entity, file_name, file_hash, status, created_by, started_at, updated_at) "
                          "VALUES ('contacts', 'live.csv', 'def', 'running', ?, ?, ?)",
                          {uid("admin"), now, now});
    });
  }
  // A server started on the database marks it at start (and any server when runs are read).
  Server second;
  second.start_sharing(srv());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto db = open_db();
  json row = gz::store::with_transaction(*db, false, [&](gz::store::Connection& c) {
    return c.query_one("SELECT status, error, last_line FROM import_runs WHERE id = ?", {stale_id});
  });
  EXPECT_EQ(row["status"], "failed") << row.dump();
  EXPECT_EQ(row["error"].get<std::string>().rfind("interrupted", 0), 0u) << row.dump();
  EXPECT_EQ(row["last_line"], 1000) << "the checkpoint is kept for the resume";
  // Stored as its English template, said in the reader's language by the runs API.
  const std::string run_path = "/api/v1/imports/runs/" + std::to_string(stale_id);
  Response en = get(run_path, as("admin"));
  EXPECT_EQ(en.j.value("error", "").rfind("interrupted: ", 0), 0u) << en.dump();
  Response fr = srv().request("GET", run_path, as("admin"), std::nullopt, {{"Accept-Language", "fr"}});
  EXPECT_EQ(fr.j.value("error", "").rfind("interrompu\u00a0: ", 0), 0u) << fr.dump();
  Response fresh = get("/api/v1/imports/runs/" + std::to_string(fresh_id), as("admin"));
  EXPECT_EQ(fresh.j["status"], "running") << fresh.dump();
  second.stop();
}

TEST_F(InputLimitsApi, ReimportingAFinishedFileWithoutExternalIdWarns) {
  std::string mark = unique("Again");
  std::string csv = "Nom;Courriel\n" + mark + ";a@" + mark + ".fr\n" + mark + "b;b@" + mark + ".fr\n";
  // on_match create: rows are not matched by their e-mail, so a second import adds them again.
  json mapping = {{"columns", {{"Nom", "last_name"}, {"Courriel", "emails"}}}, {"options", {{"on_match", "create"}}}};
  json first = upload(csv, "admin");
  json body = {{"upload", first["upload"]}, {"entity", "contacts"}, {"mapping", mapping}};
  Response preview = post("/api/v1/imports/preview", as("admin"), body);
  ASSERT_EQ(preview.status, 200) << preview.dump();
  EXPECT_FALSE(preview.j.contains("reimport_warning")) << "never imported yet";
  Response started = post("/api/v1/imports/runs", as("admin"), body);
  ASSERT_EQ(started.status, 202) << started.dump();
  EXPECT_FALSE(started.j.contains("reimport_warning"));
  EXPECT_EQ(wait_run(started.j["id"].get<int64_t>(), "admin")["status"], "done");
  // The same file again: the check step and the run say that every row would be added again.
  json second = upload(csv, "admin");
  body["upload"] = second["upload"];
  Response again = post("/api/v1/imports/preview", as("admin"), body);
  ASSERT_EQ(again.status, 200) << again.dump();
  ASSERT_TRUE(again.j.contains("reimport_warning")) << again.dump();
  EXPECT_EQ(again.j["reimport_warning"]["run_id"], started.j["id"]);
  EXPECT_NE(again.j["reimport_warning"]["message"].get<std::string>().find("external_id"), std::string::npos);
  Response run2 = post("/api/v1/imports/runs", as("admin"), body);
  ASSERT_EQ(run2.status, 202) << run2.dump();
  EXPECT_TRUE(run2.j.contains("reimport_warning")) << run2.dump();
  wait_run(run2.j["id"].get<int64_t>(), "admin");
  // With a column mapped to external_id the rows update their records: no warning.
  json keyed = mapping;
  keyed["columns"]["Courriel"] = "external_id";
  json third = upload(csv, "admin");
  Response ok = post("/api/v1/imports/preview", as("admin"), {{"upload", third["upload"]}, {"entity", "contacts"}, {"mapping", keyed}});
  ASSERT_EQ(ok.status, 200) << ok.dump();
  EXPECT_FALSE(ok.j.contains("reimport_warning")) << ok.dump();
  // By default rows are matched by their e-mail: no warning, and a third import adds nothing.
  json by_email = {{"columns", {{"Nom", "last_name"}, {"Courriel", "emails"}}}};
  json fourth = upload(csv, "admin");
  json body4 = {{"upload", fourth["upload"]}, {"entity", "contacts"}, {"mapping", by_email}};
  Response checked = post("/api/v1/imports/preview", as("admin"), body4);
  ASSERT_EQ(checked.status, 200) << checked.dump();
  EXPECT_FALSE(checked.j.contains("reimport_warning")) << checked.dump();
  EXPECT_EQ(checked.j["matched"], 2) << checked.dump();
  EXPECT_EQ(checked.j["created"], 0) << checked.dump();
}
