// Mailboxes (administrators): the catalogue's form and record page, plus the write-only password
// (sent as `password` only when typed), the reading state in words and "Read now"
// (POST /api/v1/mailboxes/{id}/sync).
import { useState } from 'react';
import { api, type Json } from '../../api';
import { fmtDateTime } from '../../format';
import { t } from '../../i18n';
import type { FormExtensionProps, RecordExtensionProps } from '../../kernel/registry';
import { useSession } from '../../session';
import { Field, Section, useFlash } from '../../ui';

export function PasswordField({ values, set, errors, original }: FormExtensionProps) {
  const hasPassword = !!original?.has_password;
  return (
    <Field label={t('email.mailbox.password')} name="password" errors={errors}
      hint={original ? (hasPassword ? t('email.mailbox.passwordSet') : t('email.mailbox.passwordUnset')) : undefined}>
      {(p) => <input {...p} type="password" autoComplete="new-password" value={values.password ?? ''}
        onChange={(e) => set('password', e.target.value)} />}
    </Field>
  );
}

// Adds the password to the body only when one was typed.
export function passwordToBody(body: Json, values: Record<string, Json>): Json {
  const out = { ...body };
  delete out.password;
  if (typeof values.password === 'string' && values.password !== '') out.password = values.password;
  return out;
}

export function SyncState({ r }: { r: Json }) {
  const total = Number(r.messages_total || 0);
  const done = Number(r.messages_imported || 0);
  let line: string;
  switch (r.sync_status) {
    case 'importing': line = t('email.mailbox.importing', { done, total }); break;
    case 'up_to_date': line = t('email.mailbox.upToDate', { total: total || done }); break;
    case 'error': line = t('email.mailbox.error'); break;
    default: line = t('email.mailbox.never');
  }
  return (
    <div className="mailbox-state" data-testid="mailbox-state">
      <p><strong>{line}</strong></p>
      {r.sync_status === 'importing' && total > 0 && <progress max={total} value={done} aria-label={line} />}
      {r.last_sync_at && <p className="muted small">{t('email.mailbox.lastSync', { date: fmtDateTime(r.last_sync_at) })}</p>}
      {r.last_error && (
        <div className="alert error small">
          <strong>{t('email.mailbox.lastError')} :</strong> <span className="pre">{r.last_error}</span>
        </div>
      )}
    </div>
  );
}

export function MailboxExtra({ record, reload }: RecordExtensionProps) {
  const { user } = useSession();
  const [flash, show] = useFlash();
  const [busy, setBusy] = useState(false);
  const sync = async () => {
    setBusy(true);
    try {
      await api(`/mailboxes/${record.id}/sync`, { method: 'POST' });
      show(t('email.mailbox.syncQueued'));
      reload();
    } catch (e) {
      show((e as Error).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('email.mailbox.state')} className="mailbox-sync"
      actions={user?.role === 'admin' && (
        <button type="button" className="btn" disabled={busy} onClick={sync}>⟳ {t('email.mailbox.sync')}</button>
      )}>
      <SyncState r={record} />
      {flash}
    </Section>
  );
}
