// The daily summary of each salesperson, sent by e-mail (the e-mail module) from the mailbox
// that sends automatic messages: the follow-ups due today or late, the deals expected to close
// within seven days, the prospects received since yesterday. An hourly job; from 7:00 in the
// company's time zone each user's summary of the day is queued once (a unique job key per user
// and day), and only when it has something to say.
#include "modules/sales/daily_digest.h"

#include "core/json_text.h"
#include "core/money.h"
#include "core/zoned_time.h"
#include "domain/access.h"
#include "domain/jobs.h"
#include "modules/email/email_service.h"
#include "modules/settings/company_settings.h"

namespace gz::modules::sales {

using json = nlohmann::json;

namespace {

// "2026-12-03" → "03/12/2026"
std::string fr_day(const std::string& iso) {
  return iso.size() >= 10 ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
}

}  // namespace

std::optional<DigestText> digest_for(store::Connection& c, int64_t user_id, const std::string& today) {
  const std::string week = zoned::next_date(today, 7), yesterday = zoned::next_date(today, -1);
  const auto tasks = c.query(
      "SELECT title, due_at, due_date FROM tasks WHERE assignee_id = ? AND status = 'open' AND "
      "COALESCE(due_date, substr(due_at, 1, 10)) <= ? ORDER BY due_at LIMIT 20",
      {user_id, today});
  const auto deals = c.query(
      "SELECT name, amount_cents, currency, expected_close_date FROM opportunities WHERE owner_id = ? AND status = 'open' "
      "AND archived_at IS NULL AND expected_close_date IS NOT NULL AND expected_close_date <= ? ORDER BY expected_close_date LIMIT 20",
      {user_id, week});
  const auto leads = c.query(
      "SELECT first_name, last_name FROM contacts WHERE owner_id = ? AND lifecycle_stage = 'prospect' AND archived_at IS NULL "
      "AND created_at >= ? ORDER BY created_at LIMIT 20",
      {user_id, yesterday});
  if (tasks.empty() && deals.empty() && leads.empty()) return std::nullopt;
  DigestText d;
  d.subject = "Votre journée du " + fr_day(today);
  std::string& b = d.body;
  b = "Bonjour,\n\nVoici votre journée.\n";
  if (!tasks.empty()) {
    b += "\nRelances à faire (" + std::to_string(tasks.size()) + ") :\n";
    for (const auto& t : tasks) {
      const std::string due = text_of(t, "due_date").empty() ? text_of(t, "due_at").substr(0, 10) : text_of(t, "due_date");
      b += "  - " + text_of(t, "title") + (due < today ? " (en retard, prévue le " + fr_day(due) + ")" : "") + "\n";
    }
  }
  if (!deals.empty()) {
    b += "\nAffaires à conclure d'ici le " + fr_day(week) + " (" + std::to_string(deals.size()) + ") :\n";
    for (const auto& o : deals)
      b += "  - " + text_of(o, "name") + " : " +
           money::format_money(o["amount_cents"].is_number_integer() ? o["amount_cents"].get<int64_t>() : 0,
                               text_of(o, "currency").empty() ? "EUR" : text_of(o, "currency")) +
           ", clôture prévue le " + fr_day(text_of(o, "expected_close_date")) + "\n";
  }
  if (!leads.empty()) {
    b += "\nNouveaux prospects depuis hier (" + std::to_string(leads.size()) + ") :\n";
    for (const auto& l : leads) b += "  - " + text_of(l, "first_name") + (text_of(l, "first_name").empty() ? "" : " ") + text_of(l, "last_name") + "\n";
  }
  b += "\nBonne journée !";
  return d;
}

int64_t queue_daily_digests(store::Database& db, domain::JobQueue& queue, int64_t now) {
  auto [today, hour, users] = store::with_transaction(db, false, [&](store::Connection& c) {
    const auto zone = settings::company_zone(c);
    const std::string local = zone.local_date_time(now);
    return std::tuple{local.substr(0, 10), std::stoi(local.substr(11, 2)),
                      c.query("SELECT id FROM users WHERE active = 1 AND role IN ('sales', 'manager') ORDER BY id")};
  });
  if (hour < 7) return 0;
  int64_t queued = 0;
  for (const auto& u : users) {
    domain::EnqueueOptions o;
    o.unique_key = "sales_digest:" + std::to_string(u["id"].get<int64_t>()) + ":" + today;
    if (queue.enqueue("sales_digest_user", {{"user_id", u["id"]}, {"day", today}}, o)) ++queued;
  }
  return queued;
}

bool send_daily_digest(store::Database& db, domain::JobQueue& queue, int64_t user_id, const std::string& day) {
  email::EmailService mail(db);
  auto mailbox = mail.notification_mailbox();
  if (!mailbox) return false;
  auto [text, address] = store::with_transaction(db, false, [&](store::Connection& c) {
    auto u = c.query("SELECT email FROM users WHERE id = ? AND active = 1", {user_id});
    return std::pair{digest_for(c, user_id, day), u.empty() ? std::string() : text_of(u[0], "email")};
  });
  if (!text || address.empty()) return false;
  email::SendRequest r;
  r.mailbox_id = *mailbox;
  r.to = address;
  r.subject = text->subject;
  r.body = text->body;
  mail.queue_send(domain::system_actor(), std::move(r), queue, "");
  return true;
}

}  // namespace gz::modules::sales
