// Résultats (/sales/results, docs/sales.md "Results and targets"): per salesperson, the month's
// target and what was won against it, the win rate, the open and weighted pipeline, stale deals,
// interactions logged and follow-ups done or overdue (the server decides whose rows one sees);
// for a manager or an admin, the reassignment of a departing salesperson's records.
import { useState } from 'react';
import { api, ApiError, qs, type FieldError, type Json } from '../../api';
import { fmtMoney, fmtNumber, fmtPct } from '../../format';
import { t } from '../../i18n';
import { useSession } from '../../session';
import { ErrorBox, errorsFor, Loading, Section, useAsync } from '../../ui';
import { MonthField, SalesPage, thisMonth, Wrap } from './reportCommon';
import './sales.css';

function TargetBar({ ratio }: { ratio: number | null | undefined }) {
  if (ratio === null || ratio === undefined) return null;
  const pct = Math.max(0, Math.min(100, ratio * 100));
  return (
    <span className={'target-bar' + (ratio >= 1 ? ' over' : '')} role="progressbar" aria-valuemin={0} aria-valuemax={100}
      aria-valuenow={Math.round(pct)} aria-label={t('sales.res.reached')}>
      <span style={{ width: `${pct}%` }} />
    </span>
  );
}

// "12 comptes, 40 contacts, 3 opportunités, 1 devis, 5 relances réattribués"
export function reassignedText(c: Json): string {
  const parts = [
    t('sales.res.nAccounts', { n: c.accounts ?? 0 }), t('sales.res.nContacts', { n: c.contacts ?? 0 }),
    t('sales.res.nOpportunities', { n: c.opportunities ?? 0 }), t('sales.res.nQuotes', { n: c.quotes ?? 0 }),
    t('sales.res.nTasks', { n: c.tasks ?? 0 }),
  ];
  return t('sales.res.reassigned', { list: parts.join(', ') });
}

function Reassign() {
  const { users } = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<Error | null>(null);
  const name = (id: string) => users.find((u) => String(u.id) === id)?.name ?? '';
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name));
  const ask = (e: React.FormEvent) => {
    e.preventDefault();
    setMessage('');
    const errs: FieldError[] = [];
    if (!from) errs.push({ field: 'from_user_id', message: t('sales.res.chooseUser') });
    if (!to) errs.push({ field: 'to_user_id', message: t('sales.res.chooseUser') });
    if (from && from === to) errs.push({ field: 'to_user_id', message: t('sales.res.samePerson') });
    setErrors(errs);
    if (!errs.length) setConfirming(true);
  };
  const run = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await api('/sales/reassign', { method: 'POST', body: { from_user_id: Number(from), to_user_id: Number(to) } });
      setMessage(reassignedText(r));
      setConfirming(false);
    } catch (err) {
      setConfirming(false);
      if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.problem.errors);
      else setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const select = (id: string, field: string, label: string, value: string, set: (v: string) => void) => (
    <div className={'field' + (errorsFor(errors, field).length ? ' invalid' : '')}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => { set(e.target.value); setConfirming(false); }} aria-invalid={errorsFor(errors, field).length > 0}>
        <option value="">{t('sales.res.chooseUser')}</option>
        {sorted.map((u) => <option key={u.id} value={String(u.id)}>{u.name}</option>)}
      </select>
      {errorsFor(errors, field).map((m) => <div key={m} className="field-error" role="alert">{m}</div>)}
    </div>
  );
  return (
    <Section title={t('sales.res.reassignTitle')} className="sales-reassign">
      <p className="muted small">{t('sales.res.reassignIntro')}</p>
      <form className="sales-controls" onSubmit={ask}>
        {select('ra-from', 'from_user_id', t('sales.res.fromUser'), from, setFrom)}
        {select('ra-to', 'to_user_id', t('sales.res.toUser'), to, setTo)}
        <button type="submit" className="btn">{t('sales.res.reassign')}</button>
      </form>
      {confirming && (
        <div className="inline-confirm" role="alertdialog" aria-labelledby="ra-confirm-text">
          <p id="ra-confirm-text">{t('sales.res.confirm', { from: name(from), to: name(to) })}</p>
          <div className="actions">
            <button type="button" className="btn primary" disabled={busy} onClick={run}>{t('sales.res.confirmYes')}</button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>{t('sales.res.cancel')}</button>
          </div>
        </div>
      )}
      <ErrorBox error={failure} />
      {message && <p className="alert ok" role="status" data-testid="reassign-result">{message}</p>}
    </Section>
  );
}

export default function Results() {
  const { user } = useSession();
  const [month, setMonth] = useState(thisMonth());
  const { data, error, loading, reload } = useAsync<Json>(() => api('/sales/results' + qs({ month })), [month]);
  const manages = user?.role === 'admin' || user?.role === 'manager';
  return (
    <SalesPage title={t('sales.res.title')} intro={t('sales.res.intro')} className="sales-results-page">
      <Section title={t('sales.res.month')} className="sales-results">
        <div className="sales-controls">
          <MonthField id="res-month" label={t('sales.rep.month')} value={month} onChange={setMonth} />
        </div>
        <ErrorBox error={error} onRetry={reload} />
        {loading && !data && <Loading />}
        {data && (
          <Wrap>
            <table className="table compact sales-table" data-testid="sales-results">
              <thead>
                <tr>
                  <th scope="col">{t('sales.rep.owner')}</th>
                  <th scope="col" className="num">{t('sales.res.target')}</th>
                  <th scope="col" className="num">{t('sales.res.won')}</th>
                  <th scope="col">{t('sales.res.reached')}</th>
                  <th scope="col" className="num">{t('sales.res.winRate')}</th>
                  <th scope="col" className="num">{t('sales.res.open')}</th>
                  <th scope="col" className="num">{t('sales.res.weighted')}</th>
                  <th scope="col" className="num">{t('sales.res.stale')}</th>
                  <th scope="col" className="num">{t('sales.res.interactions')}</th>
                  <th scope="col" className="num">{t('sales.res.tasks')}</th>
                </tr>
              </thead>
              <tbody>
                {data.people.map((r: Json) => (
                  <tr key={r.user_id} data-user={r.user_id}>
                    <th scope="row">{r.name}</th>
                    <td className="num">{fmtMoney(r.target_cents, data.currency)}</td>
                    <td className="num key">{fmtMoney(r.won_cents, data.currency)}<div className="small muted">{t('sales.res.deals', { n: r.won_count ?? 0 })}</div></td>
                    <td>{fmtPct(r.target_reached, 0)}<TargetBar ratio={r.target_reached} /></td>
                    <td className="num">{fmtPct(r.win_rate, 0)}</td>
                    <td className="num">{fmtMoney(r.open_cents, data.currency)}<div className="small muted">{t('sales.res.deals', { n: r.open_count ?? 0 })}</div></td>
                    <td className="num">{fmtMoney(r.open_weighted_cents, data.currency)}</td>
                    <td className="num">{fmtNumber(r.stale_count)}</td>
                    <td className="num">{fmtNumber(r.interactions)}</td>
                    <td className="num">{t('sales.res.tasksDone', { done: fmtNumber(r.tasks_done), late: fmtNumber(r.tasks_overdue) })}</td>
                  </tr>
                ))}
                {data.people.length === 0 && <tr><td colSpan={10} className="muted">{t('sales.rep.none')}</td></tr>}
              </tbody>
              {data.people.length > 1 && data.totals && (
                <tfoot>
                  <tr>
                    <th scope="row">{t('sales.rep.total')}</th>
                    <td className="num">{fmtMoney(data.totals.target_cents, data.currency)}</td>
                    <td className="num key">{fmtMoney(data.totals.won_cents, data.currency)}</td>
                    <td>{data.totals.target_cents ? fmtPct(data.totals.won_cents / data.totals.target_cents, 0) : '—'}</td>
                    <td /><td />
                    <td className="num">{fmtMoney(data.totals.open_weighted_cents, data.currency)}</td>
                    <td /><td /><td />
                  </tr>
                </tfoot>
              )}
            </table>
          </Wrap>
        )}
      </Section>
      {manages && <Reassign />}
    </SalesPage>
  );
}
