// Analytics settings page (GET/PUT /analytics/settings): the margin rate of products without
// their own, the unit cost of an interaction by channel, the RFM score bins, the value tier rules
// (measure, period, names and shares), the lifetime-value margin and discount rate, and whether
// orders worth nothing are purchases. Everyone
// who sees the analytics reads them; only an admin saves them. Every field the server refuses is
// shown under its input (422 names `tiers.rules[1].top_pct`, `channel_costs_cents.phone`, …).
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type FieldError } from '../../api';
import { t, tEnum } from '../../i18n';
import { useSession } from '../../session';
import { ErrorBox, Field, Loading, Section, useAsync, useFlash } from '../../ui';
import { AnalyticsShell } from './AnalyticsCommon';
import { enumLabel } from '../../kernel/schema';

interface Rule { name: string; top_pct: number }
interface Settings {
  default_margin_rate: number;
  channel_costs_cents: Record<string, number>;
  rfm_bins: number;
  tiers: { measure: string; period_months: number; rules: Rule[] };
  clv_discount_rate: number;
  clv_margin_rate: number;
  count_free_orders: boolean;
}

// The form keeps what the user typed (text); numbers are read on save.
interface Form {
  margin: string; bins: string; clvMargin: string; clvDiscount: string; free: boolean;
  costs: [string, string][]; measure: string; period: string; rules: { name: string; pct: string }[];
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s.replace(/\s/g, '').replace(',', '.')));
const pct = (ratio: number) => String(Math.round(ratio * 10000) / 100).replace('.', ',');
const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

function toForm(s: Settings): Form {
  return {
    margin: pct(s.default_margin_rate), bins: String(s.rfm_bins),
    clvMargin: pct(s.clv_margin_rate), clvDiscount: pct(s.clv_discount_rate), free: s.count_free_orders !== false,
    costs: Object.entries(s.channel_costs_cents).map(([c, v]) => [c, euros(v)]),
    measure: s.tiers.measure, period: String(s.tiers.period_months),
    rules: s.tiers.rules.map((r) => ({ name: r.name, pct: String(r.top_pct).replace('.', ',') })),
  };
}

function toBody(f: Form): Settings {
  return {
    default_margin_rate: num(f.margin) / 100,
    rfm_bins: num(f.bins),
    clv_margin_rate: num(f.clvMargin) / 100,
    clv_discount_rate: num(f.clvDiscount) / 100,
    count_free_orders: f.free,
    channel_costs_cents: Object.fromEntries(f.costs.map(([c, v]) => [c, Math.round(num(v) * 100)])),
    tiers: { measure: f.measure, period_months: num(f.period), rules: f.rules.map((r) => ({ name: r.name.trim(), top_pct: num(r.pct) })) },
  };
}

export default function AnalyticsSettingsPage() {
  const { user } = useSession();
  const canEdit = user?.role === 'admin';
  const { data, error, loading, reload, setData } = useAsync(() => api<Settings>('/analytics/settings'), []);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saveError, setSaveError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  useEffect(() => { if (data) setForm(toForm(data)); }, [data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setErrors([]);
    setSaveError(null);
    try {
      const saved = await api<Settings>('/analytics/settings', { method: 'PUT', body: toBody(form) });
      setData(saved);
      show(t('aset.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.problem.errors);
      else setSaveError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const set = (patch: Partial<Form>) => form && setForm({ ...form, ...patch });
  const text = (label: string, name: string, value: string, onChange: (v: string) => void, hint?: string) => (
    <Field label={label} name={name} errors={errors} hint={hint}>
      {(p) => <input {...p} inputMode="decimal" value={value} disabled={!canEdit} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
  const pctSum = form ? form.rules.reduce((s, r) => s + (isNaN(num(r.pct)) ? 0 : num(r.pct)), 0) : 0;

  return (
    <AnalyticsShell title={t('aset.title')} intro={t('aset.intro')}>
      {flash}
      <ErrorBox error={error} onRetry={reload} />
      {loading && !form && <Loading />}
      {form && (
        <form onSubmit={save} data-testid="analytics-settings" noValidate>
          {!canEdit && <p className="muted" data-testid="analytics-settings-readonly">{t('aset.readOnly')}</p>}
          <div className="grid-2">
            <Section title={t('aset.profit')}>
              <div className="an-form">
                {text(t('aset.margin'), 'default_margin_rate', form.margin, (v) => set({ margin: v }), t('aset.marginHint'))}
                {text(t('aset.bins'), 'rfm_bins', form.bins, (v) => set({ bins: v }), t('aset.binsHint'))}
                {text(t('aset.clvMargin'), 'clv_margin_rate', form.clvMargin, (v) => set({ clvMargin: v }))}
                {text(t('aset.clvDiscount'), 'clv_discount_rate', form.clvDiscount, (v) => set({ clvDiscount: v }))}
              </div>
              <Field label={t('aset.free')} name="count_free_orders" errors={errors} hint={t('aset.freeHint')} wide>
                {(p) => <input {...p} type="checkbox" checked={form.free} disabled={!canEdit} onChange={(e) => set({ free: e.target.checked })} />}
              </Field>
            </Section>
            <Section title={t('aset.costs')}>
              <p className="muted">{t('aset.costsHint')}</p>
              <div className="an-form" data-testid="channel-costs">
                {form.costs.map(([c, v], i) =>
                  text(enumLabel('interactions', 'channel', c), 'channel_costs_cents.' + c, v, (nv) =>
                    set({ costs: form.costs.map((x, k) => (k === i ? [c, nv] : x)) })),
                )}
              </div>
            </Section>
          </div>
          <Section title={t('aset.tiers')}>
            <div className="an-form">
              <Field label={t('aset.measure')} name="tiers.measure" errors={errors}>
                {(p) => (
                  <select {...p} value={form.measure} disabled={!canEdit} onChange={(e) => set({ measure: e.target.value })}>
                    {['net_profit', 'revenue', 'clv'].map((m) => <option key={m} value={m}>{tEnum('aset.measure', m)}</option>)}
                  </select>
                )}
              </Field>
              {text(t('aset.period'), 'tiers.period_months', form.period, (v) => set({ period: v }),
                form.measure === 'clv' ? t('aset.periodClv') : undefined)}
            </div>
            <div className="table-wrap">
            <table className="table compact an-table" data-testid="tier-rules-edit">
              <thead>
                <tr>
                  <th scope="col">{t('aset.ruleName')}</th>
                  <th scope="col" className="num">{t('aset.rulePct')}</th>
                  {canEdit && <th scope="col"><span className="sr-only">{t('aset.ruleRemove')}</span></th>}
                </tr>
              </thead>
              <tbody>
                {form.rules.map((r, i) => (
                  <tr key={i}>
                    <td>
                      <Field label={t('aset.ruleName') + ' ' + (i + 1)} name={`tiers.rules[${i}].name`} errors={errors}>
                        {(p) => <input {...p} value={r.name} disabled={!canEdit}
                          onChange={(e) => set({ rules: form.rules.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)) })} />}
                      </Field>
                    </td>
                    <td className="num">
                      <Field label={t('aset.rulePct') + ' ' + (i + 1)} name={`tiers.rules[${i}].top_pct`} errors={errors}>
                        {(p) => <input {...p} inputMode="decimal" value={r.pct} disabled={!canEdit}
                          onChange={(e) => set({ rules: form.rules.map((x, k) => (k === i ? { ...x, pct: e.target.value } : x)) })} />}
                      </Field>
                    </td>
                    {canEdit && (
                      <td>
                        <button type="button" className="btn small" disabled={form.rules.length <= 1}
                          onClick={() => set({ rules: form.rules.filter((_, k) => k !== i) })}>
                          {t('aset.ruleRemove')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
            <p className={pctSum === 100 ? 'muted' : 'warn-text'} data-testid="tier-pct-sum">{t('aset.pctSum', { n: pctSum })}</p>
            {errors.some((e) => e.field === 'tiers.rules' || e.field === 'tiers') && (
              <div className="field-error" role="alert" data-testid="tier-rules-error">
                {errors.filter((e) => e.field === 'tiers.rules' || e.field === 'tiers').map((e) => <div key={e.message}>{e.message}</div>)}
              </div>
            )}
            {canEdit && form.rules.length < 10 && (
              <button type="button" className="btn" onClick={() => set({ rules: [...form.rules, { name: '', pct: '0' }] })}>
                {t('aset.ruleAdd')}
              </button>
            )}
          </Section>
          <ErrorBox error={saveError} />
          {canEdit && (
            <div className="form-actions">
              <button type="submit" className="btn primary" disabled={busy} data-testid="analytics-settings-save">
                {busy ? t('aset.saving') : t('aset.save')}
              </button>
              <button type="button" className="btn" disabled={busy || !data} onClick={() => { if (data) setForm(toForm(data)); setErrors([]); }}>
                {t('aset.reset')}
              </button>
            </div>
          )}
        </form>
      )}
    </AnalyticsShell>
  );
}
