// The call script runner: one question at a time, following the branches client-side ("Oui >
// panne; Non > fin": the answer's branch, else the step's next, else the following step; « fin »
// ends), then POST /api/v1/cases/{id}/script with the answers of the path; the server's errors
// ("answers.<key>") are shown next to their questions.
import { useEffect, useId, useState } from 'react';
import { api, type FieldError, type Json, type ListPage } from '../../api';
import { foldTag } from '../../ui';
import { fieldErrors, problemText } from './common';
import { ScriptAnswers } from './Conversation';
import { st } from './i18n';

const fold = (s: string) => foldTag(s);
const isEnd = (k: string) => fold(k) === 'fin' || fold(k) === 'end';

export function parseBranches(text: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text || '').split(';')) {
    const gt = part.indexOf('>');
    if (gt < 0) continue;
    const a = part.slice(0, gt).trim();
    const target = part.slice(gt + 1).trim();
    if (a && target) out[fold(a)] = target;
  }
  return out;
}

// The key of the question after `step` given its answer; null: the end of the script.
export function nextKey(steps: Json[], i: number, answer: string): string | null {
  const step = steps[i];
  let next = '';
  if (answer.trim()) next = parseBranches(step.branches)[fold(answer)] || '';
  if (!next) next = (step.next || '').trim();
  if (!next) return i + 1 < steps.length ? steps[i + 1].key : null;
  if (isEnd(next)) return null;
  return steps.some((s) => s.key === next) ? next : null;
}

function AnswerInput({ step, value, set, id, invalid }: { step: Json; value: string; set: (v: string) => void; id: string; invalid: boolean }) {
  const kind = step.answer_kind || 'text';
  if (kind === 'choice' || kind === 'yes_no') {
    const options = kind === 'yes_no' ? [st('service.script.yes'), st('service.script.no')]
      : String(step.choices || '').split(';').map((c) => c.trim()).filter(Boolean);
    return (
      <div className="script-choices" role="radiogroup" aria-labelledby={id + '-q'} aria-invalid={invalid}>
        {options.map((o) => (
          <label key={o} className="check">
            <input type="radio" name={id + '-r'} value={o} checked={fold(value) === fold(o)} onChange={() => set(o)} /> {o}
          </label>
        ))}
      </div>
    );
  }
  const type = kind === 'number' ? 'text' : kind === 'date' ? 'date' : 'text';
  return (
    <input id={id + '-a'} type={type} inputMode={kind === 'number' ? 'decimal' : undefined} value={value} aria-labelledby={id + '-q'}
      aria-invalid={invalid} autoFocus onChange={(e) => set(e.target.value)} />
  );
}

export default function ScriptRunner({ record, done }: { record: Json; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [scripts, setScripts] = useState<Json[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [script, setScript] = useState<Json | null>(null);
  const [path, setPath] = useState<string[]>([]); // keys asked, the current one last
  const [finished, setFinished] = useState(false);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    api<ListPage>('/call_scripts?active=true&limit=200')
      .then((r) => setScripts((r.data || []).filter((s: Json) => s.active !== false)))
      .catch(() => setScripts([]));
  }, []);

  const start = async () => {
    if (!chosen) return;
    setError('');
    setErrors([]);
    try {
      const s = await api<Json>(`/call_scripts/${chosen}`);
      const steps: Json[] = [...(s.steps || [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
      setScript({ ...s, steps });
      setAnswers({});
      setPath(steps.length ? [steps[0].key] : []);
      setFinished(!steps.length);
    } catch (e) {
      setError(problemText(e));
    }
  };

  const steps: Json[] = script?.steps || [];
  const current = !finished && path.length ? steps.findIndex((s) => s.key === path[path.length - 1]) : -1;
  const step = current >= 0 ? steps[current] : null;
  const errorOf = (key: string) => errors.filter((e) => e.field === 'answers.' + key).map((e) => e.message);

  const next = () => {
    if (!step) return;
    const a = answers[step.key] || '';
    if (step.required && !a.trim()) {
      setErrors([{ field: 'answers.' + step.key, message: st('service.script.required') }]);
      return;
    }
    setErrors(errors.filter((e) => e.field !== 'answers.' + step.key));
    const k = nextKey(steps, current, a);
    if (k === null || path.includes(k)) setFinished(true);
    else setPath([...path, k]);
  };
  const back = () => {
    if (finished) setFinished(false);
    else if (path.length > 1) setPath(path.slice(0, -1));
  };
  const goTo = (key: string) => {
    const i = path.indexOf(key);
    if (i < 0) return;
    setPath(path.slice(0, i + 1));
    setFinished(false);
  };

  const save = async () => {
    setBusy(true);
    setError('');
    setErrors([]);
    const body: Record<string, string> = {};
    for (const k of path) if ((answers[k] || '').trim()) body[k] = answers[k].trim();
    try {
      await api(`/cases/${record.id}/script`, { method: 'POST', body: { script_id: script!.id, answers: body } });
      setScript(null);
      setPath([]);
      setFinished(false);
      done(st('service.script.saved'));
    } catch (e) {
      const fe = fieldErrors(e);
      setErrors(fe);
      // The first question the server refuses is shown again.
      const bad = path.find((k) => fe.some((x) => x.field === 'answers.' + k));
      if (bad) goTo(bad);
      if (!fe.some((x) => x.field.startsWith('answers.'))) setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const given = record.script_answers?.answers;
  return (
    <div className="script-runner" data-testid="script-runner">
      {Array.isArray(given) && given.length > 0 && !script && (
        <details className="script-given">
          <summary>{st('service.script.saidBefore')}{record.script_answers.script ? ` — ${record.script_answers.script}` : ''}</summary>
          <ScriptAnswers answers={given} />
        </details>
      )}
      {!script && (
        scripts && scripts.length === 0 ? <p className="muted">{st('service.script.noScript')}</p> : (
          <div className="row script-choose">
            <div className="field inline">
              <label htmlFor={id + '-s'}>{st('service.script.choose')}</label>
              <select id={id + '-s'} value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="script-select">
                <option value="">—</option>
                {(scripts || []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
              </select>
            </div>
            <button type="button" className="btn" disabled={!chosen} onClick={start}>{st('service.script.start')}</button>
          </div>
        )
      )}
      {script && step && (
        <form className="script-step" data-step={step.key} onSubmit={(e) => { e.preventDefault(); next(); }}>
          <p className="muted small">{script.name} · {st('service.script.step', { n: path.length })}</p>
          <p id={id + '-q'} className="script-question"><strong>{step.question}</strong>{step.required ? <span className="req" aria-hidden="true"> *</span> : null}</p>
          <AnswerInput key={step.key} step={step} id={id} value={answers[step.key] || ''} invalid={errorOf(step.key).length > 0}
            set={(v) => setAnswers({ ...answers, [step.key]: v })} />
          {errorOf(step.key).map((m) => <div key={m} className="field-error" role="alert">{m}</div>)}
          <div className="form-actions">
            {path.length > 1 && <button type="button" className="btn" onClick={back}>{st('service.script.back')}</button>}
            <button type="submit" className="btn primary">{st('service.script.next')}</button>
          </div>
        </form>
      )}
      {script && finished && (
        <div className="script-summary">
          <p>{st('service.script.done')}</p>
          <dl className="script-answers">
            {path.map((k) => {
              const s = steps.find((x) => x.key === k);
              return (
                <div key={k} data-step={k}>
                  <dt>{s?.question ?? k}</dt>
                  <dd>
                    {answers[k] || '—'}{' '}
                    <button type="button" className="linklike small" onClick={() => goTo(k)}>✎</button>
                    {errorOf(k).map((m) => <div key={m} className="field-error" role="alert">{m}</div>)}
                  </dd>
                </div>
              );
            })}
          </dl>
          <div className="form-actions">
            <button type="button" className="btn" onClick={back}>{st('service.script.back')}</button>
            <button type="button" className="btn primary" disabled={busy} onClick={save} data-testid="script-save">{st('service.script.finish')}</button>
          </div>
        </div>
      )}
      {script && (
        <button type="button" className="linklike small" onClick={() => { setScript(null); setPath([]); setFinished(false); setErrors([]); }}>
          {st('service.script.restart')}
        </button>
      )}
      {error && <div className="alert error" role="alert">{error}</div>}
    </div>
  );
}
