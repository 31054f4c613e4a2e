// The UCI Online Retail file through the ordinary order import with the documented mapping
// (docs/import.md, "Online Retail example"): the whole file (541,909 rows, about 30 s), checked
// against counts this test computes itself from the raw rows and against the published figures
// of the clean set (4,338 customers, 18,532 orders, 8,911,407.90), then imported again to show
// that a re-run changes nothing. GAZELLE_ONLINE_RETAIL_ROWS=N imports only the first N rows
// (the published figures are then not asserted).
#include "build_paths.h"
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/crypto.h"
#include "domain/access.h"
#include "modules/analytics/analytics_service.h"
#include "domain/import_runs.h"
#include "domain/records.h"
#include "io/csv.h"
#include "store/migrations.h"
#include "data_sets.h"

using namespace gz;
using json = nlohmann::json;

namespace {

// Cents of a price as the import reads it: to the cent, half away from zero.
int64_t cents_of(const std::string& s) {
  bool neg = !s.empty() && s[0] == '-';
  std::string t = neg ? s.substr(1) : s;
  size_t dot = t.find('.');
  std::string whole = dot == std::string::npos ? t : t.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : t.substr(dot + 1);
  int64_t c = (whole.empty() ? 0 : std::stoll(whole)) * 100;
  if (!frac.empty()) c += (frac[0] - '0') * 10;
  if (frac.size() > 1) c += frac[1] - '0';
  if (frac.size() > 2 && frac[2] >= '5') c += 1;
  return neg ? -c : c;
}

std::string customer_of(const std::string& raw) {
  return raw.size() > 2 && raw.compare(raw.size() - 2, 2, ".0") == 0 ? raw.substr(0, raw.size() - 2) : raw;
}

TEST(OnlineRetailImport, FiguresMatchTheRawFile) {
  GAZELLE_NEED_DATA("UCI Online Retail", "online_retail/online_retail.csv");
  std::string source = gzdata::data_file("online_retail/online_retail.csv");
  const char* env = std::getenv("GAZELLE_ONLINE_RETAIL_ROWS");
  int64_t limit = env ? std::atoll(env) : 0;  // 0 = the whole file

  crypto::init();
  auto dir = std::filesystem::temp_directory_path() / ("gz-retail-" + crypto::random_token(6));
  std::filesystem::create_directories(dir);
  std::string slice = (dir / "online_retail.csv").string();

  // The slice, and the expected figures computed from its raw rows.
  std::set<std::string> customers, orders, returns, anonymous, bad_debt;
  int64_t revenue = 0, price_zero = 0, rows = 0, bad_debt_rows = 0;
  {
    std::ifstream in(source, std::ios::binary);
    std::ofstream out(slice, std::ios::binary);
    io::CsvReader r(in);
    io::CsvWriter w(out);
    std::vector<std::string> h;
    ASSERT_TRUE(r.read_header(h));
    w.write_row(h);
    io::CsvRow row;
    while ((limit == 0 || rows < limit) && r.next(row)) {
      ++rows;
      w.write_row(row.fields);
      const std::string& inv = row.fields[0];
      int64_t qty = std::stoll(row.fields[3]);
      int64_t price = cents_of(row.fields[5]);
      std::string cust = customer_of(row.fields[6]);
      if (price == 0) ++price_zero;
      if (price < 0) bad_debt.insert(inv), ++bad_debt_rows;
      if (inv[0] == 'C') returns.insert(inv);
      else if (cust.empty() && price >= 0) anonymous.insert(inv);
      if (!cust.empty() && qty > 0 && price > 0) {
        customers.insert(cust);
        orders.insert(inv);
        revenue += qty * price;
      }
    }
  }

  auto db = store::Database::open((dir / "retail.db").string());
  store::apply_migrations(*db);
  domain::RecordService records(*db);
  domain::ImportFileRequest req;
  req.entity = "orders";
  req.path = slice;
  req.mapping = {{"columns",
                  {{"InvoiceNo", "external_id"}, {"StockCode", "sku"}, {"Description", "description"},
                   {"Quantity", "quantity"}, {"InvoiceDate", "ordered_at"}, {"UnitPrice", "unit_price"},
                   {"CustomerID", "contact_external_id"}, {"Country", "-"}}},
                 {"constants", {{"currency", "GBP"}}},
                 {"options", {{"create_missing", true}, {"returns_prefix", "C"}, {"allow_anonymous", true}}}};
  req.rejects_path = (dir / "rejects.csv").string();
  req.warnings_path = (dir / "warnings.csv").string();
  req.batch_size = 5000;
  auto result = domain::import_file(records, domain::system_actor(), req);
  const auto& rep = result.report;
  EXPECT_EQ(rep.rows, rows);
  // Only the negative "bad debt" prices are refused (a unit price cannot be negative).
  EXPECT_EQ(rep.rejected, int64_t(bad_debt.size()));
  EXPECT_EQ(rep.warning_kinds.count("price_zero") ? rep.warning_kinds.at("price_zero") : 0, price_zero);

  store::with_transaction(*db, false, [&](store::Connection& c) {
    // Customers' purchases: orders with a customer, not returns, with a positive total.
    json sales = c.query_one(
        "SELECT COUNT(DISTINCT contact_id) AS customers, COUNT(*) AS orders, SUM(total_cents) AS revenue FROM orders "
        "WHERE contact_id IS NOT NULL AND status <> 'returned' AND total_cents > 0");
    EXPECT_EQ(sales["customers"].get<int64_t>(), int64_t(customers.size()));
    EXPECT_EQ(sales["orders"].get<int64_t>(), int64_t(orders.size()));
    EXPECT_EQ(sales["revenue"].get<int64_t>(), revenue);
    if (limit == 0) {  // the published figures of the clean set
      EXPECT_EQ(sales["customers"], 4338);
      EXPECT_EQ(sales["orders"], 18532);
      EXPECT_EQ(sales["revenue"], 891140790);
    }
    // Cancellations are returns with a negative total; lines without customer anonymous sales.
    json ret = c.query_one("SELECT COUNT(*) AS n, MAX(total_cents) AS top FROM orders WHERE status = 'returned'");
    EXPECT_EQ(ret["n"].get<int64_t>(), int64_t(returns.size()));
    if (!returns.empty()) EXPECT_LT(ret["top"].get<int64_t>(), 0);
    EXPECT_EQ(c.query_one("SELECT COUNT(*) AS n FROM orders WHERE contact_id IS NULL AND account_id IS NULL AND status <> 'returned'")["n"]
                  .get<int64_t>(),
              int64_t(anonymous.size()));
    EXPECT_EQ(c.query_one("SELECT COUNT(*) AS n FROM order_lines")["n"].get<int64_t>(), rows - bad_debt_rows);
    EXPECT_EQ(c.query_one("SELECT currency FROM orders LIMIT 1")["currency"], "GBP");
  });

  // The analytics summary counts the same purchases (orders worth something, not returns) once
  // told that this shop's orders worth nothing (only price-0 adjustment lines) are no purchase
  // occasions — the setting count_free_orders, true by default as in the published models.
  domain::AnalyticsService analytics(*db);
  analytics.put_settings(domain::system_actor(), {{"count_free_orders", false}});
  json summary = analytics.summary(domain::system_actor(), {});
  EXPECT_EQ(summary["customers_with_purchases"].get<int64_t>(), int64_t(customers.size()));
  EXPECT_EQ(summary["orders"].get<int64_t>(), int64_t(orders.size()));
  EXPECT_EQ(summary["revenue_cents"].get<int64_t>(), revenue);
  if (limit == 0) {
    EXPECT_EQ(summary["customers_with_purchases"], 4338);
    EXPECT_EQ(summary["orders"], 18532);
    EXPECT_EQ(summary["revenue_cents"], 891140790);
  }

  // A second import of the same file is idempotent.
  req.restart = true;
  auto again = domain::import_file(records, domain::system_actor(), req);
  EXPECT_EQ(again.report.created, 0);
  EXPECT_EQ(again.report.updated, 0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
