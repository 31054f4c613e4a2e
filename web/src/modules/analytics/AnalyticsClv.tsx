// Lifetime value page: choice of the purchase-count model (BG/NBD or Pareto/NBD), its fitted
// parameters and log-likelihood, the predicted vs actual cumulative repeat purchases per week,
// and the customers with the highest CLV with their probability of being alive. A fit the
// server finds degenerate or unconverged (`quality`) comes with a warning saying why, rather
// than as a finding. The customers' names come with the list (one request for the table).
import { useState } from 'react';
import { api, qs, type Json } from '../../api';
import { fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { AnalyticsShell, Assumptions, CustomerLink, Figure, fmtDecimal, fmtPct, LineChart, type Assumed } from './AnalyticsCommon';

interface Quality {
  reliable: boolean; converged: boolean; degenerate: boolean;
  reasons: ('not_converged' | 'parameters_at_bounds' | 'same_rate' | 'no_dropout' | 'everyone_alive')[];
  params_at_bounds: string[]; share_alive: number | null;
}

interface Fit {
  model: string; params: Record<string, number>; log_likelihood: number; customers: number;
  tracking?: { week: number; actual: number; predicted: number }[];
  calibration_end?: string;
  quality?: Quality;
  assumptions?: Assumed;
}

// The warning of an unreliable fit: what is wrong, in words.
function QualityWarning({ q, params, testId }: { q?: Quality; params: Record<string, number>; testId: string }) {
  if (!q || q.reliable) return null;
  const reason = (r: Quality['reasons'][number]) => {
    switch (r) {
      case 'parameters_at_bounds': return t('clv.reason.parameters_at_bounds', { params: q.params_at_bounds.join(', ') });
      case 'same_rate': return t('clv.reason.same_rate', { r: fmtDecimal(params.r, 0) });
      case 'no_dropout': return t('clv.reason.no_dropout');
      case 'everyone_alive': return t('clv.reason.everyone_alive', { pct: fmtPct(q.share_alive ?? 1, 0) });
      default: return t('clv.reason.not_converged');
    }
  };
  return (
    <div className="alert warn" role="alert" data-testid={testId}>
      <p><strong>{t('clv.unreliable')}</strong></p>
      <ul>
        {q.reasons.map((r) => <li key={r}>{reason(r)}</li>)}
      </ul>
      <p className="small">{t('clv.unreliableHint')}</p>
    </div>
  );
}

// The cents of a row's CLV whatever the field is called by the server version.
const money = (r: Json, ...keys: string[]) => {
  for (const k of keys) if (typeof r[k] === 'number') return r[k] as number;
  return null;
};

function TopCustomers({ model }: { model: string }) {
  const { data, error, loading, reload } = useAsync(
    () => api<{ items?: Json[]; data?: Json[] }>('/analytics/clv/customers' + qs({ model, limit: 20 })), [model]);
  if (loading && !data) return <Loading />;
  const rows = data?.items ?? data?.data ?? [];
  return (
    <>
      <ErrorBox error={error} onRetry={reload} />
      <div className="table-wrap">
        <table className="table compact an-table" data-testid="clv-top">
          <thead>
            <tr>
              <th scope="col">{t('an.customer')}</th>
              <th scope="col" className="num">{t('clv.pAlive')}</th>
              <th scope="col" className="num">{t('clv.expected')}</th>
              <th scope="col" className="num">{t('clv.expectedValue')}</th>
              <th scope="col" className="num">{t('clv.clv')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.customer_type + r.customer_id}>
                <td><CustomerLink row={r} /></td>
                <td className="num">{fmtPct(r.p_alive)}</td>
                <td className="num">{fmtDecimal(r.expected_purchases, 3)}</td>
                <td className="num">{fmtMoney(money(r, 'expected_value_cents', 'expected_spend_cents'))}</td>
                <td className="num">{fmtMoney(money(r, 'clv_cents'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ParamTable({ fit, testId }: { fit: Fit; testId: string }) {
  return (
    <table className="table compact an-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('clv.param')}</th>
          <th scope="col" className="num">{t('clv.value')}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(fit.params).map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{fmtDecimal(v, 5)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('clv.ll')}</th>
          <td className="num" data-testid={testId + '-ll'}>{fmtDecimal(fit.log_likelihood, 8)}</td>
        </tr>
      </tbody>
    </table>
  );
}

export default function AnalyticsClv() {
  const [model, setModel] = useState<'bgnbd' | 'pnbd'>('bgnbd');
  const fit = useAsync(() => api<Fit>('/analytics/clv' + qs({ model })), [model]);
  const gg = useAsync(() => api<Fit>('/analytics/clv' + qs({ model: 'gammagamma' })), []);
  const tracking = fit.data?.tracking ?? [];
  return (
    <AnalyticsShell title={t('clv.title')}>
      <div className="an-controls" role="radiogroup" aria-label={t('clv.model')}>
        {(['bgnbd', 'pnbd'] as const).map((m) => (
          <label key={m} className={'chip' + (model === m ? ' on' : '')}>
            <input type="radio" name="clv-model" value={m} checked={model === m} onChange={() => setModel(m)} />
            {t(m === 'bgnbd' ? 'clv.bgnbd' : 'clv.pnbd')}
          </label>
        ))}
      </div>
      <ErrorBox error={fit.error} onRetry={fit.reload} />
      {fit.loading && !fit.data && <Loading />}
      {fit.data && (
        <>
          <QualityWarning q={fit.data.quality} params={fit.data.params} testId="clv-unreliable" />
          <div className="figures">
            <Figure label={t('clv.model')} value={t(model === 'bgnbd' ? 'clv.bgnbd' : 'clv.pnbd')} />
            <Figure label={t('clv.customersFitted')} value={fmtNumber(fit.data.customers)} testId="clv-customers" />
            <Figure label={t('clv.ll')} value={fmtDecimal(fit.data.log_likelihood, 8)} />
          </div>
          <Assumptions a={fit.data.assumptions} show={['clv', 'free']} />
          <div className="grid-2">
            <Section title={t('clv.params')}>
              <ParamTable fit={fit.data} testId="clv-params" />
              {gg.data && (
                <>
                  <h3 className="h3">{t('clv.gammagamma')}</h3>
                  <QualityWarning q={gg.data.quality} params={gg.data.params} testId="gg-unreliable" />
                  <ParamTable fit={gg.data} testId="gg-params" />
                </>
              )}
              <ErrorBox error={gg.error} onRetry={gg.reload} />
            </Section>
            <Section title={t('clv.tracking')}>
              {tracking.length > 0 ? (
                <LineChart testId="clv-tracking" label={t('clv.trackingLabel')} xTitle={t('clv.week')}
                  fx={(v) => fmtNumber(Math.round(v))} fy={(v) => fmtNumber(Math.round(v))}
                  series={[
                    { key: 'actual', label: t('clv.actual'), color: '#0f766e', points: tracking.map((p) => ({ x: p.week, y: p.actual })) },
                    { key: 'predicted', label: t('clv.predicted'), color: '#d97706', dashed: true, points: tracking.map((p) => ({ x: p.week, y: p.predicted })) },
                  ]} />
              ) : <p className="muted">{t('an.noData')}</p>}
            </Section>
          </div>
          <Section title={t('clv.top')}>
            <TopCustomers model={model} />
          </Section>
        </>
      )}
    </AnalyticsShell>
  );
}
