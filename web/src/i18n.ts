// French and English. French unless the browser asks for English; the choice made in the header
// is kept in localStorage and in the user's settings on the server (PATCH /api/v1/me), which also
// writes its messages in it; a user's saved language wins at login. Dates, numbers and money go through Intl (format.ts).
import { useSyncExternalStore } from 'react';
import { analyticsEn, analyticsFr } from './modules/analytics/i18n';
import { mergeEn, mergeFr } from './modules/merge/i18n';
import { importEn, importFr } from './modules/import/i18n';
import { accessEn, accessFr } from './modules/users/i18n';
import { settingsEn, settingsFr } from './modules/settings/i18n';
import { salesEn, salesFr } from './modules/sales/i18n';
import { emailEn, emailFr } from './modules/email/i18n';
import { serviceEn, serviceFr } from './modules/service/i18n';
import { kernelEn, kernelFr } from './kernel/i18n';

export type Lang = 'fr' | 'en';

const en = {
  app: 'Gazelle CRM',
  'nav.myday': 'My day',
  'nav.main': 'Main navigation',
  'nav.menu': 'Menu',
  'nav.skip': 'Skip to content',
  'login.title': 'Log in to Gazelle',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.expired': 'Your session has ended. Log in again to go back to the page you were on.',
  'login.failed': 'Wrong e-mail or password.',
  'login.demo': 'Demo: admin@demo.gazelle.fr / gazelle-demo',
  logout: 'Log out',
  'bell.title': 'Notifications',
  'bell.unread': '{n} unread',
  'bell.loading': 'Loading…',
  'bell.empty': 'Nothing new.',
  language: 'Language',
  'search.label': 'Search accounts, contacts, households',
  'search.placeholder': 'Search… (press /)',
  'search.none': 'Nothing found for “{q}”.',
  'search.loading': 'Searching…',
  loading: 'Loading…',
  error: 'Something went wrong',
  retry: 'Retry',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  edit: 'Edit',
  delete: 'Delete',
  'order.title': 'Order #{id}',
  'order.discount': 'Discount',
  'order.subtotal': 'Subtotal',
  'order.noLines': 'No lines: the order holds an amount only.',
  'order.customer': 'Customer',
  'order.createdBy': 'Entered by',
  'order.statusSaved': 'Status changed to {status}.',
  'order.confirmDelete': 'Delete order #{id} for good?',
  create: 'Create',
  remove: 'Remove',
  none: '—',
  yes: 'Yes',
  no: 'No',
  me: 'me',
  'list.new': 'New',
  'list.loadMore': 'Load more',
  'list.end': 'End of the list',
  'list.shown': '{n} shown',
  'list.empty': 'No records match.',
  'list.filters': 'Filters',
  'list.sort': 'Sort',
  'list.columns': 'Columns',
  'list.views': 'Saved views',
  'list.saveView': 'Save view…',
  'list.viewName': 'Name of the view',
  'list.deleteView': 'Delete view',
  'list.noView': 'Default view',
  'list.export': 'Export',
  'list.exportCsv': 'Current view → CSV',
  'list.exportXlsx': 'Current view → XLSX',
  'list.exportAllCsv': 'Whole file (server) → CSV',
  'list.exportAllXlsx': 'Whole file (server) → XLSX',
  'list.exporting': 'Exporting…',
  'list.selected': '{n} selected',
  'list.selectAll': 'Select all shown rows',
  'list.selectRow': 'Select {name}',
  'list.assignTo': 'Assign owner to',
  'list.assign': 'Assign',
  'list.assigned': '{n, plural, one {# record assigned} other {# records assigned}}.',
  'list.bulkFailed': '{n} not changed: {detail}',
  'list.tagged': 'Tag “{tag}” added to {n, plural, one {# record} other {# records}}.',
  'list.untagged': 'Tag “{tag}” removed from {n, plural, one {# record} other {# records}}.',
  'list.tagPlaceholder': 'e.g. vip',
  'list.addTag': 'Add tag',
  'list.removeTag': 'Remove tag',
  'tags.add': 'Add a tag',
  'tags.remove': 'Remove tag {tag}',
  'tags.none': 'No tags',
  'list.ownerMe': 'Mine only',
  'list.overdue': 'Overdue only',
  'list.any': 'Any',
  'list.asc': 'ascending',
  'list.desc': 'descending',
  'list.markDone': 'Done',
  'list.search': 'Filter by text',
  'consent.granted': 'granted',
  'consent.denied': 'denied',
  'consent.unknown': 'not asked',
  'consent.email': 'E-mail',
  'consent.phone': 'Phone',
  'consent.sms': 'SMS',
  'consent.post': 'Post',
  'pref.channel': 'Preferred channel',
  'pref.frequency': 'Frequency',
  'pref.frequency.high': 'frequent',
  'pref.frequency.spaced': 'spaced',
  'pref.frequency_cap_per_month': 'At most per month',
  'pref.initiative': 'Initiative',
  'pref.initiative.waits': 'waits to be contacted',
  'pref.initiative.initiates': 'gets in touch',
  'pref.autonomy': 'Autonomy',
  'pref.autonomy.autonomous': 'autonomous',
  'pref.autonomy.accompanied': 'wants to be accompanied',
  'v360.identity': 'Identity',
  'v360.stage': 'Lifecycle',
  'v360.history': 'Stage history',
  'v360.noHistory': 'No change recorded.',
  'v360.consent': 'Consent and preferences',
  'v360.household': 'Household',
  'v360.contacts': 'Contacts',
  'v360.timeline': 'Timeline',
  'v360.allChannels': 'All channels',
  'v360.noInteraction': 'No interaction yet.',
  'v360.tasks': 'Open follow-ups',
  'v360.noTask': 'No open follow-up.',
  'v360.orders': 'Orders',
  'v360.noOrder': 'No order.',
  'v360.value': 'Value',
  'v360.revenue': 'Revenue',
  'v360.orderCount': 'Orders',
  'v360.average': 'Average order',
  'v360.firstPurchase': 'First purchase',
  'v360.lastPurchase': 'Last purchase',
  'v360.notFound': 'This record does not exist or is not visible to you.',
  'v360.filterChannel': 'Filter the timeline by channel',
  'log.title': 'Log an interaction',
  'log.hint': 'Alt+1 call · Alt+2 e-mail · Alt+3 meeting · Alt+4 note · Ctrl+Enter saves',
  'log.subject': 'Subject',
  'log.content': 'What was said',
  'log.submit': 'Log it',
  'log.done': 'Logged.',
  'log.followup': 'Also create a follow-up',
  'task.new': 'New follow-up',
  'task.title': 'Follow-up',
  'task.due': 'Due on',
  'task.dueTime': 'At (optional)',
  'task.dueHint': 'Without a time, the follow-up is due all day, until midnight in the company\'s time zone.',
  'task.submit': 'Add follow-up',
  'task.created': 'Follow-up created.',
  'task.done': 'Mark done',
  'task.completed': 'Follow-up done.',
  'task.overdue': 'overdue',
  'form.invalid': 'Some fields need fixing.',
  'form.stale': 'Someone changed this record while you were editing it (now version {v}). Reload it to see their changes, then make yours again — or save your version over theirs.',
  'form.reload': 'Reload the record',
  'form.keep': 'Save mine over theirs',
  'form.multiHint': 'One per line',
  'myday.title': 'My day',
  'myday.hello': 'Hello {name}',
  'myday.overdue': 'Overdue follow-ups',
  'myday.today': "Today's follow-ups",
  'myday.nothingOverdue': 'Nothing overdue. Well done.',
  'myday.nothingToday': 'Nothing due today.',
  'myday.recent': 'Recent interactions',
  'myday.revenue': 'Revenue by month',
  'myday.newCustomers': 'New customers by month',
  'myday.byStage': 'Customers by lifecycle stage',
  'myday.scope': 'Figures cover the customers you can see.',
  'myday.noData': 'No data.',
  'household.members': 'Members',
  'notfound.title': 'Page not found',
  'notfound.back': 'Back to my day',
  'order.lines': 'Lines',
  ...analyticsEn,
  ...mergeEn,
  ...accessEn,
  ...settingsEn,
  ...salesEn,
  ...emailEn,
  ...serviceEn,
  ...importEn,
  ...kernelEn,
} as const;

export type Key = keyof typeof en;

const fr: Record<Key, string> = {
  app: 'Gazelle CRM',
  'nav.myday': 'Ma journée',
  'nav.main': 'Navigation principale',
  'nav.menu': 'Menu',
  'nav.skip': 'Aller au contenu',
  'login.title': 'Connexion à Gazelle',
  'login.email': 'E-mail',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.expired': 'Votre session a expiré. Reconnectez-vous pour revenir à la page où vous étiez.',
  'login.failed': 'E-mail ou mot de passe incorrect.',
  'login.demo': 'Démo : admin@demo.gazelle.fr / gazelle-demo',
  logout: 'Se déconnecter',
  'bell.title': 'Notifications',
  'bell.unread': '{n} non lues',
  'bell.loading': 'Chargement…',
  'bell.empty': 'Rien de nouveau.',
  language: 'Langue',
  'search.label': 'Rechercher comptes, contacts, foyers',
  'search.placeholder': 'Rechercher… (touche /)',
  'search.none': 'Aucun résultat pour « {q} ».',
  'search.loading': 'Recherche…',
  loading: 'Chargement…',
  error: 'Une erreur est survenue',
  retry: 'Réessayer',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  cancel: 'Annuler',
  edit: 'Modifier',
  delete: 'Supprimer',
  'order.title': 'Commande n° {id}',
  'order.discount': 'Remise',
  'order.subtotal': 'Sous-total',
  'order.noLines': 'Pas de lignes : la commande n’a qu’un montant.',
  'order.customer': 'Client',
  'order.createdBy': 'Saisie par',
  'order.statusSaved': 'Statut passé à {status}.',
  'order.confirmDelete': 'Supprimer définitivement la commande n° {id} ?',
  create: 'Créer',
  remove: 'Retirer',
  none: '—',
  yes: 'Oui',
  no: 'Non',
  me: 'moi',
  'list.new': 'Nouveau',
  'list.loadMore': 'Charger la suite',
  'list.end': 'Fin de la liste',
  'list.shown': '{n, plural, one {# affiché} other {# affichés}}',
  'list.empty': 'Aucun enregistrement ne correspond.',
  'list.filters': 'Filtres',
  'list.sort': 'Tri',
  'list.columns': 'Colonnes',
  'list.views': 'Vues enregistrées',
  'list.saveView': 'Enregistrer la vue…',
  'list.viewName': 'Nom de la vue',
  'list.deleteView': 'Supprimer la vue',
  'list.noView': 'Vue par défaut',
  'list.export': 'Exporter',
  'list.exportCsv': 'Vue actuelle → CSV',
  'list.exportXlsx': 'Vue actuelle → XLSX',
  'list.exportAllCsv': 'Fichier complet (serveur) → CSV',
  'list.exportAllXlsx': 'Fichier complet (serveur) → XLSX',
  'list.exporting': 'Export en cours…',
  'list.selected': '{n, plural, one {# sélectionné} other {# sélectionnés}}',
  'list.selectAll': 'Sélectionner toutes les lignes affichées',
  'list.selectRow': 'Sélectionner {name}',
  'list.assignTo': 'Attribuer à',
  'list.assign': 'Attribuer',
  'list.assigned': '{n, plural, one {# fiche attribuée} other {# fiches attribuées}}.',
  'list.bulkFailed': '{n, plural, one {# non modifiée} other {# non modifiées}} : {detail}',
  'list.tagged': 'Étiquette « {tag} » ajoutée à {n, plural, one {# fiche} other {# fiches}}.',
  'list.untagged': 'Étiquette « {tag} » retirée de {n, plural, one {# fiche} other {# fiches}}.',
  'list.tagPlaceholder': 'ex. vip',
  'list.addTag': 'Ajouter l’étiquette',
  'list.removeTag': 'Retirer l’étiquette',
  'tags.add': 'Ajouter une étiquette',
  'tags.remove': 'Retirer l’étiquette {tag}',
  'tags.none': 'Aucune étiquette',
  'list.ownerMe': 'Les miens seulement',
  'list.overdue': 'En retard seulement',
  'list.any': 'Tous',
  'list.asc': 'croissant',
  'list.desc': 'décroissant',
  'list.markDone': 'Faite',
  'list.search': 'Filtrer par texte',
  'consent.granted': 'accordé',
  'consent.denied': 'refusé',
  'consent.unknown': 'non demandé',
  'consent.email': 'E-mail',
  'consent.phone': 'Téléphone',
  'consent.sms': 'SMS',
  'consent.post': 'Courrier',
  'pref.channel': 'Canal préféré',
  'pref.frequency': 'Fréquence',
  'pref.frequency.high': 'fréquente',
  'pref.frequency.spaced': 'espacée',
  'pref.frequency_cap_per_month': 'Au plus par mois',
  'pref.initiative': 'Initiative',
  'pref.initiative.waits': 'attend d’être contacté',
  'pref.initiative.initiates': 'prend contact',
  'pref.autonomy': 'Autonomie',
  'pref.autonomy.autonomous': 'autonome',
  'pref.autonomy.accompanied': 'souhaite être accompagné',
  'v360.identity': 'Identité',
  'v360.stage': 'Cycle de vie',
  'v360.history': "Historique de l'étape",
  'v360.noHistory': 'Aucun changement enregistré.',
  'v360.consent': 'Consentement et préférences',
  'v360.household': 'Foyer',
  'v360.contacts': 'Contacts',
  'v360.timeline': 'Historique des échanges',
  'v360.allChannels': 'Tous les canaux',
  'v360.noInteraction': 'Aucun échange pour le moment.',
  'v360.tasks': 'Relances ouvertes',
  'v360.noTask': 'Aucune relance ouverte.',
  'v360.orders': 'Commandes',
  'v360.noOrder': 'Aucune commande.',
  'v360.value': 'Valeur',
  'v360.revenue': "Chiffre d'affaires",
  'v360.orderCount': 'Commandes',
  'v360.average': 'Panier moyen',
  'v360.firstPurchase': 'Premier achat',
  'v360.lastPurchase': 'Dernier achat',
  'v360.notFound': "Cet enregistrement n'existe pas ou ne vous est pas visible.",
  'v360.filterChannel': "Filtrer l'historique par canal",
  'log.title': 'Noter un échange',
  'log.hint': 'Alt+1 appel · Alt+2 e-mail · Alt+3 rendez-vous · Alt+4 note · Ctrl+Entrée enregistre',
  'log.subject': 'Objet',
  'log.content': 'Ce qui a été dit',
  'log.submit': 'Enregistrer',
  'log.done': 'Échange enregistré.',
  'log.followup': 'Créer aussi une relance',
  'task.new': 'Nouvelle relance',
  'task.title': 'Relance',
  'task.due': 'Pour le',
  'task.dueTime': 'À (facultatif)',
  'task.dueHint': "Sans heure, la relance est due toute la journée, jusqu'à minuit dans le fuseau de l'entreprise.",
  'task.submit': 'Ajouter la relance',
  'task.created': 'Relance créée.',
  'task.done': 'Marquer faite',
  'task.completed': 'Relance faite.',
  'task.overdue': 'en retard',
  'form.invalid': 'Certains champs sont à corriger.',
  'form.stale': "Quelqu'un a modifié cet enregistrement pendant que vous l'éditiez (version {v}). Rechargez-le pour voir ses changements puis refaites les vôtres — ou enregistrez votre version par-dessus.",
  'form.reload': "Recharger l'enregistrement",
  'form.keep': 'Enregistrer ma version par-dessus',
  'form.multiHint': 'Un par ligne',
  'myday.title': 'Ma journée',
  'myday.hello': 'Bonjour {name}',
  'myday.overdue': 'Relances en retard',
  'myday.today': "Relances du jour",
  'myday.nothingOverdue': 'Rien en retard. Bravo.',
  'myday.nothingToday': "Rien pour aujourd'hui.",
  'myday.recent': 'Derniers échanges',
  'myday.revenue': "Chiffre d'affaires par mois",
  'myday.newCustomers': 'Nouveaux clients par mois',
  'myday.byStage': 'Clients par étape du cycle de vie',
  'myday.scope': 'Les chiffres portent sur les clients qui vous sont visibles.',
  'myday.noData': 'Pas de données.',
  'household.members': 'Membres',
  'notfound.title': 'Page introuvable',
  'notfound.back': 'Retour à ma journée',
  'order.lines': 'Lignes',
  ...analyticsFr,
  ...mergeFr,
  ...accessFr,
  ...settingsFr,
  ...salesFr,
  ...emailFr,
  ...serviceFr,
  ...importFr,
  ...kernelFr,
};

const dicts: Record<Lang, Record<Key, string>> = { en, fr };
const LANG_KEY = 'gazelle.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const p = (l || '').toLowerCase().slice(0, 2);
    if (p === 'fr') return 'fr';
    if (p === 'en') return 'en';
  }
  return 'fr';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();
document.documentElement.lang = current;

export function getLang(): Lang {
  return current;
}

export function setLang(l: Lang) {
  current = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
  listeners.forEach((fn) => fn());
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => current,
  );
}

// Numbers given as values are written in the language ("1 234,5"), except identifiers and
// versions ({id}, {v}, {run}), which are numbers one reads out, not quantities.
const NOT_QUANTITIES = new Set(['id', 'v', 'run']);
export function t(key: Key, vars?: Record<string, string | number>): string {
  let s: string = dicts[current][key] ?? en[key] ?? key;
  if (vars) s = plurals(s, vars);
  if (vars)
    for (const [k, v] of Object.entries(vars))
      s = s.replaceAll(`{${k}}`, typeof v === 'number' && !NOT_QUANTITIES.has(k)
        ? new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB').format(v) : String(v));
  return s;
}

// A count that agrees with its noun: "{n, plural, one {# groupe} other {# groupes}}" takes the
// form the language's plural rules give the number (French: 0 and 1 are singular, "1 groupe",
// "0 groupe", "2 groupes"; English: only 1), "=0 {…}" for an exact number; # is the number, written
// as {n} is. Forms may hold other {names}, not other plurals.
function plurals(s: string, vars: Record<string, string | number>): string {
  const open = /\{(\w+), plural,/g;
  let out = '';
  let last = 0;
  for (let m = open.exec(s); m; m = open.exec(s)) {
    let depth = 1;
    let j = m.index + m[0].length;
    const start = j;
    for (; j < s.length && depth > 0; j++) depth += s[j] === '{' ? 1 : s[j] === '}' ? -1 : 0;
    const forms: Record<string, string> = {};
    for (const f of s.slice(start, j - 1).matchAll(/(=\d+|\w+)\s*\{((?:[^{}]|\{\w+\})*)\}/g)) forms[f[1]] = f[2];
    const n = Number(vars[m[1]]);
    const rule = new Intl.PluralRules(current === 'fr' ? 'fr-FR' : 'en-GB').select(n);
    const form = forms['=' + n] ?? forms[rule] ?? forms.other ?? '';
    out += s.slice(last, m.index) + form.replaceAll('#', `{${m[1]}}`);
    last = j;
    open.lastIndex = j;
  }
  return out + s.slice(last);
}

// Label of an enum value, e.g. tEnum('stage', 'prospect'); unknown values are shown as they are.
export function tEnum(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}` as Key;
  return key in en ? t(key) : value;
}
