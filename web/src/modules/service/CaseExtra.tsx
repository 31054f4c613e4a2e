// What a case's record page adds: the conversation and its composer, the status, the service
// commitments (first response, next response, resolution), the call script, the suggested
// knowledge articles, « Fusionner dans… », « Créer un article à partir de cette demande » and
// « Planifier une intervention ».
import { useState } from 'react';
import { api, type FieldError, type Json, type ListPage } from '../../api';
import { fmtDateTime, isoDay } from '../../format';
import { enumLabel, enumValues, fieldLabel } from '../../kernel/schema';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Field, Loading, Section, useAsync, useFlash } from '../../ui';
import CaseComposer from './CaseComposer';
import { fieldErrors, localToIso, problemText, SlaBadge, SlaRemaining } from './common';
import Conversation from './Conversation';
import { st, type ServiceKey } from './i18n';
import ScriptRunner from './ScriptRunner';

const CLOCKS = ['first_response', 'next_response', 'resolution'] as const;

export function SlaPanel({ sla }: { sla: Json | null | undefined }) {
  if (!sla) return <p className="muted">{st('service.sla.none')}</p>;
  const policies: Json[] = sla.policies || [];
  return (
    <div className="sla-panel" data-testid="sla-panel">
      <p className="sla-head">
        <SlaBadge state={sla.state} label={sla.state_label} />
        {sla.tier_label && <span className={'badge tier-' + sla.tier}>{st('service.sla.tier')} : {sla.tier_label}</span>}
        <span className="muted small">
          {st('service.sla.policies')} : {policies.length ? policies.map((p) => p.name).join(', ') : st('service.sla.noPolicy')}
        </span>
      </p>
      <ul className="sla-clocks plain">
        {CLOCKS.map((k) => {
          const c = sla[k];
          if (!c) return null;
          return (
            <li key={k} className={'sla-clock sla-' + (c.state || 'none')} data-clock={k} data-state={c.state}>
              <div className="sla-clock-name">{st(('service.sla.' + k) as ServiceKey)}</div>
              <div><SlaBadge state={c.state} label={c.state_label} /></div>
              <div className="small">
                {c.met_at ? st('service.sla.metAt', { date: fmtDateTime(c.met_at) })
                  : c.breached_at && c.state === 'breached' ? st('service.sla.breachedAt', { date: fmtDateTime(c.breached_at) })
                    : c.due_at ? <>{st('service.sla.due')} : {fmtDateTime(c.due_at)}</> : null}
              </div>
              <div><SlaRemaining state={c.state} dueAt={c.due_at} /></div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function StatusChange({ record, done }: { record: Json; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [status, setStatus] = useState(record.status);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await api(`/cases/${record.id}`, { method: 'PATCH', body: { status }, ifMatch: record.version });
      done(st('service.status.changed'));
    } catch (e) {
      done(problemText(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="row status-change" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <div className="field inline">
        <label htmlFor="case-status">{fieldLabel('cases', 'status')}</label>
        <select id="case-status" value={status} onChange={(e) => setStatus(e.target.value)} data-testid="case-status">
          {enumValues('cases', 'status').map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </div>
      <button type="submit" className="btn" disabled={busy || status === record.status}>{st('service.status.change')}</button>
    </form>
  );
}

function Merge({ record }: { record: Json }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Json[] | null>(null);
  const [error, setError] = useState('');
  if (record.merged_into_id)
    return <p className="alert warn small">{st('service.merge.mergedInto')} <Link to={`/cases/${record.merged_into_id}`}>→</Link></p>;
  const find = async () => {
    setError('');
    const n = q.trim();
    if (!n) return;
    try {
      const r = await api<ListPage>(`/cases?q=${encodeURIComponent(n)}&limit=10`);
      setHits(r.data.filter((c: Json) => c.id !== record.id));
    } catch (e) {
      setError(problemText(e));
    }
  };
  const merge = async (into: Json) => {
    setError('');
    try {
      await api(`/cases/${record.id}/merge`, { method: 'POST', body: { into_id: into.id } });
      navigate(`/cases/${into.id}`);
    } catch (e) {
      setError(problemText(e));
    }
  };
  if (!open) return <button type="button" className="btn" onClick={() => setOpen(true)}>{st('service.merge.open')}</button>;
  return (
    <div className="merge-case">
      <form className="row" onSubmit={(e) => { e.preventDefault(); find(); }}>
        <div className="field inline">
          <label htmlFor="merge-q">{st('service.merge.number')}</label>
          <input id="merge-q" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
        </div>
        <button type="submit" className="btn">{st('service.merge.find')}</button>
        <button type="button" className="btn ghost" onClick={() => { setOpen(false); setHits(null); }}>{st('service.merge.cancel')}</button>
      </form>
      {hits && hits.length === 0 && <p className="muted">{st('service.merge.notFound', { q })}</p>}
      {hits && hits.length > 0 && (
        <ul className="plain">
          {hits.map((c) => (
            <li key={c.id}>
              <button type="button" className="btn small" onClick={() => merge(c)}>
                {st('service.merge.confirm', { number: c.number, subject: c.subject })}
              </button>
              <span className="muted small"> {enumLabel('cases', 'status', c.status)}</span>
            </li>
          ))}
        </ul>
      )}
      {error && <div className="alert error" role="alert">{error}</div>}
    </div>
  );
}

function Suggestions({ record, insert, done }: { record: Json; insert: (text: string) => void; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const { data, error } = useAsync<{ data: Json[] }>(() => api(`/cases/${record.id}/suggestions`), [record.id, record.subject]);
  const [voted, setVoted] = useState<Record<number, boolean>>({});
  if (error) return <p className="muted">{problemText(error)}</p>;
  if (!data) return <Loading />;
  if (!data.data.length) return <p className="muted">{st('service.kb.none')}</p>;
  const vote = async (a: Json, helpful: boolean) => {
    try {
      await api(`/kb_articles/${a.id}/vote`, { method: 'POST', body: { helpful } });
      setVoted({ ...voted, [a.id]: helpful });
      done(st('service.kb.voted'));
    } catch (e) {
      done(problemText(e), 'error');
    }
  };
  const insertOne = async (a: Json) => {
    try {
      const full = await api<Json>(`/kb_articles/${a.id}`);
      insert(full.body || a.excerpt || a.title);
    } catch {
      insert(a.excerpt || a.title);
    }
  };
  return (
    <ul className="kb-suggestions plain" data-testid="kb-suggestions">
      {data.data.map((a) => (
        <li key={a.id} className="kb-suggestion">
          <Link to={`/kb_articles/${a.id}`}><strong>{a.title}</strong></Link>{' '}
          <span className="badge">{a.visibility === 'public' ? st('service.kb.public') : st('service.kb.internal')}</span>
          {a.excerpt && <p className="small kb-excerpt">{a.excerpt}</p>}
          <div className="row small">
            <span className="muted">{st('service.kb.helpfulCount', { n: (a.helpful_count ?? 0) + (voted[a.id] === true ? 1 : 0) })}</span>
            <button type="button" className="btn small" aria-pressed={voted[a.id] === true} disabled={a.id in voted} onClick={() => vote(a, true)}>
              👍 {st('service.kb.helpful')}
            </button>
            <button type="button" className="btn small" onClick={() => insertOne(a)}>{st('service.kb.insert')}</button>
          </div>
        </li>
      ))}
    </ul>
  );
}

function CreateArticle({ record, done }: { record: Json; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try {
      const a = await api<Json>(`/cases/${record.id}/article`, { method: 'POST', body: {} });
      done(st('service.kb.created'));
      if (a?.id) navigate(`/kb_articles/${a.id}`);
    } catch (e) {
      done(problemText(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return <button type="button" className="btn" disabled={busy} onClick={create}>{st('service.kb.create')}</button>;
}

// Tomorrow at `h` o'clock, for datetime-local.
function tomorrowAt(h: number): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${isoDay(d)}T${h < 10 ? '0' : ''}${h}:00`;
}

export function InterventionForm({ record, done, cancel }: { record: Json; done: (iv: Json) => void; cancel: () => void }) {
  const { users } = useSession();
  const [v, setV] = useState<Record<string, string>>({
    title: record.subject || '', technician_id: '', starts_at: tomorrowAt(9), ends_at: tomorrowAt(10), address: '', postal_code: '', city: '',
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const save = async () => {
    setBusy(true);
    setErrors([]);
    setError('');
    const body: Json = {
      title: v.title, case_id: record.id, technician_id: v.technician_id ? Number(v.technician_id) : null,
      starts_at: localToIso(v.starts_at), ends_at: localToIso(v.ends_at),
    };
    if (record.contact_id) body.contact_id = record.contact_id;
    if (record.account_id) body.account_id = record.account_id;
    for (const k of ['address', 'postal_code', 'city']) if (v[k].trim()) body[k] = v[k].trim();
    try {
      const iv = await api<Json>('/interventions', { method: 'POST', body });
      done(iv);
    } catch (e) {
      const fe = fieldErrors(e);
      setErrors(fe);
      const known = new Set(['title', 'technician_id', 'starts_at', 'ends_at', 'address', 'postal_code', 'city']);
      const loose = fe.filter((x) => !known.has(x.field.split(/[.[]/)[0]));
      if (!fe.length || loose.length) setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="intervention-form grid-form" data-testid="intervention-form" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <Field label={st('service.iv.title')} name="title" errors={errors} required wide>
        {(p) => <input {...p} value={v.title} onChange={set('title')} maxLength={200} />}
      </Field>
      <Field label={st('service.iv.technician')} name="technician_id" errors={errors} required>
        {(p) => (
          <select {...p} value={v.technician_id} onChange={set('technician_id')}>
            <option value="">—</option>
            {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        )}
      </Field>
      <Field label={st('service.iv.start')} name="starts_at" errors={errors} required>
        {(p) => <input {...p} type="datetime-local" value={v.starts_at} onChange={set('starts_at')} />}
      </Field>
      <Field label={st('service.iv.end')} name="ends_at" errors={errors} required>
        {(p) => <input {...p} type="datetime-local" value={v.ends_at} onChange={set('ends_at')} />}
      </Field>
      <Field label={st('service.iv.address')} name="address" errors={errors} hint={st('service.iv.addressHint')} wide>
        {(p) => <input {...p} value={v.address} onChange={set('address')} autoComplete="street-address" />}
      </Field>
      <Field label={st('service.iv.postal')} name="postal_code" errors={errors}>
        {(p) => <input {...p} value={v.postal_code} onChange={set('postal_code')} inputMode="numeric" autoComplete="postal-code" />}
      </Field>
      <Field label={st('service.iv.city')} name="city" errors={errors}>
        {(p) => <input {...p} value={v.city} onChange={set('city')} autoComplete="address-level2" />}
      </Field>
      {error && <div className="alert error wide" role="alert" data-testid="intervention-error">{error}</div>}
      <div className="form-actions wide">
        <button type="submit" className="btn primary" disabled={busy}>{st('service.iv.save')}</button>
        <button type="button" className="btn" onClick={cancel}>{st('service.iv.cancel')}</button>
      </div>
    </form>
  );
}

function Interventions({ record, refresh, done }: { record: Json; refresh: number; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [planning, setPlanning] = useState(false);
  const { data, reload } = useAsync<ListPage>(() => api(`/interventions?case_id=${record.id}&limit=50`), [record.id, refresh]);
  const rows = data?.data || [];
  return (
    <div className="case-interventions">
      {rows.length > 0 && (
        <ul className="plain" data-testid="case-interventions">
          {rows.map((iv) => (
            <li key={iv.id}>
              <Link to={`/interventions/${iv.id}`}>{iv.title}</Link>{' '}
              <span className="small">{fmtDateTime(iv.starts_at)} – {fmtDateTime(iv.ends_at)}</span>{' '}
              <span className="badge">{enumLabel('interventions', 'status', iv.status)}</span>
            </li>
          ))}
        </ul>
      )}
      {planning ? (
        <InterventionForm record={record} cancel={() => setPlanning(false)}
          done={() => { setPlanning(false); reload(); done(st('service.iv.saved')); }} />
      ) : (
        <button type="button" className="btn" onClick={() => setPlanning(true)}>{st('service.iv.plan')}</button>
      )}
    </div>
  );
}

export default function CaseExtra({ record, reload }: { record: Json; reload: () => void }) {
  const [bump, setBump] = useState(0);
  const { data, error, reload: reloadHistory } = useAsync<Json>(() => api(`/cases/${record.id}/history`), [record.id, record.version, bump]);
  const [body, setBody] = useState('');
  const [flash, show] = useFlash();
  const changed = (msg: string, kind: 'ok' | 'error' = 'ok') => {
    show(msg, kind);
    if (kind === 'ok') {
      setBump((n) => n + 1);
      reload();
    }
  };
  return (
    <div className="case-extra">
      {flash}
      <Section title={st('service.case.conversation')} className="case-conversation">
        {error && <ErrorBox error={error} onRetry={reloadHistory} />}
        {!data && !error && <Loading />}
        {data && <Conversation events={data.events || []} />}
        <CaseComposer record={record} body={body} setBody={setBody} done={changed} />
      </Section>
      <Section title={st('service.sla.title')} className="case-sla">
        {data ? <SlaPanel sla={data.sla} /> : <Loading />}
      </Section>
      <Section title={st('service.case.actions')} className="case-actions">
        <StatusChange key={record.version} record={record} done={changed} />
        <div className="row case-buttons">
          <Merge record={record} />
          <CreateArticle record={record} done={show} />
        </div>
      </Section>
      <Section title={st('service.iv.list')} className="case-interventions-section">
        <Interventions record={record} refresh={bump} done={changed} />
      </Section>
      <Section title={st('service.script.title')} className="case-script">
        <ScriptRunner key={record.id} record={record} done={changed} />
      </Section>
      <Section title={st('service.kb.title')} className="case-kb">
        <Suggestions record={record} done={show} insert={(text) => setBody(body ? body + '\n\n' + text : text)} />
      </Section>
    </div>
  );
}
