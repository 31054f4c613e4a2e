// Pure domain rules: lifecycle stage moves, role rights (access.h), search query parsing and
// index bodies (search_text.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "domain/access.h"
#include "domain/schema.h"
#include "domain/search_text.h"
#include "kernel/module.h"
#include "modules/customers/lifecycle.h"
#include "modules/customers/vocabulary.h"

using namespace gz;
using namespace gz::domain;
using namespace gz::modules::customers;
using json = nlohmann::json;

// ---- Lifecycle --------------------------------------------------------------------------------

TEST(Lifecycle, StageKinds) {
  for (const char* s : {"new_customer", "regular_customer", "customer", "advocate", "partner"})
    EXPECT_TRUE(is_customer_stage(s)) << s;
  for (const char* s : {"suspect", "prospect", "disqualified", "inactive", ""}) EXPECT_FALSE(is_customer_stage(s)) << s;
  EXPECT_TRUE(stage_needs_reason("disqualified"));
  EXPECT_TRUE(stage_needs_reason("inactive"));
  EXPECT_FALSE(stage_needs_reason("prospect"));
  EXPECT_FALSE(stage_needs_reason("customer"));
}

TEST(Lifecycle, ForwardMovesAllowed) {
  const std::pair<const char*, const char*> ok[] = {
      {"suspect", "prospect"},      {"prospect", "new_customer"},     {"new_customer", "regular_customer"},
      {"regular_customer", "advocate"}, {"advocate", "partner"},      {"suspect", "disqualified"},
      {"prospect", "disqualified"}, {"disqualified", "prospect"},     {"customer", "inactive"},
      {"inactive", "customer"},     {"inactive", "new_customer"},     {"partner", "customer"},
      {"suspect", "customer"},      {"customer", "customer"},         {"inactive", "inactive"}};
  for (const auto& [from, to] : ok) EXPECT_EQ(stage_transition_error(from, to), std::nullopt) << from << " -> " << to;
}

TEST(Lifecycle, NoWayBackFromCustomer) {
  kernel::modules();  // registers the customers module's French messages
  auto label = [](const std::string& value) {
    for (const auto& c : lifecycle_stages())
      if (c.value == value) return c.label;
    return kernel::Label{};
  };
  for (const char* from : {"new_customer", "regular_customer", "customer", "advocate", "partner", "inactive"})
    for (const char* to : {"suspect", "prospect", "disqualified"}) {
      auto e = stage_transition_error(from, to);
      ASSERT_TRUE(e) << from << " -> " << to;
      // The stages by their labels in the reader's language, never by their codes.
      EXPECT_NE(e->english().find(label(from).en), std::string::npos) << *e;
      EXPECT_NE(e->french().find("\u00ab\u00a0" + label(from).fr + "\u00a0\u00bb"), std::string::npos) << e->french();
      EXPECT_NE(e->french().find("\u00ab\u00a0" + label(to).fr + "\u00a0\u00bb"), std::string::npos) << e->french();
      EXPECT_EQ(e->french().find(from), std::string::npos) << e->french();
    }
  auto back = stage_transition_error("inactive", "regular_customer");
  EXPECT_EQ(back, std::nullopt);
  auto wrong = stage_transition_error("inactive", "suspect");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->french().rfind("impossible de revenir de \u00ab\u00a0Inactif\u00a0\u00bb", 0), 0u) << wrong->french();
}

TEST(Lifecycle, NewRecordsMayStartAnywhere) {
  for (const auto& s : values_of(lifecycle_stages())) EXPECT_EQ(stage_transition_error("", s), std::nullopt) << s;
}

// ---- Access -------------------------------------------------------------------------------------

namespace {
Actor actor(const std::string& role, int64_t id = 10, int64_t team = 3) {
  Actor a;
  a.user_id = id;
  a.role = role;
  a.team_id = team;
  a.email = role + "@example.fr";
  return a;
}
const std::vector<std::string> kEntities = {"accounts", "households", "contacts", "interactions", "tasks", "products", "orders"};
}  // namespace

TEST(Access, ReadScopeByRole) {
  for (const auto& name : kEntities) {
    const Entity& e = entity(name);
    for (const char* role : {"admin", "service", "marketing", "read_only"}) {
      auto s = read_scope(actor(role), e);
      EXPECT_TRUE(s.all) << role << " " << name;
    }
    for (const char* role : {"sales", "manager"}) {
      auto s = read_scope(actor(role, 10, 3), e);
      EXPECT_EQ(s.all, name == "products") << role << " " << name << ": the catalogue is visible to all";
      EXPECT_EQ(s.user_id, 10);
      EXPECT_EQ(s.team_id, 3);
    }
  }
  auto no_team = read_scope(actor("sales", 11, 0), entity("contacts"));
  EXPECT_FALSE(no_team.all);
  EXPECT_EQ(no_team.team_id, 0);
  EXPECT_TRUE(read_scope(system_actor(), entity("contacts")).all);
}

TEST(Access, CanWriteMatrix) {
  // role -> entities it may write
  const std::map<std::string, std::set<std::string>> allowed = {
      {"admin", {"accounts", "households", "contacts", "interactions", "tasks", "products", "orders"}},
      {"manager", {"accounts", "households", "contacts", "interactions", "tasks", "products", "orders"}},
      {"sales", {"accounts", "households", "contacts", "interactions", "tasks", "orders"}},
      {"service", {"contacts", "households", "interactions", "tasks"}},
      {"marketing", {"interactions", "tasks"}},
      {"read_only", {}},
      {"nobody", {}},
  };
  for (const auto& [role, set] : allowed)
    for (const auto& name : kEntities)
      EXPECT_EQ(can_write(actor(role), entity(name)), set.count(name) == 1) << role << " " << name;
}

TEST(Access, CanDelete) {
  json mine = {{"owner_id", 10}, {"created_by", 99}};
  json created = {{"owner_id", 99}, {"created_by", 10}};
  json other = {{"owner_id", 99}, {"created_by", 98}};
  json activity = {{"created_by", 10}};
  const Entity& contacts = entity("contacts");
  const Entity& accounts = entity("accounts");
  const Entity& interactions = entity("interactions");
  const Entity& products = entity("products");

  for (const json* r : {&mine, &created, &other}) {
    EXPECT_TRUE(can_delete(actor("admin"), contacts, *r));
    EXPECT_TRUE(can_delete(actor("manager"), contacts, *r));
    EXPECT_FALSE(can_delete(actor("read_only"), contacts, *r));
    EXPECT_FALSE(can_delete(actor("marketing"), contacts, *r));
  }
  EXPECT_TRUE(can_delete(actor("admin"), products, other));
  EXPECT_TRUE(can_delete(actor("manager"), products, other));
  EXPECT_FALSE(can_delete(actor("sales"), products, {{"created_by", 10}}));

  EXPECT_TRUE(can_delete(actor("sales"), contacts, mine));
  EXPECT_TRUE(can_delete(actor("sales"), contacts, created));
  EXPECT_FALSE(can_delete(actor("sales"), contacts, other));
  EXPECT_TRUE(can_delete(actor("service"), contacts, mine));
  EXPECT_FALSE(can_delete(actor("service"), contacts, other));
  EXPECT_FALSE(can_delete(actor("service"), accounts, mine)) << "service cannot write accounts";
  EXPECT_TRUE(can_delete(actor("marketing"), interactions, activity));
  EXPECT_FALSE(can_delete(actor("marketing"), interactions, other));
  EXPECT_FALSE(can_delete(actor("read_only"), interactions, activity));
  // Ids are compared as numbers; a missing or non-integer owner is not "mine".
  EXPECT_FALSE(can_delete(actor("sales"), contacts, {{"owner_id", "10"}}));
  EXPECT_FALSE(can_delete(actor("sales"), contacts, json::object()));
}

TEST(Access, RolesListed) {
  std::vector<std::string> roles;
  for (const auto& r : kernel::roles()) roles.push_back(r.name);
  // The service module adds the desk's supervisor.
  EXPECT_EQ(roles, (std::vector<std::string>{"admin", "manager", "sales", "service", "marketing", "read_only", "service_supervisor"}));
  Actor sys = system_actor();
  EXPECT_TRUE(sys.is_admin());
  EXPECT_EQ(sys.user_id, 0);
}

// ---- Search query parsing --------------------------------------------------------------------

namespace {
using Groups = std::vector<std::vector<std::string>>;
bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }
}  // namespace

TEST(SearchQuery, WordsAreFoldedAndAllRequired) {
  EXPECT_EQ(parse_search_query("helene lefevre"), (Groups{{"helene"}, {"lefevre"}}));
  EXPECT_EQ(parse_search_query("Hélène LEFÈVRE"), (Groups{{"helene"}, {"lefevre"}}));
  EXPECT_EQ(parse_search_query("  L'Œuvre,  Zoé! "), (Groups{{"l"}, {"oeuvre"}, {"zoe"}}));
  EXPECT_EQ(parse_search_query("helene.lefevre@example.fr"), (Groups{{"helene"}, {"lefevre"}, {"example"}, {"fr"}}));
}

TEST(SearchQuery, EmptyOrUnsearchable) {
  EXPECT_TRUE(parse_search_query("").empty());
  EXPECT_TRUE(parse_search_query("   ").empty());
  EXPECT_TRUE(parse_search_query("!!! ---").empty());
}

TEST(SearchQuery, LongQueriesAreCapped) {
  auto g = parse_search_query("a b c d e f g h i j k l");
  EXPECT_EQ(g.size(), 8u);
  EXPECT_EQ(g.front(), std::vector<std::string>{"a"});
  EXPECT_EQ(g.back(), std::vector<std::string>{"h"});
}

TEST(SearchQuery, PhoneNumbersInAnyFormat) {
  for (const char* q : {"06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33612345678", "+33 6 12 34 56 78",
                        "0033 6 12 34 56 78", "(06) 12-34-56-78"}) {
    auto g = parse_search_query(q);
    ASSERT_EQ(g.size(), 1u) << q << ": a phone number is one group of alternatives";
    EXPECT_TRUE(has(g[0], "0612345678")) << q;
    EXPECT_TRUE(has(g[0], "33612345678")) << q;
  }
  // Short digit runs and mixed text are words, not phones.
  EXPECT_EQ(parse_search_query("75011"), (Groups{{"75011"}}));
  EXPECT_EQ(parse_search_query("Paris 75011"), (Groups{{"paris"}, {"75011"}}));
  // Digits that are no valid number are searched as typed (e.g. a SIRET).
  auto siret = parse_search_query("732 829 320 00074");
  ASSERT_EQ(siret.size(), 1u);
  EXPECT_TRUE(has(siret[0], "73282932000074"));
}

TEST(SearchBody, ContactBodyHoldsWhatUsersSearchFor) {
  json c = {{"first_name", "Hélène"},
            {"last_name", "Lefèvre"},
            {"emails", {"h.lefevre@example.fr"}},
            {"phones", {"+33612345678"}},
            {"job_title", "Directrice"},
            {"city", "Besançon"},
            {"postcode", "25000"},
            {"external_id", "EXT-42"}};
  std::string body = contact_search_body(c, "Quincaillerie Zéphyrin");
  for (const char* w : {"helene", "lefevre", "example", "33612345678", "0612345678", "quincaillerie", "zephyrin",
                        "directrice", "besancon", "25000", "ext", "42"})
    EXPECT_NE(body.find(w), std::string::npos) << w << " not in: " << body;
  EXPECT_EQ(body.find("Hélène"), std::string::npos) << "the body is folded";
  // Missing and null fields are fine.
  EXPECT_NO_THROW(contact_search_body(json{{"last_name", "X"}, {"first_name", nullptr}}, ""));
}

TEST(SearchBody, AccountAndHousehold) {
  std::string a = account_search_body({{"name", "Boulangerie Écureuil"}, {"legal_id", "732829320"}, {"phone", "+33142685300"},
                                       {"website", "https://ecureuil.fr"}, {"industry", "Alimentation"}});
  for (const char* w : {"boulangerie", "ecureuil", "732829320", "33142685300", "0142685300", "alimentation"})
    EXPECT_NE(a.find(w), std::string::npos) << w << " not in: " << a;
  std::string h = household_search_body({{"name", "Famille Lefèvre"}, {"city", "Lyon"}});
  EXPECT_NE(h.find("famille lefevre"), std::string::npos) << h;
  EXPECT_NE(h.find("lyon"), std::string::npos) << h;
}

// ---- Schema ------------------------------------------------------------------------------------

TEST(Schema, EntitiesAndCommonFields) {
  std::vector<std::string> names;
  for (const auto& e : entities()) names.push_back(e.name);
  // The core entities, then the sales module's, in the composition root's order.
  std::vector<std::string> expected = kEntities;
  // The e-mail module's, after activity's (composition root).
  expected.insert(expected.begin() + 5, {"mailboxes", "email_templates"});
  for (const char* n : {"sales_reasons", "pipelines", "opportunities", "price_lists", "quotes", "lead_forms", "sales_territories", "lead_submissions",
                        "referral_rewards", "sales_targets", "exchange_rates"})
    expected.push_back(n);
  // The service module's, after the caller look-up (which declares none).
  for (const char* n : {"case_categories", "complaint_reasons", "service_groups", "business_calendars", "sla_policies", "call_scripts",
                        "cases", "service_agents", "kb_articles", "interventions"})
    expected.push_back(n);
  EXPECT_EQ(names, expected);
  for (const auto& e : entities()) {
    for (const char* f : {"id", "external_id", "version", "created_at", "updated_at", "created_by", "updated_by"})
      EXPECT_NE(e.field(f), nullptr) << e.name << "." << f;
    EXPECT_EQ(e.field("owner_id") != nullptr, e.access == Access::Owned) << e.name;
    EXPECT_TRUE(e.field("id")->server_set);
    EXPECT_NE(e.field(e.default_sort[0] == '-' ? e.default_sort.substr(1) : e.default_sort), nullptr) << e.name;
  }
  EXPECT_THROW(entity("nope"), std::out_of_range);
  EXPECT_EQ(find_entity("nope"), nullptr);
  EXPECT_EQ(entity("contacts").field("last_name")->required, true);
  EXPECT_EQ(entity("accounts").field("name")->max_length, 200);
}
