#!/usr/bin/env bash
# Import benchmark (bench/README.md, "Import"):
#  1. 1,000,000 contacts from a generated CSV through `gazelle import contacts`, beside a bare
#     `sqlite3 .import` of the same file into a plain table, in the same run; prints the ratio.
#  2. The UCI Online Retail file through the ordinary order import with the documented mapping
#     (docs/import.md), and its figures (customers with purchases, orders, revenue).
# Usage: bench/import_bench.sh [BUILD_DIR]   (env IMPORT_BENCH_ROWS, default 1000000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
bin=$build/gazelle
rows=${IMPORT_BENCH_ROWS:-1000000}
work=$(mktemp -d /tmp/gazelle-import-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "== generating $rows contacts in $work/contacts.csv"
awk -v n="$rows" 'BEGIN {
  srand(42);
  split("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier", L, " ");
  split("Jean Marie Pierre Anne Louis Camille Hélène Élodie Zoé Léa Hugo Chloé Nathan Inès Jules Manon", F, " ");
  split("Paris Lyon Marseille Toulouse Nantes Lille Rennes Bordeaux Montpellier Strasbourg", C, " ");
  print "external_id,first_name,last_name,emails,phones,postcode,city,lifecycle_stage";
  for (i = 1; i <= n; i++) {
    f = F[int(rand() * 16) + 1]; l = L[int(rand() * 20) + 1];
    # Only assigned French mobile ranges (06 10-06 89 but 06 39, and 07 50-07 89, as libphonenumber
    # knows them): every row is valid and imports.
    if (rand() < 0.75) { mob = "06"; pair = 10 + int(rand() * 79); if (pair >= 39) pair++ }
    else { mob = "07"; pair = 50 + int(rand() * 40) }
    printf "K%d,%s,%s,%s.%s%d@example.fr,%s %02d %02d %02d %02d,%05d,%s,prospect\n", i, f, l, tolower(l), "c", i,
      mob, pair, int(rand() * 100), int(rand() * 100), int(rand() * 100), int(rand() * 95000) + 1000,
      C[int(rand() * 10) + 1];
  }
}' > "$work/contacts.csv"
ls -l "$work/contacts.csv" | awk '{ printf "   %.1f MB\n", $5 / 1e6 }'

echo "== peer: sqlite3 .import into a plain table"
t0=$(now)
sqlite3 "$work/peer.db" <<SQL
CREATE TABLE contacts (external_id TEXT, first_name TEXT, last_name TEXT, emails TEXT, phones TEXT, postcode TEXT, city TEXT, lifecycle_stage TEXT);
.import --csv --skip 1 $work/contacts.csv contacts
SQL
t1=$(now)
peer=$(secs "$t0" "$t1")
echo "   $(sqlite3 "$work/peer.db" 'SELECT COUNT(*) FROM contacts') rows in ${peer} s"

echo "== gazelle import contacts (validation, e-mail and phone normalisation, search index, audit)"
"$bin" migrate --db "$work/gz.db" >/dev/null
t0=$(now)
"$bin" import contacts "$work/contacts.csv" --db "$work/gz.db" --batch-size 5000
t1=$(now)
gz=$(secs "$t0" "$t1")
echo "   $(sqlite3 "$work/gz.db" 'SELECT COUNT(*) FROM contacts') contacts in ${gz} s"
awk -v a="$gz" -v b="$peer" -v n="$rows" 'BEGIN { printf "   ratio gazelle / sqlite3 .import: %.1fx   (%.0f rows/s vs %.0f rows/s)\n", a / b, n / a, n / b }'

retail=$here/../shared/data/online_retail/online_retail.csv
if [ -f "$retail" ]; then
  echo "== Online Retail (541,909 rows) through the order import"
  "$bin" migrate --db "$work/retail.db" >/dev/null
  cp "$retail" "$work/online_retail.csv"  # the reject/warning files are written beside the file
  t0=$(now)
  "$bin" import orders "$work/online_retail.csv" --db "$work/retail.db" --batch-size 5000 \
    --map InvoiceNo=external_id --map StockCode=sku --map Description=description --map Quantity=quantity \
    --map InvoiceDate=ordered_at --map UnitPrice=unit_price --map CustomerID=contact_external_id --map Country=- \
    --set currency=GBP --create-missing --returns-prefix C --anonymous || test $? -eq 4
  t1=$(now)
  echo "   imported in $(secs "$t0" "$t1") s"
  sqlite3 -header -column "$work/retail.db" "
    SELECT COUNT(DISTINCT contact_id) AS customers_with_purchases, COUNT(*) AS orders,
           printf('%.2f', SUM(total_cents) / 100.0) AS revenue
      FROM orders WHERE contact_id IS NOT NULL AND status <> 'returned' AND total_cents > 0;
    SELECT COUNT(*) AS returns, printf('%.2f', SUM(total_cents) / 100.0) AS returned_amount FROM orders WHERE status = 'returned';
    SELECT COUNT(*) AS anonymous_sales, printf('%.2f', SUM(total_cents) / 100.0) AS anonymous_amount
      FROM orders WHERE contact_id IS NULL AND account_id IS NULL;"
  echo "   rejects: $(($(wc -l < "$work/online_retail.rejects.csv") - 1)), warnings by kind:"
  tail -n +2 "$work/online_retail.warnings.csv" | awk -F, '{ k = $3; sub(/:.*/, "", k); n[substr(k, 1, 30)]++ } END { for (k in n) printf "     %7d  %s\n", n[k], k }'
fi
