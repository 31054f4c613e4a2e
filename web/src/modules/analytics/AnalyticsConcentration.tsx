// Concentration page: Gini, the share made by the top x % of customers, the Pareto curve of the
// chosen measure and the Stobachoff curve of net profit with its 100 % line and its peak.
import { useState } from 'react';
import { api, qs } from '../../api';
import { fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { AnalyticsShell, Assumptions, Figure, fmtDecimal, fmtPct, LineChart, thin, type Assumed } from './AnalyticsCommon';

interface Point { customers_pct: number; share: number }
interface Concentration {
  measure: string; customers: number; total_cents: number; gini: number | null;
  top_shares: { top_pct: number; share: number | null }[]; pareto: Point[]; stobachoff: Point[];
  stobachoff_peak: Point | null;
  assumptions?: Assumed;
}

const pts = (rows: Point[]) => thin(rows).map((p) => ({ x: p.customers_pct, y: p.share }));

export default function AnalyticsConcentration() {
  const [measure, setMeasure] = useState<'revenue' | 'profit'>('revenue');
  const { data, error, loading, reload } = useAsync(
    () => api<Concentration>('/analytics/concentration' + qs({ measure })), [measure]);
  const mName = measure === 'revenue' ? t('conc.revenue') : t('conc.profit');
  const pctAxis = (v: number) => fmtPct(v / 100, 0);
  return (
    <AnalyticsShell title={t('conc.title')}>
      <div className="an-controls" role="radiogroup" aria-label={t('conc.measure')}>
        {(['revenue', 'profit'] as const).map((m) => (
          <label key={m} className={'chip' + (measure === m ? ' on' : '')}>
            <input type="radio" name="conc-measure" value={m} checked={measure === m} onChange={() => setMeasure(m)} />
            {m === 'revenue' ? t('conc.revenue') : t('conc.profit')}
          </label>
        ))}
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div className="figures">
            <Figure label={t('an.customers')} value={fmtNumber(data.customers)} />
            <Figure label={mName} value={fmtMoney(data.total_cents)} />
            <Figure label={t('conc.gini')} value={fmtDecimal(data.gini, 3)} testId="gini" />
            {data.top_shares.filter((s) => s.top_pct === 20).map((s) => (
              <Figure key="t20" label={t('conc.topPct', { pct: fmtPct(0.2, 0) })} value={fmtPct(s.share)} testId="top20" />
            ))}
          </div>
          <p className="muted small">{t('conc.giniHint')}</p>
          <Assumptions a={data.assumptions} show={['margin', 'costs']} />
          <div className="grid-2">
            <Section title={t('conc.pareto')}>
              <LineChart testId="pareto-chart" label={t('conc.paretoLabel', { m: mName })} xTitle={t('conc.xAxis')}
                fx={pctAxis} fy={(v) => fmtPct(v, 0)}
                series={[
                  { key: 'pareto', label: mName, color: '#0f766e', points: pts(data.pareto) },
                  { key: 'equal', label: t('conc.equal'), color: '#94a3b8', dashed: true, points: [{ x: 0, y: 0 }, { x: 100, y: 1 }] },
                ]} />
            </Section>
            <Section title={t('conc.stobachoff')}>
              <LineChart testId="stobachoff-chart" label={t('conc.stobachoffLabel')} xTitle={t('conc.xAxis')}
                fx={pctAxis} fy={(v) => fmtPct(v, 0)}
                refLine={{ y: 1, label: t('conc.line100') }}
                mark={data.stobachoff_peak ? {
                  x: data.stobachoff_peak.customers_pct, y: data.stobachoff_peak.share,
                  label: fmtPct(data.stobachoff_peak.share, 0),
                } : undefined}
                series={[{ key: 'stob', label: t('conc.profit'), color: '#7c3aed', points: pts(data.stobachoff) }]} />
              {data.stobachoff_peak && (
                <p data-testid="stobachoff-peak">
                  {t('conc.peak', { share: fmtPct(data.stobachoff_peak.share), pct: fmtPct(data.stobachoff_peak.customers_pct / 100) })}
                </p>
              )}
            </Section>
          </div>
          <Section title={t('conc.topShares')}>
            <div className="table-wrap">
              <table className="table compact an-table" data-testid="top-shares">
                <thead>
                  <tr>
                    <th scope="col">{t('an.customers')}</th>
                    <th scope="col" className="num">{t('an.share')} ({mName})</th>
                  </tr>
                </thead>
                <tbody>
                  {data.top_shares.map((s) => (
                    <tr key={s.top_pct}>
                      <th scope="row">{t('conc.topPct', { pct: fmtPct(s.top_pct / 100, 0) })}</th>
                      <td className="num">
                        <span className="bar" style={{ width: `${Math.max(0, Math.min(1.5, s.share ?? 0)) * 6}rem` }} aria-hidden="true" />
                        {fmtPct(s.share)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
        </>
      )}
    </AnalyticsShell>
  );
}
