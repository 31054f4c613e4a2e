// One e-mail as the reader may see it (GET /api/v1/emails/{id} or /interactions/{id}/email):
// header (from, to, cc, date, status in words), the sanitised HTML in a sandboxed frame (or the
// text), attachments as downloads with their size, the conversation (…/thread) and the reply,
// reply-to-all and forward buttons that open the composer.
import { useState, type ReactNode } from 'react';
import { api, type Json } from '../../api';
import { fmtDateTime, fmtSize } from '../../format';
import { t, tEnum } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Loading, useAsync, useFlash } from '../../ui';
import Composer, { type ComposeMode } from './Composer';

export function addressText(a: Json): string {
  if (!a) return '';
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

function Addresses({ list }: { list: Json[] | undefined }) {
  if (!list?.length) return <>—</>;
  return <>{list.map(addressText).join(', ')}</>;
}

export function StatusBadge({ m }: { m: Json }) {
  return (
    <span className={'badge email-status email-status-' + m.status} data-status={m.status}>
      {tEnum('email.status', m.status)}
    </span>
  );
}

export function MessageView({ m, asPage }: { m: Json; asPage?: boolean }) {
  const blocked = Number(m.remote_images_blocked || 0);
  const items: [string, ReactNode][] = [
    [t('email.from'), addressText(m.from)],
    [t('email.to'), <Addresses list={m.to} />],
  ];
  if (m.cc?.length) items.push([t('email.cc'), <Addresses list={m.cc} />]);
  if (m.bcc?.length) items.push([t('email.bcc'), <Addresses list={m.bcc} />]);
  items.push([t('email.date'), <time dateTime={m.sent_at}>{fmtDateTime(m.sent_at)}</time>]);
  items.push([t('email.status'), (
    <>
      <StatusBadge m={m} />
      {m.kind && m.kind !== 'ordinary' && <span className="badge"> {tEnum('email.kind', m.kind)}</span>}
      {m.marketing && <span className="badge"> {t('email.marketing')}</span>}
      {m.is_private && <span className="badge"> {t('email.private')}</span>}
    </>
  )]);
  if (m.mailbox) items.push([t('email.mailbox'), m.mailbox.name]);
  if (m.contacts?.length)
    items.push([t('email.contacts'), (
      <>
        {m.contacts.map((c: Json, i: number) => (
          <span key={c.id}>{i > 0 && ', '}<Link to={`/contacts/${c.id}`}>{c.name}</Link></span>
        ))}
      </>
    )]);
  return (
    <article className={(asPage ? "card " : "") + "email-message"} data-testid="email-message" data-email-id={m.id}>
      {asPage
        ? <h1 className="email-subject">{m.subject || t('email.noSubject')}</h1>
        : <h2 className="email-subject">{m.subject || t('email.noSubject')}</h2>}
      <dl className="email-head">
        {items.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {m.error && <p className="alert error small">{t('email.error', { error: m.error })}</p>}
      {m.has_html ? (
        <>
          {blocked > 0 && <p className="muted small email-blocked">{t('email.remoteBlocked', { n: blocked })}</p>}
          <iframe className="email-html" title={t('email.htmlTitle')} sandbox="allow-popups allow-popups-to-escape-sandbox"
            src={`/api/v1/emails/${m.id}/html`} referrerPolicy="no-referrer" />
        </>
      ) : (
        <div className="email-text" data-testid="email-text">{m.text}</div>
      )}
      {m.attachments?.length > 0 && (
        <div className="email-attachments">
          <h3 className="h3">{t('email.attachments')}</h3>
          <ul className="plain">
            {m.attachments.map((a: Json) => (
              <li key={a.position}>
                <a href={a.url || `/api/v1/emails/${m.id}/attachments/${a.position}`} download={a.filename}>{a.filename}</a>{' '}
                <span className="muted small">
                  {fmtSize(a.size)}
                  {a.is_inline ? ' · ' + t('email.inline') : ''}
                  {a.truncated ? ' · ' + t('email.truncated') : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

function Thread({ rows, currentId }: { rows: Json[]; currentId: number }) {
  if (rows.length < 2) return null;
  return (
    <nav className="card email-thread" aria-label={t('email.thread')}>
      <h2>{t('email.thread')} <span className="muted small">{t('email.threadCount', { n: rows.length })}</span></h2>
      <ol className="plain">
        {rows.map((r) => (
          <li key={r.id} className={r.id === currentId ? 'current' : ''}>
            <span className="thread-from">{r.from?.name || r.from?.address}</span>{' '}
            <span className="muted small"><time dateTime={r.sent_at}>{fmtDateTime(r.sent_at)}</time></span>{' '}
            <StatusBadge m={r} />
            <div className="thread-subject">
              {r.id === currentId
                ? <strong aria-current="true">{r.subject || t('email.noSubject')} <span className="muted small">({t('email.current')})</span></strong>
                : <Link to={`/email/messages/${r.id}`}>{r.subject || t('email.noSubject')}</Link>}
            </div>
            {r.id !== currentId && r.text && <div className="muted small thread-excerpt">{String(r.text).slice(0, 160)}</div>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

// The message, its conversation and the answer buttons; `load` fetches the message.
export function EmailPanel({ load, deps, withThread = true, asPage }: { load: () => Promise<Json>; deps: unknown[]; withThread?: boolean; asPage?: boolean }) {
  const { data: m, error, loading, reload } = useAsync<Json>(load, deps);
  const { data: thread, reload: reloadThread } = useAsync<Json[]>(
    () => (m && withThread ? api(`/emails/${m.id}/thread`).then((r) => r.data || []) : Promise.resolve([])), [m?.id]);
  const [compose, setCompose] = useState<ComposeMode | null>(null);
  const [flash, show] = useFlash();
  if (error && (error as Json).status === 404) return asPage ? <p className="muted">{t('email.notEmail')}</p> : null;
  if (error) return <ErrorBox error={error} onRetry={reload} />;
  if (!m) return loading ? <Loading /> : null;
  return (
    <div className="email-panel">
      {flash}
      <div className="email-actions">
        <button type="button" className="btn primary" onClick={() => setCompose('reply')}>↩ {t('email.reply')}</button>
        <button type="button" className="btn" onClick={() => setCompose('replyAll')}>↩↩ {t('email.replyAll')}</button>
        <button type="button" className="btn" onClick={() => setCompose('forward')}>↪ {t('email.forward')}</button>
      </div>
      <MessageView m={m} asPage={asPage} />
      {thread && <Thread rows={thread} currentId={m.id} />}
      {compose && (
        <Composer mode={compose} original={m} contactId={m.contacts?.[0]?.id}
          onClose={() => setCompose(null)}
          onSent={() => {
            setCompose(null);
            show(t('email.sentFlash'));
            reload();
            reloadThread();
          }} />
      )}
    </div>
  );
}

export function EmailPage({ emailId, interactionId }: { emailId?: number; interactionId?: number }) {
  const load = () => (interactionId ? api(`/interactions/${interactionId}/email`) : api(`/emails/${emailId}`));
  return (
    <div className="page email-page">
      <header className="page-head">
        <div>
          <p className="crumbs">
            {interactionId ? <Link to={`/interactions/${interactionId}`}>{t('email.section')}</Link> : t('email.section')}
          </p>
        </div>
      </header>
      <EmailPanel load={load} deps={[emailId, interactionId]} asPage />
    </div>
  );
}
