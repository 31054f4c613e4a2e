// What an intervention's record page adds: the invitation's state and the « Compte rendu » form
// (what was done, Réalisée / Client absent, « Résoudre la demande ») → POST
// /api/v1/interventions/{id}/report.
import { useState } from 'react';
import { api, type FieldError, type Json } from '../../api';
import { enumLabel } from '../../kernel/schema';
import { Field, Section, useFlash } from '../../ui';
import { fieldErrors, problemText } from './common';
import { st } from './i18n';

// The invitation's state in words: the catalogue's label of the code.
function invitationLabel(v: string | null | undefined): string {
  return v ? enumLabel('interventions', 'invitation_status', v) : st('service.iv.inv.none');
}

export default function InterventionExtra({ record, reload }: { record: Json; reload: () => void }) {
  const [report, setReport] = useState(record.report || '');
  const [outcome, setOutcome] = useState<'done' | 'no_show'>('done');
  const [solve, setSolve] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  const open = record.status === 'planned';
  const save = async () => {
    setBusy(true);
    setErrors([]);
    setError('');
    try {
      await api(`/interventions/${record.id}/report`, { method: 'POST', body: { report, outcome, solve_case: solve } });
      show(st('service.iv.reported'));
      reload();
    } catch (e) {
      const fe = fieldErrors(e);
      setErrors(fe);
      if (!fe.length || fe.some((x) => !['report', 'outcome', 'solve_case'].includes(x.field))) setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {flash}
      <Section title={st('service.iv.invitation')} className="iv-invitation">
        <p data-testid="invitation-status">
          <span className={'badge inv-' + (record.invitation_status || 'none')}>{invitationLabel(record.invitation_status)}</span>{' '}
          <span className="badge">{enumLabel('interventions', 'status', record.status)}</span>
        </p>
      </Section>
      <Section title={st('service.iv.report')} className="iv-report">
        {!open && record.report ? (
          <>
            <p className="muted small">{st('service.iv.existing')}</p>
            <div className="msg-body">{record.report}</div>
          </>
        ) : (
          <form onSubmit={(e) => { e.preventDefault(); save(); }} data-testid="report-form">
            <Field label={st('service.iv.reportText')} name="report" errors={errors} wide>
              {(p) => <textarea {...p} rows={5} value={report} onChange={(e) => setReport(e.target.value)} />}
            </Field>
            <fieldset className="field">
              <legend>{st('service.iv.outcome')}</legend>
              <label className="check">
                <input type="radio" name="outcome" checked={outcome === 'done'} onChange={() => setOutcome('done')} /> {st('service.iv.done')}
              </label>
              <label className="check">
                <input type="radio" name="outcome" checked={outcome === 'no_show'} onChange={() => setOutcome('no_show')} /> {st('service.iv.noShow')}
              </label>
            </fieldset>
            {record.case_id && (
              <label className="check">
                <input type="checkbox" checked={solve} onChange={(e) => setSolve(e.target.checked)} /> {st('service.iv.solveCase')}
              </label>
            )}
            {error && <div className="alert error" role="alert">{error}</div>}
            <div className="form-actions">
              <button type="submit" className="btn primary" disabled={busy}>{st('service.iv.saveReport')}</button>
            </div>
          </form>
        )}
      </Section>
    </>
  );
}
