import { useState } from 'react';
import { ApiError, login, type User } from '../../api';
import { setLang, t, useLang } from '../../i18n';

export default function Login({ expired, onLoggedIn }: { expired: boolean; onLoggedIn: (u: User) => void }) {
  const lang = useLang();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLoggedIn(await login(email, password));
    } catch (err) {
      const ae = err as ApiError;
      setError(ae.status === 401 || ae.status === 400 || ae.status === 422 ? t('login.failed') : ae.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login card" onSubmit={submit} aria-labelledby="login-title" key={lang}>
        <div className="login-brand" aria-hidden="true">
          G
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        {expired && (
          <div className="alert warn" role="alert">
            {t('login.expired')}
          </div>
        )}
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        <div className="field">
          <label htmlFor="login-email">{t('login.email')}</label>
          <input id="login-email" type="email" autoComplete="username" required value={email}
            onChange={(e) => setEmail(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input id="login-password" type="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {t('login.submit')}
        </button>
        <p className="muted small">{t('login.demo')}</p>
        <p className="small">
          <button type="button" className="linklike" onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}>
            {lang === 'fr' ? 'English' : 'Français'}
          </button>
        </p>
      </form>
    </div>
  );
}
