// The knowledge base (docs/service.md, "Knowledge base"): articles are an entity (search, versions
// by their rules); here the suggestions while a case is written, the usefulness votes, the article
// made from a case's solution, and the public self-service pages (/kb).
#include <set>

#include "core/clock.h"
#include "core/json_text.h"
#include "core/message.h"
#include "core/text.h"
#include "domain/records.h"
#include "http/public_page.h"
#include "modules/service/service.h"

namespace gz::modules::service {

namespace {

// Words that say nothing about what a case is about.
const std::set<std::string>& stop_words() {
  static const std::set<std::string> s = {
      "le",    "la",    "les",  "un",    "une",   "des",   "de",    "du",    "et",    "ou",    "au",    "aux",   "en",
      "pour",  "par",   "sur",  "dans",  "avec",  "ne",    "pas",   "plus",  "que",   "qui",   "quoi",  "est",   "sont",
      "mon",   "ma",    "mes",  "votre", "vos",   "nous",  "vous",  "je",    "il",    "elle",  "ils",   "on",    "ce",
      "cette", "ces",   "son",  "sa",    "ses",   "leur",  "leurs", "bonjour", "merci", "cordialement", "madame",
      "monsieur", "depuis", "avoir", "etre", "fait", "faire", "tres", "bien", "aussi", "mais", "donc", "car", "ai",
      "avez", "avons", "the", "and", "for", "with", "this", "that", "your", "have"};
  return s;
}

// Up to 10 distinct meaningful words of a text, folded (accents and case removed), letters and
// digits only: safe inside a full-text query.
std::vector<std::string> keywords(const std::string& text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::string word;
  const std::string folded = text::fold(text) + " ";
  for (char ch : folded) {
    if (std::isalnum((unsigned char)ch)) {
      word += ch;
      continue;
    }
    if (word.size() >= 3 && !stop_words().count(word) && seen.insert(word).second) out.push_back(word);
    word.clear();
    if (out.size() >= 10) break;
  }
  return out;
}

std::string excerpt(const std::string& body, size_t max = 220) {
  std::string s;
  for (char ch : body) s += (ch == '\n' || ch == '\r') ? ' ' : ch;
  if (s.size() <= max) return s;
  size_t cut = s.rfind(' ', max);
  if (cut == std::string::npos || cut < max / 2) cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return s.substr(0, cut) + " …";
}

}  // namespace

json article_suggestions(store::Connection& c, const std::string& text, bool public_only, int limit) {
  const auto words = keywords(text);
  json out = json::array();
  if (words.empty()) return out;
  const bool pg = c.dialect().name() == "postgresql";
  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : pg ? " | " : " OR ") + (pg ? w + ":*" : "\"" + w + "\"*");
  const std::string where = std::string(" AND a.status = 'published'") + (public_only ? " AND a.visibility = 'public'" : "");
  std::vector<json> rows =
      pg ? c.query("SELECT a.id, a.title, a.body, a.visibility, a.helpful_count, a.not_helpful_count FROM kb_articles_search s "
                   "JOIN kb_articles a ON a.id = s.rowid WHERE s.tsv @@ to_tsquery('simple', ?)" + where +
                       " ORDER BY ts_rank(s.tsv, to_tsquery('simple', ?)) DESC, a.helpful_count DESC, a.id LIMIT ?",
                   {query, query, limit})
         : c.query("SELECT a.id, a.title, a.body, a.visibility, a.helpful_count, a.not_helpful_count FROM kb_articles_search s "
                   "JOIN kb_articles a ON a.id = s.rowid WHERE kb_articles_search MATCH ?" + where +
                       " ORDER BY bm25(kb_articles_search), a.helpful_count DESC, a.id LIMIT ?",
                   {query, limit});
  for (auto& r : rows) {
    r["excerpt"] = excerpt(text_of(r, "body"));
    r.erase("body");
    out.push_back(r);
  }
  return out;
}

json vote_article(store::Database& db, int64_t article_id, const std::string& voter, bool helpful, bool public_only) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    json a = c.query_one("SELECT id, status, visibility FROM kb_articles WHERE id = ?", {article_id});
    if (a.is_null() || (public_only && (text_of(a, "status") != "published" || text_of(a, "visibility") != "public")))
      throw Problem(ProblemKind::NotFound, tr("this article does not exist"));
    // One vote per reader: voting again replaces the vote.
    if (c.execute("UPDATE kb_votes SET helpful = ?, voted_at = ? WHERE article_id = ? AND voter = ?",
                  {helpful ? 1 : 0, clock::now_utc(), article_id, voter}) == 0)
      c.insert("INSERT INTO kb_votes (article_id, voter, helpful, voted_at) VALUES (?, ?, ?, ?)",
               {article_id, voter, helpful ? 1 : 0, clock::now_utc()});
    c.execute("UPDATE kb_articles SET helpful_count = (SELECT COUNT(*) FROM kb_votes WHERE article_id = ? AND helpful = 1), "
              "not_helpful_count = (SELECT COUNT(*) FROM kb_votes WHERE article_id = ? AND helpful = 0) WHERE id = ?",
              {article_id, article_id, article_id});
    return c.query_one("SELECT id, helpful_count, not_helpful_count FROM kb_articles WHERE id = ?", {article_id});
  });
}

json article_from_case(store::Database& db, const domain::Actor& actor, int64_t case_id) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    json cs = visible_case(c, actor, case_id);
    // The solution is what the agents answered; the question is the case's description.
    std::string solution;
    for (const auto& e : c.query("SELECT data FROM case_events WHERE case_id = ? AND kind = 'reply' ORDER BY at, id", {case_id})) {
      json d = json::parse(text_of(e, "data"), nullptr, false);
      if (d.is_object() && !text_of(d, "body").empty()) solution += (solution.empty() ? "" : "\n\n") + text_of(d, "body");
    }
    if (solution.empty())
      throw Problem(ProblemKind::Unprocessable, tr("this case has no reply to the customer yet: its solution is what an article keeps"));
    std::string body = text_of(cs, "description");
    body = (body.empty() ? "" : "Question\n\n" + body + "\n\nRéponse\n\n") + solution;
    json in = {{"title", text_of(cs, "subject")}, {"body", body}, {"status", "draft"}, {"visibility", "internal"},
               {"source_case_id", case_id}};
    if (cs["category_id"].is_number_integer()) in["category_id"] = cs["category_id"];
    return domain::RecordService::create_in(c, actor, kernel::entity("kb_articles"), in);
  });
}

namespace {

const char* kKbCss =
    ".search{display:flex;gap:.5rem;margin:1rem 0}.search input{flex:1}.art{border-bottom:1px solid #e3e3ea;padding:.7rem 0}"
    ".art h2{font-size:1.1rem;margin:0 0 .3rem}.art p{margin:0;color:#444}.body p{line-height:1.55}.votes{display:flex;gap:.5rem;"
    "align-items:center;flex-wrap:wrap;margin-top:1.5rem}.notice{background:#eef7ee;padding:.6rem .8rem;border-radius:.4rem}";

std::string paragraphs(const std::string& body) {
  std::string out, para;
  auto flush = [&] {
    if (!para.empty()) out += "<p>" + http::html_escape(para) + "</p>";
    para.clear();
  };
  size_t i = 0;
  while (i < body.size()) {
    size_t nl = body.find('\n', i);
    std::string line = body.substr(i, nl == std::string::npos ? std::string::npos : nl - i);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) flush();
    else para += (para.empty() ? "" : " ") + line;
    if (nl == std::string::npos) break;
    i = nl + 1;
  }
  flush();
  return out;
}

}  // namespace

std::pair<int, std::string> kb_page(store::Database& db, const std::string& query) {
  return store::with_transaction(db, false, [&](store::Connection& c) -> std::pair<int, std::string> {
    json list = query.empty() ? json(c.query("SELECT id, title, body FROM kb_articles WHERE status = 'published' AND visibility = 'public' "
                                             "ORDER BY helpful_count DESC, updated_at DESC, id LIMIT 30"))
                              : article_suggestions(c, query, true, 30);
    std::string items;
    for (const auto& a : list)
      items += "<div class=\"art\"><h2><a href=\"/kb/" + std::to_string(a["id"].get<int64_t>()) + "\">" +
               http::html_escape(text_of(a, "title")) + "</a></h2><p>" +
               http::html_escape(a.contains("excerpt") ? text_of(a, "excerpt") : excerpt(text_of(a, "body"))) + "</p></div>";
    if (items.empty())
      items = query.empty() ? "<p>Aucun article n'est encore publié.</p>"
                            : "<p>Aucun article ne correspond à « " + http::html_escape(query) + " ». Essayez d'autres mots.</p>";
    const std::string body = "<h1>Aide en ligne</h1><p>Les réponses aux questions les plus fréquentes.</p>"
                             "<form class=\"search\" method=\"get\" action=\"/kb\"><input type=\"search\" name=\"q\" aria-label=\"Rechercher\" "
                             "placeholder=\"Votre question, par ex. facture\" value=\"" + http::html_escape(query) +
                             "\"><button type=\"submit\">Rechercher</button></form>" + items;
    return {200, http::public_page("Aide en ligne", body, "44rem", kKbCss)};
  });
}

std::pair<int, std::string> kb_article_page(store::Database& db, int64_t id, const std::string& notice) {
  return store::with_transaction(db, false, [&](store::Connection& c) -> std::pair<int, std::string> {
    json a = c.query_one("SELECT id, title, body, updated_at FROM kb_articles WHERE id = ? AND status = 'published' AND visibility = 'public'", {id});
    if (a.is_null()) throw Problem(ProblemKind::NotFound, tr("this article does not exist"));
    const std::string action = "/kb/" + std::to_string(id) + "/vote";
    std::string body = "<p><a href=\"/kb\">← Aide en ligne</a></p><h1>" + http::html_escape(text_of(a, "title")) + "</h1><div class=\"body\">" +
                       paragraphs(text_of(a, "body")) + "</div>";
    if (!notice.empty()) body += "<p class=\"notice\">" + http::html_escape(notice) + "</p>";
    else
      body += "<form class=\"votes\" method=\"post\" action=\"" + action +
              "\"><span>Cet article vous a-t-il aidé ?</span><button type=\"submit\" name=\"helpful\" value=\"1\">Oui</button>"
              "<button type=\"submit\" name=\"helpful\" value=\"0\">Non</button></form>";
    return {200, http::public_page(text_of(a, "title"), body, "44rem", kKbCss)};
  });
}

}  // namespace gz::modules::service
