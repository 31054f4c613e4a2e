// Paramètres commerciaux (/sales/settings, manager or admin; docs/sales.md): the follow-up delays,
// the referral reward, the rule score's rules (an editable table saved with PATCH
// /api/v1/sales/settings, the server's errors beside the cells they name, e.g. rules[0].operator),
// the learned model's summary, and the buttons that run the follow-ups and learn the score now.
import { useEffect, useState } from 'react';
import { api, ApiError, type FieldError, type Json } from '../../api';
import { fmtDateTime, fmtNumber } from '../../format';
import { t, type Key } from '../../i18n';
import { entityDef } from '../../kernel/schema';
import { useSession } from '../../session';
import { ErrorBox, errorsFor, Field, Loading, Section, useAsync } from '../../ui';
import { SalesPage, Wrap } from './reportCommon';
import './sales.css';

const OPERATORS = ['equals', 'in', 'not_empty', 'greater_than', 'less_than', 'contains'] as const;
const KINDS = ['points', 'amount', 'percent'] as const;

interface Row { field: string; operator: string; value: string; points: string; label: string }

const numeric = (s: string) => /^-?\d+([.,]\d+)?$/.test(s.trim());
const toNumber = (s: string) => Number(s.trim().replace(',', '.'));
const showValue = (v: Json): string =>
  v === null || v === undefined ? '' : Array.isArray(v) ? v.map(showValue).join(', ') : typeof v === 'number' ? String(v).replace('.', ',') : String(v);

function rulesOf(s: Json): { rules: Json[]; bands: Json[] } {
  const r = s?.scoring_rules;
  if (Array.isArray(r)) return { rules: r, bands: [] };
  return { rules: r?.rules ?? [], bands: r?.bands ?? [] };
}

function toRow(r: Json): Row {
  return { field: r.field ?? '', operator: r.operator ?? 'equals', value: showValue(r.value ?? r.values), points: String(r.points ?? 0), label: r.label ?? '' };
}

function fromRow(r: Row): Json {
  const out: Json = { field: r.field.trim(), operator: r.operator, points: numeric(r.points) ? Math.round(toNumber(r.points)) : r.points, label: r.label.trim() };
  if (r.operator === 'not_empty') return out;
  if (r.operator === 'in') out.value = r.value.split(',').map((x) => x.trim()).filter(Boolean).map((x) => (numeric(x) ? toNumber(x) : x));
  else if (r.operator === 'greater_than' || r.operator === 'less_than') out.value = numeric(r.value) ? toNumber(r.value) : r.value.trim();
  else out.value = r.value;
  return out;
}

// The reward value as the reader types it: points, euros, or a percentage (stored in cents or
// basis points).
const rewardShown = (kind: string, v: number) => (kind === 'points' ? String(v) : String(v / 100).replace('.', ','));
const rewardStored = (kind: string, s: string) => (kind === 'points' ? Math.round(toNumber(s)) : Math.round(toNumber(s) * 100));

function fieldChoices(): string[] {
  const opp = entityDef('opportunities')?.fields.map((f) => f.name) ?? [];
  return [...opp, 'account.industry', 'account.size', 'contact.region', 'contact.job_title'];
}

function Cell({ errors, path, children }: { errors: FieldError[]; path: string; children: React.ReactNode }) {
  const msgs = errors.filter((e) => e.field === path || e.field.endsWith('.' + path) || (path.endsWith('.value') && e.field === path + 's')).map((e) => e.message);
  return (
    <td className={msgs.length ? 'invalid' : ''} data-path={path}>
      {children}
      {msgs.map((m) => <div key={m} className="field-error" role="alert">{m}</div>)}
    </td>
  );
}

function Actions() {
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState('');
  const [err, setErr] = useState<Error | null>(null);
  const run = async (what: 'followups' | 'train') => {
    setBusy(what); setErr(null); setMsg('');
    try {
      if (what === 'followups') {
        const r = await api('/sales/followups/run', { method: 'POST' });
        setMsg(t('sales.set.followupsMade', {
          quotes: r.quote_unanswered ?? 0, stale: r.opportunity_stale ?? 0, prospects: r.prospect_not_contacted ?? 0,
        }));
      } else {
        const r = await api('/sales/scoring/train', { method: 'POST' });
        setMsg(t('sales.set.trained', { won: r.won ?? 0, lost: r.lost ?? 0 }));
      }
    } catch (e) {
      setErr(e as Error);
    } finally {
      setBusy('');
    }
  };
  return (
    <div>
      <div className="sales-actions">
        <button type="button" className="btn" disabled={!!busy} onClick={() => run('followups')}>{t('sales.set.runFollowups')}</button>
        <button type="button" className="btn" disabled={!!busy} onClick={() => run('train')}>{t('sales.set.train')}</button>
      </div>
      <ErrorBox error={err} />
      {msg && <p className="alert ok" role="status" data-testid="sales-action-result">{msg}</p>}
    </div>
  );
}

export default function SalesSettings() {
  const { user } = useSession();
  const { data, error, loading, reload } = useAsync<Json>(() => api('/sales/settings'), []);
  const [form, setForm] = useState<Json | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState('');
  const [failure, setFailure] = useState<Error | null>(null);
  useEffect(() => {
    if (!data) return;
    setForm({
      quote_followup_days: String(data.quote_followup_days ?? 7), prospect_contact_days: String(data.prospect_contact_days ?? 2),
      followups_enabled: !!data.followups_enabled, referral_reward_kind: data.referral_reward_kind ?? 'points',
      referral_reward_value: rewardShown(data.referral_reward_kind ?? 'points', data.referral_reward_value ?? 0),
    });
    setRows(rulesOf(data).rules.map(toRow));
  }, [data]);
  if (user && user.role !== 'admin' && user.role !== 'manager')
    return <SalesPage title={t('sales.set.title')}><p className="alert warn" role="alert">{t('sales.set.forbidden')}</p></SalesPage>;
  const set = (k: string, v: Json) => setForm((f: Json) => ({ ...f, [k]: v }));
  const setRow = (i: number, k: keyof Row, v: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaving(true); setSaved(''); setFailure(null); setErrors([]);
    const body = {
      quote_followup_days: numeric(form.quote_followup_days) ? toNumber(form.quote_followup_days) : form.quote_followup_days,
      prospect_contact_days: numeric(form.prospect_contact_days) ? toNumber(form.prospect_contact_days) : form.prospect_contact_days,
      followups_enabled: form.followups_enabled,
      referral_reward_kind: form.referral_reward_kind,
      referral_reward_value: numeric(form.referral_reward_value) ? rewardStored(form.referral_reward_kind, form.referral_reward_value) : form.referral_reward_value,
      scoring_rules: { rules: rows.map(fromRow), bands: rulesOf(data).bands },
    };
    try {
      await api('/sales/settings', { method: 'PATCH', body });
      setSaved(t('sales.set.saved'));
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.problem.errors);
      else setFailure(err as Error);
    } finally {
      setSaving(false);
    }
  };
  const known = ['quote_followup_days', 'prospect_contact_days', 'followups_enabled', 'referral_reward_kind', 'referral_reward_value'];
  const other = errors.filter((e) => !known.includes(e.field) && !/rules\[\d+\]/.test(e.field));
  return (
    <SalesPage title={t('sales.set.title')} intro={t('sales.set.intro')} className="sales-settings-page">
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {form && (
        <form onSubmit={save} noValidate>
          <Section title={t('sales.set.followups')}>
            <div className="settings-grid">
              <Field label={t('sales.set.quoteDays')} name="quote_followup_days" errors={errors} hint={t('sales.set.quoteDaysHint')}>
                {(p) => <input {...p} type="number" min={1} max={365} value={form.quote_followup_days} onChange={(e) => set('quote_followup_days', e.target.value)} />}
              </Field>
              <Field label={t('sales.set.prospectDays')} name="prospect_contact_days" errors={errors} hint={t('sales.set.prospectDaysHint')}>
                {(p) => <input {...p} type="number" min={1} max={365} value={form.prospect_contact_days} onChange={(e) => set('prospect_contact_days', e.target.value)} />}
              </Field>
              <Field label={t('sales.set.enabled')} name="followups_enabled" errors={errors}>
                {(p) => (
                  <label className="check">
                    <input {...p} type="checkbox" checked={form.followups_enabled} onChange={(e) => set('followups_enabled', e.target.checked)} />{' '}
                    {t('sales.set.enabledLabel')}
                  </label>
                )}
              </Field>
            </div>
          </Section>
          <Section title={t('sales.set.referral')}>
            <div className="settings-grid">
              <Field label={t('sales.set.rewardKind')} name="referral_reward_kind" errors={errors}>
                {(p) => (
                  <select {...p} value={form.referral_reward_kind} onChange={(e) => set('referral_reward_kind', e.target.value)}>
                    {KINDS.map((k) => <option key={k} value={k}>{t(`sales.set.kind.${k}` as Key)}</option>)}
                  </select>
                )}
              </Field>
              <Field label={t(`sales.set.value.${form.referral_reward_kind}` as Key)} name="referral_reward_value" errors={errors}>
                {(p) => <input {...p} inputMode="decimal" value={form.referral_reward_value} onChange={(e) => set('referral_reward_value', e.target.value)} />}
              </Field>
            </div>
          </Section>
          <Section title={t('sales.set.rules')} className="sales-rules">
            <p className="muted small">{t('sales.set.rulesIntro')}</p>
            <datalist id="rule-fields">{fieldChoices().map((f) => <option key={f} value={f} />)}</datalist>
            {rows.length === 0 ? <p className="muted">{t('sales.set.noRule')}</p> : (
              <Wrap>
                <table className="table compact sales-table rules-table" data-testid="scoring-rules">
                  <thead>
                    <tr>
                      <th scope="col">{t('sales.set.field')}</th>
                      <th scope="col">{t('sales.set.operator')}</th>
                      <th scope="col">{t('sales.set.ruleValue')}</th>
                      <th scope="col">{t('sales.set.points')}</th>
                      <th scope="col">{t('sales.set.label')}</th>
                      <th scope="col"><span className="sr-only">{t('sales.set.remove')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={i} data-rule={i}>
                        <Cell errors={errors} path={`rules[${i}].field`}>
                          <input list="rule-fields" aria-label={t('sales.set.fieldOf', { n: i + 1 })} value={r.field} onChange={(e) => setRow(i, 'field', e.target.value)} />
                        </Cell>
                        <Cell errors={errors} path={`rules[${i}].operator`}>
                          <select aria-label={t('sales.set.operatorOf', { n: i + 1 })} value={r.operator} onChange={(e) => setRow(i, 'operator', e.target.value)}>
                            {OPERATORS.map((o) => <option key={o} value={o}>{t(`sales.set.op.${o}` as Key)}</option>)}
                            {!OPERATORS.includes(r.operator as never) && <option value={r.operator}>{r.operator}</option>}
                          </select>
                        </Cell>
                        <Cell errors={errors} path={`rules[${i}].value`}>
                          <input aria-label={t('sales.set.valueOf', { n: i + 1 })} value={r.value} disabled={r.operator === 'not_empty'}
                            placeholder={r.operator === 'in' ? t('sales.set.inHint') : ''} onChange={(e) => setRow(i, 'value', e.target.value)} />
                        </Cell>
                        <Cell errors={errors} path={`rules[${i}].points`}>
                          <input aria-label={t('sales.set.pointsOf', { n: i + 1 })} inputMode="numeric" value={r.points} onChange={(e) => setRow(i, 'points', e.target.value)} />
                        </Cell>
                        <Cell errors={errors} path={`rules[${i}].label`}>
                          <input aria-label={t('sales.set.labelOf', { n: i + 1 })} value={r.label} onChange={(e) => setRow(i, 'label', e.target.value)} />
                        </Cell>
                        <td>
                          <button type="button" className="btn small" aria-label={t('sales.set.removeOf', { n: i + 1 })}
                            onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>✕</button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Wrap>
            )}
            <button type="button" className="btn small" onClick={() => setRows((rs) => [...rs, { field: '', operator: 'equals', value: '', points: '10', label: '' }])}>
              + {t('sales.set.addRule')}
            </button>
          </Section>
          {other.length > 0 && (
            <div className="alert error" role="alert">{other.map((e) => <div key={e.field + e.message}>{errorsFor([e], e.field).join('') || e.message}</div>)}</div>
          )}
          <ErrorBox error={failure} />
          <div className="sales-actions">
            <button type="submit" className="btn primary" disabled={saving}>{t('sales.set.save')}</button>
            {saved && <span className="ok" role="status">{saved}</span>}
          </div>
        </form>
      )}
      <Section title={t('sales.set.model')} className="sales-model">
        {data?.model ? (
          <>
            <p data-testid="model-summary">{t('sales.set.modelSummary', { won: data.model.won ?? 0, lost: data.model.lost ?? 0 })}</p>
            {data.trained_at && <p className="small muted">{t('sales.set.trainedAt', { date: fmtDateTime(data.trained_at) })}</p>}
            {data.model.note && <p className="small">{data.model.note}</p>}
          </>
        ) : <p className="muted">{t('sales.set.noModel')}</p>}
        <p className="small muted">{t('sales.set.actionsIntro', { n: fmtNumber(data?.quote_followup_days ?? 7) })}</p>
        <Actions />
      </Section>
    </SalesPage>
  );
}
