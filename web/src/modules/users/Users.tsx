// The admin's users page: every user with their role, team and state; deactivate / reactivate
// (PATCH /users/{id} {active}: a deactivated user's sessions and tokens stop at once) and reset a
// password (POST /users/{id}/password: all their sessions end).
import { useState } from 'react';
import { api, type FieldError, type Json } from '../../api';
import { t } from '../../i18n';
import { useSession } from '../../session';
import { ErrorBox, Field, Loading, useAsync, useFlash } from '../../ui';
import { translatedErrors } from './Account';
import { roleLabel } from '../../kernel/schema';

const isActive = (u: Json) => u.active === true || u.active === 1;

function ResetForm({ user, onDone, onCancel }: { user: Json; onDone: (ended: number) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      className="reset-form"
      data-testid="reset-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setErrors([]);
        try {
          const r = await api<{ sessions_ended: number }>(`/users/${user.id}/password`, { method: 'POST', body: { password } });
          onDone(r.sessions_ended);
        } catch (err) {
          setErrors(translatedErrors(err).map((x) => ({ ...x, field: x.field || 'password' })));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field label={t('users.resetFor', { name: user.name })} name="password" errors={errors} required hint={t('account.pwHint')}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={busy || !password}>
          {t('users.reset')}
        </button>
        <button type="button" className="btn ghost small" onClick={onCancel}>
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}

export default function Users() {
  const { user: me } = useSession();
  const { data, error, loading, reload } = useAsync<{ data: Json[] }>(() => api('/users'), []);
  const [resetting, setResetting] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [flash, show] = useFlash();
  if (!me || me.role !== 'admin') return null;
  const myId = me.id;
  const setActive = async (u: Json, active: boolean) => {
    if (!active && !window.confirm(t('users.deactivateConfirm', { name: u.name }))) return;
    setBusy(u.id);
    try {
      await api(`/users/${u.id}`, { method: 'PATCH', body: { active } });
      show(t(active ? 'users.reactivated' : 'users.deactivated', { name: u.name }));
      reload();
    } catch (e) {
      show(translatedErrors(e)[0]?.message || (e as Error).message, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="page">
      <h1>{t('users.title')}</h1>
      {flash}
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <ul className="user-cards" data-testid="user-list">
          {data.data.map((u) => (
            <li key={u.id} className={'card user-card' + (isActive(u) ? '' : ' inactive')} data-user={u.email}>
              <div className="user-card-head">
                <div>
                  <strong>{u.name}</strong> {u.id === myId && <span className="muted">{t('users.you')}</span>}
                  <div className="muted small">{u.email}</div>
                </div>
                <span className={'badge ' + (isActive(u) ? 'ok' : 'off')} data-testid="user-status">
                  {isActive(u) ? t('users.active') : t('users.inactive')}
                </span>
              </div>
              <div className="small">
                {roleLabel(u.role)}
                {u.team ? ' · ' + u.team : ''}
              </div>
              <div className="form-actions">
                {u.id !== myId &&
                  (isActive(u) ? (
                    <button type="button" className="btn small" disabled={busy === u.id} onClick={() => setActive(u, false)}>
                      {t('users.deactivate')}
                    </button>
                  ) : (
                    <button type="button" className="btn small" disabled={busy === u.id} onClick={() => setActive(u, true)}>
                      {t('users.reactivate')}
                    </button>
                  ))}
                <button type="button" className="btn ghost small" onClick={() => setResetting(resetting === u.id ? null : u.id)}>
                  {t('users.reset')}
                </button>
              </div>
              {resetting === u.id && (
                <ResetForm
                  user={u}
                  onCancel={() => setResetting(null)}
                  onDone={(n) => {
                    setResetting(null);
                    show(t('users.resetDone', { name: u.name, n }));
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
