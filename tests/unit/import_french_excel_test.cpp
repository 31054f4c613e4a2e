// The files French Excel really writes (issue 14, docs/import.md): Windows-1252 with ";" (and the
// other encodings spreadsheets write), phones as people write them with an unusable one set aside,
// everyday headers read without a mapping, re-imports matched by e-mail or SIRET instead of
// creating every row again, a contact's company by its name, the reject file of original rows in
// the file's own encoding, and duplicate warnings in words queued for review.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/problem.h"
#include "core/validate.h"
#include "domain/access.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "domain/records.h"
#include "io/csv_encoding.h"
#include "modules/duplicates/entry_check.h"
#include "store/migrations.h"
#include "store/record_store.h"

using namespace gz;
using json = nlohmann::json;

namespace {

// UTF-8 text as Windows-1252 bytes (what French Excel writes for "CSV (séparateur : point-virgule)").
std::string cp1252(const std::string& utf8) { return io::encode_text(utf8, "windows-1252"); }

class ImportFrenchExcel : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::init();
    dir_ = std::filesystem::temp_directory_path() / ("gz-frxl-" + crypto::random_token(6));
    std::filesystem::create_directories(dir_);
    db_ = store::Database::open((dir_ / "test.db").string());
    store::apply_migrations(*db_);
    records_ = std::make_unique<domain::RecordService>(*db_);
    service_ = std::make_unique<domain::ImportService>(*records_);
  }
  void TearDown() override {
    service_.reset();
    records_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  domain::ImportReport import(const std::string& entity, const std::string& bytes, domain::ImportOptions o = {}) {
    std::istringstream in(bytes);
    return service_->import_csv(domain::system_actor(), domain::entity(entity), in, o);
  }

  std::string write(const std::string& name, const std::string& bytes) {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  std::vector<json> all(const std::string& entity) {
    domain::ListRequest req{{{"limit", "500"}, {"sort", "id"}}};
    return records_->list(domain::system_actor(), domain::entity(entity), req).data;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<domain::RecordService> records_;
  std::unique_ptr<domain::ImportService> service_;
};

std::string messages(const std::vector<domain::ImportError>& list, std::string_view lang = "en") {
  std::string out;
  for (const auto& e : list) out += std::to_string(e.line) + " " + e.column + ": " + e.message.render(lang) + "\n";
  return out;
}

}  // namespace

// ---- Encodings ------------------------------------------------------------------------------

TEST(CsvEncoding, DetectsWhatSpreadsheetsWrite) {
  EXPECT_EQ(io::detect_encoding_of("nom;ville\nMartin;Lyon\n").name, "UTF-8");
  auto bom = io::detect_encoding_of("\xEF\xBB\xBFnom;ville\nLef\xC3\xA8vre;S\xC3\xA8te\n");
  EXPECT_EQ(bom.name, "UTF-8");
  EXPECT_TRUE(bom.bom);
  EXPECT_EQ(io::detect_encoding_of(cp1252("Prénom;Nom\nHélène;Lefèvre\n")).name, "windows-1252");
  // Mac Roman: é is 0x8E, è 0x8F (undefined in Windows-1252).
  EXPECT_EQ(io::detect_encoding_of("Pr\x8Enom;Nom\nH\x8Esl\x8Fne;Lef\x8Fvre\n").name, "macintosh");
  std::string u16 = "\xFF\xFE";
  for (char c : std::string("a;b\n")) u16 += std::string(1, c) + '\0';
  auto le = io::detect_encoding_of(u16);
  EXPECT_EQ(le.name, "UTF-16LE");
  EXPECT_TRUE(le.bom);
  // The first accent a million bytes in: the whole stream is read.
  std::string big = "nom\n" + std::string(2 << 20, 'a') + "\n" + cp1252("Lefèvre\n");
  std::istringstream in(big);
  EXPECT_EQ(io::detect_encoding(in).name, "windows-1252");
  EXPECT_EQ(in.tellg(), 0);  // back where it was
}

TEST(CsvEncoding, NamesAndRoundTrip) {
  EXPECT_EQ(io::canonical_encoding("cp1252"), "windows-1252");
  EXPECT_EQ(io::canonical_encoding("UTF8"), "UTF-8");
  EXPECT_EQ(io::canonical_encoding("latin1"), "ISO-8859-1");
  EXPECT_EQ(io::canonical_encoding("auto"), "");
  EXPECT_FALSE(io::canonical_encoding("klingon"));
  std::string text = "Œuvre « Lefèvre » 12\u202f000 € ł";
  std::string bytes = io::encode_text(text, "windows-1252");
  EXPECT_EQ(bytes, "\x8Cuvre \xAB Lef\xE8vre \xBB 12\xA0" "000 \x80 ?");
  std::istringstream in(bytes);
  io::DecodedStream decoded(in.rdbuf(), "windows-1252");
  std::string back((std::istreambuf_iterator<char>(decoded)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, "Œuvre « Lefèvre » 12\u00a0000 € ?");
}

TEST_F(ImportFrenchExcel, Windows1252SemicolonFileImportsItsAccents) {
  std::string file = cp1252("Prénom;Nom;Courriel;Ville\nHélène;Lefèvre;helene@exemple.fr;Sète\nÉric;Cœur;eric@exemple.fr;Orléans\n");
  auto r = import("contacts", file);
  EXPECT_EQ(r.created, 2) << messages(r.errors);
  EXPECT_EQ(r.rejected, 0) << messages(r.errors);
  ASSERT_TRUE(r.encoding);
  EXPECT_EQ(r.encoding->name, "windows-1252");
  EXPECT_TRUE(r.encoding->detected);
  EXPECT_EQ(r.separator, ';');
  auto people = all("contacts");
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0]["first_name"], "Hélène");
  EXPECT_EQ(people[0]["last_name"], "Lefèvre");
  EXPECT_EQ(people[0]["city"], "Sète");
  EXPECT_EQ(people[1]["last_name"], "Cœur");
  // Told the encoding, the import reads it so (and says it was told).
  domain::ImportOptions o;
  o.encoding = "windows-1252";
  o.dry_run = true;
  auto told = import("contacts", file, o);
  ASSERT_TRUE(told.encoding);
  EXPECT_FALSE(told.encoding->detected);
  EXPECT_EQ(told.encoding->name, "windows-1252");
  EXPECT_EQ(told.rejected, 0) << messages(told.errors);
  // Told a wrong one (UTF-8), "Prénom" is not recognised: the column is refused.
  o.encoding = "UTF-8";
  try {
    import("contacts", file, o);
    ADD_FAILURE() << "a Windows-1252 header read as UTF-8 was accepted";
  } catch (const Problem& p) {
    EXPECT_NE(p.detail().find("cannot be imported into Contacts"), std::string::npos) << p.detail();
  }
}

TEST_F(ImportFrenchExcel, Utf8WithByteOrderMarkAndUtf16) {
  auto r = import("contacts", "\xEF\xBB\xBF" "Prénom;Nom\nZoé;Aubert\n");
  EXPECT_EQ(r.created, 1) << messages(r.errors);
  ASSERT_TRUE(r.encoding);
  EXPECT_TRUE(r.encoding->bom);
  EXPECT_EQ(all("contacts")[0]["first_name"], "Zoé");
  std::string u16 = "\xFF\xFE" + io::encode_text("Prénom\tNom\r\nJérôme\tBérard\r\n", "UTF-16LE");
  domain::ImportOptions o;
  auto r16 = import("contacts", u16, o);
  EXPECT_EQ(r16.created, 1) << messages(r16.errors);
  EXPECT_EQ(all("contacts")[1]["last_name"], "Bérard");
}

// ---- Phones ---------------------------------------------------------------------------------

TEST(PhoneAsWritten, FormsPeopleUse) {
  for (const char* v : {"06.12.34.56.78", "06-12-34-56-78", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78",
                        "0033612345678", "+33612345678", "+33 6 12 34 56 78", "06\u00a012\u00a034\u00a056\u00a078",
                        "06 12 34 56 78", "0612345678", "\t06 12 34 56 78 "}) {
    auto r = validate::phone(v);
    EXPECT_EQ(r.e164, "+33612345678") << v << ": " << r.error;
  }
  EXPECT_EQ(validate::phone("07.81.22.33.44").e164, "+33781223344");
  EXPECT_EQ(validate::phone("+33 (0)7 81 22 33 44").e164, "+33781223344");
  // Unusable numbers say why.
  EXPECT_EQ(validate::phone("07 11 22").error.english(), "'07 11 22' is too short for a phone number");
  EXPECT_EQ(validate::phone("06 12 34 56 78 90 12").error.english(), "'06 12 34 56 78 90 12' is too long for a phone number");
  EXPECT_EQ(validate::phone("07 11 22").error.french(), "«\u00a007 11 22\u00a0» est trop court pour un numéro de téléphone");
}

TEST_F(ImportFrenchExcel, UnusablePhoneIsSetAsideNotTheRow) {
  std::string file = cp1252(
      "Prénom;Nom;Portable;Courriel\n"
      "Hélène;Lefèvre;06.12.34.56.78;helene@exemple.fr\n"
      "Marc;Petit;07 11 22;marc@exemple.fr\n"
      "Anne;Roy;+33 (0)7 81 22 33 44 / 01 42 68 53 00;anne@exemple.fr\n");
  auto r = import("contacts", file);
  EXPECT_EQ(r.created, 3) << messages(r.errors);
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.warning_kinds["phone_set_aside"], 1) << messages(r.warnings);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 3);
  EXPECT_EQ(r.warnings[0].column, "Portable");
  EXPECT_EQ(r.warnings[0].message.french(),
            "«\u00a007 11 22\u00a0» est trop court pour un numéro de téléphone\u00a0; le numéro est mis de côté et le "
            "reste de la ligne importé\u00a0: corrigez-le sur la fiche de Marc Petit");
  auto people = all("contacts");
  EXPECT_EQ(people[0]["phones"], json::array({"+33612345678"}));
  EXPECT_EQ(people[1]["phones"], json::array());
  EXPECT_EQ(people[2]["phones"], json::array({"+33781223344", "+33142685300"}));

  // Strict: the row is rejected as before.
  domain::ImportOptions strict;
  strict.strict = true;
  strict.on_match = domain::OnMatch::Create;
  auto s = import("contacts", file, strict);
  EXPECT_EQ(s.created, 2);
  EXPECT_EQ(s.rejected, 1);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].line, 3);
}

// ---- Everyday headers -----------------------------------------------------------------------

TEST_F(ImportFrenchExcel, EverydayHeadersWithoutAMapping) {
  auto r = import("contacts",
                  "email,phone,Prénom,Nom,Code postal,Ville\n"
                  "zoe@exemple.fr,06 12 34 56 78,Zoé,Aubert,69001,Lyon\n");
  EXPECT_EQ(r.created, 1) << messages(r.errors);
  auto c = all("contacts")[0];
  EXPECT_EQ(c["emails"], json::array({"zoe@exemple.fr"}));
  EXPECT_EQ(c["phones"], json::array({"+33612345678"}));
  EXPECT_EQ(c["postcode"], "69001");
  EXPECT_EQ(c["city"], "Lyon");
  std::vector<std::pair<std::string, std::string>> want = {
      {"email", "emails"}, {"phone", "phones"}, {"Prénom", "first_name"}, {"Nom", "last_name"},
      {"Code postal", "postcode"}, {"Ville", "city"}};
  EXPECT_EQ(r.suggested_columns, want);

  const auto& contacts = domain::entity("contacts");
  EXPECT_EQ(domain::ImportService::suggest_mapping(
                contacts, {"Téléphone", "Portable", "Courriel", "Adresse e-mail", "Société", "SIRET", "Raison sociale"}),
            (std::vector<std::string>{"phones", "", "emails", "", "account_name", "account_legal_id", ""}));
  const auto& accounts = domain::entity("accounts");
  EXPECT_EQ(domain::ImportService::suggest_mapping(accounts, {"Raison sociale", "SIRET", "Téléphone", "Code postal", "Ville"}),
            (std::vector<std::string>{"name", "legal_id", "phone", "postcode", "city"}));
  // A reject file read back: its reason column is skipped.
  EXPECT_EQ(domain::ImportService::suggest_mapping(contacts, {"Nom", "Motif du rejet"}),
            (std::vector<std::string>{"last_name", "-"}));
  // A column named exactly after a field keeps it from a synonym.
  EXPECT_EQ(domain::ImportService::suggest_mapping(contacts, {"email", "emails"}), (std::vector<std::string>{"", "emails"}));
}

// ---- Re-imports without external ids -------------------------------------------------------

TEST_F(ImportFrenchExcel, SameFileTwiceMatchesByEmail) {
  std::string file = cp1252(
      "Prénom;Nom;Courriel;Ville\n"
      "Hélène;Lefèvre;helene@exemple.fr;Sète\n"
      "Marc;Petit;MARC@exemple.fr;Lyon\n");
  auto first = import("contacts", file);
  EXPECT_EQ(first.created, 2);
  EXPECT_EQ(first.matched, 0);
  auto again = import("contacts", file);
  EXPECT_EQ(again.created, 0) << messages(again.errors);
  EXPECT_EQ(again.matched, 2);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(all("contacts").size(), 2u);
  // A changed city updates the record the e-mail designates (case ignored).
  auto moved = import("contacts", cp1252("Prénom;Nom;Courriel;Ville\nMarc;Petit;marc@exemple.fr;Nantes\n"));
  EXPECT_EQ(moved.updated, 1);
  EXPECT_EQ(all("contacts")[1]["city"], "Nantes");
  // skip: left as it was; create: a second record.
  domain::ImportOptions skip;
  skip.on_match = domain::OnMatch::Skip;
  auto skipped = import("contacts", cp1252("Prénom;Nom;Courriel;Ville\nMarc;Petit;marc@exemple.fr;Brest\n"), skip);
  EXPECT_EQ(skipped.skipped, 1);
  EXPECT_EQ(skipped.unchanged, 1);
  EXPECT_EQ(all("contacts")[1]["city"], "Nantes");
  domain::ImportOptions create;
  create.on_match = domain::OnMatch::Create;
  auto created = import("contacts", file, create);
  EXPECT_EQ(created.created, 2);
  EXPECT_EQ(created.matched, 0);
  EXPECT_EQ(all("contacts").size(), 4u);
  // Two rows of one new file with the same address: one record.
  auto twice = import("contacts", "Nom,email\nRoy,anne@roy.fr\nRoy,anne@roy.fr\n");
  EXPECT_EQ(twice.created, 1);
  EXPECT_EQ(twice.matched, 1);
}

TEST_F(ImportFrenchExcel, AccountsMatchBySiretAndContactsLinkTheirCompany) {
  // 73282932000017: SIREN 732829320 (Luhn) with a valid SIRET key.
  std::string accounts = cp1252("Raison sociale;SIRET;Ville\nBrasserie Éole;732 829 320 00017;Lille\n");
  EXPECT_EQ(import("accounts", accounts).created, 1);
  auto again = import("accounts", accounts);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.matched, 1);
  // By its SIREN only.
  auto siren = import("accounts", "Raison sociale;SIREN;Ville\nBrasserie Eole;732829320;Roubaix\n");
  EXPECT_EQ(siren.matched, 1);
  EXPECT_EQ(siren.updated, 1);
  int64_t account_id = all("accounts")[0]["id"].get<int64_t>();

  // A contacts file with a Société column: linked by the folded name; unknown: imported without.
  auto r = import("contacts", cp1252("Nom;Courriel;Société\nLefèvre;h@exemple.fr;BRASSERIE EOLE\nPetit;m@exemple.fr;Inconnue SARL\n"));
  EXPECT_EQ(r.created, 2) << messages(r.errors);
  EXPECT_EQ(r.warning_kinds["reference_not_found"], 1) << messages(r.warnings);
  auto people = all("contacts");
  EXPECT_EQ(people[0]["account_id"], account_id);
  EXPECT_TRUE(people[1]["account_id"].is_null());
  // create_missing creates the company.
  domain::ImportOptions o;
  o.create_missing = true;
  auto c = import("contacts", cp1252("Nom;Courriel;Société\nPetit;m@exemple.fr;Inconnue SARL\n"), o);
  EXPECT_EQ(c.created_related["accounts"], 1);
  EXPECT_EQ(all("accounts").size(), 2u);
  EXPECT_EQ(all("contacts")[1]["account_id"], all("accounts")[1]["id"]);
}

// ---- Reject file of original rows -----------------------------------------------------------

TEST_F(ImportFrenchExcel, RejectFileGivesBackTheOriginalRowsInTheFilesEncoding) {
  std::string path = write("clients.csv", cp1252(
                                              "Prénom;Nom;Courriel;Remarque\n"
                                              "Hélène;Lefèvre;helene@exemple.fr;ok\n"
                                              "Éric;Cœur;pas-un-courriel;à revoir\n"
                                              ";;sans@nom.fr;\"avec ; point-virgule\"\n"));
  domain::ImportFileRequest req;
  req.entity = "contacts";
  req.path = path;
  req.mapping = {{"columns", {{"Remarque", "-"}}}};
  req.rejects_path = (dir_ / "clients.rejects.csv").string();
  req.warnings_path = (dir_ / "clients.warnings.csv").string();
  req.language = "fr";
  auto res = domain::import_file(*records_, domain::system_actor(), req);
  EXPECT_EQ(res.report.created, 1);
  EXPECT_EQ(res.report.rejected, 2);
  std::ifstream f(req.rejects_path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream in(bytes);
  io::DecodedStream text(in.rdbuf(), "windows-1252");
  std::string content((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.substr(0, 3), cp1252("Pré")) << "Windows-1252, no byte-order mark";
  EXPECT_NE(content.find("Prénom;Nom;Courriel;Remarque;Motif du rejet\r\n"), std::string::npos) << content;
  EXPECT_NE(content.find("Éric;Cœur;pas-un-courriel;à revoir;Courriel\u00a0: "), std::string::npos) << content;
  EXPECT_NE(content.find(";;sans@nom.fr;\"avec ; point-virgule\";Nom\u00a0: "), std::string::npos) << content;
  EXPECT_EQ(content.find("Hélène"), std::string::npos) << content;
  EXPECT_FALSE(std::filesystem::exists(req.rejects_path + ".journal"));

  // Corrected and imported again: the reason column is skipped.
  std::string fixed = content;
  fixed.replace(fixed.find("pas-un-courriel"), 15, "eric@exemple.fr");
  fixed.replace(fixed.find(";;sans@nom.fr"), 13, "Jean;Roy;sans@nom.fr");
  auto again = import("contacts", cp1252(fixed), [] {
    domain::ImportOptions o;
    o.map = {{"Remarque", "-"}};
    return o;
  }());
  EXPECT_EQ(again.created, 2) << messages(again.errors);
  EXPECT_EQ(again.rejected, 0);
}

// ---- Duplicate warnings in words, queued for review -----------------------------------------

TEST_F(ImportFrenchExcel, DuplicateWarningsNameTheRecordAndTheReasonsAndAreQueued) {
  records_->create(domain::system_actor(), domain::entity("contacts"),
                   {{"first_name", "Isabelle"}, {"last_name", "Denis"}, {"emails", {"isabelle.denis@exemple.fr"}},
                    {"phones", {"06 12 34 56 78"}}, {"city", "Lyon"}});
  std::string path = write("dups.csv", "Prénom;Nom;Courriel;Téléphone;Ville\n"
                                       "Isabelle;Denis;i.denis@autre.fr;06 12 34 56 78;Lyon\n"
                                       "Paul;Martin;paul@exemple.fr;;Brest\n");
  domain::ImportFileRequest req;
  req.entity = "contacts";
  req.path = path;
  req.warnings_path = (dir_ / "dups.warnings.csv").string();
  req.rejects_path = (dir_ / "dups.rejects.csv").string();
  req.language = "fr";
  auto check = matching::import_duplicate_check();
  req.duplicate_check = [&](domain::RowSource& source, const domain::ImportOptions& o) {
    return check(*db_, domain::system_actor(), "contacts", source, o);
  };
  auto res = domain::import_file(*records_, domain::system_actor(), req);
  EXPECT_EQ(res.report.created, 2);
  ASSERT_EQ(res.report.warning_kinds["probable_duplicate"], 1) << messages(res.report.warnings);
  std::string text;
  for (const auto& w : res.report.warnings)
    if (w.line == 2) text = w.message.french();
  EXPECT_NE(text.find("la même fiche que Isabelle Denis ("), std::string::npos) << text;
  EXPECT_NE(text.find("même téléphone"), std::string::npos) << text;
  EXPECT_EQ(text.find("score"), std::string::npos) << text;
  // Queued: the review list holds the pair without a scan.
  auto clusters = store::with_transaction(*db_, false, [&](store::Connection& c) {
    return c.query("SELECT c.id, c.status, p.record_a, p.record_b FROM duplicate_clusters c JOIN duplicate_pairs p "
                   "ON p.cluster_id = c.id WHERE c.entity = 'contacts'");
  });
  ASSERT_EQ(clusters.size(), 1u);
  auto people = all("contacts");
  EXPECT_EQ(clusters[0]["record_a"], people[0]["id"]);
  EXPECT_EQ(clusters[0]["record_b"], people[1]["id"]);
  // Imported again (matched by e-mail): the row is the record it updates; the pair is queued once.
  auto again = domain::import_file(*records_, domain::system_actor(), req);
  EXPECT_EQ(again.report.matched, 2);
  EXPECT_EQ(again.report.created, 0);
  auto after = store::with_transaction(*db_, false, [&](store::Connection& c) {
    return c.query("SELECT id FROM duplicate_clusters WHERE entity = 'contacts'");
  });
  EXPECT_EQ(after.size(), 1u);
}
