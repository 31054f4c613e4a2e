// The shell: login gate, header (search, language, user, logout), navigation and the routes.
// Routes come from the catalogue (every entity: list, new, edit, record page) and from the
// modules' registry (page overrides, extra pages, navigation entries): modules/index.ts.
import { useEffect, useState, type ReactNode } from 'react';
import NotificationBell from './components/NotificationBell';
import { api, ApiError, forgetSession, hasCsrf, logout, onSessionExpired, type User } from './api';
import { t, useLang } from './i18n';
import { Link, match, navigate, useLocation } from './router';
import { chooseLanguage, setUser, useSession } from './session';
import Search from './components/Search';
import Login from './modules/users/Login';
import './modules';
import ListView from './kernel/ListView';
import RecordForm from './kernel/RecordForm';
import RecordPage from './kernel/RecordPage';
import { allModules, entityPages } from './kernel/registry';
import { clearNameCache } from './kernel/refs';
import { entityDef, forgetSchema, loadSchema, roleLabel, useSchemaState, type Schema } from './kernel/schema';
import { ErrorBox, Loading } from './ui';

function route(path: string, search: URLSearchParams): ReactNode {
  for (const m of allModules())
    for (const r of m.routes || []) {
      const params = r.path === '/' ? (path === '/' || path === '' ? {} : null) : match(r.path, path);
      if (params) {
        const page = r.render(params, search);
        if (page) return page;
      }
    }
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  const e = parts.length ? entityDef(parts[0]) : undefined;
  if (e) {
    const [, second, third] = parts;
    const id = Number(second);
    if (parts.length === 1) return <ListView key={e.name} entity={e.name} />;
    if (parts.length === 2 && second === 'new' && e.can.create) return <RecordForm key={'new-' + e.name} entity={e.name} />;
    if (parts.length === 3 && third === 'edit' && id > 0 && e.can.update) return <RecordForm key={'edit-' + e.name + id} entity={e.name} id={id} />;
    if (parts.length === 2 && id > 0) {
      const Override = entityPages(e.name).record;
      return Override ? <Override id={id} /> : <RecordPage key={e.name + id} entity={e.name} id={id} />;
    }
  }
  return (
    <div className="page">
      <h1>{t('notfound.title')}</h1>
      <Link to="/">{t('notfound.back')}</Link>
    </div>
  );
}

interface NavEntry {
  path: string;
  label: string;
  order: number;
}

// Catalogue entities with a menu entry, and the modules' fixed pages, by order.
function navEntries(schema: Schema | null, user: User): NavEntry[] {
  const out: NavEntry[] = [];
  for (const e of schema?.entities || []) if (e.menu && e.can.read) out.push({ path: '/' + e.name, label: e.label, order: e.menu.order });
  for (const m of allModules())
    for (const n of m.nav || []) if (!n.visible || n.visible(user)) out.push({ path: n.path, label: t(n.label), order: n.order });
  return out.sort((a, b) => a.order - b.order);
}

export default function App() {
  const lang = useLang();
  const { user } = useSession();
  const { path, search } = useLocation();
  const schemaState = useSchemaState();
  const [checking, setChecking] = useState(true);
  const [expired, setExpired] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    onSessionExpired(() => {
      forgetSession();
      clearNameCache();
      setExpired(true);
      setUser(null);
    });
    if (!hasCsrf()) {
      setChecking(false);
      return;
    }
    api<User>('/me')
      .then((u) => setUser(u))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) setExpired(false);
      })
      .finally(() => setChecking(false));
  }, []);

  // The catalogue, for the user and in the language: reloaded at login and on a language change.
  useEffect(() => {
    if (user) loadSchema(user.id);
    else forgetSchema();
  }, [user, lang]);

  useEffect(() => setMenuOpen(false), [path]);

  const nav = user ? navEntries(schemaState.schema, user) : [];
  useEffect(() => {
    const n = nav.find((x) => x.path !== '/' && path.startsWith(x.path));
    document.title = (n ? n.label : path === '/' ? t('myday.title') : '') + ' · Gazelle CRM';
  }, [path, lang, nav]);

  if (checking) return <Loading />;
  if (!user)
    return (
      <Login
        expired={expired}
        onLoggedIn={(u) => {
          setExpired(false);
          setUser(u);
          if (path === '/login') navigate('/', true);
        }}
      />
    );

  const langSelect = (
    <label className="lang">
      <span className="sr-only">{t('language')}</span>
      <select value={lang} onChange={(e) => chooseLanguage(e.target.value as 'fr' | 'en')} aria-label={t('language')}>
        <option value="fr">FR</option>
        <option value="en">EN</option>
      </select>
    </label>
  );

  // The shell waits for the catalogue: navigation, role and every page are drawn from it.
  const schemaReady = !!schemaState.schema && schemaState.schema.language === lang;
  if (schemaState.error)
    return (
      <div className="page">
        <ErrorBox error={schemaState.error} onRetry={() => loadSchema(user.id, true)} />
      </div>
    );
  if (!schemaReady) return <Loading />;
  return (
    <div className="shell" key={lang}>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-btn"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">☰</span>
          <span className="sr-only">{t('nav.menu')}</span>
        </button>
        <Link to="/" className="brand">
          Gazelle
        </Link>
        <Search />
        <div className="user-box">
          <NotificationBell />
          {langSelect}
          <span className="user" data-testid="current-user">
            <span className="user-name">{user.name}</span>
            <span className="user-role">{roleLabel(user.role)}</span>
          </span>
          <button
            type="button"
            className="btn ghost"
            onClick={async () => {
              try {
                await logout();
              } catch {
                /* already gone */
              }
              clearNameCache();
              setUser(null);
              navigate('/', true);
            }}
          >
            {t('logout')}
          </button>
        </div>
      </header>
      <nav id="main-nav" className={'sidenav' + (menuOpen ? ' open' : '')} aria-label={t('nav.main')}>
        <ul>
          {nav.map(({ path: p, label }) => {
            const current = p === '/' ? path === '/' : path.startsWith(p);
            return (
              <li key={p}>
                <Link to={p} aria-current={current ? 'page' : undefined} className={current ? 'current' : ''}>
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {route(path, search)}
      </main>
    </div>
  );
}
