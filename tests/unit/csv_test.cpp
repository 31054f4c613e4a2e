#include <gtest/gtest.h>

#include <sstream>

#include "io/csv.h"

using namespace gz;

namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<io::CsvRow> rows;
  char sep = 0;
};

Parsed parse(const std::string& text) {
  std::istringstream in(text);
  io::CsvReader r(in);
  Parsed p;
  r.read_header(p.header);
  io::CsvRow row;
  while (r.next(row)) p.rows.push_back(row);
  p.sep = r.separator();
  return p;
}

// The error a text raises, or a failure when it raises none.
io::CsvError error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const io::CsvError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return io::CsvError(0, "", false);
}

}  // namespace

TEST(CsvReader, ReadsSimpleCommaFile) {
  auto p = parse("a,b,c\n1,2,3\n4,,6\n");
  EXPECT_EQ(p.sep, ',');
  ASSERT_EQ(p.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1].fields, (std::vector<std::string>{"4", "", "6"}));
  EXPECT_EQ(p.rows[0].line, 2);
  EXPECT_EQ(p.rows[1].line, 3);
}

TEST(CsvReader, SkipsUtf8ByteOrderMark) {
  auto p = parse("\xEF\xBB\xBFnom,ville\r\nLefèvre,Orléans\r\n");
  ASSERT_EQ(p.header.size(), 2u);
  EXPECT_EQ(p.header[0], "nom");  // not "\xEF\xBB\xBFnom"
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].fields[1], "Orléans");
}

TEST(CsvReader, DetectsSemicolonFromHeader) {
  auto p = parse("Nom;Prénom;Montant\nDupont;Jean;12,50\n");
  EXPECT_EQ(p.sep, ';');
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].fields, (std::vector<std::string>{"Dupont", "Jean", "12,50"}));
}

TEST(CsvReader, SeparatorInsideQuotedHeaderDoesNotCount) {
  auto p = parse("\"a;b;c\",d\n1,2\n");
  EXPECT_EQ(p.sep, ',');
  EXPECT_EQ(p.header, (std::vector<std::string>{"a;b;c", "d"}));
}

TEST(CsvReader, QuotedFieldsWithEmbeddedNewlineAndDoubledQuotes) {
  auto p = parse("name,note,x\r\n\"Dupont, Jean\",\"line one\r\nline \"\"two\"\"\",1\r\nB,\"\",2\r\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].fields[0], "Dupont, Jean");
  EXPECT_EQ(p.rows[0].fields[1], "line one\r\nline \"two\"");
  EXPECT_EQ(p.rows[0].line, 2);
  EXPECT_EQ(p.rows[1].line, 4);  // the quoted line break counts as a line
  EXPECT_EQ(p.rows[1].fields[1], "");
}

TEST(CsvReader, AcceptsLfCrAndMissingFinalNewlineAndBlankLines) {
  auto p = parse("a,b\n1,2\n\n3,4");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1].fields[1], "4");
  EXPECT_EQ(p.rows[1].line, 4);
  auto cr = parse("a,b\r1,2\r3,4\r");
  ASSERT_EQ(cr.rows.size(), 2u);
  EXPECT_EQ(cr.rows[1].fields[0], "3");
}

TEST(CsvReader, UnterminatedQuoteIsReportedWithItsLine) {
  auto e = error_of("a,b\n1,2\n3,\"never closed\n4,5\n");
  EXPECT_EQ(e.line(), 3);
  EXPECT_FALSE(e.recoverable());
  EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos);
}

TEST(CsvReader, QuoteInTheMiddleOfAnUnquotedFieldIsAnError) {
  auto e = error_of("a,b\n1,2\n3,4\nfive,si\"x\n");
  EXPECT_EQ(e.line(), 4);
  EXPECT_FALSE(e.recoverable());
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  auto e = error_of("a,b\n\"x\"y,2\n");
  EXPECT_EQ(e.line(), 2);
}

TEST(CsvReader, WrongColumnCountIsRecoverableWithLine) {
  std::istringstream in("a,b,c\n1,2,3\n4,5\n6,7,8\n");
  io::CsvReader r(in);
  std::vector<std::string> h;
  ASSERT_TRUE(r.read_header(h));
  io::CsvRow row;
  ASSERT_TRUE(r.next(row));
  try {
    r.next(row);
    FAIL() << "a row of 2 columns under a header of 3 was accepted";
  } catch (const io::CsvError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_TRUE(e.recoverable());
    EXPECT_NE(e.message().english().find("2 columns"), std::string::npos);
  }
  ASSERT_TRUE(r.next(row));  // reading goes on
  EXPECT_EQ(row.fields[0], "6");
  EXPECT_EQ(row.line, 4);
  EXPECT_FALSE(r.next(row));
}

TEST(CsvWriter, QuotesOnlyWhatNeedsItAndReadsBack) {
  std::ostringstream out;
  io::CsvWriter w(out);
  std::vector<std::string> tricky = {"plain", "a,b", "say \"hi\"", "two\nlines", "", " padded"};
  w.write_row({"c1", "c2", "c3", "c4", "c5", "c6"});
  w.write_row(tricky);
  EXPECT_EQ(out.str(), "c1,c2,c3,c4,c5,c6\r\nplain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" padded\"\r\n");
  auto p = parse(out.str());
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].fields, tricky);
}

// OWASP CSV injection: a cell a spreadsheet would run as a formula gets a leading quote; plain
// signed numbers stay numbers.
TEST(CsvWriter, NeutralisesFormulaCells) {
  std::ostringstream out;
  io::CsvWriter w(out);
  w.write_row({"=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "-12,50", "-1250", "+33612345678", "-",
               "-1.", "a=b", "1-2"});
  EXPECT_EQ(out.str(),
            "'=1+2,'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\tx,\"'\rx\",\"-12,50\",-1250,+33612345678,'-,'-1.,a=b,1-2\r\n");
  // Off for files the program reads back itself.
  std::ostringstream raw;
  io::CsvWriter keep(raw, ',', false);
  keep.write_row({"=1+2", "-x"});
  EXPECT_EQ(raw.str(), "=1+2,-x\r\n");
}
