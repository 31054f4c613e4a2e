// The service desk (docs/service.md) through its API, on SQLite and on PostgreSQL: cases and their
// history; service levels replayed over a business calendar (lunch breaks, Easter Monday, pauses,
// several policies) at known instants (the server's clock is moved, clocked_fixture.h); the queue's
// routing by skill, language and capacity, round-robin, hand-off after the timeout and a
// supervisor's reassignment; call events that pop the caller's file and are idempotent; script
// branches; knowledge-base suggestions, votes and the public page; interventions with their
// invitations and conflicts; one-use survey links; merges; e-mail cases; the dashboard.
#include <regex>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"

#include "clocked_fixture.h"
#include "raw_http.h"
#include "store/database.h"

using namespace gzt;

namespace {

const httplib::Headers kFrench = {{"Accept-Language", "fr-FR,fr;q=0.9"}};

class ServiceApi : public ClockedApiTest {
 protected:
  // A contact of a company (of that tier), owned by `owner` when given (else the admin).
  json customer(const std::string& tier = "", const std::string& phone = "", const std::string& owner = "") {
    json acc = {{"name", unique("Société")}};
    if (!tier.empty()) acc["tier"] = tier;
    if (!owner.empty()) acc["owner_id"] = uid(owner);
    json account = create("accounts", acc);
    json body = {{"first_name", "Claire"}, {"last_name", unique("Durand")}, {"account_id", account["id"]},
                 {"emails", {unique("claire") + "@client.fr"}}};
    if (!phone.empty()) body["phones"] = {phone};
    if (!owner.empty()) body["owner_id"] = uid(owner);
    return create("contacts?allow_duplicate=true", body);
  }
  // The case's history as a French reader gets it.
  json history(int64_t case_id, const std::string& who = "service") {
    Response r = srv().request("GET", "/api/v1/cases/" + std::to_string(case_id) + "/history", as(who), std::nullopt, kFrench);
    EXPECT_EQ(r.status, 200) << r.dump();
    return r.j;
  }
  json case_of(int64_t id, const std::string& who = "admin") {
    Response r = get("/api/v1/cases/" + std::to_string(id), as(who));
    EXPECT_EQ(r.status, 200) << r.dump();
    return r.j;
  }
  static std::string id_path(const char* entity, const json& rec, const std::string& tail = "") {
    return std::string("/api/v1/") + entity + "/" + std::to_string(rec["id"].get<int64_t>()) + tail;
  }
  // The user's agent profile, made or changed to `extra`.
  json agent(const std::string& who, const json& extra) {
    json body = {{"availability", "available"}};
    body.update(extra);
    Response found = get("/api/v1/service_agents?user_id=" + std::to_string(uid(who)), as("admin"));
    if (found.status == 200 && !found.j["data"].empty())
      return patch("/api/v1/service_agents/" + std::to_string(found.j["data"][0]["id"].get<int64_t>()), as("admin"), body).j;
    body["user_id"] = uid(who);
    return create("service_agents", body);
  }
  // The work item of a case in the queue as a supervisor sees it.
  json item_of(int64_t case_id) {
    Response q = get("/api/v1/service/queue", as("manager_a"));
    EXPECT_EQ(q.status, 200) << q.dump();
    for (const auto& it : q.j["items"])
      if (it["case_id"] == case_id) return it;
    return json();
  }
  std::unique_ptr<gz::store::Database> db() { return gz::store::Database::open(srv().db_location()); }
};

class ServiceQueueApi : public ServiceApi {};

// Waits (up to 20 s) until pred holds, for what a job of the server's worker does.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 200; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST_F(ServiceApi, ACaseKeepsItsHistoryRepliesApartFromNotesAndLandsOnTheTimeline) {
  at("");
  json c = customer();
  json cs = create("cases", {{"subject", "Facture en double"}, {"contact_id", c["id"]}, {"channel", "phone"}}, "service");
  EXPECT_EQ(cs["status"], "new");
  EXPECT_EQ(cs["account_id"], c["account_id"]) << "the contact's company by default";
  EXPECT_TRUE(std::regex_match(cs["number"].get<std::string>(), std::regex(R"(SAV-\d{4}-\d{5})"))) << cs.dump();

  Response note = post(id_path("cases", cs, "/notes"), as("service"), {{"body", "Vérifier avec la compta avant de répondre"}});
  ASSERT_EQ(note.status, 201) << note.dump();
  Response reply = post(id_path("cases", cs, "/replies"), as("service"),
                        {{"body", "Bonjour, la facture en double est annulée."}, {"by_email", false}});
  ASSERT_EQ(reply.status, 201) << reply.dump();
  EXPECT_EQ(reply.j["case"]["status"], "open") << "a new case is open once answered";
  EXPECT_FALSE(reply.j["sent_by_email"].get<bool>());
  Response said = post(id_path("cases", cs, "/customer-messages"), as("service"), {{"body", "Merci, et l'avoir ?"}, {"channel", "phone"}});
  ASSERT_EQ(said.status, 201) << said.dump();

  json h = history(cs["id"].get<int64_t>());
  std::vector<std::string> kinds;
  for (const auto& e : h["events"]) kinds.push_back(e["kind"]);
  for (const char* k : {"created", "note", "reply", "customer_message", "status"})
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), k), kinds.end()) << k;
  for (const auto& e : h["events"]) {
    if (e["kind"] == "note") EXPECT_FALSE(e["public"].get<bool>());
    if (e["kind"] == "reply") {
      EXPECT_TRUE(e["public"].get<bool>());
      EXPECT_TRUE(e["user_name"].is_string()) << e.dump();
    }
    if (e["kind"] == "status") EXPECT_EQ(e["data"]["to_label"], "En cours");
  }
  // The reply and the customer's words are on the contact's timeline; the note is not.
  Response v = get("/api/v1/contacts/" + std::to_string(c["id"].get<int64_t>()) + "/360", as("service"));
  ASSERT_EQ(v.status, 200) << v.dump();
  std::string timeline = v.j["interactions"].dump();
  EXPECT_NE(timeline.find("la facture en double est annulée"), std::string::npos) << timeline;
  EXPECT_NE(timeline.find("Merci, et l'avoir"), std::string::npos);
  EXPECT_EQ(timeline.find("Vérifier avec la compta"), std::string::npos);
  EXPECT_NE(v.j["cases"].dump().find("Facture en double"), std::string::npos) << "the case on the 360°";

  // Bad input: an empty reply, a complaint without its reason, reopening a closed case.
  Response empty = post(id_path("cases", cs, "/replies"), as("service"), {{"body", "  "}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.dump().find("body"), std::string::npos) << empty.dump();
  Response complaint = post("/api/v1/cases", as("service"), {{"subject", "Colis abîmé"}, {"type", "complaint"}, {"contact_id", c["id"]}});
  EXPECT_EQ(complaint.status, 422);
  EXPECT_NE(complaint.dump().find("complaint_reason_id"), std::string::npos) << complaint.dump();
  json reason = create("complaint_reasons", {{"name", "Produit défectueux"}});
  create("cases", {{"subject", "Colis abîmé"}, {"type", "complaint"}, {"contact_id", c["id"]}, {"complaint_reason_id", reason["id"]}},
         "service");
  ASSERT_EQ(patch(id_path("cases", cs), as("service"), {{"status", "closed"}}).status, 200);
  Response reopen = patch(id_path("cases", cs), as("service"), {{"status", "open"}});
  EXPECT_EQ(reopen.status, 422);
  EXPECT_NE(reopen.dump().find("close"), std::string::npos) << reopen.dump();
  EXPECT_EQ(case_of(cs["id"].get<int64_t>())["status"], "closed") << "nothing written";
  // A read-only user reads cases but does not write them; a sales user does not see another's customer's.
  EXPECT_EQ(get(id_path("cases", cs), as("read_only")).status, 200);
  EXPECT_EQ(post(id_path("cases", cs, "/notes"), as("read_only"), {{"body", "x"}}).status, 403);
  EXPECT_EQ(post(id_path("cases", cs, "/notes"), as("sales_a"), {{"body", "x"}}).status, 404);
}

TEST_F(ServiceApi, ServiceLevelsCountBusinessHoursSkipEasterMondayAndPauseWhileWaiting) {
  // Friday 3 April 2026, 17:30 in Paris (CEST): half an hour before closing; Monday is Easter Monday.
  at("2026-04-03T15:30:00Z");
  json cal = create("business_calendars", {{"name", unique("Bureau")}});  // Mon–Fri 09:00–12:30, 14:00–18:00 by default
  ASSERT_EQ(cal["ranges"].size(), 10u) << cal.dump();
  json gold = create("sla_policies", {{"name", unique("Or")}, {"tier", "gold"}, {"calendar_id", cal["id"]},
                                      {"first_response_minutes", 60}, {"resolution_minutes", 480}});
  json c = customer("gold");
  json cs = create("cases", {{"subject", "Chaudière en panne"}, {"contact_id", c["id"]}}, "service");
  EXPECT_EQ(cs["value_tier"], "gold") << "the company's manual tier";
  json sla = history(cs["id"].get<int64_t>())["sla"];
  // 30 minutes on Friday, then Tuesday 09:00 + 30 minutes (Easter Monday is closed).
  EXPECT_EQ(sla["first_response"]["due_at"], "2026-04-07T07:30:00Z") << sla.dump();
  EXPECT_EQ(sla["first_response"]["policy"], gold["name"]);
  EXPECT_EQ(sla["first_response"]["state_label"], "Dans les délais");
  // Resolution: 30 min Friday + 210 min Tuesday morning + 240 min afternoon = 18:00 Tuesday.
  EXPECT_EQ(sla["resolution"]["due_at"], "2026-04-07T16:00:00Z") << sla.dump();
  EXPECT_EQ(case_of(cs["id"].get<int64_t>())["sla_due_at"], "2026-04-07T07:30:00Z") << "the list sorts by the nearest deadline";

  // Tuesday 09:00: waiting for the customer, who calls back at 11:00 — two business hours paused.
  at("2026-04-07T07:00:00Z");
  ASSERT_EQ(patch(id_path("cases", cs), as("service"), {{"status", "waiting_customer"}}).status, 200);
  sla = history(cs["id"].get<int64_t>())["sla"];
  EXPECT_EQ(sla["first_response"]["state"], "paused") << sla.dump();
  EXPECT_EQ(sla["first_response"]["state_label"], "En pause");
  at("2026-04-07T09:00:00Z");
  ASSERT_EQ(post(id_path("cases", cs, "/customer-messages"), as("service"), {{"body", "Je suis joignable"}}).status, 201);
  EXPECT_EQ(case_of(cs["id"].get<int64_t>())["status"], "open") << "the customer's answer resumes the case";
  sla = history(cs["id"].get<int64_t>())["sla"];
  EXPECT_EQ(sla["first_response"]["due_at"], "2026-04-07T09:30:00Z") << sla.dump();
  // 11:20: an internal note is no response; 11:25 the reply is, five minutes early.
  at("2026-04-07T09:20:00Z");
  ASSERT_EQ(post(id_path("cases", cs, "/notes"), as("service"), {{"body", "Pièce commandée"}}).status, 201);
  EXPECT_NE(history(cs["id"].get<int64_t>())["sla"]["first_response"]["state"], "met");
  at("2026-04-07T09:25:00Z");
  ASSERT_EQ(post(id_path("cases", cs, "/replies"), as("service"), {{"body", "Le technicien passe demain."}, {"by_email", false}}).status, 201);
  sla = history(cs["id"].get<int64_t>())["sla"];
  EXPECT_EQ(sla["first_response"]["state"], "met") << sla.dump();
  EXPECT_EQ(sla["first_response"]["met_at"], "2026-04-07T09:25:00Z");
  // Resolution moved by the pause: Tuesday 18:00 + 2 h = Wednesday 11:00.
  EXPECT_EQ(sla["resolution"]["due_at"], "2026-04-08T09:00:00Z") << sla.dump();

  // Several policies apply: the earliest deadline shows, with its policy.
  at("2026-04-03T15:30:00Z");
  json urgent = create("sla_policies", {{"name", unique("Urgences 24 h/24")}, {"priority", "urgent"}, {"first_response_minutes", 120}});
  json cs2 = create("cases", {{"subject", "Fuite d'eau"}, {"contact_id", c["id"]}, {"priority", "urgent"}}, "service");
  sla = history(cs2["id"].get<int64_t>())["sla"];
  EXPECT_EQ(sla["first_response"]["due_at"], "2026-04-03T17:30:00Z") << sla.dump();
  EXPECT_EQ(sla["first_response"]["policy"], urgent["name"]);
  EXPECT_EQ(sla["policies"].size(), 2u);
  // Tuesday 10:00: the gold first response (Tuesday 09:30) is breached; a late reply keeps it so.
  at("2026-04-07T08:00:00Z");
  json cs3 = create("cases", {{"subject", "Radiateur froid"}, {"contact_id", c["id"]}}, "service");
  at("2026-04-07T12:00:00Z");  // 14:00: the hour counted from 10:00 ended at 11:00
  sla = history(cs3["id"].get<int64_t>())["sla"];
  EXPECT_EQ(sla["first_response"]["state"], "breached") << sla.dump();
  EXPECT_EQ(sla["state_label"], "Dépassé");
  ASSERT_EQ(post(id_path("cases", cs3, "/replies"), as("service"), {{"body", "Désolé du délai."}, {"by_email", false}}).status, 201);
  sla = history(cs3["id"].get<int64_t>())["sla"];
  EXPECT_EQ(sla["first_response"]["state"], "breached");
  EXPECT_EQ(sla["first_response"]["met_at"], "2026-04-07T12:00:00Z");
  // The override serves a case at another tier, and the history keeps it.
  json silver = create("sla_policies", {{"name", unique("Argent")}, {"tier", "silver"}, {"calendar_id", cal["id"]}, {"first_response_minutes", 240}});
  ASSERT_EQ(patch(id_path("cases", cs3), as("service"), {{"tier_override", "silver"}}).status, 200);
  EXPECT_EQ(case_of(cs3["id"].get<int64_t>())["value_tier"], "silver");
  bool recorded = false;
  const json h3 = history(cs3["id"].get<int64_t>());  // kept: the loop reads into it
  for (const auto& e : h3["events"])
    if (e["kind"] == "tier_override") recorded = e["data"]["to_label"] == "Argent";
  EXPECT_TRUE(recorded);
  (void)silver;
  // The default policy serves the cases no other policy matches, and only those.
  json standard = create("sla_policies", {{"name", unique("Standard")}, {"is_default", true}, {"first_response_minutes", 1440}});
  json plain = customer();
  const json s4 = history(create("cases", {{"subject", "Question"}, {"contact_id", plain["id"]}}, "service")["id"].get<int64_t>())["sla"];
  ASSERT_EQ(s4["policies"].size(), 1u) << s4.dump();
  EXPECT_EQ(s4["policies"][0]["name"], standard["name"]);
  const json s5 = history(create("cases", {{"subject", "Autre panne"}, {"contact_id", c["id"]}}, "service")["id"].get<int64_t>())["sla"];
  for (const auto& p : s5["policies"]) EXPECT_NE(p["name"], standard["name"]) << "a gold customer's case has its own";
  // A calendar with overlapping ranges is refused, naming the range; nothing written.
  const int64_t before = count("business_calendars");
  Response bad = post("/api/v1/business_calendars", as("admin"),
                      {{"name", "Chevauchement"},
                       {"ranges", {{{"weekday", "1"}, {"starts", "09:00"}, {"ends", "12:00"}}, {{"weekday", "1"}, {"starts", "11:00"}, {"ends", "14:00"}}}}},
                      kFrench);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.dump().find("ranges[1]"), std::string::npos) << bad.dump();
  EXPECT_NE(bad.dump().find("chevauche"), std::string::npos) << bad.dump();
  EXPECT_EQ(count("business_calendars"), before);
  at("");
}

TEST_F(ServiceQueueApi, RoutesBySkillLanguageAndCapacityRoundRobinAndHandsOffAfterTheTimeout) {
  at("2026-05-04T08:00:00Z");
  json fact = create("case_categories", {{"name", "Facturation"}, {"skill", "facturation"}});
  json boil = create("case_categories", {{"name", "Chaudières"}, {"skill", "chaudiere"}});
  json svc = agent("service", {{"skills", {"facturation"}}, {"email_capacity", 1}, {"extension", "201"}});
  json adm = agent("admin", {{"skills", {"facturation"}}, {"extension", "202"}});
  json c = customer("", "", "manager_a");
  auto new_case = [&](const std::string& subject, const json& extra) {
    json body = {{"subject", subject}, {"contact_id", c["id"]}, {"channel", "email"}};
    body.update(extra);
    return create("cases", body, "manager_a");
  };
  const int64_t admin = uid("admin"), service = uid("service");
  // Equal competence: round-robin, the lower id first.
  json a = new_case("Facture A", {{"category_id", fact["id"]}});
  json ia = item_of(a["id"].get<int64_t>());
  ASSERT_EQ(ia["status"], "offered") << ia.dump();
  const int64_t first = ia["agent_id"].get<int64_t>();
  json b = new_case("Facture B", {{"category_id", fact["id"]}});
  json ib = item_of(b["id"].get<int64_t>());
  ASSERT_EQ(ib["status"], "offered") << ib.dump();
  EXPECT_NE(ib["agent_id"].get<int64_t>(), first) << "round-robin";
  // The service agent takes one e-mail at a time: the next goes to the admin whoever's turn it is.
  const int64_t holder_b = ib["agent_id"].get<int64_t>();
  if (holder_b == service) {
    json cc = new_case("Facture C", {{"category_id", fact["id"]}});
    EXPECT_EQ(item_of(cc["id"].get<int64_t>())["agent_id"], admin) << "service is at capacity";
  }
  EXPECT_EQ(ia["status_label"], "Proposée");
  EXPECT_EQ(ia["channel_label"], "E-mail");

  // No agent has the skill: the case waits; once one has it, it is offered to them.
  json d = new_case("Chaudière bruyante", {{"category_id", boil["id"]}});
  EXPECT_EQ(item_of(d["id"].get<int64_t>())["status"], "waiting");
  ASSERT_EQ(patch(id_path("service_agents", adm), as("admin"), {{"skills", {"facturation", "chaudiere"}}}).status, 200);
  EXPECT_EQ(item_of(d["id"].get<int64_t>())["agent_id"], admin);
  // A case in English waits for an agent who speaks it.
  json e = new_case("Invoice question", {{"category_id", fact["id"]}, {"language", "en"}});
  EXPECT_EQ(item_of(e["id"].get<int64_t>())["status"], "waiting");

  // Accepting makes the case the agent's and opens it.
  const std::string who_a = first == admin ? "admin" : "service";
  Response acc = post("/api/v1/service/work-items/" + std::to_string(ia["id"].get<int64_t>()) + "/accept", as(who_a), json::object());
  ASSERT_EQ(acc.status, 200) << acc.dump();
  json ca = case_of(a["id"].get<int64_t>());
  EXPECT_EQ(ca["assignee_id"], first);
  EXPECT_EQ(ca["status"], "open");
  // Someone else cannot take an item offered to another.
  const std::string other_b = holder_b == admin ? "service" : "admin";
  EXPECT_EQ(post("/api/v1/service/work-items/" + std::to_string(ib["id"].get<int64_t>()) + "/accept", as(other_b), json::object()).status, 409);

  // Not accepted within the hand-off time (2 minutes): it goes to the next agent.
  ASSERT_EQ(patch(id_path("service_agents", svc), as("admin"), {{"email_capacity", 10}, {"languages", {"fr", "en"}}}).status, 200);
  at("2026-05-04T08:03:00Z");
  json ib2 = item_of(b["id"].get<int64_t>());
  EXPECT_EQ(ib2["status"], "offered") << ib2.dump();
  EXPECT_NE(ib2["agent_id"], holder_b) << "handed off to the other agent";
  bool handoff = false;
  const json hb = history(b["id"].get<int64_t>(), "admin");
  for (const auto& ev : hb["events"]) handoff = handoff || ev["kind"] == "handoff";
  EXPECT_TRUE(handoff);
  EXPECT_EQ(item_of(e["id"].get<int64_t>())["agent_id"], service) << "the English case went to who speaks English";

  // A supervisor reassigns; an agent cannot.
  EXPECT_EQ(post("/api/v1/service/work-items/" + std::to_string(item_of(d["id"].get<int64_t>())["id"].get<int64_t>()) + "/assign",
                 as("service"), {{"agent_id", service}}).status, 403);
  Response re = post("/api/v1/service/work-items/" + std::to_string(item_of(d["id"].get<int64_t>())["id"].get<int64_t>()) + "/assign",
                     as("manager_a"), {{"agent_id", service}});
  ASSERT_EQ(re.status, 200) << re.dump();
  EXPECT_EQ(case_of(d["id"].get<int64_t>())["assignee_id"], service);

  // Availability: an agent switches; a user who is no agent gets a clear 404.
  Response off = put("/api/v1/service/me/availability", as("admin"), {{"availability", "away"}});
  ASSERT_EQ(off.status, 200) << off.dump();
  EXPECT_EQ(off.j["availability_label"], "Absent");
  Response none = put("/api/v1/service/me/availability", as("sales_a"), {{"availability", "available"}});
  EXPECT_EQ(none.status, 404);
  EXPECT_NE(none.dump().find("agent"), std::string::npos) << none.dump();
  EXPECT_EQ(put("/api/v1/service/me/availability", as("service"), {{"availability", "partout"}}).status, 422);
  Response agents = get("/api/v1/service/agents", as("manager_a"));
  ASSERT_EQ(agents.status, 200);
  EXPECT_EQ(agents.j["data"].size(), 2u);
  at("");
}

TEST_F(ServiceQueueApi, ACallPopsTheCallersFileOnTheAgentsStreamAndIsRecordedOnce) {
  at("");
  agent("service", {{"extension", "201"}});
  json c = customer("gold", "+33612345678");
  json open = create("cases", {{"subject", "Retard de livraison"}, {"contact_id", c["id"]}}, "service");
  RawConn conn(srv().port());
  ASSERT_TRUE(conn.ok());
  conn.send_all("GET /api/v1/service/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer " +
                user("service")["token"].get<std::string>() + "\r\n\r\n");
  ASSERT_TRUE(conn.wait_for(": connected", 5.0)) << conn.in();
  const size_t seen = conn.in().size();
  const std::string call_id = unique("call");
  json ringing = {{"call_id", call_id}, {"event", "ringing"}, {"caller", "06 12 34 56 78"}, {"called", "0140000000"}, {"extension", "201"}};
  const auto sent = std::chrono::steady_clock::now();
  Response r = post("/api/v1/calls/events", as("admin"), ringing);
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_FALSE(r.j["duplicate"].get<bool>());
  EXPECT_EQ(r.j["contact_id"], c["id"]);
  ASSERT_TRUE(conn.wait_for("event: call", 2.0, seen)) << conn.in().substr(seen);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent).count();
  std::cout << "screen pop reached the stream " << ms << " ms after the call event\n";
  ASSERT_TRUE(conn.wait_for("Retard de livraison", 2.0, seen)) << conn.in().substr(seen);
  const std::string pop = conn.in().substr(seen);
  EXPECT_NE(pop.find(c["last_name"].get<std::string>()), std::string::npos) << pop;
  EXPECT_NE(pop.find("\"service_tier\":\"gold\""), std::string::npos) << pop;
  EXPECT_NE(pop.find("\"service_tier_label\":\"Or\""), std::string::npos) << pop;

  // The same event again changes nothing; an unknown extension is refused and writes nothing.
  Response again = post("/api/v1/calls/events", as("admin"), ringing);
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(again.j["duplicate"].get<bool>());
  Response unknown = post("/api/v1/calls/events", as("admin"),
                          {{"call_id", unique("call")}, {"event", "ringing"}, {"caller", "0612345678"}, {"extension", "999"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.dump().find("extension"), std::string::npos) << unknown.dump();
  EXPECT_NE(unknown.dump().find("999"), std::string::npos);
  EXPECT_EQ(post("/api/v1/calls/events", as("admin"), {{"call_id", "x"}, {"event", "sonne"}}).status, 422);
  EXPECT_EQ(post("/api/v1/calls/events", Auth::none(), ringing).status, 401);

  // Linked to the case, answered, ended: the call is an interaction with its duration.
  ASSERT_EQ(post("/api/v1/calls/" + call_id + "/link", as("service"), {{"case_id", open["id"]}}).status, 200);
  ASSERT_EQ(post("/api/v1/calls/events", as("admin"), {{"call_id", call_id}, {"event", "answered"}, {"extension", "201"},
                                                        {"at", "2026-12-03T10:00:00Z"}}).status, 200);
  Response end = post("/api/v1/calls/events", as("admin"), {{"call_id", call_id}, {"event", "ended"}, {"at", "2026-12-03T10:04:30Z"}});
  ASSERT_EQ(end.status, 200) << end.dump();
  EXPECT_EQ(end.j["duration_seconds"], 270);
  Response v = get("/api/v1/contacts/" + std::to_string(c["id"].get<int64_t>()) + "/360", as("service"));
  bool call = false;
  for (const auto& i : v.j["interactions"]) call = call || (i["channel"] == "phone" && i["duration_seconds"] == 270);
  EXPECT_TRUE(call) << v.j["interactions"].dump();
  bool in_case = false;
  const json ho = history(open["id"].get<int64_t>());
  for (const auto& e : ho["events"]) in_case = in_case || e["kind"] == "call";
  EXPECT_TRUE(in_case);

  // An unknown number: an empty file, and "link to a contact" adds the number.
  const std::string unknown_call = unique("call");
  Response u = post("/api/v1/calls/events", as("admin"),
                    {{"call_id", unknown_call}, {"event", "ringing"}, {"caller", "01 42 68 53 00"}, {"extension", "201"}});
  ASSERT_EQ(u.status, 200) << u.dump();
  EXPECT_TRUE(u.j["contact_id"].is_null());
  json other = customer();
  ASSERT_EQ(post("/api/v1/calls/" + unknown_call + "/link", as("service"), {{"contact_id", other["id"]}}).status, 200);
  EXPECT_NE(get(id_path("contacts", other), as("admin")).j["phones"].dump().find("+33142685300"), std::string::npos);
}

TEST_F(ServiceApi, AScriptFollowsItsBranchesAndStoresTheAnswers) {
  at("");
  json script = create("call_scripts",
                       {{"name", unique("Panne de chaudière")},
                        {"steps",
                         {{{"key", "eau"}, {"question", "Y a-t-il de l'eau chaude ?"}, {"answer_kind", "yes_no"}, {"required", true},
                           {"branches", "Oui > fin; Non > code"}},
                          {{"key", "code"}, {"question", "Quel code s'affiche ?"}, {"answer_kind", "choice"}, {"choices", "F28;F75;Aucun"},
                           {"branches", "F28 > urgence"}, {"next", "fin"}, {"required", true}},
                          {{"key", "urgence"}, {"question", "Degré d'urgence"}, {"answer_kind", "choice"}, {"choices", "normal;high;urgent"},
                           {"maps_to", "case.priority"}}}}});
  // A branch to a question that does not exist is refused when the script is written.
  Response bad = post("/api/v1/call_scripts", as("admin"),
                      {{"name", "Cassé"}, {"steps", {{{"key", "a"}, {"question", "?"}, {"branches", "Oui > nulle_part"}}}}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.dump().find("nulle_part"), std::string::npos) << bad.dump();

  json c = customer();
  json cs = create("cases", {{"subject", "Plus de chauffage"}, {"contact_id", c["id"]}}, "service");
  const std::string path = id_path("cases", cs, "/script");
  // "Non" leads to the code; F28 to the urgency, which sets the priority.
  Response ok = post(path, as("service"), {{"script_id", script["id"]}, {"answers", {{"eau", "non"}, {"code", "f28"}, {"urgence", "urgent"}}}});
  ASSERT_EQ(ok.status, 200) << ok.dump();
  EXPECT_EQ(ok.j["priority"], "urgent");
  EXPECT_EQ(ok.j["script_answers"]["answers"].size(), 3u) << ok.dump();
  EXPECT_EQ(ok.j["script_answers"]["answers"][1]["answer"], "F28") << "the choice as written in the script";
  // "Oui" ends the script: an answer to a later question is off the path; a missing required one is named.
  Response off = post(path, as("service"), {{"script_id", script["id"]}, {"answers", {{"eau", "oui"}, {"code", "F75"}}}});
  EXPECT_EQ(off.status, 422);
  EXPECT_NE(off.dump().find("answers.code"), std::string::npos) << off.dump();
  Response missing = post(path, as("service"), {{"script_id", script["id"]}, {"answers", {{"eau", "non"}}}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_NE(missing.dump().find("answers.code"), std::string::npos) << missing.dump();
  Response wrong = post(path, as("service"), {{"script_id", script["id"]}, {"answers", {{"eau", "non"}, {"code", "F99"}}}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.dump().find("F99"), std::string::npos);
  EXPECT_EQ(case_of(cs["id"].get<int64_t>())["script_answers"]["answers"][1]["answer"], "F28") << "the refused answers wrote nothing";
}

TEST_F(ServiceApi, TheKnowledgeBaseSuggestsArticlesTakesVotesAndServesThePublicOnes) {
  at("");
  json pub = create("kb_articles", {{"title", "Réinitialiser le mot de passe de l'espace client"},
                                    {"body", "Cliquez sur « Mot de passe oublié » puis suivez le lien reçu par e-mail."},
                                    {"visibility", "public"}, {"status", "published"}});
  json internal = create("kb_articles", {{"title", "Procédure de remboursement"}, {"body", "Passer par le service comptable."},
                                         {"visibility", "internal"}, {"status", "published"}});
  create("kb_articles", {{"title", "Brouillon sur le mot de passe"}, {"body", "pas encore prêt"}, {"status", "draft"}});
  json c = customer();
  json cs = create("cases", {{"subject", "Mot de passe oublie"}, {"description", "Le client ne peut plus se connecter"}, {"contact_id", c["id"]}},
                   "service");
  Response s = get(id_path("cases", cs, "/suggestions"), as("service"));
  ASSERT_EQ(s.status, 200) << s.dump();
  ASSERT_FALSE(s.j["data"].empty()) << "accents do not matter: oublie finds oublié";
  EXPECT_EQ(s.j["data"][0]["id"], pub["id"]);
  EXPECT_EQ(s.j["data"].dump().find("Brouillon"), std::string::npos) << "drafts are not suggested";
  // Search in the list, accent-insensitive.
  Response list = get("/api/v1/kb_articles?q=procedure", as("service"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.j["data"].size(), 1u) << list.dump();
  // Votes: one per user, a new vote replaces it.
  ASSERT_EQ(post(id_path("kb_articles", pub, "/vote"), as("service"), {{"helpful", true}}).status, 200);
  ASSERT_EQ(post(id_path("kb_articles", pub, "/vote"), as("service"), {{"helpful", true}}).status, 200);
  Response v = post(id_path("kb_articles", pub, "/vote"), as("admin"), {{"helpful", false}});
  EXPECT_EQ(v.j["helpful_count"], 1);
  EXPECT_EQ(v.j["not_helpful_count"], 1);
  EXPECT_EQ(post(id_path("kb_articles", pub, "/vote"), as("admin"), {{"helpful", "oui"}}).status, 422);
  // A new version on each change of the content; the previous ones are kept.
  Response edited = patch(id_path("kb_articles", pub), as("service"), {{"body", "Cliquez sur « Mot de passe oublié »."}});
  ASSERT_EQ(edited.status, 200);
  EXPECT_EQ(edited.j["revision"], 2);
  // The public page: public and published articles only, searched without accents; no login.
  Response page = srv().request("GET", "/kb?q=reinitialiser", Auth::none());
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Réinitialiser le mot de passe"), std::string::npos) << page.body;
  Response hidden = srv().request("GET", "/kb/" + std::to_string(internal["id"].get<int64_t>()), Auth::none());
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(srv().request("GET", "/kb?q=remboursement", Auth::none()).body.find("Procédure de remboursement"), std::string::npos);
  // The case's solution becomes a draft article.
  EXPECT_EQ(post(id_path("cases", cs, "/article"), as("service"), json::object()).status, 422) << "no reply yet";
  ASSERT_EQ(post(id_path("cases", cs, "/replies"), as("service"), {{"body", "Le lien de réinitialisation vous a été envoyé."}, {"by_email", false}}).status, 201);
  Response art = post(id_path("cases", cs, "/article"), as("service"), json::object());
  ASSERT_EQ(art.status, 201) << art.dump();
  EXPECT_EQ(art.j["status"], "draft");
  EXPECT_EQ(art.j["source_case_id"], cs["id"]);
  EXPECT_NE(art.j["body"].get<std::string>().find("Le lien de réinitialisation"), std::string::npos);
}

TEST_F(ServiceApi, InterventionsRefuseConflictsAndSendInvitationsThatUpdateAndCancel) {
  at("");
  create("mailboxes", {{"name", "Service client"}, {"address", unique("sav") + "@notre-societe.fr"}, {"smtp_url", "smtp://127.0.0.1:9"},
                       {"sends_notifications", true}});
  json c = customer();
  ASSERT_EQ(patch(id_path("contacts", c), as("admin"), {{"street", "12, rue de la Paix"}, {"postcode", "75002"}, {"city", "Paris"}}).status, 200);
  json cs = create("cases", {{"subject", "Chaudière à remplacer"}, {"contact_id", c["id"]}, {"type", "intervention"}}, "service");
  const std::string day = gz::clock::format_utc(gz::clock::now_unix() + 3 * 86400).substr(0, 10);
  json it = create("interventions", {{"title", "Remplacement de la chaudière"}, {"case_id", cs["id"]}, {"technician_id", uid("service")},
                                     {"starts_at", day + "T08:00:00Z"}, {"ends_at", day + "T10:00:00Z"}},
                   "service");
  EXPECT_EQ(it["contact_id"], c["id"]) << "the case's contact";
  EXPECT_EQ(it["postal_code"], "75002") << "the contact's address";
  // Overlapping, in the past, elsewhere the same day: each refused, naming the problem.
  Response overlap = post("/api/v1/interventions", as("service"), {{"title", "Autre"}, {"technician_id", uid("service")},
                                                                 {"starts_at", day + "T09:00:00Z"}, {"ends_at", day + "T11:00:00Z"},
                                                                 {"postal_code", "75002"}});
  EXPECT_EQ(overlap.status, 422);
  EXPECT_NE(overlap.dump().find("Remplacement de la chaudière"), std::string::npos) << overlap.dump();
  Response past = post("/api/v1/interventions", as("service"), {{"title", "Hier"}, {"technician_id", uid("service")},
                                                              {"starts_at", "2020-01-06T09:00:00Z"}, {"ends_at", "2020-01-06T10:00:00Z"}});
  EXPECT_EQ(past.status, 422);
  EXPECT_NE(past.dump().find("starts_at"), std::string::npos);
  Response far = post("/api/v1/interventions", as("service"), {{"title", "Lyon"}, {"technician_id", uid("service")},
                                                             {"starts_at", day + "T13:00:00Z"}, {"ends_at", day + "T14:00:00Z"},
                                                             {"postal_code", "69003"}, {"city", "Lyon"}});
  EXPECT_EQ(far.status, 422);
  EXPECT_NE(far.dump().find("postal_code"), std::string::npos) << far.dump();
  EXPECT_NE(far.dump().find("75"), std::string::npos);

  // The invitation: REQUEST, then an update with the same UID and a higher SEQUENCE, then CANCEL.
  auto invitation_text = [&](int sequence) -> std::string {
    std::string found;
    eventually([&] {
      auto d = db();
      gz::store::with_transaction(*d, false, [&](gz::store::Connection& conn) {
        for (const auto& a : conn.query("SELECT data FROM email_attachments WHERE content_type LIKE 'text/calendar%' ORDER BY id DESC")) {
          if (!a["data"].is_string()) continue;
          auto text = gz::crypto::base64url_decode(a["data"].get<std::string>());
          if (text && text->find("SEQUENCE:" + std::to_string(sequence) + "\r\n") != std::string::npos) found = *text;
        }
      });
      return !found.empty();
    });
    return found;
  };
  it = get(id_path("interventions", it), as("service")).j;
  const std::string uid_line = "UID:" + it["ical_uid"].get<std::string>();
  std::string first = invitation_text(0);
  ASSERT_FALSE(first.empty()) << "no invitation was sent";
  EXPECT_NE(first.find("METHOD:REQUEST"), std::string::npos) << first;
  EXPECT_NE(first.find("RSVP=TRUE"), std::string::npos);
  ASSERT_EQ(patch(id_path("interventions", it), as("service"), {{"starts_at", day + "T12:00:00Z"}, {"ends_at", day + "T13:00:00Z"}}).status, 200);
  std::string update = invitation_text(1);
  ASSERT_FALSE(update.empty());
  EXPECT_NE(update.find("METHOD:REQUEST"), std::string::npos);
  EXPECT_NE(update.find("DTSTART:" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "T120000Z"), std::string::npos) << update;
  ASSERT_EQ(patch(id_path("interventions", it), as("service"), {{"status", "cancelled"}}).status, 200);
  std::string cancel = invitation_text(2);
  ASSERT_FALSE(cancel.empty());
  EXPECT_NE(cancel.find("METHOD:CANCEL"), std::string::npos) << cancel;
  for (const auto* text : {&first, &update, &cancel}) {
    std::string unfolded = std::regex_replace(*text, std::regex("\r\n "), "");
    EXPECT_NE(unfolded.find(uid_line), std::string::npos) << "the same UID throughout";
  }
  // The technician's report closes an intervention and may solve the case.
  json it2 = create("interventions", {{"title", "Contrôle"}, {"case_id", cs["id"]}, {"technician_id", uid("service")},
                                      {"starts_at", day + "T14:00:00Z"}, {"ends_at", day + "T15:00:00Z"}},
                    "service");
  EXPECT_EQ(post(id_path("interventions", it2, "/report"), as("service"), {{"report", " "}}).status, 422);
  Response rep = post(id_path("interventions", it2, "/report"), as("service"), {{"report", "Chaudière remplacée, essais OK."}, {"solve_case", true}});
  ASSERT_EQ(rep.status, 200) << rep.dump();
  EXPECT_EQ(rep.j["status"], "done");
  EXPECT_EQ(case_of(cs["id"].get<int64_t>())["status"], "solved");
}

TEST_F(ServiceApi, ASurveyLinkIsAnsweredOnceAndADetractorOpensAFollowUp) {
  at("");
  json c = customer();
  json cs = create("cases", {{"subject", "Commande incomplète"}, {"contact_id", c["id"]}}, "service");
  EXPECT_TRUE(get(id_path("cases", cs, "/survey"), as("service")).j["survey"].is_null());
  ASSERT_EQ(patch(id_path("cases", cs), as("service"), {{"status", "solved"}}).status, 200);
  Response s = get(id_path("cases", cs, "/survey"), as("service"));
  ASSERT_EQ(s.status, 200) << s.dump();
  ASSERT_TRUE(s.j["survey"]["url"].is_string()) << s.dump();
  const std::string url = s.j["survey"]["url"];
  const std::string path = url.substr(url.find("/survey/"));
  Response page = srv().request("GET", path, Auth::none());
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Commande incomplète"), std::string::npos);
  // A bad mark names the field, nothing stored; a forged link is unknown.
  Response bad = srv().request("POST", path, Auth::none(), json{{"csat", 9}, {"nps", 3}}.dump());
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.dump().find("csat"), std::string::npos) << bad.dump();
  EXPECT_EQ(srv().request("GET", path.substr(0, path.size() - 1) + (path.back() == '0' ? "1" : "0"), Auth::none()).status, 404);
  Response ok = srv().request("POST", path, Auth::none(), json{{"csat", 2}, {"nps", 3}, {"comment", "Toujours pas reçu le carton 2"}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.dump();
  ASSERT_TRUE(ok.j["follow_up_case_id"].is_number_integer()) << "a detractor opens a follow-up";
  json follow = case_of(ok.j["follow_up_case_id"].get<int64_t>());
  EXPECT_EQ(follow["parent_case_id"], cs["id"]);
  EXPECT_EQ(follow["priority"], "high");
  Response twice = srv().request("POST", path, Auth::none(), json{{"csat", 5}, {"nps", 10}}.dump());
  EXPECT_EQ(twice.status, 409) << "the link works once";
  json after = case_of(cs["id"].get<int64_t>());
  EXPECT_EQ(after["csat"], 2);
  EXPECT_EQ(after["nps"], 3);
  // The form of the page posts the same answer (urlencoded): a used link says so in French.
  Response used = srv().request("POST", path, Auth::none(), "csat=5&nps=10", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(used.status, 409);
}

TEST_F(ServiceApi, MergingMovesTheHistoryAndEmailCasesFollowTheirThread) {
  at("");
  json c = customer();
  json a = create("cases", {{"subject", "Question facture"}, {"contact_id", c["id"]}}, "service");
  json b = create("cases", {{"subject", "Même question facture"}, {"contact_id", c["id"]}}, "service");
  ASSERT_EQ(post(id_path("cases", b, "/notes"), as("service"), {{"body", "Doublon de la demande précédente"}}).status, 201);
  EXPECT_EQ(post(id_path("cases", b, "/merge"), as("service"), {{"into_id", b["id"]}}).status, 422);
  Response m = post(id_path("cases", b, "/merge"), as("service"), {{"into_id", a["id"]}});
  ASSERT_EQ(m.status, 200) << m.dump();
  EXPECT_EQ(m.j["merged"]["merged_into_id"], a["id"]);
  EXPECT_EQ(m.j["merged"]["status"], "closed");
  EXPECT_NE(history(a["id"].get<int64_t>()).dump().find("Doublon de la demande"), std::string::npos);

  // A message to a mailbox that opens cases opens one; the customer's reply to our answer joins it.
  const std::string sav = unique("sav") + "@notre-societe.fr";
  json box = create("mailboxes", {{"name", "SAV"}, {"address", sav}, {"smtp_url", "smtp://127.0.0.1:9"}, {"opens_cases", true}});
  const std::string from = c["emails"][0];
  const std::string mid = unique("m") + "@client.fr";
  auto raw = [&](const std::string& id, const std::string& subject, const std::string& extra) {
    return "From: Claire <" + from + ">\r\nTo: " + sav + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
           ">\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n" + extra +
           "Content-Type: text/plain; charset=utf-8\r\n\r\nMon lave-linge fuit.\r\n";
  };
  const std::string q = "?mailbox_id=" + std::to_string(box["id"].get<int64_t>());
  Response in = srv().request("POST", "/api/v1/email/inbound" + q, as("admin"), raw(mid, "Lave-linge qui fuit", ""), {{"Content-Type", "message/rfc822"}});
  ASSERT_EQ(in.status, 201) << in.dump();
  Response found = get("/api/v1/cases?q=lave&contact_id=" + std::to_string(c["id"].get<int64_t>()), as("service"));
  ASSERT_EQ(found.j["data"].size(), 1u) << found.dump();
  json ecase = found.j["data"][0];
  EXPECT_EQ(ecase["channel"], "email");
  // Our reply goes out in the thread; the customer's answer to it joins the case.
  Response rep = post(id_path("cases", ecase, "/replies"), as("service"), {{"body", "Un technicien vous appelle."}, {"status", "waiting_customer"}});
  ASSERT_EQ(rep.status, 201) << rep.dump();
  EXPECT_TRUE(rep.j["sent_by_email"].get<bool>());
  std::string our_id;
  {
    auto d = db();
    gz::store::with_transaction(*d, false, [&](gz::store::Connection& conn) {
      our_id = conn.query_one("SELECT message_id FROM email_messages WHERE id = ?", {rep.j["email_id"]})["message_id"];
    });
  }
  Response back = srv().request("POST", "/api/v1/email/inbound" + q, as("admin"),
                                raw(unique("m2") + "@client.fr", "Re: [" + ecase["number"].get<std::string>() + "] Lave-linge qui fuit",
                                    "In-Reply-To: <" + our_id + ">\r\n"),
                                {{"Content-Type", "message/rfc822"}});
  ASSERT_EQ(back.status, 201) << back.dump();
  EXPECT_EQ(count("cases", "service", "contact_id=" + std::to_string(c["id"].get<int64_t>()) + "&channel=email"), 1);
  EXPECT_EQ(case_of(ecase["id"].get<int64_t>())["status"], "open") << "the customer's answer resumes the case";
  // Once closed, a new message of the thread opens a new case linked to it.
  ASSERT_EQ(patch(id_path("cases", ecase), as("service"), {{"status", "closed"}}).status, 200);
  ASSERT_EQ(srv().request("POST", "/api/v1/email/inbound" + q, as("admin"),
                          raw(unique("m3") + "@client.fr", "Re: [" + ecase["number"].get<std::string>() + "] Lave-linge qui fuit", ""),
                          {{"Content-Type", "message/rfc822"}}).status, 201);
  Response linked = get("/api/v1/cases?parent_case_id=" + std::to_string(ecase["id"].get<int64_t>()), as("service"));
  EXPECT_EQ(linked.j["data"].size(), 1u) << linked.dump();
}

TEST_F(ServiceApi, TheDashboardCountsWhatHappened) {
  at("");
  json c = customer();
  json reason = create("complaint_reasons", {{"name", unique("Retard")}});
  create("cases", {{"subject", "Colis en retard"}, {"type", "complaint"}, {"complaint_reason_id", reason["id"]}, {"contact_id", c["id"]}},
         "service");
  json done = create("cases", {{"subject", "Question réglée"}, {"contact_id", c["id"]}}, "service");
  ASSERT_EQ(post(id_path("cases", done, "/replies"), as("service"), {{"body", "Voici la réponse."}, {"by_email", false}}).status, 201);
  ASSERT_EQ(patch(id_path("cases", done), as("service"), {{"status", "solved"}}).status, 200);
  const std::string url = get(id_path("cases", done, "/survey"), as("service")).j["survey"]["url"];
  ASSERT_EQ(srv().request("POST", url.substr(url.find("/survey/")), Auth::none(), json{{"csat", 5}, {"nps", 10}}.dump()).status, 200);
  Response denied = get("/api/v1/service/dashboard", as("service"));
  EXPECT_EQ(denied.status, 403);
  Response d = srv().request("GET", "/api/v1/service/dashboard", as("manager_a"), std::nullopt, kFrench);
  ASSERT_EQ(d.status, 200) << d.dump();
  EXPECT_GE(d.j["solved"].get<int64_t>(), 1);
  EXPECT_EQ(d.j["first_contact_resolution_pct"], 100.0) << "answered once, never reopened";
  EXPECT_GE(d.j["csat"]["responses"].get<int64_t>(), 1);
  EXPECT_EQ(d.j["nps"]["promoters"], 1);
  EXPECT_FALSE(d.j["backlog"]["by_status"].empty());
  EXPECT_FALSE(d.j["complaints_by_reason"].empty());
  for (const auto& s : d.j["backlog"]["by_status"]) EXPECT_NE(s["label"], s["status"]) << "labels, not codes";
  EXPECT_EQ(get("/api/v1/service/dashboard?from=2026-12-10&to=2026-12-01", as("manager_a")).status, 400);
}

TEST_F(ServiceApi, ThePublicFormTheSettingsAndTheCostsCheckTheirInput) {
  at("");
  // The public request form: a case of channel web for the contact of the address (made when none has it).
  const std::string address = unique("visiteur") + "@exemple.fr";
  Response sent = srv().request("POST", "/support", Auth::none(),
                                json{{"last_name", "Visiteur"}, {"email", address}, {"subject", "Machine bloquée"}, {"message", "Code E05"}}.dump());
  ASSERT_EQ(sent.status, 201) << sent.dump();
  json cs = case_of(sent.j["case_id"].get<int64_t>());
  EXPECT_EQ(cs["channel"], "web");
  EXPECT_EQ(cs["number"], sent.j["number"]);
  const int64_t cases_before = count("cases");
  Response bad = srv().request("POST", "/support", Auth::none(), json{{"last_name", "X"}, {"email", "pas-une-adresse"}, {"subject", "s"}}.dump());
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.dump().find("\"email\""), std::string::npos) << bad.dump();
  EXPECT_NE(bad.dump().find("\"message\""), std::string::npos) << "every missing field at once: " << bad.dump();
  Response form = srv().request("POST", "/support", Auth::none(), "last_name=X&email=pas-une-adresse&subject=s&message=m",
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 422);
  EXPECT_NE(form.body.find("<form"), std::string::npos) << "the page again, with its errors";
  EXPECT_EQ(count("cases"), cases_before) << "nothing written";

  // The desk's settings: supervisors change them, each value checked.
  EXPECT_EQ(get("/api/v1/service/settings", as("service")).j["handoff_minutes"], 2);
  EXPECT_EQ(put("/api/v1/service/settings", as("service"), {{"handoff_minutes", 5}}).status, 403);
  Response wrong = put("/api/v1/service/settings", as("manager_a"), {{"handoff_minutes", 0}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.dump().find("handoff_minutes"), std::string::npos) << wrong.dump();
  EXPECT_EQ(put("/api/v1/service/settings", as("manager_a"), {{"public_url", "crm.example.fr"}}).status, 422);
  Response ok = put("/api/v1/service/settings", as("manager_a"), {{"handoff_minutes", 5}, {"hourly_cost_cents", 3600}});
  ASSERT_EQ(ok.status, 200) << ok.dump();
  EXPECT_EQ(ok.j["handoff_minutes"], 5);

  // The cost of service per customer: talk time at the hourly cost, for who sees every customer
  // (a manager sees only their team's: the list would name the others).
  json c = customer("", "+33611223344");
  agent("service", {{"extension", "203"}});
  json open = create("cases", {{"subject", "Appel long"}, {"contact_id", c["id"]}}, "service");
  const std::string call_id = unique("call");
  ASSERT_EQ(post("/api/v1/calls/events", as("admin"), {{"call_id", call_id}, {"event", "ringing"}, {"caller", "0611223344"}, {"extension", "203"}}).status, 200);
  ASSERT_EQ(post("/api/v1/calls/" + call_id + "/link", as("service"), {{"case_id", open["id"]}}).status, 200);
  ASSERT_EQ(post("/api/v1/calls/events", as("admin"), {{"call_id", call_id}, {"event", "answered"}, {"extension", "203"}, {"at", "2026-12-03T10:00:00Z"}}).status, 200);
  ASSERT_EQ(post("/api/v1/calls/events", as("admin"), {{"call_id", call_id}, {"event", "ended"}, {"at", "2026-12-03T10:30:00Z"}}).status, 200);
  EXPECT_EQ(get("/api/v1/service/costs", as("service")).status, 403);
  EXPECT_EQ(get("/api/v1/service/costs", as("manager_a")).status, 403);
  Response costs = get("/api/v1/service/costs", as("admin"));
  ASSERT_EQ(costs.status, 200) << costs.dump();
  int64_t cents = -1;
  for (const auto& r : costs.j["data"])
    if (r["entity"] == "contacts" && r["id"] == c["id"]) cents = r["service_cost_cents"].get<int64_t>();
  EXPECT_EQ(cents, 1800) << "30 minutes at 36 € an hour: " << costs.dump();

  // A case's service levels on their own, and a work item passed to the next agent.
  Response sla = srv().request("GET", id_path("cases", open, "/sla"), as("service"), std::nullopt, kFrench);
  ASSERT_EQ(sla.status, 200) << sla.dump();
  EXPECT_TRUE(sla.j["state_label"].is_string());
  EXPECT_EQ(post("/api/v1/service/work-items/999999/decline", as("service"), json::object()).status, 404);
}
