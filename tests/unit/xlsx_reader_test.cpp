// XLSX reading: workbooks written with libxlsxwriter (as the export writes them) read back.
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <filesystem>

#include "core/crypto.h"
#include "io/xlsx_reader.h"

using namespace gz;

namespace {

std::string temp_path(const std::string& name) {
  crypto::init();
  return (std::filesystem::temp_directory_path() / ("gz-xlsx-" + crypto::random_token(6) + "-" + name)).string();
}

TEST(XlsxReader, ColumnReferences) {
  EXPECT_EQ(io::xlsx_column_index("A1"), 0);
  EXPECT_EQ(io::xlsx_column_index("Z9"), 25);
  EXPECT_EQ(io::xlsx_column_index("AA10"), 26);
  EXPECT_EQ(io::xlsx_column_index("$AB$2"), 27);
  EXPECT_EQ(io::xlsx_column_index("XFD1"), 16383);
  EXPECT_EQ(io::xlsx_column_index("12"), -1);
  EXPECT_EQ(io::xlsx_row_number("C17"), 17);
}

TEST(XlsxReader, SerialDates) {
  EXPECT_EQ(io::xlsx_serial_to_iso(1, false), "1900-01-01");
  EXPECT_EQ(io::xlsx_serial_to_iso(59, false), "1900-02-28");
  EXPECT_EQ(io::xlsx_serial_to_iso(61, false), "1900-03-01");
  EXPECT_EQ(io::xlsx_serial_to_iso(45292, false), "2024-01-01");
  EXPECT_EQ(io::xlsx_serial_to_iso(45292.75, true), "2024-01-01T18:00:00");
  EXPECT_EQ(io::xlsx_serial_to_iso(0, false, true), "1904-01-01");
  EXPECT_TRUE(io::xlsx_format_is_date("dd/mm/yyyy"));
  bool t = false;
  EXPECT_TRUE(io::xlsx_format_is_date("yyyy-mm-dd hh:mm", &t));
  EXPECT_TRUE(t);
  EXPECT_FALSE(io::xlsx_format_is_date("0.00"));
  EXPECT_FALSE(io::xlsx_format_is_date("#,##0 \"days\""));
  EXPECT_FALSE(io::xlsx_format_is_date("[Red]0.00"));
}

TEST(XlsxReader, ReadsWhatXlsxwriterWrote) {
  std::string path = temp_path("book.xlsx");
  {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Clients");
    lxw_worksheet* other = workbook_add_worksheet(wb, "Commandes");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    lxw_format* stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy-mm-dd hh:mm:ss");
    worksheet_write_string(ws, 0, 0, "nom", nullptr);
    worksheet_write_string(ws, 0, 1, "né le", nullptr);
    worksheet_write_string(ws, 0, 2, "montant", nullptr);
    worksheet_write_string(ws, 0, 3, "actif", nullptr);
    worksheet_write_string(ws, 0, 4, "vu", nullptr);
    worksheet_write_string(ws, 1, 0, "Hélène Müller-Çelik", nullptr);
    lxw_datetime d = {1987, 3, 14, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 1, &d, date);
    worksheet_write_number(ws, 1, 2, 1234.5, nullptr);
    worksheet_write_boolean(ws, 1, 3, 1, nullptr);
    lxw_datetime ts = {2024, 5, 6, 14, 30, 15};
    worksheet_write_datetime(ws, 1, 4, &ts, stamp);
    // Row 3: an empty cell in column B (nothing written), a value after it.
    worksheet_write_string(ws, 2, 0, "Zoé", nullptr);
    worksheet_write_number(ws, 2, 2, 17850, nullptr);
    // Row 5 (row 4 skipped entirely), only column E.
    worksheet_write_string(ws, 4, 4, "seul", nullptr);
    worksheet_write_string(other, 0, 0, "facture", nullptr);
    worksheet_write_string(other, 1, 0, "C536379", nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  }

  io::XlsxReader r(path);
  ASSERT_EQ(r.sheet_names(), (std::vector<std::string>{"Clients", "Commandes"}));
  std::vector<std::string> cells;
  int64_t row = 0;
  ASSERT_TRUE(r.next_row(cells, row));
  EXPECT_EQ(row, 1);
  EXPECT_EQ(cells, (std::vector<std::string>{"nom", "né le", "montant", "actif", "vu"}));
  ASSERT_TRUE(r.next_row(cells, row));
  EXPECT_EQ(row, 2);
  EXPECT_EQ(cells, (std::vector<std::string>{"Hélène Müller-Çelik", "1987-03-14", "1234.5", "true", "2024-05-06T14:30:15"}));
  ASSERT_TRUE(r.next_row(cells, row));
  EXPECT_EQ(row, 3);
  EXPECT_EQ(cells, (std::vector<std::string>{"Zoé", "", "17850"}));
  ASSERT_TRUE(r.next_row(cells, row));
  EXPECT_EQ(row, 5);
  EXPECT_EQ(cells, (std::vector<std::string>{"", "", "", "", "seul"}));
  EXPECT_FALSE(r.next_row(cells, row));
  EXPECT_GT(r.total_bytes(), 0u);
  EXPECT_EQ(r.bytes_read(), r.total_bytes());

  r.open_sheet("Commandes");
  ASSERT_TRUE(r.next_row(cells, row));
  EXPECT_EQ(cells, (std::vector<std::string>{"facture"}));
  ASSERT_TRUE(r.next_row(cells, row));
  EXPECT_EQ(cells, (std::vector<std::string>{"C536379"}));
  EXPECT_FALSE(r.next_row(cells, row));

  try {
    r.open_sheet("Factures");
    FAIL() << "no such sheet";
  } catch (const io::XlsxError& e) {
    EXPECT_NE(std::string(e.what()).find("'Clients', 'Commandes'"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(XlsxReader, RejectsWhatIsNotAWorkbook) {
  std::string path = temp_path("not.xlsx");
  { FILE* f = std::fopen(path.c_str(), "w"); std::fputs("a,b\n1,2\n", f); std::fclose(f); }
  EXPECT_THROW(io::XlsxReader r(path), io::XlsxError);
  std::filesystem::remove(path);
}

}  // namespace
