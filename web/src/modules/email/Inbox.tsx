// The inbox of unknown senders (/email/inbox): messages whose sender is no contact yet, waiting.
// Each can become a contact (a short form, the duplicate check of the contact form: a 409 shows
// the probable duplicates, with "create anyway" and a way to link to one of them), be linked to
// an existing contact (the kernel's record picker), or be ignored.
import { useState } from 'react';
import { api, ApiError, qs, type FieldError, type Json } from '../../api';
import { fmtDateTime } from '../../format';
import { t } from '../../i18n';
import { RecordPicker } from '../../kernel/inputs';
import { duplicateWarning } from '../../kernel/registry';
import { displayName, enumValues, fieldLabel } from '../../kernel/schema';
import { Link } from '../../router';
import { ErrorBox, Field, Loading, useAsync, useFlash } from '../../ui';
import { StatusBadge } from './EmailView';

function splitName(name: string | undefined, address: string): { first_name: string; last_name: string } {
  const n = (name || '').replace(/["']/g, '').trim();
  if (n) {
    const i = n.indexOf(' ');
    return i < 0 ? { first_name: '', last_name: n } : { first_name: n.slice(0, i), last_name: n.slice(i + 1) };
  }
  const local = address.split('@')[0] || '';
  const parts = local.split(/[._-]+/).filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1));
  return parts.length > 1 ? { first_name: parts[0], last_name: parts.slice(1).join(' ') } : { first_name: '', last_name: parts[0] || '' };
}

type Action = 'create' | 'link' | null;

function CreateContact({ m, onDone, onCancel }: { m: Json; onDone: (msg: string) => void; onCancel: () => void }) {
  const initial = splitName(m.from?.name, m.from?.address || '');
  const [first, setFirst] = useState(initial.first_name);
  const [last, setLast] = useState(initial.last_name);
  const stages = enumValues('contacts', 'lifecycle_stage');
  const [stage, setStage] = useState(stages.some((s) => s.value === 'prospect') ? 'prospect' : stages[0]?.value || '');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [dupes, setDupes] = useState<Json[] | null>(null);
  const [busy, setBusy] = useState(false);
  const Dup = duplicateWarning();

  const create = async (allowDuplicate = false) => {
    setBusy(true);
    setErrors([]);
    setProblem(null);
    setDupes(null);
    try {
      const body: Json = { first_name: first, last_name: last };
      if (stage) body.lifecycle_stage = stage;
      const r = await api(`/email/inbox/${m.id}/contact` + qs({ allow_duplicate: allowDuplicate ? 'true' : '' }), { method: 'POST', body });
      onDone(t('email.inbox.created', { name: displayName('contacts', r.contact) }));
    } catch (e) {
      const ae = e as ApiError;
      const candidates = (ae.problem as Json)?.candidates;
      if (ae.status === 409 && Array.isArray(candidates)) setDupes(candidates);
      else {
        setErrors(ae.problem?.errors || []);
        setProblem(ae.message);
      }
    } finally {
      setBusy(false);
    }
  };
  const link = async (contactId: number, name: string) => {
    setBusy(true);
    try {
      await api(`/email/inbox/${m.id}/link`, { method: 'POST', body: { contact_id: contactId } });
      onDone(t('email.inbox.linked', { name }));
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inbox-form" noValidate onSubmit={(e) => {
      e.preventDefault();
      create();
    }}>
      <div className="composer-row">
        <Field label={fieldLabel('contacts', 'first_name')} name="first_name" errors={errors}>
          {(p) => <input {...p} value={first} onChange={(e) => setFirst(e.target.value)} />}
        </Field>
        <Field label={fieldLabel('contacts', 'last_name')} name="last_name" errors={errors}>
          {(p) => <input {...p} value={last} onChange={(e) => setLast(e.target.value)} />}
        </Field>
        {stages.length > 0 && (
          <Field label={fieldLabel('contacts', 'lifecycle_stage')} name="lifecycle_stage" errors={errors}>
            {(p) => (
              <select {...p} value={stage} onChange={(e) => setStage(e.target.value)}>
                {stages.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
              </select>
            )}
          </Field>
        )}
      </div>
      {problem && <div className="alert error small" role="alert">{problem}</div>}
      {dupes && (
        <div className="inbox-dupes">
          {Dup && Dup({ entity: 'contacts', candidates: dupes, busy, onCreateAnyway: () => create(true) })}
          <ul className="plain">
            {dupes.map((c: Json, i: number) => {
              const rec = c.record ?? c;
              const id = c.id ?? rec.id;
              const name = c.display_name || displayName('contacts', rec);
              return (
                <li key={id ?? i}>
                  <button type="button" className="btn small" disabled={busy} data-testid="link-candidate" onClick={() => link(id, name)}>
                    {t('email.inbox.linkTo', { name })}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>{t('email.inbox.create')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('email.inbox.cancel')}</button>
      </div>
    </form>
  );
}

function LinkContact({ m, onDone, onCancel }: { m: Json; onDone: (msg: string) => void; onCancel: () => void }) {
  const [contact, setContact] = useState<number | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const link = async () => {
    setBusy(true);
    setErrors([]);
    setProblem(null);
    try {
      const r = await api(`/email/inbox/${m.id}/link`, { method: 'POST', body: { contact_id: contact } });
      const c = (r?.contacts || []).find((x: Json) => x.id === contact);
      onDone(t('email.inbox.linked', { name: c?.name || '' }));
    } catch (e) {
      const ae = e as ApiError;
      setErrors(ae.problem?.errors || []);
      setProblem(ae.problem?.errors?.length ? null : ae.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inbox-form" noValidate onSubmit={(e) => {
      e.preventDefault();
      link();
    }}>
      <Field label={t('email.inbox.contact')} name="contact_id" errors={errors} required>
        {(p) => <RecordPicker entity="contacts" value={contact} onChange={setContact} fieldProps={p} />}
      </Field>
      {problem && <div className="alert error small" role="alert">{problem}</div>}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy || !contact}>{t('email.inbox.confirmLink')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('email.inbox.cancel')}</button>
      </div>
    </form>
  );
}

function InboxItem({ m, onDone }: { m: Json; onDone: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [action, setAction] = useState<Action>(null);
  const finished = (msg: string) => {
    setAction(null);
    onDone(msg);
  };
  const dismiss = async () => {
    try {
      await api(`/email/inbox/${m.id}/dismiss`, { method: 'POST' });
      onDone(t('email.inbox.dismissed'));
    } catch (e) {
      onDone((e as Error).message, 'error');
    }
  };
  return (
    <li className="card inbox-item" data-testid="inbox-item" data-email-id={m.id}>
      <div className="inbox-head">
        <div>
          <strong className="inbox-from">{m.from?.name || m.from?.address}</strong>
          {m.from?.name && <span className="muted small"> &lt;{m.from.address}&gt;</span>}
        </div>
        <span className="muted small"><time dateTime={m.sent_at}>{fmtDateTime(m.sent_at)}</time> {m.status !== 'received' && <StatusBadge m={m} />}</span>
      </div>
      <div className="inbox-subject">
        <Link to={`/email/messages/${m.id}`}>{m.subject || t('email.noSubject')}</Link>
      </div>
      {m.text && <p className="inbox-excerpt muted">{String(m.text).slice(0, 240)}</p>}
      {action === null && (
        <div className="form-actions">
          <button type="button" className="btn primary" onClick={() => setAction('create')}>{t('email.inbox.create')}</button>
          <button type="button" className="btn" onClick={() => setAction('link')}>{t('email.inbox.link')}</button>
          <button type="button" className="btn" onClick={dismiss}>{t('email.inbox.dismiss')}</button>
        </div>
      )}
      {action === 'create' && <CreateContact m={m} onDone={finished} onCancel={() => setAction(null)} />}
      {action === 'link' && <LinkContact m={m} onDone={finished} onCancel={() => setAction(null)} />}
    </li>
  );
}

export default function Inbox() {
  const { data, error, loading, reload } = useAsync<Json[]>(() => api('/email/inbox').then((r) => r.data || []), []);
  const [flash, show] = useFlash();
  const done = (msg: string, kind: 'ok' | 'error' = 'ok') => {
    show(msg, kind);
    if (kind === 'ok') reload();
  };
  return (
    <div className="page email-inbox">
      <header className="page-head">
        <div>
          <h1>{t('email.inbox.title')}</h1>
          <p className="muted">{t('email.inbox.intro')}</p>
        </div>
      </header>
      {flash}
      <ErrorBox error={error} onRetry={reload} />
      {data && <p className="small muted">{t('email.inbox.count', { n: data.length })}</p>}
      {data && !data.length && <p className="muted">{t('email.inbox.empty')}</p>}
      {loading && !data && <Loading />}
      <ul className="plain inbox-list">
        {(data || []).map((m) => <InboxItem key={m.id} m={m} onDone={done} />)}
      </ul>
    </div>
  );
}
