// Profitability page: totals of the SME guide's chain (purchases − discounts → gross profit −
// solicitation costs → net profit) over a period, the customers losing money, and the most and
// least profitable customers linking to their 360° pages.
import { useState } from 'react';
import { api, qs, type Json } from '../../api';
import { fmtDate, fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { AnalyticsShell, Assumptions, CustomerLink, Figure, fmtPct, type Assumed } from './AnalyticsCommon';

interface Totals {
  purchases_cents: number; discounts_cents: number; revenue_cents: number; gross_profit_cents: number;
  solicitation_cost_cents: number; net_profit_cents: number;
}

function Ranked({ order, period, testId }: { order: 'net_profit_desc' | 'net_profit_asc'; period: { from: string; to: string }; testId: string }) {
  const { data, error, loading, reload } = useAsync(
    () => api<{ data?: Json[]; items?: Json[] }>('/analytics/profitability/customers' + qs({ order, limit: 10, from: period.from, to: period.to })),
    [order, period.from, period.to],
  );
  if (loading && !data) return <Loading />;
  return (
    <>
      <ErrorBox error={error} onRetry={reload} />
      {data && (
        <div className="table-wrap">
          <table className="table compact an-table" data-testid={testId}>
            <thead>
              <tr>
                <th scope="col" className="num">#</th>
                <th scope="col">{t('an.customer')}</th>
                <th scope="col" className="num">{t('profit.net')}</th>
                <th scope="col" className="num">{t('an.revenue')}</th>
                <th scope="col" className="num">{t('profit.gross')}</th>
                <th scope="col" className="num">{t('profit.solicitation')}</th>
              </tr>
            </thead>
            <tbody>
              {(data.data ?? data.items ?? []).map((r) => (
                <tr key={r.customer_type + r.customer_id}>
                  <td className="num">{fmtNumber(r.rank)}</td>
                  <td><CustomerLink row={r} /></td>
                  <td className={'num key' + (r.net_profit_cents < 0 ? ' neg' : '')}>{fmtMoney(r.net_profit_cents)}</td>
                  <td className="num">{fmtMoney(r.revenue_cents)}</td>
                  <td className="num">{fmtMoney(r.gross_profit_cents)}</td>
                  <td className="num">{fmtMoney(r.solicitation_cost_cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export default function AnalyticsProfit() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState({ from: '', to: '' });
  const { data, error, loading, reload } = useAsync(
    () => api<{ from: string; to: string; customers: number; totals: Totals; losing_customers: number; assumptions?: Assumed }>(
      '/analytics/profitability' + qs({ from: period.from, to: period.to })),
    [period.from, period.to],
  );
  return (
    <AnalyticsShell title={t('profit.title')} intro={t('profit.intro')}>
      <form className="an-controls" onSubmit={(e) => { e.preventDefault(); setPeriod({ from, to }); }}>
        <div className="field">
          <label htmlFor="pf-from">{t('an.from')}</label>
          <input id="pf-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pf-to">{t('an.to')}</label>
          <input id="pf-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <button type="submit" className="btn">{t('an.apply')}</button>
      </form>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted">{fmtDate(data.from)} – {fmtDate(data.to)}</p>
          <div className="figures" data-testid="profit-totals">
            <Figure label={t('an.customers')} value={fmtNumber(data.customers)} testId="profit-customers" />
            <Figure label={t('profit.purchases')} value={fmtMoney(data.totals.purchases_cents)} />
            <Figure label={t('profit.discounts')} value={fmtMoney(-data.totals.discounts_cents)} />
            <Figure label={t('profit.gross')} value={fmtMoney(data.totals.gross_profit_cents)} />
            <Figure label={t('profit.solicitation')} value={fmtMoney(-data.totals.solicitation_cost_cents)} />
            <Figure label={t('profit.net')} value={fmtMoney(data.totals.net_profit_cents)} testId="profit-net"
              tone={data.totals.net_profit_cents < 0 ? 'bad' : 'good'} />
            <Figure label={t('profit.losing')} testId="profit-losing" tone={data.losing_customers ? 'bad' : undefined}
              value={<>{fmtNumber(data.losing_customers)} <small className="muted">
                {t('profit.losingShare', { pct: fmtPct(data.customers ? data.losing_customers / data.customers : 0) })}</small></>} />
          </div>
          <Assumptions a={data.assumptions} show={['margin', 'costs', 'free']} />
          {/* One under the other: each table's five amounts fit at 1280 px, the key one (net
              profit) next to the customer. */}
          <div className="an-stack">
            <Section title={t('profit.top')}>
              <Ranked order="net_profit_desc" period={period} testId="profit-top" />
            </Section>
            <Section title={t('profit.bottom')}>
              <Ranked order="net_profit_asc" period={period} testId="profit-bottom" />
            </Section>
          </div>
        </>
      )}
    </AnalyticsShell>
  );
}
