// Lists of accounts, contacts, households, follow-ups and orders: filters, sort, column choice,
// saved views (localStorage), keyset paging ("load more", no total), bulk owner assignment and
// export of the current view (CSV/XLSX built here) or of the whole file (server export).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, listAll, qs, recordName, type Json, type ListPage as Page } from '../api';
import { dayBounds, fmtDate, fmtDateTime, fmtMoney } from '../format';
import { t, tEnum, type Key } from '../i18n';
import { Link, useLocation } from '../router';
import { assignableUsers, canWriteActivity, canWriteContacts, canWriteCustomers, useSession, userName } from '../session';
import { download, ErrorBox, foldTag, Loading, StageBadge, TagChips, TagFilter, useDebounced, useFlash } from '../ui';
import { toCsv, toXlsx, type Cell } from '../xlsx';

const STAGES = ['suspect', 'prospect', 'disqualified', 'new_customer', 'regular_customer', 'customer', 'advocate', 'partner', 'inactive'];

interface Column {
  key: string;
  label: Key;
  render: (r: Json, ctx: Ctx) => ReactNode;
  value: (r: Json, ctx: Ctx) => Cell; // for exports
  num?: boolean;
}

interface Filter {
  key: string;
  label: Key;
  kind: 'enum' | 'me' | 'flag' | 'tag';
  options?: string[];
  prefix?: string;
  param?: string; // query parameter (default key)
  text?: Key; // checkbox text
}

interface EntityConfig {
  entity: string;
  title: Key;
  searchable: boolean;
  sorts: string[];
  defaultSort: string;
  columns: Column[];
  defaultColumns: string[];
  filters: Filter[];
  defaultFilters?: Record<string, string>;
  ownerField?: string; // bulk assignment
  serverExport: boolean;
  newLink?: string;
}

interface Ctx {
  users: Json[];
  names: Record<string, string>;
}

const refName = (entity: string, id: number | null, ctx: Ctx) => (id ? ctx.names[entity + '/' + id] || '#' + id : '');
const refLink = (entity: string, id: number | null, ctx: Ctx) =>
  id ? <Link to={`/${entity}/${id}`}>{refName(entity, id, ctx)}</Link> : <span className="muted">—</span>;

const col = (key: string, label: Key, render?: Column['render'], value?: Column['value'], num?: boolean): Column => ({
  key, label,
  render: render || ((r) => r[key] ?? ''),
  value: value || ((r) => r[key] ?? null),
  num,
});
const enumCol = (key: string, label: Key, prefix: string) =>
  col(key, label, (r) => tEnum(prefix, r[key]), (r) => (r[key] ? tEnum(prefix, r[key]) : null));
const dateCol = (key: string, label: Key, time = false) =>
  col(key, label, (r) => (time ? fmtDateTime(r[key]) : fmtDate(r[key])), (r) => r[key] ?? null);
const userCol = (key: string, label: Key) =>
  col(key, label, (r, c) => userName(r[key], c.users), (r, c) => (r[key] ? userName(r[key], c.users) : null));
const tagsCol = () =>
  col('tags', 'field.tags', (r) => <TagChips tags={r.tags} />, (r) => (r.tags || []).join(', '));
const tagFilter: Filter = { key: 'tags', label: 'field.tags', kind: 'tag' };
const stageCol = (key = 'lifecycle_stage') =>
  col(key, 'field.lifecycle_stage', (r) => <StageBadge stage={r[key]} />, (r) => (r[key] ? tEnum('stage', r[key]) : null));

const CONFIGS: Record<string, EntityConfig> = {
  accounts: {
    entity: 'accounts', title: 'nav.accounts', searchable: true, serverExport: true, ownerField: 'owner_id', newLink: '/accounts/new',
    sorts: ['name', 'updated_at', 'created_at', 'industry', 'city', 'id'], defaultSort: 'name',
    columns: [
      col('name', 'field.name', (r) => <Link to={`/accounts/${r.id}`}>{r.name}</Link>),
      col('legal_id', 'field.legal_id'),
      col('industry', 'field.industry'),
      col('size', 'field.size'),
      col('city', 'field.city'),
      col('phone', 'field.phone'),
      stageCol(),
      enumCol('tier', 'field.tier', 'tier'),
      tagsCol(),
      userCol('owner_id', 'field.owner_id'),
      dateCol('created_at', 'field.created_at'),
      dateCol('updated_at', 'field.updated_at'),
    ],
    defaultColumns: ['name', 'industry', 'city', 'lifecycle_stage', 'tier', 'owner_id'],
    filters: [
      { key: 'lifecycle_stage', label: 'field.lifecycle_stage', kind: 'enum', options: STAGES, prefix: 'stage' },
      { key: 'tier', label: 'field.tier', kind: 'enum', options: ['gold', 'silver', 'bronze'], prefix: 'tier' },
      { key: 'size', label: 'field.size', kind: 'enum', options: ['1-9', '10-49', '50-249', '250-4999', '5000+'] },
      tagFilter,
      { key: 'owner_id', label: 'field.owner_id', kind: 'me', text: 'list.ownerMe' },
    ],
  },
  contacts: {
    entity: 'contacts', title: 'nav.contacts', searchable: true, serverExport: true, ownerField: 'owner_id', newLink: '/contacts/new',
    sorts: ['last_name', 'first_name', 'updated_at', 'created_at', 'city', 'id'], defaultSort: 'last_name',
    columns: [
      col('name', 'field.name', (r) => <Link to={`/contacts/${r.id}`}>{[r.first_name, r.last_name].filter(Boolean).join(' ')}</Link>,
        (r) => [r.first_name, r.last_name].filter(Boolean).join(' ')),
      col('job_title', 'field.job_title'),
      col('emails', 'field.emails', (r) => r.emails?.[0] ?? '', (r) => (r.emails || []).join(', ')),
      col('phones', 'field.phones', (r) => r.phones?.[0] ?? '', (r) => (r.phones || []).join(', ')),
      col('account_id', 'field.account_id', (r, c) => refLink('accounts', r.account_id, c), (r, c) => refName('accounts', r.account_id, c)),
      enumCol('buying_role', 'field.buying_role', 'buying'),
      col('city', 'field.city'),
      stageCol(),
      enumCol('source_type', 'field.source_type', 'source'),
      tagsCol(),
      userCol('owner_id', 'field.owner_id'),
      dateCol('created_at', 'field.created_at'),
      dateCol('updated_at', 'field.updated_at'),
    ],
    defaultColumns: ['name', 'emails', 'phones', 'account_id', 'city', 'lifecycle_stage', 'owner_id'],
    filters: [
      { key: 'lifecycle_stage', label: 'field.lifecycle_stage', kind: 'enum', options: STAGES, prefix: 'stage' },
      { key: 'buying_role', label: 'field.buying_role', kind: 'enum', options: ['prescriber', 'decision_maker', 'buyer', 'user'], prefix: 'buying' },
      { key: 'source_type', label: 'field.source_type', kind: 'enum', options: ['referral', 'campaign', 'medium', 'other'], prefix: 'source' },
      tagFilter,
      { key: 'owner_id', label: 'field.owner_id', kind: 'me', text: 'list.ownerMe' },
    ],
  },
  households: {
    entity: 'households', title: 'nav.households', searchable: true, serverExport: false, ownerField: 'owner_id',
    sorts: ['name', 'city', 'size', 'updated_at', 'created_at'], defaultSort: 'name',
    columns: [
      col('name', 'field.name', (r) => <Link to={`/households/${r.id}`}>{r.name}</Link>),
      col('postcode', 'field.postcode'),
      col('city', 'field.city'),
      col('size', 'field.size_people', undefined, undefined, true),
      col('socio_professional_category', 'field.socio_professional_category'),
      tagsCol(),
      userCol('owner_id', 'field.owner_id'),
      dateCol('updated_at', 'field.updated_at'),
    ],
    defaultColumns: ['name', 'postcode', 'city', 'size', 'socio_professional_category', 'owner_id'],
    filters: [tagFilter, { key: 'owner_id', label: 'field.owner_id', kind: 'me', text: 'list.ownerMe' }],
  },
  tasks: {
    entity: 'tasks', title: 'nav.tasks', searchable: false, serverExport: false, ownerField: 'assignee_id',
    sorts: ['due_at', 'title', 'created_at', 'updated_at'], defaultSort: 'due_at',
    columns: [
      col('title', 'field.title'),
      col('due_at', 'field.due_at', (r) => {
        const late = r.status === 'open' && r.due_at && new Date(r.due_at).getTime() < Date.now();
        return <span className={late ? 'late' : ''}>{fmtDate(r.due_at)}{late ? ' · ' + t('task.overdue') : ''}</span>;
      }),
      enumCol('status', 'field.status', 'status'),
      enumCol('priority', 'field.priority', 'priority'),
      userCol('assignee_id', 'field.assignee_id'),
      col('contact_id', 'field.contact_id', (r, c) => refLink('contacts', r.contact_id, c), (r, c) => refName('contacts', r.contact_id, c)),
      col('account_id', 'field.account_id', (r, c) => refLink('accounts', r.account_id, c), (r, c) => refName('accounts', r.account_id, c)),
      dateCol('created_at', 'field.created_at'),
    ],
    defaultColumns: ['title', 'due_at', 'priority', 'assignee_id', 'contact_id'],
    filters: [
      { key: 'status', label: 'field.status', kind: 'enum', options: ['open', 'done', 'cancelled'], prefix: 'status' },
      { key: 'priority', label: 'field.priority', kind: 'enum', options: ['low', 'normal', 'high'], prefix: 'priority' },
      { key: 'assignee_id', label: 'field.assignee_id', kind: 'me', text: 'list.assigneeMe' },
      { key: 'overdue', label: 'list.overdue', kind: 'flag', text: 'list.overdue' },
    ],
    defaultFilters: { status: 'open' },
  },
  orders: {
    entity: 'orders', title: 'nav.orders', searchable: false, serverExport: true,
    sorts: ['ordered_at', 'total_cents', 'created_at'], defaultSort: '-ordered_at',
    columns: [
      col('id', 'field.id', (r) => <Link to={`/orders/${r.id}`}>#{r.id}</Link>, (r) => r.id, true),
      dateCol('ordered_at', 'field.ordered_at'),
      col('contact_id', 'field.contact_id', (r, c) => refLink('contacts', r.contact_id, c), (r, c) => refName('contacts', r.contact_id, c)),
      col('account_id', 'field.account_id', (r, c) => refLink('accounts', r.account_id, c), (r, c) => refName('accounts', r.account_id, c)),
      enumCol('channel', 'field.channel', 'ochannel'),
      enumCol('status', 'field.status', 'status'),
      col('total_cents', 'field.total_cents', (r) => fmtMoney(r.total_cents, r.currency), (r) => (r.total_cents ?? 0) / 100, true),
    ],
    defaultColumns: ['id', 'ordered_at', 'contact_id', 'account_id', 'channel', 'status', 'total_cents'],
    filters: [
      { key: 'status', label: 'field.status', kind: 'enum', options: ['draft', 'confirmed', 'paid', 'shipped', 'cancelled', 'returned'], prefix: 'status' },
      { key: 'channel', label: 'field.channel', kind: 'enum', options: ['store', 'web', 'phone', 'sales_rep', 'email', 'marketplace', 'other'], prefix: 'ochannel' },
    ],
  },
};

interface ViewState {
  filters: Record<string, string>;
  sort: string;
  columns: string[];
  q: string;
}
interface SavedView extends ViewState {
  name: string;
}

const viewsKey = (e: string) => 'gazelle.views.' + e;
const lastKey = (e: string) => 'gazelle.last.' + e;

function loadViews(e: string): SavedView[] {
  try {
    return JSON.parse(localStorage.getItem(viewsKey(e)) || '[]');
  } catch {
    return [];
  }
}

export default function ListPage({ entity }: { entity: string }) {
  const cfg = CONFIGS[entity];
  const session = useSession();
  const { search } = useLocation();
  const initial = (): ViewState => {
    // Filters in the URL (e.g. /orders?contact_id=3) win over the last state of the list.
    const fromUrl: Record<string, string> = {};
    search.forEach((v, k) => (fromUrl[k] = v));
    const base: ViewState = { filters: { ...(cfg.defaultFilters || {}) }, sort: cfg.defaultSort, columns: cfg.defaultColumns, q: '' };
    if (Object.keys(fromUrl).length) return { ...base, filters: fromUrl };
    try {
      const last = JSON.parse(sessionStorage.getItem(lastKey(entity)) || 'null');
      if (last) return { ...base, ...last };
    } catch {
      /* ignore */
    }
    return base;
  };
  const [view, setView] = useState<ViewState>(initial);
  const [views, setViews] = useState<SavedView[]>(() => loadViews(entity));
  const [rows, setRows] = useState<Json[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [names, setNames] = useState<Record<string, string>>({});
  const [assignTo, setAssignTo] = useState<string>('');
  const [bulkTag, setBulkTag] = useState('');
  const [exporting, setExporting] = useState(false);
  const [flash, show] = useFlash();
  const dq = useDebounced(view.q.trim(), 250);

  useEffect(() => {
    sessionStorage.setItem(lastKey(entity), JSON.stringify(view));
  }, [entity, view]);

  const params = useMemo(() => {
    const p: Record<string, string> = { ...view.filters, sort: view.sort };
    if (cfg.searchable && dq) p.q = dq;
    return p;
  }, [view.filters, view.sort, dq, cfg.searchable]);

  const load = async (c: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<Page>('/' + entity + qs({ ...params, limit: 50, cursor: c }));
      setRows((r) => (c ? [...r, ...page.data] : page.data));
      setCursor(page.next_cursor);
      if (!c) setSelected(new Set());
    } catch (e) {
      setError(e as Error);
      if (!c) setRows([]);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entity, params]);

  // Names of referenced contacts and accounts shown in the visible columns.
  useEffect(() => {
    const wanted: [string, number][] = [];
    for (const r of rows) {
      if (view.columns.includes('account_id') && r.account_id) wanted.push(['accounts', r.account_id]);
      if (view.columns.includes('contact_id') && r.contact_id) wanted.push(['contacts', r.contact_id]);
    }
    const missing = [...new Set(wanted.map(([e, id]) => e + '/' + id))].filter((k) => !(k in names));
    if (!missing.length) return;
    let alive = true;
    Promise.all(missing.map((k) => recordName(k.split('/')[0], Number(k.split('/')[1])).then((n) => [k, n || '#' + k.split('/')[1]] as const)))
      .then((pairs) => alive && setNames((old) => ({ ...old, ...Object.fromEntries(pairs) })));
    return () => {
      alive = false;
    };
  }, [rows, view.columns, names]);

  const ctx: Ctx = { users: session.users, names };
  const shown = cfg.columns.filter((c) => view.columns.includes(c.key));
  const canAssign =
    !!cfg.ownerField &&
    (cfg.ownerField === 'assignee_id' ? canWriteActivity(session.user) : entity === 'households' ? canWriteContacts(session.user) : canWriteCustomers(session.user));
  const assignees = assignableUsers(session);
  const setFilter = (k: string, v: string) =>
    setView((s) => {
      const f = { ...s.filters };
      if (v) f[k] = v;
      else delete f[k];
      return { ...s, filters: f };
    });

  const exportView = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    try {
      const all = await listAll('/' + entity, params);
      // Resolve referenced names for the export too.
      const extra: Record<string, string> = { ...names };
      for (const r of all)
        for (const [f, e] of [['account_id', 'accounts'], ['contact_id', 'contacts']] as const)
          if (view.columns.includes(f) && r[f] && !extra[e + '/' + r[f]]) extra[e + '/' + r[f]] = (await recordName(e, r[f])) || '#' + r[f];
      const c2: Ctx = { users: session.users, names: extra };
      const header = shown.map((c) => t(c.label));
      const data = all.map((r) => shown.map((c) => c.value(r, c2)));
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'csv') download(`${entity}-${stamp}.csv`, toCsv(header, data), 'text/csv;charset=utf-8');
      else
        download(`${entity}-${stamp}.xlsx`, toXlsx(t(cfg.title), header, data) as BlobPart,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } catch (e) {
      show((e as Error).message, 'error');
    } finally {
      setExporting(false);
    }
  };

  // Bulk changes are one PATCH per record with its version (If-Match): a record changed
  // meanwhile by someone else is reported, not overwritten.
  const patchSelected = async (change: (r: Json) => Json, done: (n: number) => string) => {
    let ok = 0;
    const failed: string[] = [];
    for (const id of selected) {
      const r = rows.find((x) => x.id === id);
      try {
        await api(`/${entity}/${id}`, { method: 'PATCH', body: change(r || {}), ifMatch: r?.version });
        ok++;
      } catch (e) {
        failed.push((e as ApiError).message);
      }
    }
    if (failed.length) show(t('list.bulkFailed', { n: failed.length, detail: failed[0] }), 'error');
    else show(done(ok));
    load(null);
  };
  const assign = async () => {
    if (!assignTo || !cfg.ownerField) return;
    await patchSelected(() => ({ [cfg.ownerField!]: Number(assignTo) }), (n) => t('list.assigned', { n }));
  };
  const hasTags = cfg.columns.some((c) => c.key === 'tags');
  const tagSelected = async (add: boolean) => {
    const tag = bulkTag.trim();
    if (!tag) return;
    const key = foldTag(tag);
    await patchSelected(
      (r) => {
        const tags: string[] = r.tags || [];
        return { tags: add ? [...tags, tag] : tags.filter((x) => x !== key) };
      },
      (n) => t(add ? 'list.tagged' : 'list.untagged', { n, tag: key }),
    );
    setBulkTag('');
  };

  const saveView = () => {
    const name = window.prompt(t('list.viewName'));
    if (!name) return;
    const next = [...views.filter((v) => v.name !== name), { name, ...view }];
    setViews(next);
    localStorage.setItem(viewsKey(entity), JSON.stringify(next));
  };
  const deleteView = (name: string) => {
    const next = views.filter((v) => v.name !== name);
    setViews(next);
    localStorage.setItem(viewsKey(entity), JSON.stringify(next));
  };

  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const sortField = view.sort.replace(/^-/, '');
  const desc = view.sort.startsWith('-');

  return (
    <div className="page list-page" data-entity={entity}>
      <header className="page-head">
        <h1>{t(cfg.title)}</h1>
        <div className="head-actions">
          {cfg.newLink && (entity === 'accounts' ? canWriteCustomers(session.user) : canWriteContacts(session.user)) && (
            <Link className="btn primary" to={cfg.newLink}>
              + {t('list.new')}
            </Link>
          )}
        </div>
      </header>

      <div className="filters card" role="search" aria-label={t('list.filters')}>
        {cfg.searchable && (
          <div className="filter">
            <label htmlFor={`f-${entity}-q`}>{t('list.search')}</label>
            <input id={`f-${entity}-q`} type="search" value={view.q} onChange={(e) => setView((s) => ({ ...s, q: e.target.value }))} />
          </div>
        )}
        {cfg.filters.map((f) =>
          f.kind === 'tag' ? (
            <TagFilter key={f.key} id={`f-${entity}-${f.key}`} label={t(f.label)} value={view.filters[f.key] || ''} onChange={(v) => setFilter(f.key, v)} />
          ) : f.kind === 'enum' ? (
            <div className="filter" key={f.key}>
              <label htmlFor={`f-${entity}-${f.key}`}>{t(f.label)}</label>
              <select id={`f-${entity}-${f.key}`} value={view.filters[f.key] || ''} onChange={(e) => setFilter(f.key, e.target.value)}>
                <option value="">{t('list.any')}</option>
                {f.options!.map((o) => (
                  <option key={o} value={o}>
                    {f.prefix ? tEnum(f.prefix, o) : o}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <label className="filter check" key={f.key}>
              <input
                type="checkbox"
                checked={!!view.filters[f.key]}
                onChange={(e) => setFilter(f.key, e.target.checked ? (f.kind === 'me' ? 'me' : 'true') : '')}
              />
              <span>{t(f.text!)}</span>
            </label>
          ),
        )}
        {Object.keys(view.filters)
          .filter((k) => !cfg.filters.some((f) => f.key === k))
          .map((k) => (
            <span className="chip on" key={k}>
              {k}={view.filters[k]}
              <button type="button" className="linklike" aria-label={`${t('remove')} ${k}`} onClick={() => setFilter(k, '')}>
                ✕
              </button>
            </span>
          ))}
        <div className="filter">
          <label htmlFor={`f-${entity}-sort`}>{t('list.sort')}</label>
          <span className="sort-pair">
            <select id={`f-${entity}-sort`} value={sortField} onChange={(e) => setView((s) => ({ ...s, sort: (desc ? '-' : '') + e.target.value }))}>
              {cfg.sorts.map((s) => (
                <option key={s} value={s}>
                  {t(('field.' + (s === 'last_name' ? 'last_name' : s)) as Key)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn small"
              aria-label={desc ? t('list.desc') : t('list.asc')}
              title={desc ? t('list.desc') : t('list.asc')}
              onClick={() => setView((s) => ({ ...s, sort: (desc ? '' : '-') + sortField }))}
            >
              {desc ? '↓' : '↑'}
            </button>
          </span>
        </div>
        <details className="menu">
          <summary className="btn">{t('list.columns')}</summary>
          <div className="menu-pop">
            {cfg.columns.map((c) => (
              <label key={c.key} className="check">
                <input
                  type="checkbox"
                  checked={view.columns.includes(c.key)}
                  onChange={(e) =>
                    setView((s) => ({
                      ...s,
                      columns: e.target.checked ? cfg.columns.map((x) => x.key).filter((k) => k === c.key || s.columns.includes(k)) : s.columns.filter((k) => k !== c.key),
                    }))
                  }
                />
                {t(c.label)}
              </label>
            ))}
          </div>
        </details>
        <details className="menu">
          <summary className="btn">{t('list.views')}</summary>
          <div className="menu-pop">
            <button type="button" className="linklike" onClick={() => setView({ filters: { ...(cfg.defaultFilters || {}) }, sort: cfg.defaultSort, columns: cfg.defaultColumns, q: '' })}>
              {t('list.noView')}
            </button>
            {views.map((v) => (
              <div key={v.name} className="view-row">
                <button type="button" className="linklike" onClick={() => setView({ filters: v.filters, sort: v.sort, columns: v.columns, q: v.q })}>
                  {v.name}
                </button>
                <button type="button" className="linklike danger" aria-label={`${t('list.deleteView')} ${v.name}`} onClick={() => deleteView(v.name)}>
                  ✕
                </button>
              </div>
            ))}
            <button type="button" className="btn small" onClick={saveView}>
              {t('list.saveView')}
            </button>
          </div>
        </details>
        <details className="menu">
          <summary className="btn">{exporting ? t('list.exporting') : t('list.export')}</summary>
          <div className="menu-pop">
            <button type="button" className="linklike" disabled={exporting} onClick={() => exportView('csv')}>
              {t('list.exportCsv')}
            </button>
            <button type="button" className="linklike" disabled={exporting} onClick={() => exportView('xlsx')}>
              {t('list.exportXlsx')}
            </button>
            {cfg.serverExport && (
              <>
                <a href={`/api/v1/export/${entity}?format=csv`} download>
                  {t('list.exportAllCsv')}
                </a>
                <a href={`/api/v1/export/${entity}?format=xlsx`} download>
                  {t('list.exportAllXlsx')}
                </a>
              </>
            )}
          </div>
        </details>
      </div>

      {canAssign && selected.size > 0 && (
        <div className="bulkbar card" role="region" aria-label={t('list.selected', { n: selected.size })}>
          <strong>{t('list.selected', { n: selected.size })}</strong>
          {(entity === 'contacts' || entity === 'accounts') && selected.size >= 2 && (
            <Link className="btn" to={`/merge/${entity}?ids=${[...selected].join(',')}`} data-testid="bulk-merge">
              {t('merge.bulk')}
            </Link>
          )}
          <label>
            <span>{t('list.assignTo')}</span>{' '}
            <select value={assignTo} onChange={(e) => setAssignTo(e.target.value)}>
              <option value="">—</option>
              {assignees.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn primary" disabled={!assignTo} onClick={assign}>
            {t('list.assign')}
          </button>
          {hasTags && (
            <span className="bulk-tags">
              <label>
                <span>{t('field.tags')}</span>{' '}
                <input value={bulkTag} onChange={(e) => setBulkTag(e.target.value)} maxLength={50} placeholder={t('list.tagPlaceholder')} />
              </label>
              <button type="button" className="btn" disabled={!bulkTag.trim()} onClick={() => tagSelected(true)}>
                {t('list.addTag')}
              </button>
              <button type="button" className="btn" disabled={!bulkTag.trim()} onClick={() => tagSelected(false)}>
                {t('list.removeTag')}
              </button>
            </span>
          )}
        </div>
      )}
      {flash}
      <ErrorBox error={error} onRetry={() => load(null)} />

      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {canAssign && (
                <th scope="col" className="sel">
                  <input
                    type="checkbox"
                    aria-label={t('list.selectAll')}
                    checked={allSelected}
                    onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                  />
                </th>
              )}
              {shown.map((c) => (
                <th scope="col" key={c.key} className={c.num ? 'num' : ''}>
                  {t(c.label)}
                </th>
              ))}
              {entity === 'tasks' && canWriteActivity(session.user) && <th scope="col"><span className="sr-only">{t('task.done')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={selected.has(r.id) ? 'selected' : ''}>
                {canAssign && (
                  <td className="sel">
                    <input
                      type="checkbox"
                      aria-label={t('list.selectRow', { name: String(shown[0]?.value(r, ctx) ?? r.id) })}
                      checked={selected.has(r.id)}
                      onChange={(e) => {
                        const s = new Set(selected);
                        if (e.target.checked) s.add(r.id);
                        else s.delete(r.id);
                        setSelected(s);
                      }}
                    />
                  </td>
                )}
                {shown.map((c) => (
                  <td key={c.key} className={c.num ? 'num' : ''} data-label={t(c.label)}>
                    {c.render(r, ctx)}
                  </td>
                ))}
                {entity === 'tasks' && canWriteActivity(session.user) && (
                  <td>
                    {r.status === 'open' && (
                      <button
                        type="button"
                        className="btn small"
                        aria-label={`${t('task.done')}: ${r.title}`}
                        onClick={async () => {
                          try {
                            await api(`/tasks/${r.id}`, { method: 'PATCH', body: { status: 'done' }, ifMatch: r.version });
                            show(t('task.completed'));
                            load(null);
                          } catch (e) {
                            show((e as Error).message, 'error');
                          }
                        }}
                      >
                        ✓ {t('list.markDone')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loading && <Loading />}
      {!loading && !error && rows.length === 0 && <p className="muted">{t('list.empty')}</p>}
      <div className="list-foot">
        <span className="muted small">{t('list.shown', { n: rows.length })}</span>
        {cursor ? (
          <button type="button" className="btn" disabled={loading} onClick={() => load(cursor)}>
            {t('list.loadMore')}
          </button>
        ) : (
          rows.length > 0 && <span className="muted small">{t('list.end')}</span>
        )}
      </div>
    </div>
  );
}

// Due today / overdue helpers for My day.
export function todayParams() {
  const { start, end } = dayBounds(0);
  return { due_at_after: start, due_at_before: end };
}
