// Who changed what, when: the record's audit trail (GET /{entity}/{id}/audit, newest first,
// paged with next_cursor), with user names, field labels and old → new values formatted by
// the field's kind. Loaded when the reader opens it.
import { useEffect, useState } from 'react';
import { api, qs, type Json, type ListPage } from '../api';
import { fmtDateTime } from '../format';
import { t, type Key } from '../i18n';
import { useSession } from '../session';
import { ErrorBox, Loading, Section } from '../ui';
import { entityDef, type FieldDef } from './schema';
import { userLabel, ValueOf } from './values';

const PAIRS = new Set(['update', 'archive', 'restore']);

function Change({ entity, f, name, value, action }: { entity: string; f: FieldDef | undefined; name: string; value: Json; action: string }) {
  const e = entityDef(entity);
  const child = e?.children.find((c) => c.name === name);
  if (child)
    return (
      <tr>
        <th scope="row">{child.label}</th>
        <td colSpan={3}>{t('audit.childReplaced')}</td>
      </tr>
    );
  if (!f) return null;
  if (PAIRS.has(action) && Array.isArray(value) && value.length === 2)
    return (
      <tr>
        <th scope="row">{f.label}</th>
        <td className="audit-old"><ValueOf f={f} value={value[0]} /></td>
        <td aria-hidden="true">→</td>
        <td className="audit-new"><ValueOf f={f} value={value[1]} /></td>
      </tr>
    );
  return (
    <tr>
      <th scope="row">{f.label}</th>
      <td colSpan={3}><ValueOf f={f} value={value} /></td>
    </tr>
  );
}

function Entry({ entity, row }: { entity: string; row: Json }) {
  const { users } = useSession();
  const e = entityDef(entity);
  const changes = row.changes && typeof row.changes === 'object' ? row.changes : {};
  // In the catalogue's order; a creation or deletion lists only the values it held.
  const empty = (v: Json) => v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length) ||
    (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length);
  const fields = [...(e?.fields.map((f) => f.name) ?? []), ...(e?.children.map((c) => c.name) ?? [])]
    .filter((k) => k in changes && (PAIRS.has(row.action) || !empty(changes[k])));
  const actionKey = ('audit.action.' + row.action) as Key;
  const action = t(actionKey) === actionKey ? row.action : t(actionKey);
  const who = row.user_name || (row.user_id ? userLabel(row.user_id, users) : t('audit.system'));
  let note: string | null = null;
  if (row.action === 'share' && changes.user_id) note = t('audit.sharedWith', { name: userLabel(changes.user_id, users) });
  if (row.action === 'merge' && changes.absorbed_ids) note = t('audit.absorbed', { n: changes.absorbed_ids.length });
  if (row.action === 'merge' && changes.merged_into) note = t('audit.mergedInto');
  return (
    <li className={'audit-entry audit-' + row.action}>
      <div className="audit-head">
        <strong>{action}</strong> <span className="muted small">
          <time dateTime={row.at}>{fmtDateTime(row.at)}</time> · {who}
        </span>
        {note && <div className="small">{note}</div>}
      </div>
      {fields.length > 0 && (
        <table className="table compact audit-changes">
          <thead className="sr-only">
            <tr>
              <th scope="col">{t('audit.field')}</th>
              <th scope="col">{t('audit.before')}</th>
              <th scope="col"></th>
              <th scope="col">{t('audit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((k) => (
              <Change key={k} entity={entity} name={k} f={e?.fields.find((f) => f.name === k)} value={changes[k]} action={row.action} />
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

export default function AuditPanel({ entity, id, refresh = 0 }: { entity: string; id: number; refresh?: number }) {
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<Json[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const load = async (c: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<ListPage>(`/${entity}/${id}/audit` + qs({ limit: 20, cursor: c }));
      setRows((r) => (c ? [...r, ...page.data] : page.data));
      setCursor(page.next_cursor);
    } catch (err) {
      setError(err as Error);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (open) load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, refresh, entity, id]);
  return (
    <Section title={t('audit.title')} className="audit-panel">
      {!open ? (
        <button type="button" className="btn" onClick={() => setOpen(true)} aria-expanded={false}>
          {t('audit.show')}
        </button>
      ) : (
        <div data-testid="audit">
          <ErrorBox error={error} onRetry={() => load(null)} />
          {rows.length === 0 && !loading && !error && <p className="muted">{t('audit.none')}</p>}
          <ol className="audit">
            {rows.map((r) => (
              <Entry key={r.id} entity={entity} row={r} />
            ))}
          </ol>
          {loading && <Loading />}
          {cursor && !loading && (
            <button type="button" className="btn" onClick={() => load(cursor)}>
              {t('audit.more')}
            </button>
          )}
        </div>
      )}
    </Section>
  );
}
