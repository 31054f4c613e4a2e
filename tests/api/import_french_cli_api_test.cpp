// The real CLI on a file as French Excel writes it (docs/import.md): Windows-1252 with ";",
// everyday headers (email, Prénom, Téléphone, Société) read without --map, a phone too short to be
// used set aside, the report in French (the locale's language), the same file imported twice
// matched by e-mail, the reject file of original rows in Windows-1252, and --encoding, --strict,
// --on-match.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api_fixture.h"
#include "io/csv_encoding.h"

using namespace gzt;

namespace {

namespace fs = std::filesystem;

std::string cp1252(const std::string& utf8) { return gz::io::encode_text(utf8, "windows-1252"); }

std::string utf8_of(const std::string& bytes) {
  std::istringstream in(bytes);
  gz::io::DecodedStream d(in.rdbuf(), "windows-1252");
  return std::string((std::istreambuf_iterator<char>(d)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(ImportFrenchCli, ExcelFileWithEverydayHeadersTwice) {
  fs::path dir = fs::temp_directory_path() / ("gz_frcli_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string db = (dir / "gazelle.db").string();
  fs::path file = dir / "clients.csv";
  std::ofstream(file, std::ios::binary) << cp1252(
      "email;Prénom;Nom;Téléphone;Société\r\n"
      "helene@exemple.fr;Hélène;Lefèvre;06.12.34.56.78;Brasserie Éole\r\n"
      "marc@exemple.fr;Marc;Petit;07 11 22;\r\n"
      "pas-un-courriel;Éric;Cœur;+33 (0)6 23 45 67 89;\r\n");
  std::map<std::string, std::string> fr = {{"GAZELLE_LANG", "fr"}};
  auto r = run_gazelle({"import", "contacts", file.string(), "--db", db, "--create-missing"}, fr);
  EXPECT_EQ(r.exit_code, 4) << r.out;  // one row rejected
  EXPECT_NE(r.out.find("fichier lu en windows-1252 (détecté), séparateur ;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("colonnes lues d'après leur nom usuel\u00a0: email \u2192 E-mails (emails), Prénom \u2192 Prénom "
                       "(first_name)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("créées 2, mises à jour 0, inchangées 0, rejetées 1 (3\u00a0lignes lues)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 Comptes créé(e)s"), std::string::npos) << r.out;  // the company, by its name
  EXPECT_NE(r.out.find("phone_set_aside 1"), std::string::npos) << r.out;
  std::string warnings = read_file(dir / "clients.warnings.csv");
  EXPECT_NE(warnings.find("3,Téléphone,«\u00a007 11 22\u00a0» est trop court pour un numéro de téléphone"), std::string::npos)
      << warnings;
  // The reject file: the original row in Windows-1252 and ";", the reason in French.
  std::string rejects = read_file(dir / "clients.rejects.csv");
  EXPECT_EQ(rejects.find("\xEF\xBB\xBF"), std::string::npos) << "no byte-order mark: the file had none";
  std::string text = utf8_of(rejects);
  EXPECT_EQ(text.rfind("email;Prénom;Nom;Téléphone;Société;Motif du rejet\r\n", 0), 0u) << text;
  EXPECT_NE(text.find("pas-un-courriel;Éric;Cœur;'+33 (0)6 23 45 67 89;;email\u00a0: "), std::string::npos) << text;

  // The same file again: every readable row matches its contact by e-mail.
  r = run_gazelle({"import", "contacts", file.string(), "--db", db}, fr);
  EXPECT_NE(r.out.find("créées 0, mises à jour 0, inchangées 2, rejetées 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2\u00a0lignes correspondent à des fiches existantes par l'e-mail ou le SIRET et les ont mises à "
                       "jour (--on-match update)"),
            std::string::npos)
      << r.out;
  // The corrected reject file imports as it is (its reason column skipped, the quote dropped).
  std::string fixed = text;
  fixed.replace(fixed.find("pas-un-courriel"), 15, "eric@exemple.fr");
  fs::path again = dir / "corrige.csv";
  std::ofstream(again, std::ios::binary) << cp1252(fixed);
  r = run_gazelle({"import", "contacts", again.string(), "--db", db, "--format", "json"}, fr);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"created\": 1"), std::string::npos) << r.out;
  auto exported = run_gazelle({"export", "contacts", "--db", db});
  EXPECT_NE(exported.out.find("+33623456789"), std::string::npos) << exported.out;

  // --on-match create adds them again; --strict rejects the row with the unusable number;
  // --encoding says how to read the file.
  r = run_gazelle({"import", "contacts", file.string(), "--db", db, "--on-match", "create", "--strict", "--dry-run"}, fr);
  EXPECT_NE(r.out.find("essai à blanc\u00a0: créées 1, mises à jour 0, inchangées 0, rejetées 2"), std::string::npos) << r.out;
  r = run_gazelle({"import", "contacts", file.string(), "--db", db, "--encoding", "cp1252", "--dry-run"}, fr);
  EXPECT_NE(r.out.find("fichier lu en windows-1252 (comme demandé), séparateur ;"), std::string::npos) << r.out;
  r = run_gazelle({"import", "contacts", file.string(), "--db", db, "--encoding", "klingon"}, fr);
  EXPECT_NE(r.exit_code, 0);
  // In English when the locale says so.
  r = run_gazelle({"import", "contacts", file.string(), "--db", db, "--dry-run"}, {{"GAZELLE_LANG", "en"}});
  EXPECT_NE(r.out.find("file read as windows-1252 (detected), separator ;"), std::string::npos) << r.out;
  fs::remove_all(dir);
}
