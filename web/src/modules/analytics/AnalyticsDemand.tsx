// Calculators of the analytics section: the static demand model (households × penetrations ×
// quantity × share of requirements, with each step shown) and retention vs acquisition.
import { useState, type FormEvent } from 'react';
import { api, ApiError, type FieldError } from '../../api';
import { fmtMoney, fmtNumber } from '../../format';
import { t, tEnum } from '../../i18n';
import { ErrorBox, Field, Section } from '../../ui';
import { AnalyticsShell, fmtPct } from './AnalyticsCommon';

// A decimal typed with a comma or a dot; NaN when not a number.
const num = (s: string) => (s.trim() === '' ? NaN : Number(s.replace(/\s/g, '').replace(',', '.')));

function useSubmit<T>() {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const run = async (path: string, body: object) => {
    setErrors([]);
    setError(null);
    try {
      setResult(await api<T>(path, { method: 'POST', body }));
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError && e.problem.errors?.length) setErrors(e.problem.errors);
      else setError(e as Error);
    }
  };
  return { errors, error, result, run };
}

function Demand() {
  const [v, setV] = useState({ households: '20000000', category: '40', brand: '30', quantity: '5', sor: '50' });
  const s = useSubmit<{ demand: number; steps: { label: string; factor: number; value: number }[] }>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    s.run('/analytics/demand', {
      households: num(v.households), category_penetration: num(v.category) / 100, brand_penetration: num(v.brand) / 100,
      quantity_per_buyer: num(v.quantity), share_of_requirements: num(v.sor) / 100,
    });
  };
  const input = (k: keyof typeof v, label: string, name: string) => (
    <Field label={label} name={name} errors={s.errors}>
      {(p) => <input {...p} inputMode="decimal" value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} />}
    </Field>
  );
  return (
    <Section title={t('demand.title')}>
      <p className="muted">{t('demand.intro')}</p>
      <form className="an-form" onSubmit={submit} data-testid="demand-form">
        {input('households', t('demand.households'), 'households')}
        {input('category', t('demand.category'), 'category_penetration')}
        {input('brand', t('demand.brand'), 'brand_penetration')}
        {input('quantity', t('demand.quantity'), 'quantity_per_buyer')}
        {input('sor', t('demand.sor'), 'share_of_requirements')}
        <div className="form-actions">
          <button type="submit" className="btn primary">{t('demand.compute')}</button>
        </div>
      </form>
      <ErrorBox error={s.error} />
      {s.result && (
        <div aria-live="polite">
          <h3 className="h3">{t('demand.result')}</h3>
          <p className="an-result" data-testid="demand-result">{t('demand.units', { n: fmtNumber(s.result.demand) })}</p>
          <h3 className="h3">{t('demand.steps')}</h3>
          <ol className="an-steps" data-testid="demand-steps">
            {s.result.steps.map((st, i) => (
              <li key={i}>
                {tEnum('demand.step', st.label)}{' '}
                {i > 0 && <span className="muted">(× {st.label === 'brand_buyers_quantity' ? fmtNumber(st.factor) : fmtPct(st.factor, 2)}) </span>}
                → <strong>{fmtNumber(st.value)}</strong>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Section>
  );
}

interface Scenario { gross_profit_cents: number; acquisition_cost_cents: number; retention_cost_cents: number; net_cents: number }

function RetentionVsAcquisition() {
  const [v, setV] = useState({ gross: '200', acquisition: '100', years: '2', retention: '0' });
  const s = useSubmit<{ retain: Scenario; replace: Scenario; difference_cents: number; replace_earns_less_pct: number }>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    s.run('/analytics/retention-vs-acquisition', {
      annual_gross_profit_cents: Math.round(num(v.gross) * 100), acquisition_cost_cents: Math.round(num(v.acquisition) * 100),
      years: num(v.years), retention_cost_cents: Math.round(num(v.retention) * 100),
    });
  };
  const input = (k: keyof typeof v, label: string, name: string) => (
    <Field label={label} name={name} errors={s.errors}>
      {(p) => <input {...p} inputMode="decimal" value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} />}
    </Field>
  );
  const row = (label: string, sc: Scenario) => (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{fmtMoney(sc.gross_profit_cents)}</td>
      <td className="num">{fmtMoney(sc.acquisition_cost_cents ? -sc.acquisition_cost_cents : 0)}</td>
      <td className="num">{fmtMoney(sc.retention_cost_cents ? -sc.retention_cost_cents : 0)}</td>
      <td className="num"><strong>{fmtMoney(sc.net_cents)}</strong></td>
    </tr>
  );
  return (
    <Section title={t('rva.title')}>
      <p className="muted">{t('rva.intro')}</p>
      <form className="an-form" onSubmit={submit}>
        {input('gross', t('rva.gross'), 'annual_gross_profit_cents')}
        {input('acquisition', t('rva.acquisition'), 'acquisition_cost_cents')}
        {input('years', t('rva.years'), 'years')}
        {input('retention', t('rva.retention'), 'retention_cost_cents')}
        <div className="form-actions">
          <button type="submit" className="btn primary">{t('demand.compute')}</button>
        </div>
      </form>
      <ErrorBox error={s.error} />
      {s.result && (
        <div aria-live="polite">
          <div className="table-wrap">
            <table className="table compact an-table" data-testid="rva-table">
              <thead>
                <tr>
                  <th scope="col">{t('rva.scenario')}</th>
                  <th scope="col" className="num">{t('profit.gross')}</th>
                  <th scope="col" className="num">{t('rva.acquisitionShort')}</th>
                  <th scope="col" className="num">{t('rva.retentionShort')}</th>
                  <th scope="col" className="num">{t('profit.net')}</th>
                </tr>
              </thead>
              <tbody>
                {row(t('rva.retain'), s.result.retain)}
                {row(t('rva.replace'), s.result.replace)}
              </tbody>
            </table>
          </div>
          <p className="an-result" data-testid="rva-result">
            {t('rva.lessPct', { pct: fmtPct(s.result.replace_earns_less_pct / 100) })}
          </p>
        </div>
      )}
    </Section>
  );
}

export default function AnalyticsDemand() {
  return (
    <AnalyticsShell title={t('demand.page')}>
      <Demand />
      <RetentionVsAcquisition />
    </AnalyticsShell>
  );
}
