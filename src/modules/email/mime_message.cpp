// Reading and writing MIME messages with GMime 3 (see mime_message.h).
#include "modules/email/mime_message.h"

#include <gmime/gmime.h>
#include <iconv.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/problem.h"
#include "core/validate.h"
#include "modules/email/html_sanitize.h"
#include "core/utf8.h"

namespace gz::modules::email {

namespace {

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_mime_init();
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  });
}

// Owning handles for glib objects and strings.
struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GString_ = std::unique_ptr<char, GFree>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::string safe(const char* s) { return s ? utf8::make_valid(s) : std::string(); }

// Bytes in `charset` as UTF-8, iconv doing the work; nullopt when the charset is unknown to iconv
// or the bytes are not valid in it.
std::optional<std::string> iconv_to_utf8(std::string_view bytes, const char* charset) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t done = 0;
  bool ok = true;
  while (in_left > 0) {
    char* o = out.data() + done;
    size_t o_left = out.size() - done;
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    done = out.size() - o_left;
    if (r == size_t(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      ok = false;  // EILSEQ or EINVAL (cut sequence)
      break;
    }
  }
  iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(done);
  return out;
}

// A body's bytes as UTF-8 whatever the declared charset says: the declared charset (ISO-8859-1 and
// US-ASCII read as Windows-1252, as browsers do), else the bytes if they are valid UTF-8, else
// Windows-1252. Never invalid UTF-8.
std::string to_utf8(std::string_view bytes, std::string_view declared) {
  std::string cs = lower(trim(declared));
  if (cs.size() > 2 && cs.front() == '"' && cs.back() == '"') cs = cs.substr(1, cs.size() - 2);
  auto is_any = [&](std::initializer_list<const char*> names) {
    return std::any_of(names.begin(), names.end(), [&](const char* n) { return cs == n; });
  };
  if (is_any({"", "us-ascii", "ascii", "utf-8", "utf8", "iso-8859-1", "iso8859-1", "latin1", "latin-1",
              "windows-1252", "cp1252", "x-unknown", "unknown-8bit", "x-user-defined", "default"})) {
    if (utf8::valid(bytes)) return std::string(bytes);
    return utf8::from_windows_1252(bytes);
  }
  if (cs.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.:") == std::string::npos && cs.size() < 40) {
    const char* name = g_mime_charset_iconv_name(cs.c_str());
    if (auto converted = iconv_to_utf8(bytes, name ? name : cs.c_str())) return utf8::make_valid(*converted);
  }
  if (utf8::valid(bytes)) return std::string(bytes);
  return utf8::from_windows_1252(bytes);
}

std::string strip_angles(std::string_view id) {
  id = trim(id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  return utf8::make_valid(trim(id));
}

std::string decode_message_id(const char* value) {
  if (!value) return {};
  GString_ id(g_mime_utils_decode_message_id(value));
  return id ? strip_angles(id.get()) : strip_angles(value);
}

void add_addresses(InternetAddressList* list, std::vector<MailAddress>& out, int depth = 0) {
  if (!list || depth > 4) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < 1000; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      std::string addr(trim(safe(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)))));
      if (addr.empty()) continue;
      out.push_back({std::string(trim(safe(internet_address_get_name(ia)))), addr});
    } else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, depth + 1);
    }
  }
}

std::string bytes_of(GByteArray* a) {
  return a && a->len ? std::string(reinterpret_cast<const char*>(a->data), a->len) : std::string();
}

// The decoded content of a leaf part (transfer encoding undone), at most `limit` bytes (nullopt
// when over).
std::optional<std::string> part_bytes(GMimePart* part, size_t limit) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return std::string();
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  if (a && a->len > limit) return std::nullopt;
  return bytes_of(a);
}

std::string object_to_string(GMimeObject* object) {
  GMimeFormatOptions* opts = g_mime_format_options_new();
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(object, opts, mem.get());
  g_mime_format_options_free(opts);
  return bytes_of(g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get())));
}

std::string content_type_of(GMimeObject* object) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  if (!ct) return "application/octet-stream";
  GString_ t(g_mime_content_type_get_mime_type(ct));
  return t ? lower(safe(t.get())) : std::string("application/octet-stream");
}

// The fields of an RFC 3464 message/delivery-status body: blocks separated by blank lines, each
// of "Name: value" lines (continuation lines folded in). Names lower-cased.
using FieldBlock = std::vector<std::pair<std::string, std::string>>;
std::vector<FieldBlock> status_blocks(std::string_view text) {
  std::vector<FieldBlock> blocks(1);
  size_t pos = 0;
  while (pos <= text.size() && blocks.size() < 1000) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
    } else if ((line.front() == ' ' || line.front() == '\t') && !blocks.back().empty()) {
      blocks.back().back().second += " " + std::string(trim(line));
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      blocks.back().emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    }
    if (end == text.size()) break;
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

const std::string* field(const FieldBlock& b, std::string_view name) {
  for (const auto& [n, v] : b)
    if (n == name) return &v;
  return nullptr;
}

void read_delivery_status(std::string_view text, ParsedMessage& out) {
  for (const auto& block : status_blocks(text)) {
    const std::string* final_recipient = field(block, "final-recipient");
    if (!final_recipient) final_recipient = field(block, "original-recipient");
    if (!final_recipient) continue;  // the per-message block (Reporting-MTA…)
    const std::string* action = field(block, "action");
    std::string act = action ? lower(trim(*action)) : std::string();
    if (act == "delivered" || act == "relayed" || act == "expanded") continue;
    DeliveryFailure f;
    std::string_view r = *final_recipient;
    if (auto semi = r.find(';'); semi != std::string_view::npos) r = r.substr(semi + 1);
    f.recipient = strip_angles(r);
    if (const std::string* status = field(block, "status")) {
      std::string_view s = trim(*status);
      f.status = utf8::make_valid(s.substr(0, std::min(s.find_first_of(" \t("), s.size())));
    }
    f.permanent = f.status.empty() ? act == "failed" : f.status.front() == '5';
    if (const std::string* diag = field(block, "diagnostic-code")) f.diagnostic = utf8::make_valid(*diag);
    out.failures.push_back(std::move(f));
  }
}

std::string message_id_of_headers(std::string_view headers) {
  std::string text(headers);
  text += "\r\n\r\n";
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  return message ? decode_message_id(g_mime_message_get_message_id(message.get())) : std::string();
}

struct Walker {
  const MimeLimits& limits;
  ParsedMessage& out;
  size_t parts = 0;
  bool text_set = false, html_set = false;

  void walk(GMimeObject* object, size_t depth, bool in_report, bool in_alternative) {
    if (!object || depth > limits.max_depth || ++parts > limits.max_parts) return;
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* mp = GMIME_MULTIPART(object);
      GMimeContentType* ct = g_mime_object_get_content_type(object);
      bool report = false;
      bool alternative = ct && g_mime_content_type_is_type(ct, "multipart", "alternative");
      if (ct && g_mime_content_type_is_type(ct, "multipart", "report")) {
        const char* rt = g_mime_content_type_get_parameter(ct, "report-type");
        std::string type = rt ? lower(trim(rt)) : std::string();
        if (type == "delivery-status" || type == "global-delivery-status") {
          report = true;
          out.kind = MessageKind::DeliveryReport;
        }
      }
      int n = g_mime_multipart_get_count(mp);
      for (int i = 0; i < n && parts < limits.max_parts; ++i)
        walk(g_mime_multipart_get_part(mp, i), depth + 1, report || in_report, alternative);
      return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (in_report && inner && out.original_message_id.empty())
        out.original_message_id = decode_message_id(g_mime_message_get_message_id(inner));
      MailAttachment a;
      a.content_type = "message/rfc822";
      const char* name = g_mime_object_get_content_disposition_parameter(object, "filename");
      std::string subject = inner ? safe(g_mime_message_get_subject(inner)) : std::string();
      a.filename = name ? safe(name) : (subject.empty() ? "message" : subject) + ".eml";
      if (inner) {
        std::string data = object_to_string(GMIME_OBJECT(inner));
        if (data.size() > limits.max_attachment_bytes) a.truncated = true;
        else a.data = std::move(data);
      }
      out.attachments.push_back(std::move(a));
      return;
    }
    if (!GMIME_IS_PART(object)) return;
    GMimePart* part = GMIME_PART(object);
    std::string type = content_type_of(object);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    bool attachment = disposition && g_mime_content_disposition_is_attachment(disposition);
    const char* filename = g_mime_part_get_filename(part);
    GMimeContentType* ct = g_mime_object_get_content_type(object);
    const char* charset = ct ? g_mime_content_type_get_parameter(ct, "charset") : nullptr;
    bool body_candidate = !attachment && !filename;
    if (in_report && (type == "message/delivery-status" || type == "message/global-delivery-status")) {
      if (auto bytes = part_bytes(part, limits.max_attachment_bytes)) read_delivery_status(to_utf8(*bytes, ""), out);
      return;
    }
    if (in_report && type == "text/rfc822-headers") {
      if (auto bytes = part_bytes(part, limits.max_attachment_bytes); bytes && out.original_message_id.empty())
        out.original_message_id = message_id_of_headers(*bytes);
      return;
    }
    if (body_candidate && type == "text/plain" && (!text_set || !in_alternative)) {
      auto bytes = part_bytes(part, limits.max_attachment_bytes);
      if (bytes) {
        std::string t = to_utf8(*bytes, charset ? charset : "");
        if (text_set) {
          out.text += "\n\n" + t;
        } else {
          out.text = std::move(t);
          text_set = true;
        }
        return;
      }
    }
    if (body_candidate && type == "text/html" && !html_set) {
      if (auto bytes = part_bytes(part, limits.max_attachment_bytes)) {
        out.html = to_utf8(*bytes, charset ? charset : "");
        html_set = true;
        return;
      }
    }
    MailAttachment a;
    a.content_type = type;
    a.filename = filename ? safe(filename) : std::string();
    const char* cid = g_mime_object_get_content_id(object);
    a.content_id = cid ? strip_angles(cid) : std::string();
    const char* disp = disposition ? g_mime_content_disposition_get_disposition(disposition) : nullptr;
    a.is_inline = disp ? lower(disp) == "inline" : !a.content_id.empty();
    if (auto bytes = part_bytes(part, limits.max_attachment_bytes)) a.data = std::move(*bytes);
    else a.truncated = true;
    out.attachments.push_back(std::move(a));
  }
};

// CRLF and lone CR as LF.
std::string lf_only(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string header(GMimeObject* object, const char* name) {
  const char* v = g_mime_object_get_header(object, name);
  return v ? std::string(v) : std::string();
}

bool looks_like_out_of_office(std::string_view subject) {
  std::string s = lower(subject);
  for (const char* p : {"auto:", "automatic reply", "autoreply", "auto-reply", "out of office", "out of the office",
                        "r\xc3\xa9ponse automatique", "reponse automatique", "absence", "abwesenheit"})
    if (s.find(p) != std::string::npos) return true;
  return false;
}

MessageKind auto_reply_kind(GMimeObject* object, std::string_view subject) {
  std::string auto_submitted = lower(trim(header(object, "Auto-Submitted")));
  auto_submitted = std::string(trim(auto_submitted.substr(0, std::min(auto_submitted.find(';'), auto_submitted.size()))));
  if (!auto_submitted.empty() && auto_submitted != "no") return MessageKind::AutoReply;
  if (g_mime_object_get_header(object, "X-Autoreply") || g_mime_object_get_header(object, "X-Autorespond") ||
      g_mime_object_get_header(object, "X-Autoresponder"))
    return MessageKind::AutoReply;
  std::string precedence = lower(trim(header(object, "Precedence")));
  if (precedence == "auto_reply") return MessageKind::AutoReply;
  if ((precedence == "bulk" || precedence == "junk") && looks_like_out_of_office(subject)) return MessageKind::AutoReply;
  return MessageKind::Ordinary;
}

}  // namespace

ParsedMessage parse_message(std::string_view raw, const MimeLimits& limits) {
  init_once();
  GMimeParserOptions* options = g_mime_parser_options_new();
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options, fallback);
  std::unique_ptr<GMimeParserOptions, void (*)(GMimeParserOptions*)> options_owner(options, g_mime_parser_options_free);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
  if (!message || raw.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw Problem(ProblemKind::BadRequest, tr("The message cannot be read as an e-mail (MIME)"));

  ParsedMessage out;
  GMimeObject* top = GMIME_OBJECT(message.get());
  out.message_id = decode_message_id(g_mime_message_get_message_id(message.get()));
  out.in_reply_to = decode_message_id(g_mime_object_get_header(top, "In-Reply-To"));
  if (const char* refs = g_mime_object_get_header(top, "References")) {
    GMimeReferences* list = g_mime_references_parse(options, refs);
    if (list) {
      int n = g_mime_references_length(list);
      for (int i = 0; i < n && i < 1000; ++i) {
        std::string id = strip_angles(safe(g_mime_references_get_message_id(list, i)));
        if (!id.empty()) out.references.push_back(std::move(id));
      }
      g_mime_references_free(list);
    }
  }
  out.subject = std::string(trim(safe(g_mime_message_get_subject(message.get()))));
  std::vector<MailAddress> from;
  add_addresses(g_mime_message_get_from(message.get()), from);
  if (!from.empty()) out.from = from.front();
  add_addresses(g_mime_message_get_to(message.get()), out.to);
  add_addresses(g_mime_message_get_cc(message.get()), out.cc);
  add_addresses(g_mime_message_get_reply_to(message.get()), out.reply_to);
  if (GDateTime* date = g_mime_message_get_date(message.get())) out.sent_at = g_date_time_to_unix(date);
  out.list_unsubscribe_present = g_mime_object_get_header(top, "List-Unsubscribe") != nullptr;

  Walker walker{limits, out};
  walker.walk(g_mime_message_get_mime_part(message.get()), 1, false, false);
  if (out.kind != MessageKind::DeliveryReport) out.kind = auto_reply_kind(top, out.subject);
  if (out.text.empty() && !out.html.empty()) out.text = html_to_text(out.html);
  out.text = lf_only(out.text);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace {

bool has_line_break(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

Message label_of(const std::string& field) {
  if (field == "subject") return Message::both("Objet", "Subject");
  if (field == "from") return Message::both("De", "From");
  if (field == "to") return Message::both("\xc3\x80", "To");
  if (field == "cc") return Message::both("Cc", "Cc");
  if (field == "bcc") return Message::both("Cci", "Bcc");
  if (field == "reply_to") return Message::both("R\xc3\xa9pondre \xc3\xa0", "Reply to");
  if (field == "attachments") return Message::both("Pi\xc3\xa8" "ces jointes", "Attachments");
  return Message::both("En-t\xc3\xaates", "Headers");
}

void check_text(FieldErrors& errors, const std::string& field, std::string_view value) {
  if (has_line_break(value))
    errors.add(field, label_of(field), tr("must not contain a line break or a NUL character"));
}

void check_address(FieldErrors& errors, const std::string& field, const MailAddress& a) {
  check_text(errors, field, a.name);
  if (has_line_break(a.address)) {
    errors.add(field, label_of(field), tr("must not contain a line break or a NUL character"));
    return;
  }
  if (validate::email(trim(a.address)))
    errors.add(field, label_of(field), tr("'{value}' is not a valid e-mail address", {{"value", utf8::make_valid(a.address)}}));
}

bool valid_message_id(std::string_view id) {
  if (id.empty() || id.size() > 250 || id.find('@') == std::string_view::npos) return false;
  for (unsigned char c : id)
    if (c <= ' ' || c >= 127 || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',') return false;
  return true;
}

bool valid_header_name(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (unsigned char c : name)
    if (c <= ' ' || c >= 127 || c == ':') return false;
  static const char* reserved[] = {"from", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to",
                                   "references", "reply-to", "sender", "mime-version", "content-type",
                                   "content-transfer-encoding", "content-disposition", "content-id", "return-path"};
  std::string l = lower(name);
  return std::none_of(std::begin(reserved), std::end(reserved), [&](const char* r) { return l == r; });
}

GMimeObject* new_part(const std::string& type, const std::string& subtype, std::string_view bytes,
                      GMimeContentEncoding encoding) {
  GMimePart* part = g_mime_part_new_with_type(type.c_str(), subtype.c_str());
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeDataWrapper> wrapper(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, wrapper.get());
  if (encoding == GMIME_CONTENT_ENCODING_DEFAULT)
    encoding = g_mime_part_get_best_content_encoding(part, GMIME_ENCODING_CONSTRAINT_7BIT);
  g_mime_part_set_content_encoding(part, encoding);
  return GMIME_OBJECT(part);
}

GMimeObject* text_part(const std::string& subtype, std::string_view text) {
  std::string body = lf_only(text);
  GMimeObject* part = new_part("text", subtype, body, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_object_set_content_type_parameter(part, "charset", utf8::valid(body) ? "utf-8" : "windows-1252");
  return part;
}

// Adds `child` to `multipart`, dropping the caller's reference.
void add(GMimeMultipart* multipart, GMimeObject* child) {
  g_mime_multipart_add(multipart, child);
  g_object_unref(child);
}

std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  std::string domain = at == std::string_view::npos ? std::string() : std::string(trim(address.substr(at + 1)));
  return domain.empty() ? "localhost" : domain;
}

}  // namespace

std::string new_message_id(std::string_view domain) {
  init_once();
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string id;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      id += alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) id += alphabet[(buffer << (5 - bits)) & 31];
  std::string d;
  for (char c : domain)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') d += c;
  return id + "@" + (d.empty() ? std::string("localhost") : d);
}

std::string write_message(OutgoingMessage& m) {
  init_once();
  FieldErrors errors;
  check_text(errors, "subject", m.subject);
  check_address(errors, "from", m.from);
  if (m.to.empty() && m.cc.empty() && m.bcc.empty())
    errors.add("to", label_of("to"), tr("at least one recipient is needed"));
  for (const auto& a : m.to) check_address(errors, "to", a);
  for (const auto& a : m.cc) check_address(errors, "cc", a);
  for (const auto& a : m.bcc) check_address(errors, "bcc", a);
  if (m.reply_to) check_address(errors, "reply_to", *m.reply_to);
  for (const auto& [name, value] : m.extra_headers) {
    if (!valid_header_name(name))
      errors.add("headers", label_of("headers"), tr("'{name}' is not a header that may be added", {{"name", utf8::make_valid(name)}}));
    check_text(errors, "headers", value);
  }
  auto check_id = [&](std::string_view id) {
    if (!valid_message_id(strip_angles(id)) || has_line_break(id))
      errors.add("headers", label_of("headers"), tr("'{value}' is not a valid message identifier", {{"value", utf8::make_valid(id)}}));
  };
  if (!m.message_id.empty()) check_id(m.message_id);
  if (!m.in_reply_to.empty()) check_id(m.in_reply_to);
  for (const auto& r : m.references) check_id(r);
  for (const auto& a : m.attachments) {
    check_text(errors, "attachments", a.filename);
    check_text(errors, "attachments", a.content_type);
    check_text(errors, "attachments", a.content_id);
  }
  errors.throw_if_any();

  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  GMimeObject* top = GMIME_OBJECT(message.get());
  auto add_mailbox = [&](GMimeAddressType type, const MailAddress& a) {
    std::string name(trim(a.name)), addr(trim(a.address));
    g_mime_message_add_mailbox(message.get(), type, name.empty() ? nullptr : name.c_str(), addr.c_str());
  };
  add_mailbox(GMIME_ADDRESS_TYPE_FROM, m.from);
  for (const auto& a : m.to) add_mailbox(GMIME_ADDRESS_TYPE_TO, a);
  for (const auto& a : m.cc) add_mailbox(GMIME_ADDRESS_TYPE_CC, a);
  if (m.reply_to) add_mailbox(GMIME_ADDRESS_TYPE_REPLY_TO, *m.reply_to);
  g_mime_message_set_subject(message.get(), m.subject.c_str(), "utf-8");
  GDateTime* date = g_date_time_new_from_unix_utc(m.date ? m.date : int64_t(std::time(nullptr)));
  g_mime_message_set_date(message.get(), date);
  g_date_time_unref(date);
  if (m.message_id.empty()) m.message_id = new_message_id(domain_of(m.from.address));
  else m.message_id = strip_angles(m.message_id);
  g_mime_message_set_message_id(message.get(), m.message_id.c_str());
  if (!m.in_reply_to.empty())
    g_mime_object_set_header(top, "In-Reply-To", ("<" + strip_angles(m.in_reply_to) + ">").c_str(), nullptr);
  if (!m.references.empty()) {
    std::string refs;
    for (const auto& r : m.references) refs += (refs.empty() ? "<" : " <") + strip_angles(r) + ">";
    g_mime_object_set_header(top, "References", refs.c_str(), nullptr);
  }
  for (const auto& [name, value] : m.extra_headers)
    g_mime_object_append_header(top, name.c_str(), std::string(trim(value)).c_str(), "utf-8");

  // text, or alternative(text, html) — the html with its inline images in a related part
  GMimeObject* body = text_part("plain", m.text.empty() && !m.html.empty() ? html_to_text(m.html) : m.text);
  std::vector<const MailAttachment*> inline_images, files;
  for (const auto& a : m.attachments)
    (a.is_inline && !a.content_id.empty() && !m.html.empty() ? inline_images : files).push_back(&a);
  auto attachment_part = [](const MailAttachment& a) {
    std::string type = a.content_type.empty() ? "application/octet-stream" : lower(a.content_type);
    auto slash = type.find('/');
    std::string major = slash == std::string::npos ? "application" : type.substr(0, slash);
    std::string minor = slash == std::string::npos ? "octet-stream" : type.substr(slash + 1);
    if (major.empty() || minor.empty()) major = "application", minor = "octet-stream";
    GMimeObject* part = new_part(major, minor, a.data, GMIME_CONTENT_ENCODING_BASE64);
    g_mime_object_set_disposition(part, a.is_inline ? "inline" : "attachment");
    if (!a.filename.empty()) g_mime_part_set_filename(GMIME_PART(part), a.filename.c_str());
    if (!a.content_id.empty()) g_mime_object_set_content_id(part, strip_angles(a.content_id).c_str());
    return part;
  };
  if (!m.html.empty()) {
    GMimeObject* html = text_part("html", m.html);
    if (!inline_images.empty()) {
      GMimeMultipart* related = g_mime_multipart_new_with_subtype("related");
      add(related, html);
      for (const auto* a : inline_images) add(related, attachment_part(*a));
      html = GMIME_OBJECT(related);
    }
    GMimeMultipart* alternative = g_mime_multipart_new_with_subtype("alternative");
    add(alternative, body);
    add(alternative, html);
    body = GMIME_OBJECT(alternative);
  }
  if (!files.empty()) {
    GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
    add(mixed, body);
    for (const auto* a : files) add(mixed, attachment_part(*a));
    body = GMIME_OBJECT(mixed);
  }
  g_mime_message_set_mime_part(message.get(), body);
  g_object_unref(body);

  GMimeFormatOptions* opts = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(opts, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_format_options_set_param_encoding_method(opts, GMIME_PARAM_ENCODING_METHOD_RFC2231);
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(top, opts, mem.get());
  g_mime_format_options_free(opts);
  return bytes_of(g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get())));
}

std::vector<MailAddress> parse_address_list(std::string_view text) {
  init_once();
  std::string s = utf8::make_valid(text);
  std::replace(s.begin(), s.end(), '\0', ' ');
  std::replace(s.begin(), s.end(), ';', ',');  // Outlook's separator
  std::vector<MailAddress> out;
  InternetAddressList* list = internet_address_list_parse(nullptr, s.c_str());
  if (list) {
    add_addresses(list, out);
    g_object_unref(list);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> mime_messages_fr() {
  return {
      {"The message cannot be read as an e-mail (MIME)", "Le message ne peut pas \xc3\xaatre lu comme un e-mail (MIME)"},
      {"must not contain a line break or a NUL character", "ne doit contenir ni saut de ligne ni caract\xc3\xa8re NUL"},
      {"'{value}' is not a valid e-mail address", "\xc2\xab\xc2\xa0{value}\xc2\xa0\xc2\xbb n'est pas une adresse e-mail valide"},
      {"at least one recipient is needed", "il faut au moins un destinataire"},
      {"'{name}' is not a header that may be added", "\xc2\xab\xc2\xa0{name}\xc2\xa0\xc2\xbb n'est pas un en-t\xc3\xaate qui peut \xc3\xaatre ajout\xc3\xa9"},
      {"'{value}' is not a valid message identifier", "\xc2\xab\xc2\xa0{value}\xc2\xa0\xc2\xbb n'est pas un identifiant de message valide"},
  };
}

}  // namespace gz::modules::email
