// Quotes as PDF (modules/sales/quote_pdf.h): the bytes are a PDF, and the words and figures are
// really in it, read back by pdftotext (poppler-utils, installed by scripts/install-deps.sh).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/sales/quote_pdf.h"

using namespace gz::modules::sales;

namespace {

QuoteDocument sample(size_t extra_lines = 0) {
  QuoteDocument d;
  d.company.name = "Atelier Gazelle SAS";
  d.company.address_lines = {"12 rue de la R\u00e9publique", "69002 Lyon"};
  d.company.siret = "123 456 789 00012";
  d.company.vat_number = "FR 12 123456789";
  d.company.legal_form = "SAS au capital de 10\u202f000\u00a0\u20ac \u2014 RCS Lyon 123 456 789";
  d.company.email = "devis@atelier-gazelle.fr";
  d.company.phone = "04 72 00 00 00";
  d.company.payment_terms = "30 jours fin de mois, par virement";
  d.customer.name = "H\u00e9l\u00e8ne Lef\u00e8vre \u2014 \u00c9b\u00e9nisterie C\u0153ur de Ch\u00eane";
  d.customer.address_lines = {"3 place de l'\u00c9glise", "13100 Aix-en-Provence"};
  d.number = "D-2026-0001";
  d.issue_date = "2026-12-02";
  d.valid_until = "2027-01-01";
  d.lines = {
      {"Table en ch\u00eane massif, plateau 200 \u00d7 90 cm, finition huil\u00e9e \u2014 une description longue "
       "qui doit passer \u00e0 la ligne dans sa colonne sans d\u00e9border sur les prix",
       1, 123456, 0, "20", ""},
      {"Livraison et installation", 2, 5000, 1000, "10", ""},
      {"Livre \u00ab\u00a0Le bois et ses essences\u00a0\u00bb", 3, 100, 0, "5.5", ""},
      {"Formation (organisme en franchise)", 1, 20000, 0, "0", "franchise"},
  };
  for (size_t i = 0; i < extra_lines; ++i)
    d.lines.push_back({"Chaise assortie n\u00b0 " + std::to_string(i + 1), 1, 15000, 0, "20", ""});
  d.notes = "D\u00e9lai de fabrication : 6 semaines apr\u00e8s acceptation.\nAcompte de 30 % \u00e0 la commande.";
  compute_totals(d);
  return d;
}

// The PDF's text as pdftotext reads it, no-break spaces turned into plain ones.
std::string pdf_text(const std::string& pdf, const std::string& extra_args = "") {
  namespace fs = std::filesystem;
  fs::path file = fs::temp_directory_path() / ("gazelle-quote-" + std::to_string(getpid()) + ".pdf");
  {
    std::ofstream out(file, std::ios::binary);
    out << pdf;
  }
  std::string cmd = "pdftotext -enc UTF-8 " + extra_args + " '" + file.string() + "' - 2>&1";
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    int rc = pclose(p);
    if (rc != 0) text = "pdftotext failed (" + std::to_string(rc) + "): " + text;
  }
  fs::remove(file);
  return text;
}

bool have_pdftotext() { return std::system("command -v pdftotext >/dev/null 2>&1") == 0; }

std::string plain_spaces(std::string s) {
  for (const char* nb : {"\u00a0", "\u202f"})
    for (size_t at; (at = s.find(nb)) != std::string::npos;) s.replace(at, std::string(nb).size(), " ");
  return s;
}

}  // namespace

TEST(QuotePdf, IsAPdf) {
  std::string pdf = render_quote_pdf(sample());
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

TEST(QuotePdf, TheWordsAndFiguresAreInIt) {
  ASSERT_TRUE(have_pdftotext()) << "pdftotext is missing: scripts/install-deps.sh installs poppler-utils";
  QuoteDocument d = sample();
  // 1 234,56 € at 20 %; 2 × 50 € − 10 € = 90 € at 10 %; 3 × 1 € at 5,5 %; 200 € exempt.
  ASSERT_EQ(d.totals.net_cents, 123456 + 9000 + 300 + 20000);
  // (pdftotext writes the no-break spaces of "1 234,56 €" as plain ones: the Money tests check them.)
  std::string t = plain_spaces(pdf_text(render_quote_pdf(d)));
  EXPECT_NE(t.find("Devis n\u00b0 D-2026-0001"), std::string::npos) << t;
  EXPECT_NE(t.find("1 234,56 \u20ac"), std::string::npos) << t;
  EXPECT_NE(t.find("TVA 20 %"), std::string::npos) << t;
  EXPECT_NE(t.find("TVA 5,5 %"), std::string::npos) << t;
  EXPECT_NE(t.find("D\u00e9signation"), std::string::npos) << t;
  EXPECT_NE(t.find("Prix unitaire"), std::string::npos) << t;  // "HT" wraps under it
  EXPECT_NE(t.find("H\u00e9l\u00e8ne Lef\u00e8vre"), std::string::npos) << t;
  EXPECT_NE(t.find("C\u0153ur de Ch\u00eane"), std::string::npos) << t;
  EXPECT_NE(t.find("2 d\u00e9cembre 2026"), std::string::npos) << t;
  EXPECT_NE(t.find("1er janvier 2027"), std::string::npos) << t;
  EXPECT_NE(t.find("TVA non applicable, art. 293 B du CGI"), std::string::npos) << t;
  EXPECT_NE(t.find("Total TTC"), std::string::npos) << t;
  // 1 527,56 € HT; VAT 246,912 -> 246,91 + 9,00 + 0,165 -> 0,17 = 256,08 €; 1 783,64 € TTC.
  EXPECT_EQ(d.totals.vat_cents, 24691 + 900 + 17);
  EXPECT_NE(t.find("1 527,56 \u20ac"), std::string::npos) << t;
  EXPECT_NE(t.find("256,08 \u20ac"), std::string::npos) << t;
  EXPECT_NE(t.find("1 783,64 \u20ac"), std::string::npos) << t;
  EXPECT_NE(t.find("frais de recouvrement de 40 \u20ac"), std::string::npos) << t;
  EXPECT_NE(t.find("30 jours fin de mois"), std::string::npos) << t;
  EXPECT_NE(t.find("Page 1/1"), std::string::npos) << t;
}

TEST(QuotePdf, SixtyLinesTakeSeveralPagesWithTheirHeaderRepeated) {
  ASSERT_TRUE(have_pdftotext()) << "pdftotext is missing: scripts/install-deps.sh installs poppler-utils";
  std::string t = plain_spaces(pdf_text(render_quote_pdf(sample(60))));
  size_t pages = std::count(t.begin(), t.end(), '\f');  // pdftotext ends every page with a form feed
  EXPECT_GE(pages, 2u) << t;
  EXPECT_NE(t.find("Page 1/" + std::to_string(pages)), std::string::npos) << t;
  EXPECT_NE(t.find("Page " + std::to_string(pages) + "/" + std::to_string(pages)), std::string::npos) << t;
  EXPECT_NE(t.find("Devis n\u00b0 D-2026-0001 (suite)"), std::string::npos) << t;
  // The table's header on every page that has lines: at least twice.
  size_t headers = 0;
  for (size_t at = 0; (at = t.find("D\u00e9signation", at)) != std::string::npos; ++at) ++headers;
  EXPECT_GE(headers, 2u) << t;
  EXPECT_NE(t.find("Chaise assortie n\u00b0 60"), std::string::npos) << t;
}

TEST(QuotePdf, InEnglish) {
  ASSERT_TRUE(have_pdftotext()) << "pdftotext is missing: scripts/install-deps.sh installs poppler-utils";
  QuoteDocument d = sample();
  d.language = "en";
  std::string t = plain_spaces(pdf_text(render_quote_pdf(d)));
  EXPECT_NE(t.find("Quote no. D-2026-0001"), std::string::npos) << t;
  EXPECT_NE(t.find("\u20ac1,234.56"), std::string::npos) << t;
  EXPECT_NE(t.find("2 December 2026"), std::string::npos) << t;
  EXPECT_NE(t.find("VAT not applicable, article 293 B"), std::string::npos) << t;
}

TEST(QuotePdf, OddInputStillMakesAPdf) {
  QuoteDocument d;  // nothing at all
  EXPECT_EQ(render_quote_pdf(d).rfind("%PDF-", 0), 0u);
  d = sample();
  d.customer.name = std::string("Soci\xe9t\xe9 mal encod\xe9", 17);  // Latin-1, not UTF-8
  d.lines[0].description = std::string(5000, 'x');                  // one very long word
  d.issue_date = "bient\u00f4t";
  EXPECT_EQ(render_quote_pdf(d).rfind("%PDF-", 0), 0u);
}

TEST(QuotePdf, DatesAndRates) {
  EXPECT_EQ(format_long_date("2026-12-02"), "2 d\u00e9cembre 2026");
  EXPECT_EQ(format_long_date("2027-01-01T09:00:00Z"), "1er janvier 2027");
  EXPECT_EQ(format_long_date("2026-08-15", "en"), "15 August 2026");
  EXPECT_EQ(format_long_date("02/12/2026"), "02/12/2026");
  EXPECT_EQ(format_rate("5.5"), "5,5\u00a0%");
  EXPECT_EQ(format_rate("20", "en"), "20%");
}

TEST(QuotePdf, LongNotesGoOnOverTheNextPage) {
  ASSERT_TRUE(have_pdftotext()) << "pdftotext is missing: scripts/install-deps.sh installs poppler-utils";
  QuoteDocument d = sample();
  d.notes.clear();
  for (int i = 1; i <= 90; ++i) d.notes += "Clause n\u00b0 " + std::to_string(i) + " des conditions particuli\u00e8res.\n";
  std::string t = plain_spaces(pdf_text(render_quote_pdf(d)));
  EXPECT_GE(std::count(t.begin(), t.end(), '\f'), 2) << t;
  EXPECT_NE(t.find("Clause n\u00b0 1 des"), std::string::npos) << t;
  EXPECT_NE(t.find("Clause n\u00b0 90 des"), std::string::npos) << t;
  EXPECT_NE(t.find("frais de recouvrement"), std::string::npos) << t;
}

TEST(QuotePdf, ComputeTotalsFillsTheLinesAndRefusesInvalidOnes) {
  QuoteDocument d = sample();
  EXPECT_EQ(d.lines[1].net_cents, 9000);
  EXPECT_EQ(d.totals.gross_cents, 178364);
  d.lines[2].vat_rate = "7";
  try {
    compute_totals(d);
    FAIL() << "no problem thrown";
  } catch (const gz::Problem& p) {
    ASSERT_EQ(p.fields().size(), 1u);
    EXPECT_EQ(p.fields()[0].field, "lines[2].vat_rate");
  }
}
