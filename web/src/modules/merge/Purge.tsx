// Purge of the customer file: candidates by reason (inactive, closed, bounced), archive the
// selected ones, and the archived records with their restore (docs/merge.md).
import { useState } from 'react';
import { api, ApiError, qs, type Json } from '../../api';
import { displayName } from '../../kernel/refs';
import { fmtDate, fmtDateTime } from '../../format';
import { t, type Key } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Loading, Section, useAsync, useFlash } from '../../ui';
import { entityLabel } from '../../kernel/schema';

const REASONS = ['', 'inactive', 'closed', 'bounced'];

export default function Purge() {
  const [entity, setEntity] = useState<'contacts' | 'accounts'>('contacts');
  const [reason, setReason] = useState('');
  const [years, setYears] = useState(3);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  const cands = useAsync<Json>(
    () => api('/purge/candidates' + qs({ entity, reason, inactive_years: years, limit: 200 })),
    [entity, reason, years],
  );
  const archived = useAsync<Json>(() => api(`/${entity}` + qs({ archived: 'only', sort: '-archived_at', limit: 100 })), [entity]);

  const archive = async () => {
    setBusy(true);
    try {
      const r = await api('/purge/archive', { method: 'POST', body: { entity, ids: [...selected] } });
      show(t('purge.archived', { n: r.archived.length }));
      setSelected(new Set());
      cands.reload();
      archived.reload();
    } catch (e) {
      show((e as ApiError).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  const restore = async (r: Json) => {
    try {
      await api(`/${entity}/${r.id}/restore`, { method: 'POST' });
      show(t('purge.restored', { name: displayName(entity, r) }));
      cands.reload();
      archived.reload();
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };
  const rows: Json[] = cands.data?.data ?? [];
  const reasons = entity === 'contacts' ? REASONS : REASONS.slice(0, 3);

  return (
    <div className="page purge-page">
      <h1>{t('purge.title')}</h1>
      <p className="muted">{t('purge.intro')}</p>
      {flash}
      <div className="toolbar filters">
        <label>
          <span>{entityLabel('contacts')} / {entityLabel('accounts')}</span>{' '}
          <select
            value={entity}
            onChange={(e) => {
              setEntity(e.target.value as 'contacts' | 'accounts');
              setReason('');
              setSelected(new Set());
            }}
          >
            <option value="contacts">{entityLabel('contacts')}</option>
            <option value="accounts">{entityLabel('accounts')}</option>
          </select>
        </label>
        <label>
          <span>{t('purge.reason')}</span>{' '}
          <select value={reason} onChange={(e) => setReason(e.target.value)} data-testid="purge-reason">
            {reasons.map((r) => (
              <option key={r} value={r}>
                {t(('purge.reason.' + (r || 'all')) as Key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('purge.years')}</span>{' '}
          <input type="number" min={1} max={50} value={years} onChange={(e) => setYears(Math.max(1, Math.min(50, Number(e.target.value) || 1)))} />
        </label>
      </div>
      <Section
        title={`${t('purge.candidates')} (${rows.length})`}
        actions={
          <button type="button" className="btn primary" disabled={busy || selected.size === 0} onClick={archive} data-testid="purge-archive">
            {t('purge.archive', { n: selected.size })}
          </button>
        }
      >
        <ErrorBox error={cands.error} onRetry={cands.reload} />
        {cands.loading && !cands.data && <Loading />}
        {cands.data && rows.length === 0 && <p className="muted">{t('purge.noCandidates')}</p>}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="purge-candidates">
              <thead>
                <tr>
                  <th scope="col" className="sel">
                    <input
                      type="checkbox"
                      aria-label={t('list.selectAll')}
                      checked={rows.every((r) => selected.has(r.id))}
                      onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                    />
                  </th>
                  <th scope="col">{t('purge.name')}</th>
                  <th scope="col">{t('purge.lastActivity')}</th>
                  <th scope="col">{t('purge.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className={selected.has(r.id) ? 'selected' : ''}>
                    <td className="sel">
                      <input
                        type="checkbox"
                        aria-label={t('list.selectRow', { name: displayName(entity, r) })}
                        checked={selected.has(r.id)}
                        onChange={(e) => {
                          const s = new Set(selected);
                          if (e.target.checked) s.add(r.id);
                          else s.delete(r.id);
                          setSelected(s);
                        }}
                      />
                    </td>
                    <td>
                      <Link to={`/${entity}/${r.id}`}>{displayName(entity, r)}</Link>
                    </td>
                    <td>{fmtDate(r.last_activity_at)}</td>
                    <td>{r.reasons.map((x: string) => t(('purge.reason.' + x) as Key)).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section title={t('purge.archivedList')}>
        <ErrorBox error={archived.error} onRetry={archived.reload} />
        {archived.data && archived.data.data.length === 0 && <p className="muted">{t('purge.noArchived')}</p>}
        {archived.data && archived.data.data.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="purge-archived">
              <thead>
                <tr>
                  <th scope="col">{t('purge.name')}</th>
                  <th scope="col">{t('purge.archivedAt')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {archived.data.data.map((r: Json) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/${entity}/${r.id}`}>{displayName(entity, r)}</Link>
                    </td>
                    <td>{fmtDateTime(r.archived_at)}</td>
                    <td>
                      <button type="button" className="btn small" onClick={() => restore(r)}>
                        {t('purge.restore')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
