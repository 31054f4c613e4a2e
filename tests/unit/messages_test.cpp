// Messages in the reader's language (core/message.h): rendering, and a French translation for
// every template the sources write with tr("…").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "core/message.h"
#include "core/plural.h"
#include "core/problem.h"
#include "core/validate.h"
#include "build_paths.h"
#include "domain/import_runs.h"
#include "kernel/module.h"

using namespace gz;

TEST(Messages, TemplatesTakeTheirArgumentsInTheReadersLanguage) {
  Message m = tr("'{value}' is not a phone number", {{"value", "06 12"}});
  EXPECT_EQ(m.english(), "'06 12' is not a phone number");
  EXPECT_EQ(m.french(), "\u00ab\u00a006 12\u00a0\u00bb n'est pas un num\u00e9ro de t\u00e9l\u00e9phone");
  // A number in the reader's format; a nested message in the reader's language.
  Message n = tr("is {n} characters long; the maximum is {max}", {{"n", 12345}, {"max", 200}});
  EXPECT_EQ(n.english(), "is 12,345 characters long; the maximum is 200");
  EXPECT_EQ(n.french(), "fait 12\u202f345\u00a0caract\u00e8res\u00a0; le maximum est 200");
  EXPECT_EQ(Message::number(-1234.5, 1).french(), "-1\u202f234,5");
  EXPECT_EQ(Message::number(0.04, 1).english(), "0.0");
  Message both = tr("must be {expected}, not {actual}", {{"expected", Message("a string")}, {"actual", Message("an integer")}});
  EXPECT_EQ(both.french(), "doit \u00eatre un texte, pas un nombre entier");
  // Without a translation, the English shows; an unknown placeholder stays as written.
  EXPECT_EQ(tr("no such template {x}", {{"y", 1}}).french(), "no such template {x}");
}

TEST(Messages, FieldErrorsNameTheFieldByItsLabel) {
  FieldErrors errors;
  errors.add("phones[0]", Message::both("T\u00e9l\u00e9phones", "Phones"), validate::phone("06 12").error);
  try {
    errors.throw_if_any();
    FAIL() << "no problem thrown";
  } catch (const Problem& p) {
    EXPECT_EQ(p.detail("fr").rfind("T\u00e9l\u00e9phones\u00a0: ", 0), 0u) << p.detail("fr");
    EXPECT_EQ(p.detail("en").rfind("Phones: ", 0), 0u) << p.detail("en");
    EXPECT_EQ(p.title("fr"), "Saisie invalide");
    EXPECT_EQ(p.fields()[0].field, "phones[0]");
  }
}

TEST(Messages, CountsAgreeWithTheirNoun) {
  auto ended = [](int64_t n) {
    return plural(n, tr("{n} session ended", {{"n", n}}), tr("{n} sessions ended", {{"n", n}}));
  };
  // French: 0 and 1 in the singular; English: 1 only.
  EXPECT_EQ(ended(0).french(), "0\u00a0session ferm\u00e9e");
  EXPECT_EQ(ended(0).english(), "0 sessions ended");
  EXPECT_EQ(ended(1).french(), "1\u00a0session ferm\u00e9e");
  EXPECT_EQ(ended(1).english(), "1 session ended");
  EXPECT_EQ(ended(2).french(), "2\u00a0sessions ferm\u00e9es");
  EXPECT_EQ(ended(2).english(), "2 sessions ended");
}

TEST(Messages, AnInterruptedImportIsSaidInFrench) {
  // Stored as its English template; the runs API renders it (domain::run_json).
  ASSERT_NE(french_template(domain::kInterruptedError), nullptr);
  EXPECT_EQ(tr(domain::kInterruptedError).french().rfind("interrompu", 0), 0u);
}

TEST(Messages, LocaleLanguage) {
  EXPECT_EQ(language_of_tag("fr_FR.UTF-8"), "fr");
  EXPECT_EQ(language_of_tag("en_GB.UTF-8"), "en");
  EXPECT_EQ(language_of_tag("C.UTF-8"), "fr");
  EXPECT_EQ(language_of_tag(""), "fr");
}

namespace {

// The templates of tr("…") and Message("…") calls in a source text: adjacent literals joined,
// \" and \\ unescaped (the sources use no other escapes in templates but \u00a0-free English).
// Messages built by concatenation ("user " + id + " …", or name + " must be …") have their line
// numbers added to *concatenated*: they cannot be translated until written as tr() templates.
std::vector<std::string> templates_in(const std::string& src, std::vector<size_t>* concatenated = nullptr) {
  auto line_of = [&](size_t pos) { return size_t(std::count(src.begin(), src.begin() + long(pos), '\n')) + 1; };
  std::vector<std::string> out;
  // tr("…"), Message("…"), and the plain literals given as a problem's detail or a field's
  // message (Problem(ProblemKind::X, "…"), Problem(kind, "…"), errors.add(path, "…"),
  // errors.add(path, label, "…")), which read as templates too. A path may itself hold literals
  // ("lifecycle_stage", p + ".quantity"), calls and subscripts, but no statement boundary.
  static const std::string arg = R"re((?:"[^"\n]*"|[^,()"\n;{}]|\([^()]*\))+)re";
  static const std::string sink = R"re((?:\bProblem\((?:ProblemKind::)?\w+,|\.add\()re" + arg + ",(?:" + arg + ",)?)";
  static const std::regex call(R"re((?:\btr\(|\bMessage\(|)re" + sink + R"re()\s*")re");
  // An example in a comment is no message.
  auto in_comment = [&](size_t pos) {
    size_t start = src.rfind('\n', pos);
    return src.find("//", start == std::string::npos ? 0 : start) < pos;
  };
  for (auto it = std::sregex_iterator(src.begin(), src.end(), call); it != std::sregex_iterator(); ++it) {
    if (in_comment(size_t(it->position()))) continue;
    size_t i = size_t(it->position() + it->length()) - 1;  // at the opening quote
    std::string text;
    while (i < src.size() && src[i] == '"') {
      ++i;
      while (i < src.size() && src[i] != '"') {
        if (src[i] == '\\' && i + 1 < src.size()) {
          char c = src[i + 1];
          text += c == 'n' ? '\n' : c;
          i += 2;
          continue;
        }
        text += src[i++];
      }
      ++i;  // closing quote
      while (i < src.size() && (src[i] == ' ' || src[i] == '\n')) ++i;
    }
    if (i < src.size() && src[i] == '+') {
      if (concatenated) concatenated->push_back(line_of(size_t(it->position())));
      continue;
    }
    if (!text.empty()) out.push_back(text);
  }
  // A detail or a field message that starts with a variable and goes on with a literal:
  // Problem(ProblemKind::X, name + " must be …"), errors.add(path, id + " is …").
  static const std::regex leading_variable(sink + R"re(\s*[\w.:>\-\[\]*]+(?:\([^()]*\))?\s*\+\s*")re");
  if (concatenated)
    for (auto it = std::sregex_iterator(src.begin(), src.end(), leading_variable); it != std::sregex_iterator(); ++it)
      if (!in_comment(size_t(it->position()))) concatenated->push_back(line_of(size_t(it->position())));
  return out;
}

}  // namespace

TEST(Messages, EveryTemplateInTheSourcesHasItsFrench) {
  kernel::modules();  // registers the modules' own French messages
  namespace fs = std::filesystem;
  std::set<std::string> missing;
  size_t seen = 0;
  std::vector<std::string> concatenated;  // file:line of each message still built by concatenation
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(GAZELLE_SOURCE_DIR) / "src")) {
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<size_t> lines;
    for (const auto& t : templates_in(ss.str(), &lines)) {
      ++seen;
      if (!french_template(t)) missing.insert(entry.path().filename().string() + ": " + t);
    }
    for (size_t line : lines)
      concatenated.push_back(fs::relative(entry.path(), GAZELLE_SOURCE_DIR).string() + ":" + std::to_string(line));
  }
  EXPECT_GT(seen, 50u);
  std::cout << seen << " messages checked; " << concatenated.size() << " still built by concatenation (English only)\n";
  // A message glued together from pieces reads in English whatever the reader's language: write
  // it as tr("… {name} …", {{"name", value}}) and give its French in the catalogue.
  std::string sites;
  for (const auto& c : concatenated) sites += "\n  " + c;
  EXPECT_EQ(concatenated.size(), 0u) << "messages built by concatenation (English only):" << sites;
  std::string list;
  for (const auto& m : missing) list += "\n  " + m;
  EXPECT_TRUE(missing.empty()) << missing.size() << " templates without French:" << list;
}
