// The list of any catalogue entity: columns (the catalogue's list_columns, any other field on
// demand), filters for its filterable fields (enums with their labels, "mine" for user fields,
// tags, yes/no), sort on its sortable fields, saved views (localStorage), keyset paging ("load
// more", no total), bulk owner assignment and tagging, export of the current view (CSV/XLSX with
// the labels) or of the whole file (server export). A module adds only what is its own (ListExtension).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, listAll, qs, type Json, type ListPage as Page } from '../api';
import { t } from '../i18n';
import { Link, useLocation } from '../router';
import { assignableUsers, useSession } from '../session';
import { download, ErrorBox, foldTag, Loading, TagFilter, useDebounced, useFlash } from '../ui';
import { toCsv, toXlsx } from '../xlsx';
import { allModules, entityPages } from './registry';
import { knownName } from './refs';
import { displayName, entityDef, fieldLabel, type FieldDef } from './schema';
import { cellOf, useRecordName, ValueOf } from './values';

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
const HIDDEN_COLUMNS = new Set(['version', 'team_id', 'archived_at']);

function loadViews(e: string): SavedView[] {
  try {
    return JSON.parse(localStorage.getItem(viewsKey(e)) || '[]');
  } catch {
    return [];
  }
}

// A filter given in the URL that the page has no control for (?contact_id=12): its label and value.
function FilterChip({ entity, k, value, onRemove }: { entity: string; k: string; value: string; onRemove: () => void }) {
  const f = entityDef(entity)?.fields.find((x) => x.name === k);
  const isRef = f?.kind === 'reference' && f.references !== 'users' && f.references !== 'teams' && /^\d+$/.test(value);
  const name = useRecordName(isRef ? f!.references! : '', isRef ? Number(value) : null);
  const label = fieldLabel(entity, k);
  const shown = value === 'me' ? t('me') : f?.kind === 'enum' ? f.values?.find((v) => v.value === value)?.label ?? value
    : isRef ? name ?? '…' : value === 'true' ? t('yes') : value === 'false' ? t('no') : value;
  return (
    <span className="chip on">
      {label} : {shown}
      <button type="button" className="linklike" aria-label={`${t('remove')} ${label}`} onClick={onRemove}>
        ✕
      </button>
    </span>
  );
}

export default function ListView({ entity }: { entity: string }) {
  const e = entityDef(entity)!;
  const ext = entityPages(entity).list || {};
  const session = useSession();
  const { search } = useLocation();
  const columns: FieldDef[] = e.fields.filter((f) => f.kind !== 'object' && !HIDDEN_COLUMNS.has(f.name));
  const defaults = (): ViewState => ({ filters: { ...(ext.defaultFilters || {}) }, sort: e.default_sort, columns: e.list_columns, q: '' });
  const initial = (): ViewState => {
    // Filters in the URL (e.g. /orders?contact_id=3) win over the last state of the list.
    const fromUrl: Record<string, string> = {};
    search.forEach((v, k) => (fromUrl[k] = v));
    const base = defaults();
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
  const [assignTo, setAssignTo] = useState<string>('');
  const [bulkTag, setBulkTag] = useState('');
  const [exporting, setExporting] = useState(false);
  const [flash, show] = useFlash();
  const dq = useDebounced(view.q.trim(), 250);
  const searchable = !!e.traits.searchable;

  useEffect(() => {
    sessionStorage.setItem(lastKey(entity), JSON.stringify(view));
  }, [entity, view]);

  const params = useMemo(() => {
    const p: Record<string, string> = { ...view.filters, sort: view.sort };
    if (searchable && dq) p.q = dq;
    return p;
  }, [view.filters, view.sort, dq, searchable]);

  const load = async (c: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<Page>('/' + entity + qs({ ...params, limit: 50, cursor: c }));
      setRows((r) => (c ? [...r, ...page.data] : page.data));
      setCursor(page.next_cursor);
      if (!c) setSelected(new Set());
    } catch (err) {
      setError(err as Error);
      if (!c) setRows([]);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entity, params]);

  const shown = columns.filter((c) => view.columns.includes(c.name));
  const refCols = shown.filter((f) => f.kind === 'reference' && f.references !== 'users' && f.references !== 'teams');

  // The records the rows refer to; their names come with the list's answer ("names"), so the
  // page asks for none of them one by one.
  const namesOf = (list: Json[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const r of list)
      for (const f of refCols)
        if (r[f.name]) out[f.references + '/' + r[f.name]] = knownName(f.references!, Number(r[f.name])) ?? t('access.restricted');
    return out;
  };

  const ownerField = ext.ownerField || (e.fields.some((f) => f.name === 'owner_id') ? 'owner_id' : undefined);
  const hasTags = e.fields.some((f) => f.kind === 'tag_list' && f.name === 'tags');
  const moduleBulk = allModules().map((m) => m.bulkActions?.(entity, [...selected])).filter(Boolean);
  const canSelect = e.can.update && (!!ownerField || hasTags || !!ext.bulkActions || moduleBulk.length > 0);
  const assignees = assignableUsers(session);
  const setFilter = (k: string, v: string) =>
    setView((s) => {
      const f = { ...s.filters };
      if (v) f[k] = v;
      else delete f[k];
      return { ...s, filters: f };
    });

  const titleFields = e.title_fields.filter((f) => shown.some((c) => c.name === f));
  const cell = (f: FieldDef, r: Json): ReactNode => {
    const o = ext.columns?.[f.name];
    const content = o?.render ? o.render(r) : <ValueOf f={f} value={r[f.name]} record={r} />;
    // Without title fields (orders), the first column that is not a link elsewhere opens the record.
    const isTitle = titleFields.length ? titleFields.includes(f.name) : f === shown.find((c) => c.kind !== 'reference');
    if (isTitle && f.kind !== 'reference') return <Link to={`/${entity}/${r.id}`}>{f.name === 'id' ? displayName(entity, r) : content}</Link>;
    return content;
  };

  const exportView = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    try {
      const all = await listAll('/' + entity, params);
      const extra = namesOf(all);
      const header = shown.map((c) => c.label);
      const data = all.map((r) => shown.map((c) => (ext.columns?.[c.name]?.value ? ext.columns[c.name].value!(r) : cellOf(c, r, session.users, extra))));
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'csv') download(`${entity}-${stamp}.csv`, toCsv(header, data), 'text/csv;charset=utf-8');
      else
        download(`${entity}-${stamp}.xlsx`, toXlsx(e.label, header, data) as BlobPart,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } catch (err) {
      show((err as Error).message, 'error');
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
      } catch (err) {
        failed.push((err as ApiError).message);
      }
    }
    if (failed.length) show(t('list.bulkFailed', { n: failed.length, detail: failed[0] }), 'error');
    else show(done(ok));
    load(null);
  };
  const assign = async () => {
    if (!assignTo || !ownerField) return;
    await patchSelected(() => ({ [ownerField]: Number(assignTo) }), (n) => t('list.assigned', { n }));
  };
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

  const filterFields = e.fields.filter(
    (f) => f.filterable && !f.server_set &&
      (f.kind === 'enum' || f.kind === 'tag_list' || f.kind === 'boolean' || (f.kind === 'reference' && f.references === 'users')),
  );
  const controlled = new Set([...filterFields.map((f) => f.name), ...(ext.flags || []).map((f) => f.key)]);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const sortField = view.sort.replace(/^-/, '');
  const desc = view.sort.startsWith('-');
  const fid = (k: string) => `f-${entity}-${k}`;
  const rowAction = ext.rowActions;

  return (
    <div className="page list-page" data-entity={entity}>
      <header className="page-head">
        <h1>{e.label}</h1>
        <div className="head-actions">
          {e.can.create && (
            <Link className="btn primary" to={`/${entity}/new`}>
              + {t('list.new')}
            </Link>
          )}
        </div>
      </header>

      <div className="filters card" role="search" aria-label={t('list.filters')}>
        {searchable && (
          <div className="filter">
            <label htmlFor={fid('q')}>{t('list.search')}</label>
            <input id={fid('q')} type="search" value={view.q} onChange={(ev) => setView((s) => ({ ...s, q: ev.target.value }))} />
          </div>
        )}
        {filterFields.map((f) =>
          f.kind === 'tag_list' ? (
            <TagFilter key={f.name} id={fid(f.name)} label={f.label} value={view.filters[f.name] || ''} onChange={(v) => setFilter(f.name, v)} />
          ) : f.kind === 'enum' || f.kind === 'boolean' ? (
            <div className="filter" key={f.name}>
              <label htmlFor={fid(f.name)}>{f.label}</label>
              <select id={fid(f.name)} value={view.filters[f.name] || ''} onChange={(ev) => setFilter(f.name, ev.target.value)}>
                <option value="">{t('list.any')}</option>
                {(f.kind === 'enum' ? f.values || [] : [{ value: 'true', label: t('yes') }, { value: 'false', label: t('no') }]).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <label className="filter check" key={f.name}>
              <input type="checkbox" checked={view.filters[f.name] === 'me'} onChange={(ev) => setFilter(f.name, ev.target.checked ? 'me' : '')} />
              <span>{f.name === 'owner_id' ? t('list.ownerMe') : t('list.meFor', { field: f.label })}</span>
            </label>
          ),
        )}
        {(ext.flags || []).map((f) => (
          <label className="filter check" key={f.key}>
            <input type="checkbox" checked={!!view.filters[f.key]} onChange={(ev) => setFilter(f.key, ev.target.checked ? f.value || 'true' : '')} />
            <span>{t(f.label)}</span>
          </label>
        ))}
        {Object.keys(view.filters)
          .filter((k) => !controlled.has(k))
          .map((k) => (
            <FilterChip key={k} entity={entity} k={k} value={view.filters[k]} onRemove={() => setFilter(k, '')} />
          ))}
        <div className="filter">
          <label htmlFor={fid('sort')}>{t('list.sort')}</label>
          <span className="sort-pair">
            <select id={fid('sort')} value={sortField} onChange={(ev) => setView((s) => ({ ...s, sort: (desc ? '-' : '') + ev.target.value }))}>
              {e.fields.filter((f) => f.sortable).map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
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
            {columns.map((c) => (
              <label key={c.name} className="check">
                <input
                  type="checkbox"
                  checked={view.columns.includes(c.name)}
                  onChange={(ev) =>
                    setView((s) => ({
                      ...s,
                      columns: ev.target.checked ? columns.map((x) => x.name).filter((k) => k === c.name || s.columns.includes(k)) : s.columns.filter((k) => k !== c.name),
                    }))
                  }
                />
                {c.label}
              </label>
            ))}
          </div>
        </details>
        <details className="menu">
          <summary className="btn">{t('list.views')}</summary>
          <div className="menu-pop">
            <button type="button" className="linklike" onClick={() => setView(defaults())}>
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
            {e.traits.exportable && (
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

      {canSelect && selected.size > 0 && (
        <div className="bulkbar card" role="region" aria-label={t('list.selected', { n: selected.size })}>
          <strong>{t('list.selected', { n: selected.size })}</strong>
          {moduleBulk}
          {ext.bulkActions?.([...selected])}
          {ownerField && (
            <>
              <label>
                <span>{t('list.assignTo')}</span>{' '}
                <select value={assignTo} onChange={(ev) => setAssignTo(ev.target.value)}>
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
            </>
          )}
          {hasTags && (
            <span className="bulk-tags">
              <label>
                <span>{fieldLabel(entity, 'tags')}</span>{' '}
                <input value={bulkTag} onChange={(ev) => setBulkTag(ev.target.value)} maxLength={50} placeholder={t('list.tagPlaceholder')} />
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
              {canSelect && (
                <th scope="col" className="sel">
                  <input
                    type="checkbox"
                    aria-label={t('list.selectAll')}
                    checked={allSelected}
                    onChange={(ev) => setSelected(ev.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                  />
                </th>
              )}
              {shown.map((c) => (
                <th scope="col" key={c.name} className={c.kind === 'money' || c.kind === 'integer' ? 'num' : ''}>
                  {c.label}
                </th>
              ))}
              {rowAction && <th scope="col"><span className="sr-only">{t('list.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={selected.has(r.id) ? 'selected' : ''}>
                {canSelect && (
                  <td className="sel">
                    <input
                      type="checkbox"
                      aria-label={t('list.selectRow', { name: displayName(entity, r) })}
                      checked={selected.has(r.id)}
                      onChange={(ev) => {
                        const s = new Set(selected);
                        if (ev.target.checked) s.add(r.id);
                        else s.delete(r.id);
                        setSelected(s);
                      }}
                    />
                  </td>
                )}
                {shown.map((c, i) => (
                  <td key={c.name} className={c.kind === 'money' || c.kind === 'integer' ? 'num' : ''} data-label={c.label}>
                    {cell(c, r)}
                  </td>
                ))}
                {rowAction && <td>{rowAction(r, { reload: () => load(null), flash: show, user: session.user })}</td>}
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
