// The page's frame: header (navigation, time zone, language), the current view, and focus moved to the new
// view's heading on navigation (so keyboard and screen-reader users land on it).
import { useEffect, useRef } from 'preact/hooks';
import { type Lang, lang, t } from './i18n';
import { current, type Route } from './router';
import { sessionState } from './session';
import { useValue } from './state';
import { type Zone, zone } from './time';
import { AccountPage } from './pages/Account';
import { AdminUsersPage } from './pages/AdminUsers';
import { DayPage } from './pages/Day';
import { LoginPage } from './pages/Login';
import { NotFound } from './pages/NotFound';
import { TalentPage } from './pages/Talent';
import { TalentsPage } from './pages/Talents';

function Header({ route }: { route: Route }) {
  const auth = useValue(sessionState);
  const here = (page: Route['page']) => (route.page === page ? { 'aria-current': 'page' as const } : {});
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <a class="brand" href="/">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span>holodule</span>
      </a>
      <nav aria-label="holodule">
        <ul>
          <li>
            <a href="/" {...here('day')}>
              {t('navToday')}
            </a>
          </li>
          <li>
            <a href="/talents" {...here('talents')}>
              {t('navTalents')}
            </a>
          </li>
          {auth.status === 'signed-in' && auth.user.role === 'admin' ? (
            <li>
              <a href="/admin/users" {...here('admin-users')}>
                {t('navAdmin')}
              </a>
            </li>
          ) : null}
          <li>
            {auth.status === 'signed-in' ? (
              <a href="/account" {...here('account')}>
                {t('navAccount')}
              </a>
            ) : (
              <a href="/login" {...here('login')}>
                {t('navSignIn')}
              </a>
            )}
          </li>
        </ul>
      </nav>
      <div class="settings">
        <label>
          <span>{t('timeZone')}</span>
          <select value={zone.get()} onChange={(e) => zone.set(e.currentTarget.value as Zone)}>
            <option value="local">{t('tzLocal')}</option>
            <option value="japan">{t('tzJapan')}</option>
          </select>
        </label>
        <label>
          <span>{t('language')}</span>
          <select value={lang.get()} onChange={(e) => lang.set(e.currentTarget.value as Lang)}>
            <option value="en" lang="en">
              English
            </option>
            <option value="ja" lang="ja">
              日本語
            </option>
          </select>
        </label>
      </div>
    </header>
  );
}

function View({ route, search }: { route: Route; search: URLSearchParams }) {
  switch (route.page) {
    case 'day':
      return <DayPage day={route.day} search={search} />;
    case 'talents':
      return <TalentsPage />;
    case 'talent':
      return <TalentPage code={route.code} />;
    case 'login':
      return <LoginPage search={search} />;
    case 'account':
      return <AccountPage />;
    case 'admin-users':
      return <AdminUsersPage />;
    default:
      return <NotFound />;
  }
}

export function App() {
  const { route, search } = useValue(current);
  const language = useValue(lang);
  useValue(zone);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  // Focus the new view's heading after a navigation (not on the first load).
  const path = `${location.pathname}`;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }, [path]);
  return (
    <>
      <Header route={route} />
      <main id="main" tabIndex={-1}>
        <View route={route} search={search} />
      </main>
      <footer class="bottom">
        <a href="/docs">API</a>
      </footer>
    </>
  );
}
