// Cohorts page: retention heatmap (month of first purchase × months since), revenue per cohort,
// churn rate per period and the four macro-processes (recruited, retained, developed, won back).
// The month (period) that is not over on the analysis date is marked "in progress": its retention
// cells are not rates yet (the server answers them null), its churn is left out, the chart of the
// macro-processes stops before it.
import { useState } from 'react';
import { api, qs } from '../../api';
import { fmtDate, fmtMonth, fmtMoney, fmtMoneyShort, fmtNumber } from '../../format';
import { t, type Key } from '../../i18n';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { AnalyticsShell, Assumptions, fmtPct, heat, heatText, LineChart, type Assumed } from './AnalyticsCommon';

interface Cohorts {
  as_of: string;
  partial_month: string | null;
  cohorts: { cohort: string; customers: number; retention: (number | null)[]; revenue_cents: number[]; partial?: boolean }[];
  churn: { period: string; rate: number | null; partial?: boolean }[];
  macro: { period: string; active: number; recruited: number; retained: number; developed: number; won_back: number; lost: number; partial?: boolean }[];
  assumptions?: Assumed;
}

// "2025-01" → "janv. 25"; quarters and years as they are.
const periodLabel = (p: string) => (/^\d{4}-\d{2}$/.test(p) ? fmtMonth(p) : p);

export default function AnalyticsCohorts() {
  const [period, setPeriod] = useState<'month' | 'quarter' | 'year'>('month');
  const { data, error, loading, reload } = useAsync(() => api<Cohorts>('/analytics/cohorts' + qs({ period })), [period]);
  const maxRev = Math.max(1, ...(data?.cohorts.flatMap((c) => c.revenue_cents) ?? [1]));
  const width = Math.max(0, ...(data?.cohorts.map((c) => c.retention.length) ?? [0]));
  const macroKeys: [keyof Cohorts['macro'][number], Key, string][] = [
    ['recruited', 'coh.recruited', '#0f766e'],
    ['retained', 'coh.retained', '#2563eb'],
    ['developed', 'coh.developed', '#7c3aed'],
    ['won_back', 'coh.wonBack', '#d97706'],
  ];
  return (
    <AnalyticsShell title={t('coh.title')}>
      <div className="an-controls">
        <div className="field">
          <label htmlFor="coh-period">{t('an.period')}</label>
          <select id="coh-period" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
            <option value="month">{t('coh.month.period')}</option>
            <option value="quarter">{t('coh.quarter')}</option>
            <option value="year">{t('coh.year')}</option>
          </select>
        </div>
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <Section title={t('coh.retention')}>
            <p className="muted small">{t('coh.retentionHint')}</p>
            {data.partial_month && (
              <p className="small an-partial-note" data-testid="cohorts-partial">
                {t('coh.partialHint', { month: fmtMonth(data.partial_month), date: fmtDate(data.as_of) })}
              </p>
            )}
            <div className="heatmap-wrap">
              <table className="heatmap cohorts" data-testid="retention-heatmap">
                <caption className="sr-only">{t('coh.retention')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('coh.cohort')}</th>
                    <th scope="col">{t('an.customers')}</th>
                    {Array.from({ length: width }, (_, k) => <th key={k} scope="col">{t('coh.month', { n: k })}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {data.cohorts.map((c) => (
                    <tr key={c.cohort} className={c.partial ? 'partial' : undefined}>
                      <th scope="row">
                        {fmtMonth(c.cohort)}
                        {c.partial && <small className="muted"> ({t('coh.partial')})</small>}
                      </th>
                      <td className="num">{fmtNumber(c.customers)}</td>
                      {c.retention.map((r, k) => {
                        if (r === null)
                          return (
                            <td key={k} className="partial-cell" data-testid="retention-partial">
                              <span className="cell" title={`${fmtMonth(c.cohort)} ${t('coh.month', { n: k })}: ${t('coh.partialCell')}`}>…</span>
                            </td>
                          );
                        // M+0 is 100 % by definition: scale the colours on the later months.
                        const v = k === 0 ? 0.15 : Math.min(1, r * 2.5);
                        return (
                          <td key={k} style={{ background: heat(v), color: heatText(v) }}>
                            <span className="cell" title={`${fmtMonth(c.cohort)} ${t('coh.month', { n: k })}: ${fmtPct(r)} · ${fmtMoney(c.revenue_cents[k] ?? 0)}`}>
                              {fmtPct(r, 0)}
                            </span>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section title={t('coh.revenue')}>
            <div className="heatmap-wrap">
              <table className="heatmap cohorts" data-testid="revenue-heatmap">
                <caption className="sr-only">{t('coh.revenue')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('coh.cohort')}</th>
                    <th scope="col">{t('an.total')}</th>
                    {Array.from({ length: width }, (_, k) => <th key={k} scope="col">{t('coh.month', { n: k })}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {data.cohorts.map((c) => (
                    <tr key={c.cohort}>
                      <th scope="row">{fmtMonth(c.cohort)}</th>
                      <td className="num">{fmtMoneyShort(c.revenue_cents.reduce((a, b) => a + b, 0))}</td>
                      {c.revenue_cents.map((r, k) => {
                        const v = Math.sqrt(Math.max(0, r) / maxRev);
                        return (
                          <td key={k} style={{ background: heat(v), color: heatText(v) }}>
                            <span className="cell" title={`${fmtMonth(c.cohort)} ${t('coh.month', { n: k })}: ${fmtMoney(r)}`}>
                              {fmtMoneyShort(r)}
                            </span>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <div className="grid-2">
            <Section title={t('coh.churn')}>
              {data.churn.some((c) => c.rate !== null) ? (
                <LineChart testId="churn-chart" label={t('coh.churn')}
                  fx={(v) => periodLabel(data.churn[Math.round(v)]?.period ?? '')} fy={(v) => fmtPct(v, 0)}
                  series={[{
                    key: 'churn', label: t('coh.rate'), color: '#b42318',
                    points: data.churn.flatMap((c, i) => (c.rate === null ? [] : [{ x: i, y: c.rate }])),
                  }]} />
              ) : <p className="muted">{t('an.noData')}</p>}
            </Section>
            <Section title={t('coh.macro')}>
              <LineChart testId="macro-chart" label={t('coh.macro')}
                fx={(v) => periodLabel(data.macro[Math.round(v)]?.period ?? '')} fy={(v) => fmtNumber(Math.round(v))}
                series={macroKeys.map(([k, label, color]) => ({
                  key: String(k), label: t(label), color,
                  points: data.macro.flatMap((m, i) => (m.partial ? [] : [{ x: i, y: Number(m[k]) }])),
                }))} />
              <p className="muted small">{t('coh.macroHint')}</p>
            </Section>
          </div>
          <Section title={t('coh.macro')}>
            <div className="table-wrap">
              <table className="table compact an-table" data-testid="macro-table">
                <thead>
                  <tr>
                    <th scope="col">{t('an.period')}</th>
                    <th scope="col" className="num">{t('coh.active')}</th>
                    {macroKeys.map(([k, label]) => <th key={String(k)} scope="col" className="num">{t(label)}</th>)}
                    <th scope="col" className="num">{t('coh.lost')}</th>
                    <th scope="col" className="num">{t('coh.churn.short')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.macro.map((m, i) => (
                    <tr key={m.period} className={m.partial ? 'partial' : undefined} data-partial={m.partial ? 'true' : undefined}>
                      <th scope="row">
                        {periodLabel(m.period)}
                        {m.partial && <small className="muted"> ({t('coh.partial')})</small>}
                      </th>
                      <td className="num">{fmtNumber(m.active)}</td>
                      {macroKeys.map(([k]) => <td key={String(k)} className="num">{fmtNumber(Number(m[k]))}</td>)}
                      <td className="num">{fmtNumber(m.lost)}</td>
                      <td className="num">{fmtPct(data.churn[i]?.rate ?? null)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Assumptions a={data.assumptions} show={['free']} />
          </Section>
        </>
      )}
    </AnalyticsShell>
  );
}
