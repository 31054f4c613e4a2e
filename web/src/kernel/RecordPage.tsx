// The record page of any catalogue entity: every field with its label and formatted value
// (references by name, with a link), its child lines, what its module adds (recordExtra), and
// the audit history. Edit and delete follow the catalogue's rights for the current user.
import { useEffect, useState } from 'react';
import { api, ApiError, type Json } from '../api';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading, Section, useAsync, useFlash } from '../ui';
import AuditPanel from './AuditPanel';
import { entityPages } from './registry';
import { rememberName } from './refs';
import { canDeleteRecord, displayName, entityDef } from './schema';
import { Dl, ValueOf } from './values';

const NOT_SHOWN = new Set(['id', 'version']);

// "Does not exist or is not visible to you" for a 404, the error and a retry otherwise.
export function NotFound({ error, reload }: { error: Error; reload: () => void }) {
  if (error instanceof ApiError && error.status === 404)
    return (
      <div className="page">
        <div className="alert warn" role="alert">
          {t('v360.notFound')}
        </div>
        <Link to="/">{t('notfound.back')}</Link>
      </div>
    );
  return (
    <div className="page">
      <ErrorBox error={error} onRetry={reload} />
    </div>
  );
}

// Delete with confirmation; the server's refusal (409: a customer with orders…) says why.
export function DeleteButton({ entity, record, label, after }: { entity: string; record: Json; label: string; after?: string }) {
  const [flash, show] = useFlash();
  const remove = async () => {
    if (!window.confirm(t('record.confirmDelete', { name: label }))) return;
    try {
      await api(`/${entity}/${record.id}`, { method: 'DELETE', ifMatch: record.version });
      navigate(after ?? `/${entity}`);
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };
  return (
    <>
      <button type="button" className="btn danger" onClick={remove}>
        {t('delete')}
      </button>
      {flash}
    </>
  );
}

// Edit and delete buttons as the catalogue allows them to the current user.
export function RecordActions({ entity, record, label }: { entity: string; record: Json; label: string }) {
  const { user } = useSession();
  const e = entityDef(entity)!;
  return (
    <>
      {e.can.update && (
        <Link className="btn" to={`/${entity}/${record.id}/edit`}>
          {t('edit')}
        </Link>
      )}
      {canDeleteRecord(e, record, user?.id) && <DeleteButton entity={entity} record={record} label={label} />}
    </>
  );
}

// Child lines (an order's lines) as a table, columns from the catalogue.
function Children({ entity, record }: { entity: string; record: Json }) {
  const e = entityDef(entity)!;
  return (
    <>
      {e.children.map((c) => {
        const rows: Json[] = Array.isArray(record[c.name]) ? record[c.name] : [];
        const cols = c.fields.filter((f) => !f.server_set || rows.some((r) => r[f.name] !== null && r[f.name] !== undefined));
        return (
          <Section key={c.name} title={c.label}>
            {rows.length === 0 ? (
              <p className="muted">—</p>
            ) : (
              <div className="table-wrap">
                <table className="table compact">
                  <thead>
                    <tr>
                      {cols.map((f) => (
                        <th scope="col" key={f.name} className={f.kind === 'money' || f.kind === 'integer' ? 'num' : ''}>{f.label}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={r.id ?? i}>
                        {cols.map((f) => (
                          <td key={f.name} data-label={f.label} className={f.kind === 'money' || f.kind === 'integer' ? 'num' : ''}>
                            <ValueOf f={f} value={r[f.name]} record={{ currency: record.currency, ...r }} />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        );
      })}
    </>
  );
}

export default function RecordPage({ entity, id }: { entity: string; id: number }) {
  const e = entityDef(entity)!;
  const { recordExtra: Extra, recordFields: own = {} } = entityPages(entity);
  const { data: r, error, loading, reload } = useAsync<Json>(() => api(`/${entity}/${id}`), [entity, id]);
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    if (r) rememberName(entity, r);
  }, [entity, r]);
  if (error) return <NotFound error={error} reload={reload} />;
  if (!r) return <div className="page">{loading && <Loading />}</div>;
  const name = displayName(entity, r);
  const changed = () => {
    reload();
    setRefresh((n) => n + 1);
  };
  return (
    <div className="page record-page" data-entity={entity}>
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to={`/${entity}`}>{e.label}</Link>
          </p>
          <h1>{name}</h1>
          <p className="subtitle">{e.label_singular}</p>
        </div>
        <div className="head-actions">
          <RecordActions entity={entity} record={r} label={name} />
        </div>
      </header>
      <div className="grid-2">
        <Section title={t('record.details')}>
          <Dl items={e.fields.filter((f) => !NOT_SHOWN.has(f.name) && own[f.name] !== null).map((f) => {
            const show = own[f.name];
            return [f.label, show ? show(r) : <ValueOf key={f.name} f={f} value={r[f.name]} record={r} />, f.name];
          })} />
        </Section>
        <div>
          {Extra && <Extra record={r} reload={changed} />}
          <Children entity={entity} record={r} />
          <AuditPanel entity={entity} id={id} refresh={refresh} />
        </div>
      </div>
    </div>
  );
}
