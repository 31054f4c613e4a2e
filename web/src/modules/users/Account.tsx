// "Mon compte": change one's password (POST /me/password: the other sessions end) and manage
// one's API tokens (GET/POST /tokens, DELETE /tokens/{id}); a new token is shown once.
import { useState } from 'react';
import { api, ApiError, type FieldError, type Json } from '../../api';
import { fmtDate, fmtDateTime } from '../../format';
import { t } from '../../i18n';
import { ErrorBox, Field, Loading, Section, useAsync, useFlash } from '../../ui';

// Field errors of a refused request: the server writes them in the reader's language.
export function translatedErrors(e: unknown): FieldError[] {
  if (!(e instanceof ApiError)) return [{ field: '', message: (e as Error).message }];
  const errors = e.problem.errors || [];
  if (!errors.length) return [{ field: '', message: e.message }];
  return errors.map((x) => ({ field: x.field, message: x.message }));
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  const submit = async () => {
    if (next !== again) {
      setErrors([{ field: 'confirm', message: t('account.mismatch') }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      const r = await api<{ sessions_ended: number }>('/me/password', {
        method: 'POST',
        body: { current_password: current, new_password: next },
      });
      setCurrent('');
      setNext('');
      setAgain('');
      show(t('account.changed', { n: r.sessions_ended }));
    } catch (e) {
      setErrors(translatedErrors(e));
    } finally {
      setBusy(false);
    }
  };
  const general = errors.filter((e) => !['current_password', 'new_password', 'confirm'].includes(e.field));
  return (
    <Section title={t('account.password')}>
      {flash}
      {general.map((e) => (
        <div key={e.message} className="alert error" role="alert">
          {e.message}
        </div>
      ))}
      <form
        noValidate
        data-testid="password-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label={t('account.current')} name="current_password" errors={errors} required>
          {(p) => <input {...p} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
        <Field label={t('account.new')} name="new_password" errors={errors} required hint={t('account.pwHint')}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field label={t('account.confirm')} name="confirm" errors={errors} required>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={busy || !current || !next}>
            {t('account.change')}
          </button>
        </div>
      </form>
    </Section>
  );
}

export function tokenStatus(tok: Json): string {
  if (tok.revoked_at) return t('account.revoked', { when: fmtDateTime(tok.revoked_at) });
  if (tok.expires_at && tok.expires_at <= new Date().toISOString().slice(0, 19) + 'Z') return t('account.expired');
  return t('account.active');
}

function Tokens() {
  const { data, error, loading, reload } = useAsync<{ data: Json[] }>(() => api('/tokens'), []);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  const create = async () => {
    setBusy(true);
    setErrors([]);
    try {
      const r = await api<Json>('/tokens', { method: 'POST', body: { name, expires_at: expires || null } });
      setCreated(r.token);
      setName('');
      setExpires('');
      reload();
    } catch (e) {
      setErrors(translatedErrors(e));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (tok: Json) => {
    if (!window.confirm(t('account.revokeConfirm', { name: tok.name }))) return;
    try {
      await api(`/tokens/${tok.id}`, { method: 'DELETE' });
      show(t('account.revokedFlash', { name: tok.name }));
      reload();
    } catch (e) {
      show((e as Error).message, 'error');
    }
  };
  return (
    <Section title={t('account.tokens')}>
      <p className="muted">{t('account.tokensHint')}</p>
      {flash}
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && data.data.length === 0 && <p className="muted">{t('account.noTokens')}</p>}
      {data && data.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="token-list">
            <thead>
              <tr>
                <th scope="col">{t('account.tokenName')}</th>
                <th scope="col">{t('account.created')}</th>
                <th scope="col">{t('account.tokenExpires')}</th>
                <th scope="col">{t('account.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {data.data.map((tok) => (
                <tr key={tok.id} data-token={tok.name}>
                  <td>{tok.name}</td>
                  <td>{fmtDate(tok.created_at)}</td>
                  {/* The expiry is the end of a UTC day: show that day, not the next one east of Greenwich. */}
                  <td>{tok.expires_at ? fmtDate(tok.expires_at.slice(0, 10)) : t('account.never')}</td>
                  <td>{tokenStatus(tok)}</td>
                  <td>
                    {!tok.revoked_at && (
                      <button type="button" className="btn small" onClick={() => revoke(tok)}>
                        {t('account.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created && (
        <div className="alert" role="status" data-testid="new-token">
          <p>{t('account.tokenCreated')}</p>
          <code className="token-secret">{created}</code>{' '}
          <button
            type="button"
            className="btn small"
            onClick={() => navigator.clipboard?.writeText(created).then(() => show(t('account.tokenCopied')))}
          >
            {t('account.tokenCopy')}
          </button>
        </div>
      )}
      <form
        noValidate
        data-testid="token-form"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <div className="row">
          <Field label={t('account.tokenName')} name="name" errors={errors}>
            {(p) => <input {...p} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label={t('account.tokenExpires')} name="expires_at" errors={errors} hint={t('account.tokenExpiresHint')}>
            {(p) => <input {...p} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}
          </Field>
        </div>
        {errors.filter((e) => e.field === '').map((e) => (
          <div key={e.message} className="alert error" role="alert">
            {e.message}
          </div>
        ))}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={busy}>
            {t('account.tokenCreate')}
          </button>
        </div>
      </form>
    </Section>
  );
}

export default function Account() {
  return (
    <div className="page narrow-page">
      <h1>{t('account.title')}</h1>
      <PasswordForm />
      <Tokens />
    </div>
  );
}
