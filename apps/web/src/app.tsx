// The layout (header with navigation by role, language switch, sign-out) and the path router.
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { DashboardPage } from './dashboard/DashboardPage.js';
import { LOCALES, setLocale, useLocale, useT } from './i18n.js';
import './messages.js';
import { Link, matchPath, navigate, useRoute } from './router.js';
import { CAN_AUDIT, CAN_READ_CASES, loadSession, signOut, useSession, type Role } from './session.js';
import { SignInPage } from './sign-in.js';
import { Alert } from './ui/Alert.js';

type PageModule = Record<string, FunctionComponent<{ id: string }> | unknown>;

/**
 * A page whose code is fetched the first time it is opened: viewers (most visitors) never download the
 * caseworker and auditor screens, which keeps the script every visitor loads within its budget.
 */
function lazyPage(load: () => Promise<PageModule>, exportName: string) {
  let loaded: FunctionComponent<{ id: string }> | null = null;
  let pending: Promise<void> | null = null;
  return function LazyPage(props: { id?: string }) {
    const t = useT();
    const [, setReady] = useState(loaded !== null);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (loaded) return;
      pending ??= load().then((m) => {
        loaded = m[exportName] as FunctionComponent<{ id: string }>;
      });
      pending.then(
        () => setReady(true),
        (e: unknown) => {
          pending = null;
          setError(e instanceof Error ? e.message : String(e));
        },
      );
    }, []);
    if (error) return <Alert kind="error">{t('error.generic', { detail: error })}</Alert>;
    if (!loaded) return <p class="page loading">{t('app.loading')}</p>;
    const Page = loaded;
    return <Page id={props.id ?? ''} />;
  };
}

const loadCaseworker = () => import('./caseworker/index.js') as Promise<PageModule>;
const loadAuditor = () => import('./auditor/index.js') as Promise<PageModule>;
const CaseListPage = lazyPage(loadCaseworker, 'CaseListPage');
const CasePage = lazyPage(loadCaseworker, 'CasePage');
const TodayPage = lazyPage(loadCaseworker, 'TodayPage');
const AuditPage = lazyPage(loadAuditor, 'AuditPage');
const AuditCasePage = lazyPage(loadAuditor, 'AuditCasePage');

interface RouteDef {
  pattern: string;
  roles: readonly Role[] | 'public';
  render: (params: Record<string, string>) => ComponentChildren;
}

const ALL: readonly Role[] = ['admin', 'caseworker', 'auditor', 'viewer'];

const ROUTES: readonly RouteDef[] = [
  { pattern: '/', roles: ALL, render: () => <DashboardPage /> },
  { pattern: '/sign-in', roles: 'public', render: () => <SignInPage /> },
  { pattern: '/cases', roles: CAN_READ_CASES, render: () => <CaseListPage /> },
  { pattern: '/cases/:id', roles: CAN_READ_CASES, render: (p) => <CasePage id={p['id']!} /> },
  { pattern: '/today', roles: CAN_READ_CASES, render: () => <TodayPage /> },
  { pattern: '/audit', roles: CAN_AUDIT, render: () => <AuditPage /> },
  { pattern: '/audit/cases/:id', roles: CAN_AUDIT, render: (p) => <AuditCasePage id={p['id']!} /> },
];

function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={l} class="lang-option" aria-pressed={locale === l ? 'true' : 'false'} onClick={() => setLocale(l)}>
          <span aria-hidden="true">{l.toUpperCase()}</span>
          <span class="sr-only">{t(`lang.${l}`)}</span>
        </button>
      ))}
    </div>
  );
}

function Header() {
  const t = useT();
  const session = useSession();
  const role = session?.role;
  return (
    <header class="site-header">
      <div class="header-inner">
        <Link href="/" class="brand">
          <svg class="brand-mark" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
            <path d="M5 3v18M10 3v18M15 3v18M20 3v18" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            <path d="M3 8h19" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
          <span class="brand-text">
            <span class="brand-title">{t('app.title')}</span>
            <span class="brand-subtitle">{t('app.subtitle')}</span>
          </span>
        </Link>
        {role ? (
          <nav class="main-nav" aria-label={t('nav.label')}>
            <Link href="/">{t('nav.dashboard')}</Link>
            {CAN_READ_CASES.includes(role) ? <Link href="/cases">{t('nav.cases')}</Link> : null}
            {CAN_READ_CASES.includes(role) ? <Link href="/today">{t('nav.today')}</Link> : null}
            {CAN_AUDIT.includes(role) ? <Link href="/audit">{t('nav.audit')}</Link> : null}
          </nav>
        ) : null}
        <div class="header-tools">
          <LanguageSwitch />
          {session ? (
            <div class="session-box">
              <span class="session-name">{t('session.signedInAs', { name: session.name, role: t(`role.${session.role}`) })}</span>
              <button
                type="button"
                class="button button-small button-quiet"
                onClick={async () => {
                  await signOut().catch(() => undefined);
                  navigate('/sign-in?signedOut=1');
                }}
              >
                {t('session.signOut')}
              </button>
            </div>
          ) : null}
        </div>
      </div>
    </header>
  );
}

function NotFound() {
  const t = useT();
  return (
    <section class="page narrow">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}

function Forbidden() {
  const t = useT();
  return (
    <section class="page narrow">
      <h1>{t('forbidden.title')}</h1>
      <p>{t('forbidden.text')}</p>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}

export function App() {
  const t = useT();
  const route = useRoute();
  const session = useSession();
  const [checked, setChecked] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(route.path);

  useEffect(() => {
    loadSession()
      .then(() => setChecked(true))
      .catch((e: unknown) => {
        setLoadError(e instanceof Error ? e.message : String(e));
        setChecked(true);
      });
  }, []);

  useEffect(() => {
    if (!checked) return;
    // The location now, not the rendered route: a navigation may have happened since this render (sign-out does one).
    const path = window.location.pathname;
    const query = new URLSearchParams(window.location.search);
    if (!session && path !== '/sign-in') {
      const next = path + (query.toString() ? `?${query.toString()}` : '');
      navigate(next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
    } else if (session && path === '/sign-in') {
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [checked, session, route.path]);

  // After a navigation (not the first load), move focus to the new page so screen readers announce it.
  useEffect(() => {
    if (route.path !== firstPath.current) mainRef.current?.focus({ preventScroll: true });
  }, [route.path]);

  let content: ComponentChildren = null;
  if (!checked) content = <p class="page loading">{t('app.loading')}</p>;
  else if (loadError) content = <Alert kind="error">{t('error.generic', { detail: loadError })}</Alert>;
  else {
    let found: ComponentChildren = <NotFound />;
    for (const r of ROUTES) {
      const params = matchPath(r.pattern, route.path);
      if (!params) continue;
      if (r.roles === 'public') found = r.render(params);
      else if (!session) found = null;
      else found = r.roles.includes(session.role) ? r.render(params) : <Forbidden />;
      break;
    }
    content = found;
  }

  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {content}
      </main>
      <footer class="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </>
  );
}
