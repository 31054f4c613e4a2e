// Service desk (docs/service.md): the agent's queue (/service/queue), the case page's conversation,
// composer, service commitments, call script, knowledge suggestions, merge and interventions, the
// intervention's report, the article's votes, the supervisor's dashboard (/service/dashboard), and
// the screen pop of incoming calls, mounted once for the whole app. Lists and forms of cases,
// articles, interventions, scripts, agents, policies, calendars, categories, reasons and groups
// are the catalogue's.
import { createRoot } from 'react-dom/client';
import { getLang } from '../../i18n';
import type { ModuleDef } from '../../kernel/registry';
import { entityDef } from '../../kernel/schema';
import CaseExtra from './CaseExtra';
import Dashboard from './Dashboard';
import InterventionExtra from './InterventionExtra';
import KbExtra from './KbExtra';
import Queue from './Queue';
import ScreenPop from './ScreenPop';
import './service.css';

const canRead = (entity: string) => !!entityDef(entity)?.can.read;

// A language code ("fr") by its name in the reader's language ("français").
function languageName(code: string | null | undefined): string {
  if (!code) return '—';
  try {
    return new Intl.DisplayNames([getLang() === 'fr' ? 'fr-FR' : 'en-GB'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
const SUPERVISORS = new Set(['admin', 'manager', 'service_supervisor']);

// The shell has no slot for an app-wide component: the screen pop gets a root of its own.
function mountScreenPop() {
  if (typeof document === 'undefined' || document.getElementById('service-screen-pop')) return;
  const el = document.createElement('div');
  el.id = 'service-screen-pop';
  document.body.appendChild(el);
  createRoot(el).render(<ScreenPop />);
}
mountScreenPop();

export const service: ModuleDef = {
  name: 'service',
  entities: {
    cases: {
      recordExtra: ({ record, reload }) => <CaseExtra record={record} reload={reload} />,
      // Shown by the case's own sections (the script's answers, the policies in the SLA panel).
      recordFields: { script_answers: null, sla_policy_ids: null, language: (r) => languageName(r.language) },
    },
    interventions: {
      recordExtra: ({ record, reload }) => <InterventionExtra record={record} reload={reload} />,
      // The calendar invitation's technical identifiers stay out of sight; its state is in words.
      recordFields: { ical_uid: null, ical_sequence: null },
    },
    service_agents: {
      recordFields: { languages: (r) => (Array.isArray(r.languages) ? r.languages.map(languageName).join(', ') : '—') },
    },
    kb_articles: {
      recordExtra: ({ record, reload }) => <KbExtra record={record} reload={reload} />,
    },
  },
  routes: [
    { path: '/service/queue', render: () => <Queue /> },
    { path: '/service', render: () => <Queue /> },
    { path: '/service/dashboard', render: () => <Dashboard /> },
  ],
  nav: [
    {
      path: '/service/queue', order: 1.6, visible: () => canRead('cases'), label: 'nav.serviceQueue',
    },
    {
      path: '/service/dashboard', order: 1.7, visible: (u) => canRead('cases') && SUPERVISORS.has(u.role),
      label: 'nav.serviceDashboard',
    },
  ],
  badges: { sla_state: 'sla' },
};
