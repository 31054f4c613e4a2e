// The customer-value analyses of docs/analytics.md written as SQL, for the two peers of the
// benchmark: SQLite (through the sqlite3 CLI, on the Gazelle database itself) and DuckDB (through
// @duckdb/node-api, on the CSV export). The same statements for both, with the few dialect
// differences (integer division, day numbers) filled in by `dialect`.
//
//   load:    the per-order facts (customer, day, signed amounts, margin of the lines) and the
//            per-interaction facts, from the raw tables — what Gazelle's loader builds in memory;
//   compute: RFM (quintile scores + segments), profitability per customer, concentration of
//            revenue and of net profit (top shares, Gini, Stobachoff peak);
//   report:  one (key, value) row per figure compared between Gazelle and the peers.
//
// Definitions (docs/analytics.md): draft and cancelled orders do not count; a returned order is
// a return (amounts negative, not a purchase occasion); the customer is the contact, else the
// account; as_of = day of the last counted order; the period is [first order, as_of].

export const CHANNEL_COSTS = {
  meeting: 5000, phone: 500, in_store: 300, chat: 200, letter: 150, fax: 100, social: 50, email: 20, sms: 10,
  web: 0, note: 0,
};
export const DEFAULT_MARGIN_RATE = 1.0;

const SEGMENT_CASE = `CASE
  WHEN r = 5 AND f = 1 THEN 'new'
  WHEN r = 5 AND f IN (2, 3) THEN 'potential_loyalists'
  WHEN r = 5 THEN 'champions'
  WHEN r = 4 AND f = 1 THEN 'promising'
  WHEN r = 4 AND f IN (2, 3) THEN 'potential_loyalists'
  WHEN r = 4 THEN 'loyal'
  WHEN r = 3 AND f IN (1, 2) THEN 'about_to_sleep'
  WHEN r = 3 AND f = 3 THEN 'need_attention'
  WHEN r = 3 THEN 'loyal'
  WHEN r = 2 AND f IN (1, 2) THEN 'hibernating'
  WHEN r = 2 AND f IN (3, 4) THEN 'at_risk'
  WHEN r = 2 THEN 'cant_lose'
  WHEN f = 1 THEN 'lost'
  WHEN f = 2 THEN 'hibernating'
  WHEN f IN (3, 4) THEN 'at_risk'
  ELSE 'cant_lose' END`;

export const SEGMENTS = ['champions', 'loyal', 'potential_loyalists', 'new', 'promising', 'need_attention',
  'about_to_sleep', 'at_risk', 'cant_lose', 'hibernating', 'lost'];

// dialect: 'sqlite' | 'duckdb'. Table names of the raw data: orders, order_lines, products,
// interactions (DuckDB creates them from the CSV files first).
export function statements(dialect, bins = 5) {
  const sqlite = dialect === 'sqlite';
  const idiv = (a, b) => (sqlite ? `((${a}) / (${b}))` : `((${a}) // (${b}))`);
  const day = (col) => (sqlite ? `(unixepoch(substr(${col}, 1, 10)) / 86400)`
    : `datediff('day', DATE '1970-01-01', CAST(substr(${col}, 1, 10) AS DATE))`);
  const temp = sqlite ? 'TEMP ' : '';
  const sign = `(CASE WHEN o.status = 'returned' THEN -1 ELSE 1 END)`;
  const costs = Object.entries(CHANNEL_COSTS).map(([c, v]) => `('${c}', ${v})`).join(', ');

  const load = [
    `CREATE ${temp}TABLE cc(channel TEXT, cents BIGINT)`,
    `INSERT INTO cc VALUES ${costs}`,
    // Margin of each order's lines whose product has a margin rate, in cents × basis points
    // (rounded to the cent per order, as Gazelle's loader does).
    `CREATE ${temp}TABLE om AS
       SELECT l.order_id AS id, SUM(l.total_cents * p.margin_bp) AS margin_bp_cents, SUM(l.total_cents) AS rated
       FROM order_lines l JOIN products p ON p.id = l.product_id
       WHERE p.margin_bp IS NOT NULL GROUP BY l.order_id`,
    `CREATE ${temp}TABLE f AS
       SELECT COALESCE(o.contact_id, -o.account_id) AS cust, ${day('o.ordered_at')} AS day,
              CASE WHEN o.status = 'returned' THEN 1 ELSE 0 END AS ret,
              ${sign} * abs(o.subtotal_cents) AS purchases, ${sign} * abs(o.discount_cents) AS discount,
              ${sign} * abs(CAST(round(COALESCE(om.margin_bp_cents, 0) / 10000.0) AS BIGINT)) AS rated_margin,
              ${sign} * abs(COALESCE(om.rated, 0)) AS rated
       FROM orders o LEFT JOIN om ON om.id = o.id
       WHERE o.status NOT IN ('draft', 'cancelled') AND (o.contact_id IS NOT NULL OR o.account_id IS NOT NULL)`,
    `CREATE ${temp}TABLE fi AS
       SELECT COALESCE(contact_id, -account_id) AS cust, ${day('occurred_at')} AS day, channel
       FROM interactions WHERE contact_id IS NOT NULL OR account_id IS NOT NULL`,
  ];

  const compute = [
    `CREATE ${temp}TABLE span AS SELECT MIN(day) AS first_day, MAX(day) AS as_of FROM f`,
    // RFM: score = 1 + ⌊bins × (customers strictly worse) / n⌋; RANK() − 1 counts them.
    `CREATE ${temp}TABLE rfm AS
       WITH c AS (
         SELECT cust, (SELECT as_of FROM span) - MAX(CASE WHEN ret = 0 THEN day END) AS recency,
                SUM(1 - ret) AS freq, SUM(purchases - discount) AS monetary
         FROM f GROUP BY cust HAVING SUM(1 - ret) > 0),
       n AS (SELECT COUNT(*) AS n FROM c),
       s AS (
         SELECT cust, monetary,
                1 + ${idiv(`${bins} * (RANK() OVER (ORDER BY recency DESC) - 1)`, '(SELECT n FROM n)')} AS r,
                1 + ${idiv(`${bins} * (RANK() OVER (ORDER BY freq) - 1)`, '(SELECT n FROM n)')} AS f,
                1 + ${idiv(`${bins} * (RANK() OVER (ORDER BY monetary) - 1)`, '(SELECT n FROM n)')} AS m
         FROM c)
       SELECT cust, monetary, r, f, m, ${SEGMENT_CASE} AS segment FROM s`,
    // Profitability: customers with an order or an interaction in [first order, as_of].
    `CREATE ${temp}TABLE prof AS
       WITH o AS (
         SELECT cust, SUM(1 - ret) AS orders, SUM(purchases) AS purchases, SUM(discount) AS discounts,
                SUM(rated_margin) AS rated_margin, SUM(purchases - discount - rated) AS unrated
         FROM f GROUP BY cust),
       i AS (
         SELECT fi.cust, COUNT(*) AS interactions, SUM(COALESCE(cc.cents, 0)) AS cost
         FROM fi LEFT JOIN cc ON cc.channel = fi.channel
         WHERE fi.day BETWEEN (SELECT first_day FROM span) AND (SELECT as_of FROM span)
         GROUP BY fi.cust),
       u AS (
         SELECT cust, orders, purchases, discounts, rated_margin, unrated, 0 AS interactions, 0 AS cost FROM o
         UNION ALL
         SELECT cust, 0, 0, 0, 0, 0, interactions, cost FROM i)
       SELECT cust, SUM(purchases) AS purchases, SUM(discounts) AS discounts,
              SUM(purchases) - SUM(discounts) AS revenue,
              SUM(rated_margin) + CAST(round(SUM(unrated) * ${DEFAULT_MARGIN_RATE}) AS BIGINT) AS gross,
              SUM(cost) AS cost,
              SUM(rated_margin) + CAST(round(SUM(unrated) * ${DEFAULT_MARGIN_RATE}) AS BIGINT) - SUM(cost) AS net
       FROM u GROUP BY cust`,
    // Concentration of a measure: top x % shares (top ⌈x % × n⌉ customers) and the Gini.
    ...['revenue', 'net'].map((m) => `CREATE ${temp}TABLE conc_${m} AS
       WITH x AS (SELECT ${m} AS v, ROW_NUMBER() OVER (ORDER BY ${m} DESC, cust) AS k FROM prof),
       t AS (SELECT COUNT(*) AS n, SUM(v) AS total FROM x),
       g AS (SELECT SUM((t.n + 1 - x.k) * 1.0 * x.v) AS iv FROM x, t)
       SELECT t.n, t.total,
              2.0 * g.iv / (t.n * 1.0 * t.total) - (t.n + 1.0) / t.n AS gini,
              (SELECT SUM(v) FROM x WHERE k <= ${idiv('1 * t.n + 99', '100')}) * 1.0 / t.total AS top1,
              (SELECT SUM(v) FROM x WHERE k <= ${idiv('5 * t.n + 99', '100')}) * 1.0 / t.total AS top5,
              (SELECT SUM(v) FROM x WHERE k <= ${idiv('10 * t.n + 99', '100')}) * 1.0 / t.total AS top10,
              (SELECT SUM(v) FROM x WHERE k <= ${idiv('20 * t.n + 99', '100')}) * 1.0 / t.total AS top20,
              (SELECT SUM(v) FROM x WHERE k <= ${idiv('50 * t.n + 99', '100')}) * 1.0 / t.total AS top50
       FROM t, g`),
    // Stobachoff: the highest cumulative net profit, customers from the most profitable.
    `CREATE ${temp}TABLE stob AS
       SELECT MAX(cum) * 1.0 / (SELECT SUM(net) FROM prof) AS peak
       FROM (SELECT SUM(net) OVER (ORDER BY net DESC, cust ROWS UNBOUNDED PRECEDING) AS cum FROM prof) s`,
  ];

  const report = `
    SELECT 'as_of_day' AS k, CAST(as_of AS DOUBLE) AS v FROM span
    UNION ALL SELECT 'rfm.customers', CAST(COUNT(*) AS DOUBLE) FROM rfm
    UNION ALL SELECT 'rfm.revenue', CAST(SUM(monetary) AS DOUBLE) FROM rfm
    ${SEGMENTS.map((s) => `UNION ALL SELECT 'seg.${s}', CAST(COUNT(*) AS DOUBLE) FROM rfm WHERE segment = '${s}'`).join('\n    ')}
    ${SEGMENTS.map((s) => `UNION ALL SELECT 'seg_revenue.${s}', CAST(COALESCE(SUM(monetary), 0) AS DOUBLE) FROM rfm WHERE segment = '${s}'`).join('\n    ')}
    UNION ALL SELECT 'profit.customers', CAST(COUNT(*) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.losing', CAST(SUM(CASE WHEN net < 0 THEN 1 ELSE 0 END) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.purchases', CAST(SUM(purchases) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.discounts', CAST(SUM(discounts) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.revenue', CAST(SUM(revenue) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.gross', CAST(SUM(gross) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.solicitation', CAST(SUM(cost) AS DOUBLE) FROM prof
    UNION ALL SELECT 'profit.net', CAST(SUM(net) AS DOUBLE) FROM prof
    ${['revenue', 'net'].map((m) => ['gini', 'top1', 'top5', 'top10', 'top20', 'top50']
      .map((c) => `UNION ALL SELECT 'conc_${m === 'net' ? 'profit' : m}.${c}', CAST(${c} AS DOUBLE) FROM conc_${m}`).join('\n    ')).join('\n    ')}
    UNION ALL SELECT 'stobachoff.peak', CAST(peak AS DOUBLE) FROM stob`;

  return { load, compute, report };
}
