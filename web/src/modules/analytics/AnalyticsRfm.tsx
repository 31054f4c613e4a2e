// RFM page: segments with counts, revenue and shares; the recency × frequency grid as a heatmap;
// the customers of a chosen segment (paged) linking to their 360° pages.
import { useState } from 'react';
import { api, qs, type Json } from '../../api';
import { fmtDate, fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { AnalyticsShell, CustomerLink, Figure, fmtPct, heat, heatText, segmentLabel } from './AnalyticsCommon';

interface Segment { segment: string; customers: number; revenue_cents: number; share_customers: number; share_revenue: number }
interface Cell { r: number; f: number; customers: number; revenue_cents: number }

function Members({ segment }: { segment: string }) {
  const [rows, setRows] = useState<Json[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const first = useAsync(async () => {
    const r = await api<{ data?: Json[]; items?: Json[]; next_cursor: string | null }>('/analytics/rfm/customers' + qs({ segment, limit: 25 }));
    setRows(r.data ?? r.items ?? []);
    setCursor(r.next_cursor);
    return r;
  }, [segment]);
  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    try {
      const r = await api<{ data?: Json[]; items?: Json[]; next_cursor: string | null }>('/analytics/rfm/customers' + qs({ segment, limit: 25, cursor }));
      setRows((old) => [...old, ...(r.data ?? r.items ?? [])]);
      setCursor(r.next_cursor);
    } finally {
      setMore(false);
    }
  };
  if (first.loading && !rows.length) return <Loading />;
  return (
    <>
      <ErrorBox error={first.error} onRetry={first.reload} />
      <div className="table-wrap">
        <table className="table compact an-table" data-testid="rfm-members">
          <thead>
            <tr>
              <th scope="col">{t('an.customer')}</th>
              <th scope="col">{t('rfm.scores')}</th>
              <th scope="col">{t('an.recency')}</th>
              <th scope="col" className="num">{t('an.orders')}</th>
              <th scope="col" className="num">{t('an.monetary')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.customer_type + r.customer_id}>
                <td><CustomerLink row={r} /></td>
                <td>{[r.r, r.f, r.m].map((x) => x ?? '·').join(' ')}</td>
                <td>{t('an.days', { n: fmtNumber(r.recency_days) })}</td>
                <td className="num">{fmtNumber(r.frequency)}</td>
                <td className="num">{fmtMoney(r.monetary_cents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && (
        <p>
          <button type="button" className="btn" onClick={loadMore} disabled={more}>
            {t('an.loadMore')}
          </button>
        </p>
      )}
    </>
  );
}

function Grid({ cells }: { cells: Cell[] }) {
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const at = (r: number, f: number) => cells.find((c) => c.r === r && c.f === f);
  const rs = [...new Set(cells.map((c) => c.r))].sort((a, b) => b - a);
  const fs = [...new Set(cells.map((c) => c.f))].sort((a, b) => a - b);
  return (
    <div className="heatmap-wrap">
      <table className="heatmap rfm" data-testid="rfm-heatmap">
        <caption className="sr-only">{t('rfm.grid')}</caption>
        <thead>
          <tr>
            <th scope="col">R \ F</th>
            {fs.map((f) => <th key={f} scope="col">F {f}</th>)}
          </tr>
        </thead>
        <tbody>
          {rs.map((r) => (
            <tr key={r}>
              <th scope="row">R {r}</th>
              {fs.map((f) => {
                const c = at(r, f);
                const n = c?.customers ?? 0;
                const v = n / max;
                const title = t('rfm.cell', { r, f, n, rev: fmtMoney(c?.revenue_cents ?? 0) });
                return (
                  <td key={f} style={{ background: heat(v), color: heatText(v) }} data-cell={`${r}-${f}`}>
                    <span className="cell" title={title} aria-label={title}>
                      {fmtNumber(n)}
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function AnalyticsRfm() {
  const { data, error, loading, reload } = useAsync(
    () => api<{ as_of: string; customers: number; segments: Segment[]; grid: Cell[] }>('/analytics/rfm'), []);
  const [picked, setPicked] = useState<string | null>(null);
  const total = data?.segments.reduce((s, x) => s + x.customers, 0) ?? 0;
  const revenue = data?.segments.reduce((s, x) => s + x.revenue_cents, 0) ?? 0;
  const maxShare = Math.max(0.0001, ...(data?.segments.map((s) => s.share_customers) ?? [0]));
  return (
    <AnalyticsShell title={t('rfm.title')} intro={t('rfm.intro')}>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div className="figures">
            <Figure label={t('an.customers')} value={fmtNumber(data.customers)} testId="rfm-customers" />
            <Figure label={t('an.revenue')} value={fmtMoney(revenue)} />
            <Figure label={t('rfm.segments')} value={fmtNumber(data.segments.filter((s) => s.customers > 0).length)} />
            <Figure label={t('an.period')} value={<span className="small">{t('an.asOf', { date: fmtDate(data.as_of) })}</span>} />
          </div>
          {data.customers === 0 && <p className="muted">{t('an.noData')}</p>}
          <div className="an-split">
            <Section title={t('rfm.segments')}>
              <div className="table-wrap">
                <table className="table compact an-table" data-testid="rfm-segments">
                  <thead>
                    <tr>
                      <th scope="col">{t('rfm.segment')}</th>
                      <th scope="col" className="num">{t('an.customers')}</th>
                      <th scope="col" className="num">{t('an.revenue')}</th>
                      <th scope="col" className="num">{t('an.shareCustomers')}</th>
                      <th scope="col" className="num">{t('an.shareRevenue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.segments.map((s) => (
                      <tr key={s.segment} className={picked === s.segment ? 'selected' : ''}>
                        <td className="seg">
                          <button type="button" className="linklike" onClick={() => setPicked(s.segment)}
                            aria-pressed={picked === s.segment} aria-label={t('rfm.show', { s: segmentLabel(s.segment) })}
                            data-segment={s.segment}>
                            {segmentLabel(s.segment)}
                          </button>
                        </td>
                        <td className="num" data-testid="seg-count">{fmtNumber(s.customers)}</td>
                        <td className="num">{fmtMoney(s.revenue_cents)}</td>
                        <td className="num">
                          <span className="bar" style={{ width: `${(s.share_customers / maxShare) * 3}rem` }} aria-hidden="true" />
                          {fmtPct(s.share_customers)}
                        </td>
                        <td className="num">{fmtPct(s.share_revenue)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">{t('an.total')}</th>
                      <td className="num" data-testid="seg-total">{fmtNumber(total)}</td>
                      <td className="num">{fmtMoney(revenue)}</td>
                      <td className="num">{fmtPct(data.customers ? total / data.customers : 0)}</td>
                      <td className="num">{fmtPct(1)}</td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            </Section>
            <Section title={t('rfm.grid')}>
              <p className="muted small">{t('rfm.gridHint')}</p>
              <Grid cells={data.grid} />
            </Section>
          </div>
          <Section title={picked ? t('rfm.members', { s: segmentLabel(picked) }) : t('rfm.segments')}>
            {picked ? <Members key={picked} segment={picked} /> : <p className="muted">{t('rfm.pick')}</p>}
          </Section>
        </>
      )}
    </AnalyticsShell>
  );
}
