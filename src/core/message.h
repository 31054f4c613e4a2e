// Message: what Gazelle says to a person (a problem's title and detail, a field's error, an
// import warning), kept as an English template with named arguments until it reaches the
// boundary that knows who reads it: the HTTP layer renders it in the user's language (their
// setting, else Accept-Language), the CLI in the locale's. The English template is the key of
// its translation, gettext-style: the French of "'{value}' is not a valid phone number" is looked
// up in the message catalogue (core/messages_fr.cpp for the kernel, Module::messages_fr for a
// module), so that a message written at a throw site needs no key of its own; a template missing
// from the catalogue shows in English (the MessagesFr unit test lists them).
//
//   throw Problem(ProblemKind::Unprocessable,
//                 tr("{field} must be at most {max} characters", {{"field", label}, {"max", 200}}));
//
// Arguments are shown as given (a name, a value the user typed), numbers in the reader's format
// ("1 234,5" in French), a nested Message (a field label, an enum value) in the reader's language.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gz {

struct MessageArg;

class Message {
 public:
  Message() = default;
  // An English template, translated through the catalogue; implicit, so that a plain string
  // literal where a Message is expected reads as a template without arguments.
  Message(std::string english_template) : en_(std::move(english_template)) {}
  Message(const char* english_template) : en_(english_template) {}
  // Shown as is in every language: a name, a value the user typed, a file name.
  static Message verbatim(std::string s);
  // Given in both languages by the caller (a catalogue label): no lookup.
  static Message both(std::string fr, std::string en);
  // A number in the reader's format, with `decimals` digits after the separator.
  static Message number(double v, int decimals = 0);

  Message& arg(std::string name, Message value);

  // "fr" or "en" (anything else reads as French, the product's language).
  std::string render(std::string_view lang) const;
  std::string english() const { return render("en"); }
  std::string french() const { return render("fr"); }
  bool empty() const { return en_.empty() && fr_.empty(); }
  // The English template (the catalogue key); "" for a verbatim value or a number.
  const std::string& english_template() const { return kind_ == Kind::Template ? en_ : empty_; }

  // A message equals a text when its English reading does (what tests compare), and prints in
  // English (logs, test failures). Hidden friends: found only for a Message argument, so that a
  // string compared with a string never converts to a Message.
  friend bool operator==(const Message& m, std::string_view english) { return m.english() == english; }
  friend std::ostream& operator<<(std::ostream& os, const Message& m) { return os << m.english(); }

 private:
  enum class Kind { Template, Verbatim, Both, Number };
  Kind kind_ = Kind::Template;
  std::string en_, fr_;
  double number_ = 0;
  int decimals_ = 0;
  std::vector<MessageArg> args_;
  static const std::string empty_;
};

// One named argument: a string or a C string is shown verbatim, an integer or a double as a
// number, a Message in the reader's language.
struct MessageArg {
  std::string name;
  Message value;
  MessageArg(std::string n, Message m) : name(std::move(n)), value(std::move(m)) {}
  MessageArg(std::string n, const std::string& s) : name(std::move(n)), value(Message::verbatim(s)) {}
  MessageArg(std::string n, std::string_view s) : name(std::move(n)), value(Message::verbatim(std::string(s))) {}
  MessageArg(std::string n, const char* s) : name(std::move(n)), value(Message::verbatim(s)) {}
  MessageArg(std::string n, int v) : name(std::move(n)), value(Message::number(double(v))) {}
  MessageArg(std::string n, long v) : name(std::move(n)), value(Message::number(double(v))) {}
  MessageArg(std::string n, long long v) : name(std::move(n)), value(Message::number(double(v))) {}
  MessageArg(std::string n, unsigned long v) : name(std::move(n)), value(Message::number(double(v))) {}
  MessageArg(std::string n, unsigned long long v) : name(std::move(n)), value(Message::number(double(v))) {}
  MessageArg(std::string n, unsigned v) : name(std::move(n)), value(Message::number(double(v))) {}
};

// A template with its arguments: tr("{n} rows were rejected", {{"n", rejected}}).
Message tr(std::string english_template, std::initializer_list<MessageArg> args = {});

// The message catalogue: French templates by English template. The kernel's are built in; each
// module adds its own (kernel::modules() registers Module::messages_fr). Thread-safe once the
// process has started serving (additions happen while the module list is built).
void add_french_messages(const std::vector<std::pair<std::string, std::string>>& pairs);
// The French template of an English one, or nullptr when the catalogue has none.
const std::string* french_template(const std::string& english_template);

// "fr" or "en" from a locale or language tag ("fr_FR.UTF-8", "en-GB", "C"): French unless it
// names English.
std::string language_of_tag(std::string_view tag);
// The CLI's language: LC_ALL, LC_MESSAGES, LANG (the first set), through language_of_tag;
// GAZELLE_LANG overrides them.
std::string locale_language();

}  // namespace gz
