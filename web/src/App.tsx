// The shell: login gate, header (search, language, user, logout), navigation and the routes.
import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, clearNameCache, forgetSession, hasCsrf, logout, onSessionExpired, type User } from './api';
import { setLang, t, useLang, type Key } from './i18n';
import { Link, match, navigate, useLocation } from './router';
import { setUser, useSession } from './session';
import Search from './components/Search';
import Login from './pages/Login';
import MyDay from './pages/MyDay';
import ListPage from './pages/ListPage';
import { Account360, Contact360 } from './pages/View360';
import { AccountForm, ContactForm } from './pages/Forms';
import Household from './pages/Household';
import OrderPage from './pages/OrderPage';
import AnalyticsRfm from './pages/AnalyticsRfm';
import AnalyticsProfit from './pages/AnalyticsProfit';
import AnalyticsConcentration from './pages/AnalyticsConcentration';
import AnalyticsCohorts from './pages/AnalyticsCohorts';
import AnalyticsClv from './pages/AnalyticsClv';
import AnalyticsSettings from './pages/AnalyticsSettings';
import AnalyticsTiers from './pages/AnalyticsTiers';
import AnalyticsDemand from './pages/AnalyticsDemand';
import { canSeeAnalytics } from './pages/AnalyticsCommon';
import MergeCompare from './pages/MergeCompare';
import MergeHistory from './pages/MergeHistory';
import MergeDuplicates from './pages/MergeDuplicates';
import Purge from './pages/Purge';
import ImportWizard from './pages/ImportWizard';
import Account from './pages/Account';
import Users from './pages/Users';
import { Loading } from './ui';

const NAV: [string, Key][] = [
  ['/', 'nav.myday'],
  ['/accounts', 'nav.accounts'],
  ['/contacts', 'nav.contacts'],
  ['/households', 'nav.households'],
  ['/tasks', 'nav.tasks'],
  ['/orders', 'nav.orders'],
  ['/duplicates', 'nav.duplicates'],
  ['/purge', 'nav.purge'],
  ['/import', 'nav.import'],
];

function route(path: string): ReactNode {
  let m: Record<string, string> | null;
  if (path === '/' || path === '') return <MyDay />;
  for (const e of ['accounts', 'contacts', 'households', 'tasks', 'orders'])
    if (path === '/' + e || path === '/' + e + '/') return <ListPage key={e} entity={e} />;
  if (match('/accounts/new', path)) return <AccountForm key="new-account" />;
  if (match('/contacts/new', path)) return <ContactForm key="new-contact" />;
  if ((m = match('/accounts/:id/edit', path))) return <AccountForm key={'ea' + m.id} id={Number(m.id)} />;
  if ((m = match('/contacts/:id/edit', path))) return <ContactForm key={'ec' + m.id} id={Number(m.id)} />;
  if ((m = match('/accounts/:id', path))) return <Account360 key={'a' + m.id} id={Number(m.id)} />;
  if ((m = match('/contacts/:id', path))) return <Contact360 key={'c' + m.id} id={Number(m.id)} />;
  if ((m = match('/households/:id', path))) return <Household key={'h' + m.id} id={Number(m.id)} />;
  if ((m = match('/orders/:id', path))) return <OrderPage key={'o' + m.id} id={Number(m.id)} />;
  if ((m = match('/merge/:entity', path)) && ['contacts', 'accounts', 'households'].includes(m.entity)) {
    const ids = (new URLSearchParams(location.search).get('ids') || '').split(',').map(Number).filter((n) => n > 0);
    return <MergeCompare key={'m' + m.entity + ids.join(',')} entity={m.entity} ids={ids} />;
  }
  if (path === '/merges') return <MergeHistory />;
  if (path === '/duplicates') return <MergeDuplicates />;
  if (path === '/purge') return <Purge />;
  if (path === '/import') return <ImportWizard />;
  if (path === '/account') return <Account />;
  if (path === '/users') return <Users />;
  if (path.startsWith('/analytics')) {
    const pages: Record<string, () => ReactNode> = {
      '/analytics': () => <AnalyticsRfm />, '/analytics/rfm': () => <AnalyticsRfm />,
      '/analytics/profitability': () => <AnalyticsProfit />, '/analytics/concentration': () => <AnalyticsConcentration />,
      '/analytics/cohorts': () => <AnalyticsCohorts />, '/analytics/clv': () => <AnalyticsClv />,
      '/analytics/tiers': () => <AnalyticsTiers />, '/analytics/demand': () => <AnalyticsDemand />,
      '/analytics/settings': () => <AnalyticsSettings />,
    };
    const page = pages[path.replace(/\/+$/, '')];
    if (page) return page();
  }
  return (
    <div className="page">
      <h1>{t('notfound.title')}</h1>
      <Link to="/">{t('notfound.back')}</Link>
    </div>
  );
}

export default function App() {
  const lang = useLang();
  const { user } = useSession();
  const { path } = useLocation();
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

  useEffect(() => setMenuOpen(false), [path]);

  useEffect(() => {
    const nav = NAV.find(([p]) => p !== '/' && path.startsWith(p));
    document.title = (nav ? t(nav[1]) : path === '/' ? t('myday.title') : '') + ' · Gazelle CRM';
  }, [path, lang]);

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
      <select value={lang} onChange={(e) => setLang(e.target.value as 'fr' | 'en')} aria-label={t('language')}>
        <option value="fr">FR</option>
        <option value="en">EN</option>
      </select>
    </label>
  );

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
          {langSelect}
          <span className="user" data-testid="current-user">
            <span className="user-name">{user.name}</span>
            <span className="user-role">{t(('role.' + user.role) as Key)}</span>
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
          {[
            ...NAV,
            ...(canSeeAnalytics(user) ? [['/analytics', 'nav.analytics'] as [string, Key]] : []),
            ...(user.role === 'admin' ? [['/users', 'nav.users'] as [string, Key]] : []),
            ['/account', 'nav.account'] as [string, Key],
          ].map(([p, k]) => {
            const current = p === '/' ? path === '/' : path.startsWith(p);
            return (
              <li key={p}>
                <Link to={p} aria-current={current ? 'page' : undefined} className={current ? 'current' : ''}>
                  {t(k)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {route(path)}
      </main>
    </div>
  );
}
