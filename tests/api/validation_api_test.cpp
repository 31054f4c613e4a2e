// Bad input over HTTP: each is a clear 4xx problem+json naming the field, and changes nothing.
#include "api_fixture.h"

using namespace gzt;

class ValidationApi : public ApiTest {
 protected:
  // Sends a bad write and checks: status, problem+json, the field named, no record added.
  void expect_refused(const std::string& method, const std::string& entity, const std::string& body, int status,
                      const std::string& field) {
    SCOPED_TRACE(method + " " + entity + " " + body.substr(0, 120));
    int64_t before = count(entity);
    Response r = raw(method, "/api/v1/" + entity, as("admin"), body);
    EXPECT_EQ(r.status, status) << r.dump();
    EXPECT_TRUE(r.is_problem()) << r.header("Content-Type");
    ASSERT_TRUE(r.j.is_object()) << r.body;
    EXPECT_EQ(r.j["status"], status);
    EXPECT_TRUE(r.j["title"].is_string());
    EXPECT_FALSE(r.j.value("detail", "").empty());
    if (!field.empty()) EXPECT_TRUE(r.names_field(field)) << "field " << field << " not named: " << r.dump();
    EXPECT_EQ(count(entity), before) << "a refused request must not add a record";
  }
  void expect_bad_query(const std::string& entity, const std::string& query, const std::string& field) {
    SCOPED_TRACE(query);
    Response r = get("/api/v1/" + entity + "?" + query, as("admin"));
    EXPECT_EQ(r.status, 400) << r.dump();
    EXPECT_TRUE(r.is_problem());
    if (!field.empty()) EXPECT_TRUE(r.names_field(field)) << r.dump();
  }
};

TEST_F(ValidationApi, MalformedJson) {
  expect_refused("POST", "contacts", R"({"last_name": "Martin",)", 400, "");
  Response r = raw("POST", "/api/v1/contacts", as("admin"), "{last_name: Martin}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.j.value("detail", "").find("malformed JSON"), std::string::npos) << r.dump();
  expect_refused("POST", "contacts", "", 400, "");
  expect_refused("POST", "contacts", std::string(100, '[') + std::string(100, ']'), 400, "");
  expect_refused("POST", "contacts", "\xff\xfe{}", 400, "");
}

TEST_F(ValidationApi, BodyNotAnObject) {
  for (const char* body : {"[1, 2]", "\"Martin\"", "42", "null", "true"}) {
    expect_refused("POST", "contacts", body, 400, "");
    Response r = raw("POST", "/api/v1/contacts", as("admin"), body);
    EXPECT_NE(r.j.value("detail", "").find("object"), std::string::npos) << r.dump();
  }
}

TEST_F(ValidationApi, WrongTypes) {
  expect_refused("POST", "contacts", R"({"last_name": 12})", 422, "last_name");
  expect_refused("POST", "contacts", R"({"last_name": "X", "account_id": "seven"})", 422, "account_id");
  expect_refused("POST", "contacts", R"({"last_name": "X", "emails": 5})", 422, "emails");
  expect_refused("POST", "households", R"({"name": "X", "size": 2.5})", 422, "size");
  expect_refused("POST", "products", R"({"name": "X", "unit_price_cents": 9.99})", 422, "unit_price_cents");
  expect_refused("POST", "products", R"({"name": "X", "active": "yes"})", 422, "active");
  expect_refused("POST", "tasks", R"({"title": "X", "due_at": "tomorrow"})", 422, "due_at");
  expect_refused("POST", "contacts", R"({"last_name": "X", "preferences": "email"})", 422, "preferences");
}

TEST_F(ValidationApi, UnknownAndMissingFields) {
  expect_refused("POST", "contacts", R"({"last_name": "X", "favourite_colour": "blue"})", 422, "favourite_colour");
  expect_refused("POST", "contacts", R"({"first_name": "X"})", 422, "last_name");
  expect_refused("POST", "contacts", R"({"last_name": "   "})", 422, "last_name");
  expect_refused("POST", "accounts", R"({})", 422, "name");
  expect_refused("POST", "interactions", R"({"subject": "X"})", 422, "channel");
  expect_refused("POST", "contacts", R"({"last_name": "X", "preferences": {"mood": "good"}})", 422, "preferences.mood");
  expect_refused("POST", "contacts", R"({"last_name": "X", "consent": {"pigeon": "granted"}})", 422, "consent.pigeon");
}

TEST_F(ValidationApi, AllErrorsReportedAtOnce) {
  Response r = raw("POST", "/api/v1/contacts", as("admin"),
                   R"({"last_name": 12, "emails": ["ok@example.fr", "nope"], "phones": ["12"], "lifecycle_stage": "vip"})");
  EXPECT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("last_name"));
  EXPECT_TRUE(r.names_field("emails[1]"));
  EXPECT_TRUE(r.names_field("phones[0]"));
  EXPECT_TRUE(r.names_field("lifecycle_stage"));
}

TEST_F(ValidationApi, OverLongStrings) {
  expect_refused("POST", "accounts", json{{"name", std::string(201, 'a')}}.dump(), 422, "name");
  expect_refused("POST", "contacts", json{{"last_name", std::string(201, 'b')}}.dump(), 422, "last_name");
  Response r = raw("POST", "/api/v1/accounts", as("admin"), json{{"name", std::string(201, 'a')}}.dump());
  EXPECT_NE(r.j["errors"][0]["message"].get<std::string>().find("200"), std::string::npos) << r.dump();
  // The limit counts characters, not bytes: 200 "é" (400 bytes) are allowed, 201 are not.
  std::string e200;
  for (int i = 0; i < 200; ++i) e200 += "é";
  EXPECT_EQ(post("/api/v1/accounts", as("admin"), {{"name", e200}}).status, 201);
  expect_refused("POST", "accounts", json{{"name", e200 + "é"}}.dump(), 422, "name");
  expect_refused("POST", "contacts", json{{"last_name", "X"}, {"stage_reason", std::string(501, 'r')}}.dump(), 422,
                 "stage_reason");
  expect_refused("POST", "contacts", json{{"last_name", "Tab\there"}}.dump(), 422, "last_name");
}

TEST_F(ValidationApi, InvalidEmailPhoneSiretEnum) {
  expect_refused("POST", "contacts", R"({"last_name": "X", "emails": ["not-an-email"]})", 422, "emails[0]");
  expect_refused("POST", "contacts", R"({"last_name": "X", "emails": ["a@b"]})", 422, "emails[0]");
  expect_refused("POST", "contacts", R"({"last_name": "X", "phones": ["12"]})", 422, "phones[0]");
  expect_refused("POST", "contacts", R"({"last_name": "X", "phones": ["+33612345678", "abc"]})", 422, "phones[1]");
  expect_refused("POST", "accounts", R"({"name": "X", "phone": "abc"})", 422, "phone");
  expect_refused("POST", "accounts", R"({"name": "X", "legal_id": "73282932000075"})", 422, "legal_id");
  expect_refused("POST", "accounts", R"({"name": "X", "legal_id": "73282932"})", 422, "legal_id");
  expect_refused("POST", "accounts", R"({"name": "X", "size": "huge"})", 422, "size");
  expect_refused("POST", "contacts", R"({"last_name": "X", "lifecycle_stage": "vip"})", 422, "lifecycle_stage");
  expect_refused("POST", "interactions", R"({"channel": "telepathy", "contact_id": 1})", 422, "channel");
  expect_refused("POST", "accounts", R"({"name": "X", "country": "France"})", 422, "country");
  expect_refused("POST", "accounts", R"({"name": "X", "website": "not a url"})", 422, "website");
  expect_refused("POST", "contacts", R"({"last_name": "X", "account_id": 999999})", 422, "account_id");
  // A SIRET outside France is free text.
  EXPECT_EQ(post("/api/v1/accounts", as("admin"), {{"name", "GmbH"}, {"country", "DE"}, {"legal_id", "HRB 12345"}}).status, 201);
  // The message says what is wrong.
  Response r = raw("POST", "/api/v1/contacts", as("admin"), R"({"last_name": "X", "phones": ["12"]})");
  EXPECT_NE(r.j["errors"][0]["message"].get<std::string>().find("phone"), std::string::npos) << r.dump();
}

TEST_F(ValidationApi, BadPatchLeavesRecordUnchanged) {
  json c = create("contacts", {{"last_name", "Intact"}, {"emails", {"intact@example.fr"}}});
  std::string p = "/api/v1/contacts/" + c["id"].dump();
  for (const char* body : {R"({"emails": ["bad"]})", R"({"last_name": null})", R"({"nope": 1})", "[1]", "{",
                           R"({"last_name": "Changé", "phones": ["12"]})"}) {
    Response r = raw("PATCH", p, as("admin"), body);
    EXPECT_GE(r.status, 400) << body;
    EXPECT_LT(r.status, 500) << body;
    EXPECT_TRUE(r.is_problem()) << body;
  }
  Response after = get(p, as("admin"));
  EXPECT_EQ(after.j["version"], 1);
  EXPECT_EQ(after.j["last_name"], "Intact");
  EXPECT_EQ(after.j["emails"], json::array({"intact@example.fr"}));
  // Non-numeric and unknown ids are 404.
  EXPECT_EQ(get("/api/v1/contacts/abc", as("admin")).status, 404);
  EXPECT_EQ(get("/api/v1/contacts/-1", as("admin")).status, 404);
  EXPECT_EQ(get("/api/v1/contacts/99999999999999999999", as("admin")).status, 404);
}

TEST_F(ValidationApi, BadListQueries) {
  expect_bad_query("contacts", "limit=-1", "limit");
  expect_bad_query("contacts", "limit=0", "limit");
  expect_bad_query("contacts", "limit=501", "limit");
  expect_bad_query("contacts", "limit=ten", "limit");
  expect_bad_query("contacts", "sort=shoe_size", "sort");
  expect_bad_query("contacts", "sort=-emails", "sort");
  expect_bad_query("contacts", "colour=blue", "colour");
  expect_bad_query("contacts", "job_title=boss", "job_title");  // not filterable
  expect_bad_query("contacts", "cursor=garbage!!", "cursor");
  expect_bad_query("contacts", "account_id=abc", "account_id");
  expect_bad_query("contacts", "lifecycle_stage=vip", "lifecycle_stage");
  expect_bad_query("contacts", "created_at_after=yesterday", "created_at_after");
  expect_bad_query("contacts", "limit=1&limit=2", "limit");
  expect_bad_query("tasks", "q=x", "q");
}

TEST_F(ValidationApi, ForgedCursorsAreRefusedOrHarmless) {
  // Base64url of JSON that is not [value, id].
  auto b64 = [](const std::string& s) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : s) {
      val = (val << 8) + c;
      bits += 8;
      while (bits >= 0) { out += t[(val >> bits) & 63]; bits -= 6; }
    }
    if (bits > -6) out += t[((val << 8) >> (bits + 8)) & 63];
    return out;
  };
  for (const char* forged : {R"({"a":1})", R"([1])", R"(["x","y"])", R"([1,2,3])", "not json"}) {
    Response r = get("/api/v1/contacts?cursor=" + b64(forged), as("admin"));
    EXPECT_EQ(r.status, 400) << forged << ": " << r.dump();
    EXPECT_TRUE(r.names_field("cursor")) << r.dump();
  }
  // Well-formed but odd values must not break the server.
  for (const char* odd : {R"([{"a":1},1])", R"([[1,2],1])", R"([null,1])", R"([1.5,1])", R"([true,1])"}) {
    Response r = get("/api/v1/contacts?cursor=" + b64(odd), as("admin"));
    EXPECT_LT(r.status, 500) << odd << ": " << r.dump();
  }
  // The same on a sort by an integer column (typed in PostgreSQL): refused or harmless.
  create("products", {{"name", "Curseur"}, {"unit_price_cents", 100}});
  for (const char* odd : {R"(["abc",1])", R"([{"a":1},1])", R"([[1,2],1])", R"([1.5,1])", R"([true,1])", R"(["",1])",
                          R"([99999999999999999999,1])"}) {
    for (const char* sort : {"unit_price_cents", "-unit_price_cents"}) {
      Response r = get(std::string("/api/v1/products?sort=") + sort + "&cursor=" + b64(odd), as("admin"));
      EXPECT_LT(r.status, 500) << sort << " " << odd << ": " << r.dump();
      if (r.status == 400) EXPECT_TRUE(r.names_field("cursor")) << r.dump();
    }
  }
  Response fine = get("/api/v1/products?sort=unit_price_cents&cursor=" + b64(R"([50,1])"), as("admin"));
  EXPECT_EQ(fine.status, 200) << fine.dump();
}

TEST_F(ValidationApi, NullForAFieldWithADefaultIsNotAServerError) {
  // Columns such as country, status or direction have a default: sending null (PATCH) or
  // leaving them out (PUT) must give the default or a 422, never a database error.
  json acc = create("accounts", {{"name", "Défauts"}, {"country", "BE"}});
  json task = create("tasks", {{"title", "Défauts"}});
  json c = create("contacts", {{"last_name", "Défauts"}});
  json i = create("interactions", {{"channel", "phone"}, {"contact_id", c["id"]}});
  json prod = create("products", {{"name", "Défauts"}});
  struct Case {
    std::string path;
    json body;
    const char* field;
  };
  std::vector<Case> cases = {{"/api/v1/accounts/" + acc["id"].dump(), {{"country", nullptr}}, "country"},
                             {"/api/v1/tasks/" + task["id"].dump(), {{"status", nullptr}}, "status"},
                             {"/api/v1/tasks/" + task["id"].dump(), {{"priority", nullptr}}, "priority"},
                             {"/api/v1/interactions/" + i["id"].dump(), {{"direction", nullptr}}, "direction"},
                             {"/api/v1/products/" + prod["id"].dump(), {{"currency", nullptr}}, "currency"},
                             {"/api/v1/products/" + prod["id"].dump(), {{"active", nullptr}}, "active"}};
  for (const auto& k : cases) {
    Response r = patch(k.path, as("admin"), k.body);
    EXPECT_TRUE(r.status == 200 || r.status == 422) << k.path << " " << k.body.dump() << ": " << r.dump();
    if (r.status == 200) EXPECT_FALSE(r.j[k.field].is_null()) << k.field;
    if (r.status == 422) EXPECT_TRUE(r.names_field(k.field)) << r.dump();
  }
  Response put_contact = put("/api/v1/contacts/" + c["id"].dump(), as("admin"), {{"last_name", "Remplacé"}});
  EXPECT_EQ(put_contact.status, 200) << put_contact.dump();
  Response put_task = put("/api/v1/tasks/" + task["id"].dump(), as("admin"), {{"title", "Remplacée"}});
  EXPECT_EQ(put_task.status, 200) << put_task.dump();
}
