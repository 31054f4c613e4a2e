// Satisfaction surveys (docs/service.md, "Satisfaction"): when a case is solved its contact gets a
// one-use link (/survey/{token}: CSAT 1–5, NPS 0–10, a comment). The token is the survey's id and
// an HMAC of it with the server key, so nothing secret is stored; an answer is taken once, before
// the link expires. The answer is stored on the case and on the contact's timeline; a detractor
// (NPS 0–6 or CSAT 1–2) opens a follow-up case.
#include <cstdlib>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/json_text.h"
#include "core/message.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "http/public_page.h"
#include "modules/email/email_service.h"
#include "modules/service/service.h"
#include "store/job_store.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

std::string signature(store::Connection& c, int64_t survey_id) {
  return crypto::hmac_hex(email::server_key_for(c), "survey:" + std::to_string(survey_id)).substr(0, 32);
}

// The survey a token names, or nullopt for a token that was not made here.
std::optional<int64_t> survey_of_token(store::Connection& c, const std::string& token) {
  const size_t dash = token.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 18) return std::nullopt;
  const std::string id_text = token.substr(0, dash);
  if (id_text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int64_t id = std::atoll(id_text.c_str());
  if (!crypto::equal_constant_time(signature(c, id), token.substr(dash + 1))) return std::nullopt;
  return id;
}

}  // namespace

std::optional<std::string> create_survey(store::Connection& c, int64_t case_id, int64_t now) {
  json cs = c.query_one("SELECT id, contact_id, assignee_id, channel, category_id, value_tier FROM cases WHERE id = ?", {case_id});
  if (cs.is_null() || !cs["contact_id"].is_number_integer()) return std::nullopt;
  if (!c.query_one("SELECT id FROM surveys WHERE case_id = ?", {case_id}).is_null()) return std::nullopt;  // one per case
  json st = c.query_one("SELECT survey_days FROM service_settings WHERE id = 1");
  const int64_t days = st.is_null() ? 14 : id_of(st["survey_days"]);
  const int64_t id = c.insert(
      "INSERT INTO surveys (token_hash, case_id, contact_id, agent_id, channel, category_id, tier, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {crypto::random_token(16), case_id, cs["contact_id"], cs["assignee_id"], cs["channel"], cs["category_id"], cs["value_tier"],
       clock::format_utc(now), clock::format_utc(now + days * 86400)});
  const std::string token = std::to_string(id) + "-" + signature(c, id);
  c.execute("UPDATE surveys SET token_hash = ? WHERE id = ?", {crypto::sha256_hex(token), id});
  store::JobStore::enqueue(c, "service_survey_send", {{"survey_id", id}}, clock::format_utc(now), 5, "service_survey:" + std::to_string(id),
                           clock::format_utc(now));
  return token;
}

std::string survey_token(store::Connection& c, int64_t survey_id) { return std::to_string(survey_id) + "-" + signature(c, survey_id); }

// The base of public links when no request is at hand (a job): the desk's setting, else
// GAZELLE_PUBLIC_URL; empty when neither is set.
std::string configured_public_url(store::Connection& c) {
  json s = c.query_one("SELECT public_url FROM service_settings WHERE id = 1");
  std::string url = s.is_null() ? "" : text_of(s, "public_url");
  if (url.empty() && std::getenv("GAZELLE_PUBLIC_URL")) url = std::getenv("GAZELLE_PUBLIC_URL");
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The survey job: the link by e-mail to the contact, from the mailbox that sends automatic
// messages. Returns what it did, for the job's result.
json send_survey(store::Database& db, domain::JobQueue& queue, int64_t survey_id) {
  struct Plan {
    std::string to, subject, body, base;
    std::optional<int64_t> mailbox, contact;
  };
  Plan p = store::with_transaction(db, false, [&](store::Connection& c) {
    Plan p;
    json s = c.query_one("SELECT s.*, cs.number, cs.subject, ct.first_name, ct.emails FROM surveys s JOIN cases cs ON cs.id = s.case_id "
                         "LEFT JOIN contacts ct ON ct.id = s.contact_id WHERE s.id = ?",
                         {survey_id});
    if (s.is_null() || !s["answered_at"].is_null()) return p;
    json emails = json::parse(text_of(s, "emails", "[]"), nullptr, false);
    if (emails.is_array() && !emails.empty() && emails[0].is_string()) p.to = emails[0].get<std::string>();
    p.base = configured_public_url(c);
    json m = c.query_one("SELECT id FROM mailboxes WHERE active = 1 AND sends_notifications = 1 ORDER BY id LIMIT 1");
    if (!m.is_null()) p.mailbox = m["id"].get<int64_t>();
    p.contact = s["contact_id"].is_number_integer() ? std::optional<int64_t>(s["contact_id"].get<int64_t>()) : std::nullopt;
    p.subject = "Votre avis sur notre réponse (" + text_of(s, "number") + ")";
    const std::string first = text_of(s, "first_name");
    p.body = "Bonjour" + (first.empty() ? std::string() : " " + first) + ",\n\nVotre demande « " + text_of(s, "subject") +
             " » (" + text_of(s, "number") + ") est résolue. Deux questions, une minute : votre avis nous aide à mieux vous servir.\n\n" +
             p.base + "/survey/" + survey_token(c, survey_id) +
             "\n\nCe lien ne sert qu'une fois.\n\nMerci,\nLe service client";
    return p;
  });
  if (p.to.empty()) return {{"sent", false}, {"reason", "no e-mail address"}};
  if (!p.mailbox) return {{"sent", false}, {"reason", "no mailbox sends automatic messages"}};
  if (p.base.empty()) return {{"sent", false}, {"reason", "no public address: set it in the service settings"}};
  email::SendRequest r;
  r.mailbox_id = *p.mailbox;
  r.to = p.to;
  r.subject = p.subject;
  r.body = p.body;
  r.contact_id = p.contact;
  email::EmailService(db).queue_send(domain::system_actor(), r, queue, p.base);
  store::with_transaction(db, true, [&](store::Connection& c) {
    c.execute("UPDATE surveys SET sent_at = ? WHERE id = ?", {clock::now_utc(), survey_id});
  });
  return {{"sent", true}};
}

namespace {

const char* kSurveyCss =
    ".scale{display:flex;flex-wrap:wrap;gap:.3rem;margin:.4rem 0 1rem}.scale label{display:flex;flex-direction:column;"
    "align-items:center;border:1px solid #ccd;border-radius:.4rem;padding:.35rem .55rem;min-width:2.2rem;cursor:pointer}"
    ".scale input{margin:0 0 .2rem}.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555}"
    "textarea{width:100%;min-height:5rem}";

std::string scale(const char* name, int from, int to) {
  std::string out = "<div class=\"scale\">";
  for (int i = from; i <= to; ++i)
    out += "<label><input type=\"radio\" name=\"" + std::string(name) + "\" value=\"" + std::to_string(i) + "\" required>" +
           std::to_string(i) + "</label>";
  return out + "</div>";
}

}  // namespace

// The page of a survey link: the form, or why it cannot be answered.
std::pair<int, std::string> survey_page(store::Database& db, const std::string& token) {
  return store::with_transaction(db, false, [&](store::Connection& c) -> std::pair<int, std::string> {
    auto id = survey_of_token(c, token);
    json s = id ? c.query_one("SELECT s.*, cs.number, cs.subject FROM surveys s JOIN cases cs ON cs.id = s.case_id WHERE s.id = ?", {*id})
                : json();
    if (s.is_null()) throw Problem(ProblemKind::NotFound, tr("this survey link does not exist"));
    if (!s["answered_at"].is_null())
      return {409, http::public_page("Déjà répondu", "<h1>Merci, vous avez déjà répondu</h1><p>Ce lien ne sert qu'une fois.</p>", "32rem")};
    if (text_of(s, "expires_at") < clock::now_utc())
      return {409, http::public_page("Lien expiré", "<h1>Ce lien a expiré</h1><p>L'enquête n'est plus ouverte.</p>", "32rem")};
    std::string body = "<h1>Votre avis</h1><p>Sur notre réponse à votre demande « " + http::html_escape(text_of(s, "subject")) + " » (" +
                       http::html_escape(text_of(s, "number")) + ").</p><form method=\"post\" action=\"/survey/" +
                       http::html_escape(token) + "\"><p><strong>Êtes-vous satisfait de la réponse apportée ?</strong></p>" +
                       scale("csat", 1, 5) + "<div class=\"ends\"><span>1 : pas du tout</span><span>5 : tout à fait</span></div>" +
                       "<p><strong>Recommanderiez-vous notre entreprise à un proche ?</strong></p>" + scale("nps", 0, 10) +
                       "<div class=\"ends\"><span>0 : certainement pas</span><span>10 : certainement</span></div>" +
                       "<p><label for=\"comment\"><strong>Un commentaire ?</strong> (facultatif)</label></p>"
                       "<textarea id=\"comment\" name=\"comment\" maxlength=\"2000\"></textarea>"
                       "<p><button type=\"submit\">Envoyer mon avis</button></p></form>";
    return {200, http::public_page("Votre avis", body, "36rem", kSurveyCss)};
  });
}

// Records an answer (once). Throws Problem naming the field for a bad value (nothing stored),
// 404 for an unknown link, 409 for a link already used or expired.
json answer_survey(store::Database& db, const std::string& token, const json& answer) {
  FieldErrors errors;
  auto number = [&](const char* k, int lo, int hi) -> json {
    const json& v = answer.value(k, json());
    int64_t n = -1;
    if (v.is_number_integer()) n = v.get<int64_t>();
    else if (v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().find_first_not_of("0123456789") == std::string::npos)
      n = std::atoll(v.get<std::string>().c_str());
    else if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) {
      errors.add(k, tr("choose a mark"));
      return json();
    }
    if (n < lo || n > hi) {
      errors.add(k, tr("must be a mark from {a} to {b}", {{"a", std::to_string(lo)}, {"b", std::to_string(hi)}}));
      return json();
    }
    return n;
  };
  const json csat = number("csat", 1, 5), nps = number("nps", 0, 10);
  std::string comment = text_of(answer, "comment");
  if (comment.size() > 4000) errors.add("comment", tr("at most 2,000 characters"));
  errors.throw_if_any();
  return store::with_transaction(db, true, [&](store::Connection& c) {
    auto id = survey_of_token(c, token);
    json s = id ? c.query_one("SELECT * FROM surveys WHERE id = ?", {*id}) : json();
    if (s.is_null()) throw Problem(ProblemKind::NotFound, tr("this survey link does not exist"));
    if (!s["answered_at"].is_null()) throw Problem(ProblemKind::Conflict, tr("this survey was already answered: the link works once"));
    if (text_of(s, "expires_at") < clock::now_utc()) throw Problem(ProblemKind::Conflict, tr("this survey link has expired"));
    const std::string now = clock::now_utc();
    // Guarded by answered_at IS NULL: two answers sent at once store one.
    if (c.execute("UPDATE surveys SET answered_at = ?, csat = ?, nps = ?, comment = ? WHERE id = ? AND answered_at IS NULL",
                  {now, csat, nps, comment.empty() ? json() : json(comment), s["id"]}) == 0)
      throw Problem(ProblemKind::Conflict, tr("this survey was already answered: the link works once"));
    const int64_t case_id = s["case_id"].get<int64_t>();
    c.execute("UPDATE cases SET csat = ?, nps = ? WHERE id = ?", {csat, nps, case_id});
    json cs = c.query_one("SELECT number, subject, contact_id, account_id, assignee_id, channel FROM cases WHERE id = ?", {case_id});
    const domain::Actor system = domain::system_actor();
    if (cs["contact_id"].is_number_integer()) {
      json in = {{"channel", "web"}, {"direction", "inbound"}, {"commercial", false}, {"contact_id", cs["contact_id"]},
                 {"subject", "Enquête de satisfaction " + text_of(cs, "number") + " : " + std::to_string(csat.get<int64_t>()) +
                                 "/5, recommandation " + std::to_string(nps.get<int64_t>()) + "/10"},
                 {"content", comment}, {"outcome", "survey"}};
      domain::RecordService::create_in(c, system, kernel::entity("interactions"), in);
    }
    record_case_event(c, case_id, "survey", std::nullopt, {{"csat", csat}, {"nps", nps}, {"comment", comment}});
    json follow_up;
    if (nps.get<int64_t>() <= 6 || csat.get<int64_t>() <= 2) {
      json in = {{"subject", "Client insatisfait : suivi de " + text_of(cs, "number")},
                 {"description", "Enquête : satisfaction " + std::to_string(csat.get<int64_t>()) + "/5, recommandation " +
                                     std::to_string(nps.get<int64_t>()) + "/10." + (comment.empty() ? "" : "\n\n« " + comment + " »")},
                 {"type", "assistance"}, {"priority", "high"}, {"channel", "web"}, {"parent_case_id", case_id}};
      for (const char* k : {"contact_id", "account_id"})
        if (cs[k].is_number_integer()) in[k] = cs[k];
      follow_up = domain::RecordService::create_in(c, system, kernel::entity("cases"), in);
      c.execute("UPDATE surveys SET follow_up_case_id = ? WHERE id = ?", {follow_up["id"], s["id"]});
    }
    return json{{"csat", csat}, {"nps", nps}, {"follow_up_case_id", follow_up.is_object() ? follow_up["id"] : json()}};
  });
}

// What the case page shows of its survey: the link (for the agent to give by phone), its state.
json case_survey(store::Connection& c, int64_t case_id, const std::string& base_url) {
  json s = c.query_one("SELECT id, created_at, expires_at, sent_at, answered_at, csat, nps, comment, follow_up_case_id FROM surveys "
                       "WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                       {case_id});
  if (s.is_null()) return json();
  if (s["answered_at"].is_null()) s["url"] = base_url + "/survey/" + survey_token(c, s["id"].get<int64_t>());
  return s;
}

}  // namespace gz::modules::service
