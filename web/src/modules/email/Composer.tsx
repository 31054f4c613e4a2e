// The e-mail composer, a modal dialog (full screen on a phone): mailbox, To / Cc / Bcc as typed
// lists, a template (rendered for the contact by the server), subject, plain-text message,
// attachments (sent as base64url), marketing. POST /api/v1/emails answers 202 with the queued
// message; a 422 names the wrong fields, shown beside them. A reply or a forward leaves the
// recipients and the subject to the server when they are left empty.
import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, qs, type FieldError, type Json, type ListPage } from '../../api';
import { fmtSize } from '../../format';
import { t, type Key } from '../../i18n';
import { Field } from '../../ui';

export type ComposeMode = 'new' | 'reply' | 'replyAll' | 'forward';

export interface ComposeProps {
  mode: ComposeMode;
  contactId?: number;
  to?: string;
  // The message replied to or forwarded.
  original?: Json;
  // A quote sent with its PDF (POST /api/v1/quotes/{id}/send; subject and text default to the server's).
  quote?: Json;
  onClose: () => void;
  onSent: (message: Json) => void;
}

interface Attachment {
  filename: string;
  content_type: string;
  content_base64: string;
  size: number;
}

// base64url without padding, as the API wants it.
function base64url(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const TITLES: Record<ComposeMode, Key> = {
  new: 'email.compose.title',
  reply: 'email.compose.replyTitle',
  replyAll: 'email.compose.replyAllTitle',
  forward: 'email.compose.forwardTitle',
};

export default function Composer({ mode, contactId, to: initialTo, original, quote, onClose, onSent }: ComposeProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [mailboxes, setMailboxes] = useState<Json[] | null>(null);
  const [templates, setTemplates] = useState<Json[]>([]);
  const [mailboxId, setMailboxId] = useState<string>(original?.mailbox?.id ? String(original.mailbox.id) : '');
  const [to, setTo] = useState(initialTo ?? '');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [marketing, setMarketing] = useState(false);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [rendering, setRendering] = useState(false);
  const isReply = mode === 'reply' || mode === 'replyAll';

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    api<ListPage>('/mailboxes' + qs({ limit: 200 }))
      .then((p) => {
        const active = p.data.filter((m) => m.active !== false);
        setMailboxes(active);
        setMailboxId((cur) => (cur && active.some((m) => String(m.id) === cur) ? cur : active[0] ? String(active[0].id) : ''));
      })
      .catch(() => setMailboxes([]));
    api<ListPage>('/email_templates' + qs({ limit: 200 }))
      .then((p) => setTemplates([...p.data].sort((a, b) => String(a.name).localeCompare(String(b.name)))))
      .catch(() => setTemplates([]));
  }, []);

  const chooseTemplate = async (id: string) => {
    setTemplateId(id);
    if (!id) return;
    setRendering(true);
    setProblem(null);
    try {
      const r = await api(`/email-templates/${id}/render`, {
        method: 'POST',
        body: { contact_id: contactId ?? null, mailbox_id: mailboxId ? Number(mailboxId) : null },
      });
      setSubject(r.subject ?? '');
      setBody(r.body ?? '');
      setMarketing(!!r.marketing);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setRendering(false);
    }
  };

  const addFiles = async (list: FileList | null) => {
    if (!list) return;
    const added: Attachment[] = [];
    for (const f of Array.from(list))
      added.push({ filename: f.name, content_type: f.type || 'application/octet-stream', content_base64: base64url(await f.arrayBuffer()), size: f.size });
    setFiles((cur) => [...cur, ...added]);
  };

  const send = async () => {
    setBusy(true);
    setErrors([]);
    setProblem(null);
    const payload: Json = {
      mailbox_id: mailboxId ? Number(mailboxId) : null,
      to, cc, bcc, subject, body, marketing,
    };
    if (templateId) payload.template_id = Number(templateId);
    if (contactId) payload.contact_id = contactId;
    if (original && isReply) {
      payload.reply_to_email = original.id;
      if (mode === 'replyAll') payload.reply_all = true;
    }
    if (original && mode === 'forward') payload.forward_email = original.id;
    if (files.length) payload.attachments = files.map(({ filename, content_type, content_base64 }) => ({ filename, content_type, content_base64 }));
    try {
      const m = quote
        ? await api(`/quotes/${quote.id}/send`, {
            method: 'POST',
            body: Object.fromEntries(Object.entries({ mailbox_id: payload.mailbox_id, to, cc, subject, body }).filter(([, v]) => v !== '')),
          })
        : await api('/emails', { method: 'POST', body: payload });
      ref.current?.close();
      onSent(m);
    } catch (e) {
      const ae = e as ApiError;
      const errs = ae.problem?.errors || [];
      setErrors(errs);
      const known = ['mailbox_id', 'to', 'cc', 'bcc', 'subject', 'body', 'template_id', 'attachments'];
      const other = errs.filter((x) => !known.some((k) => x.field === k || x.field.startsWith(k + '[') || x.field.startsWith(k + '.')));
      setProblem(errs.length && !other.length ? null : [ae.message, ...other.map((x) => `${x.label || x.field} : ${x.message}`)].join(' — '));
      setTimeout(() => {
        const target = ref.current?.querySelector<HTMLElement>('.field.invalid input, .field.invalid select, .field.invalid textarea');
        target?.focus();
      }, 0);
    } finally {
      setBusy(false);
    }
  };

  const recipientsPlaceholder = isReply ? t('email.compose.originalRecipients') : undefined;
  return (
    <dialog ref={ref} className="email-composer" aria-labelledby={titleId} data-testid="email-composer"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}>
      <form noValidate onSubmit={(e) => {
        e.preventDefault();
        if (!busy) send();
      }}>
        <div className="composer-head">
          <h2 id={titleId}>{t(quote ? 'email.compose.quoteTitle' : TITLES[mode])}</h2>
          <button type="button" className="btn small" onClick={onClose} aria-label={t('email.compose.close')}>✕</button>
        </div>
        {original && mode !== 'new' && <p className="muted small">« {original.subject || t('email.noSubject')} »</p>}
        <Field label={t('email.compose.mailbox')} name="mailbox_id" errors={errors} required>
          {(p) => mailboxes && !mailboxes.length
            ? <p className="alert warn small">{t('email.compose.noMailbox')}</p>
            : (
              <select {...p} value={mailboxId} onChange={(e) => setMailboxId(e.target.value)}>
                {mailboxes === null && <option value="">{t('loading')}</option>}
                {(mailboxes || []).map((m) => <option key={m.id} value={m.id}>{m.name} — {m.address}</option>)}
              </select>
            )}
        </Field>
        <Field label={t('email.compose.to')} name="to" errors={errors} required={!isReply} hint={t('email.compose.addressesHint')}>
          {(p) => <input {...p} type="text" inputMode="email" autoComplete="off" value={to} placeholder={recipientsPlaceholder} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <div className="composer-row">
          <Field label={t('email.compose.cc')} name="cc" errors={errors}>
            {(p) => <input {...p} type="text" inputMode="email" autoComplete="off" value={cc}
              placeholder={mode === 'replyAll' ? recipientsPlaceholder : undefined} onChange={(e) => setCc(e.target.value)} />}
          </Field>
          <Field label={t('email.compose.bcc')} name="bcc" errors={errors}>
            {(p) => <input {...p} type="text" inputMode="email" autoComplete="off" value={bcc} onChange={(e) => setBcc(e.target.value)} />}
          </Field>
        </div>
        {templates.length > 0 && (
          <Field label={t('email.compose.template')} name="template_id" errors={errors} hint={rendering ? t('email.compose.rendering') : undefined}>
            {(p) => (
              <select {...p} value={templateId} disabled={rendering} onChange={(e) => chooseTemplate(e.target.value)}>
                <option value="">{t('email.compose.noTemplate')}</option>
                {templates.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
              </select>
            )}
          </Field>
        )}
        <Field label={t('email.compose.subject')} name="subject" errors={errors} required={mode === 'new'}>
          {(p) => <input {...p} type="text" value={subject} placeholder={mode !== 'new' ? t('email.compose.originalSubject') : quote ? `Devis ${quote.number ?? ''} — ${quote.title ?? ''}` : undefined}
            onChange={(e) => setSubject(e.target.value)} />}
        </Field>
        <Field label={t('email.compose.body')} name="body" errors={errors}>
          {(p) => <textarea {...p} rows={10} value={body} onChange={(e) => setBody(e.target.value)} onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              if (!busy) send();
            }
          }} />}
        </Field>
        {quote && (
          <p className="composer-quote" data-testid="composer-quote-pdf">
            {t('email.compose.quotePdf', { number: String(quote.number ?? '') })}
          </p>
        )}
        {!quote && <Field label={t('email.compose.attachments')} name="attachments" errors={errors}>
          {(p) => (
            <div>
              <input {...p} type="file" multiple onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = '';
              }} />
              {files.length > 0 && (
                <ul className="plain composer-files">
                  {files.map((f, i) => (
                    <li key={i}>
                      {f.filename} <span className="muted small">{fmtSize(f.size)}</span>{' '}
                      <button type="button" className="btn small" aria-label={t('email.compose.remove', { name: f.filename })}
                        onClick={() => setFiles((cur) => cur.filter((_, j) => j !== i))}>✕</button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </Field>}
        {!quote && <div className="field checkbox" data-field="marketing">
          <label>
            <input type="checkbox" checked={marketing} onChange={(e) => setMarketing(e.target.checked)} /> {t('email.compose.marketing')}
          </label>
          <small className="hint">{t('email.compose.marketingHint')}</small>
        </div>}
        {problem && <div className="alert error" role="alert" data-testid="composer-error">{problem}</div>}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={busy || (mailboxes !== null && !mailboxes.length)}>
            {busy ? t('email.compose.sending') : t('email.compose.send')}
          </button>
          <button type="button" className="btn" onClick={onClose}>{t('cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}
