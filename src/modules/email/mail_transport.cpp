#include "modules/email/mail_transport.h"

#include <pthread.h>

#include <ctime>
#include <mutex>

#include "modules/email/mail_transport_curl.h"

namespace gz::modules::email {

std::vector<std::pair<std::string, std::string>> transport_messages_fr() {
  return {
      {"'{url}' is not the address of an {protocol} server ({schemes})",
       "«\u00a0{url}\u00a0» n'est pas l'adresse d'un serveur {protocol} ({schemes})"},
      {"The {protocol} server {server} refused the username or password",
       "Le serveur {protocol} {server} a refusé l'identifiant ou le mot de passe"},
      {"The {protocol} server {server} cannot be reached (connection refused or impossible)",
       "Le serveur {protocol} {server} est injoignable (connexion refusée ou impossible)"},
      {"The name of the {protocol} server {server} is unknown (DNS)",
       "Le nom du serveur {protocol} {server} est inconnu (DNS)"},
      {"The {protocol} server {server} did not answer in time",
       "Le serveur {protocol} {server} n'a pas répondu à temps"},
      {"The certificate of the {protocol} server {server} could not be verified: {detail}",
       "Le certificat du serveur {protocol} {server} n'a pas pu être vérifié\u00a0: {detail}"},
      {"The secure connection (TLS) to the {protocol} server {server} failed: {detail}",
       "La connexion sécurisée (TLS) avec le serveur {protocol} {server} a échoué\u00a0: {detail}"},
      {"The {protocol} server {server} does not offer an encrypted connection (STARTTLS)",
       "Le serveur {protocol} {server} ne propose pas de connexion chiffrée (STARTTLS)"},
      {"The connection to the {protocol} server {server} was lost: {detail}",
       "La connexion avec le serveur {protocol} {server} a été interrompue\u00a0: {detail}"},
      {"The exchange with the {protocol} server {server} failed: {detail}",
       "L'échange avec le serveur {protocol} {server} a échoué\u00a0: {detail}"},
      // imap_client.cpp
      {"The IMAP server {server} refused {command}: {reply}",
       "Le serveur IMAP {server} a refusé la commande {command}\u00a0: {reply}"},
      {"The IMAP server {server} refused {command} on the folder '{folder}': {reply}",
       "Le serveur IMAP {server} a refusé la commande {command} sur le dossier «\u00a0{folder}\u00a0»\u00a0: {reply}"},
      {"The message {uid} is not in the folder '{folder}' of the IMAP server {server}",
       "Le message {uid} n'est pas dans le dossier «\u00a0{folder}\u00a0» du serveur IMAP {server}"},
      {"The IMAP server {server} sent a response that cannot be read ({what})",
       "Le serveur IMAP {server} a envoyé une réponse illisible ({what})"},
      {"The folder name '{folder}' is not valid (empty, or with a line break)",
       "Le nom de dossier «\u00a0{folder}\u00a0» n'est pas valide (vide, ou avec un saut de ligne)"},
      // smtp_client.cpp
      {"The SMTP server {server} refused the sender {address}: {reply}",
       "Le serveur SMTP {server} a refusé l'expéditeur {address}\u00a0: {reply}"},
      {"The SMTP server {server} refused a recipient: {reply}",
       "Le serveur SMTP {server} a refusé un destinataire\u00a0: {reply}"},
      {"The SMTP server {server} refused the message: {reply}",
       "Le serveur SMTP {server} a refusé le message\u00a0: {reply}"},
      {"'{address}' is not an address the SMTP server can be given",
       "«\u00a0{address}\u00a0» n'est pas une adresse utilisable pour l'envoi (SMTP)"},
      {"The message has no recipient", "Le message n'a aucun destinataire"},
  };
}

namespace detail {

void curl_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Endpoint parse_endpoint(const std::string& url, std::initializer_list<std::string_view> schemes,
                        const char* protocol) {
  curl_init_once();
  std::string names;
  for (auto s : schemes) names += (names.empty() ? "" : ", ") + std::string(s) + "://";
  auto invalid = [&] {
    return MailError(tr("'{url}' is not the address of an {protocol} server ({schemes})",
                        {{"url", url}, {"protocol", protocol}, {"schemes", names}}),
                     true);
  };
  CURLU* u = curl_url();
  if (!u) throw std::bad_alloc();
  Endpoint e;
  char* part = nullptr;
  bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  if (ok && curl_url_get(u, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
    e.scheme = part;
    curl_free(part);
  } else {
    ok = false;
  }
  if (ok && curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    e.host = part;
    curl_free(part);
  } else {
    ok = false;
  }
  if (ok && curl_url_get(u, CURLUPART_PORT, &part, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    e.port = std::strtol(part, nullptr, 10);
    curl_free(part);
  } else {
    ok = false;
  }
  curl_url_cleanup(u);
  bool known = false;
  for (auto s : schemes) known = known || e.scheme == s;
  if (!ok || !known || e.host.empty() || e.port <= 0) throw invalid();
  e.display = e.host + ":" + std::to_string(e.port);
  e.base_url = e.scheme + "://" + e.host + ":" + std::to_string(e.port) + "/";
  return e;
}

void set_common_options(CURL* curl, const MailServer& server, const Endpoint& endpoint, long total_seconds,
                        char* error_buffer) {
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_URL, endpoint.base_url.c_str());
  if (!server.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, server.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, server.password.c_str());
  }
  if (!endpoint.implicit_tls())
    curl_easy_setopt(curl, CURLOPT_USE_SSL, long(server.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, server.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, server.verify_tls ? 2L : 0L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, total_seconds);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "imap,imaps,smtp,smtps");
  if (error_buffer) {
    error_buffer[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  }
}

void throw_curl_error(CURLcode code, const Endpoint& endpoint, const char* protocol, const std::string& detail) {
  std::string what = detail.empty() ? curl_easy_strerror(code) : detail;
  const std::string& server = endpoint.display;
  switch (code) {
    case CURLE_LOGIN_DENIED:
      throw MailError(tr("The {protocol} server {server} refused the username or password",
                         {{"protocol", protocol}, {"server", server}}),
                      true);
    case CURLE_COULDNT_CONNECT:
      throw MailError(tr("The {protocol} server {server} cannot be reached (connection refused or impossible)",
                         {{"protocol", protocol}, {"server", server}}),
                      false);
    case CURLE_COULDNT_RESOLVE_HOST:
      throw MailError(tr("The name of the {protocol} server {server} is unknown (DNS)",
                         {{"protocol", protocol}, {"server", server}}),
                      false);
    case CURLE_OPERATION_TIMEDOUT:
      throw MailError(tr("The {protocol} server {server} did not answer in time",
                         {{"protocol", protocol}, {"server", server}}),
                      false);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      throw MailError(tr("The certificate of the {protocol} server {server} could not be verified: {detail}",
                         {{"protocol", protocol}, {"server", server}, {"detail", what}}),
                      true);
    case CURLE_SSL_CONNECT_ERROR:
      throw MailError(tr("The secure connection (TLS) to the {protocol} server {server} failed: {detail}",
                         {{"protocol", protocol}, {"server", server}, {"detail", what}}),
                      false);
    case CURLE_USE_SSL_FAILED:
      throw MailError(tr("The {protocol} server {server} does not offer an encrypted connection (STARTTLS)",
                         {{"protocol", protocol}, {"server", server}}),
                      true);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      throw MailError(tr("'{url}' is not the address of an {protocol} server ({schemes})",
                         {{"url", endpoint.base_url}, {"protocol", protocol}, {"schemes", endpoint.scheme + "://"}}),
                      true);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      throw MailError(tr("The connection to the {protocol} server {server} was lost: {detail}",
                         {{"protocol", protocol}, {"server", server}, {"detail", what}}),
                      false);
    default:
      throw MailError(tr("The exchange with the {protocol} server {server} failed: {detail}",
                         {{"protocol", protocol}, {"server", server}, {"detail", what}}),
                      false);
  }
}

NoSigpipe::NoSigpipe() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &block, &old_);
}

NoSigpipe::~NoSigpipe() {
  if (!was_pending_) {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      timespec zero{0, 0};
      sigtimedwait(&pipe, nullptr, &zero);
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

std::string crlf_lines(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 40);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += raw[i];
  }
  return out;
}

}  // namespace detail
}  // namespace gz::modules::email
