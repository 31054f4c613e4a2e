// Merges, newest first, each with its undo (GET /merges, POST /merges/{id}/undo).
import { useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { clearNameCache } from '../../kernel/refs';
import { fmtDateTime } from '../../format';
import { RefLink } from '../../kernel/values';
import { t } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Loading, useAsync, useFlash } from '../../ui';
import { entityLabel } from '../../kernel/schema';

export default function MergeHistory() {
  const { data, error, loading, reload } = useAsync<Json>(() => api('/merges?limit=100'), []);
  const [busy, setBusy] = useState<number | null>(null);
  const [flash, show] = useFlash();
  const undo = async (m: Json) => {
    setBusy(m.id);
    try {
      const r = await api(`/merges/${m.id}/undo`, { method: 'POST' });
      clearNameCache();
      show(t('merge.undone', { names: t('merge.absorbedN', { n: r.restored_ids.length }) }));
      reload();
    } catch (e) {
      show((e as ApiError).message, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/duplicates">{t('nav.duplicates')}</Link>
      </p>
      <h1>{t('merge.historyTitle')}</h1>
      {flash}
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && data.data.length === 0 && <p className="muted">{t('merge.none')}</p>}
      {data && data.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="merge-history">
            <thead>
              <tr>
                <th scope="col">{t('merge.when')}</th>
                <th scope="col">{t('merge.who')}</th>
                <th scope="col">{t('merge.survivor')}</th>
                <th scope="col">{t('merge.absorbed')}</th>
                <th scope="col">{t('merge.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {data.data.map((m: Json) => (
                <tr key={m.id} data-merge={m.id}>
                  <td>{fmtDateTime(m.merged_at)}</td>
                  <td>{m.user_name ?? '—'}</td>
                  <td>
                    <span className="muted small">{entityLabel(m.entity, true)} · </span>
                    <RefLink entity={m.entity} id={m.survivor_now ?? m.survivor_id} />
                  </td>
                  <td>{t('merge.absorbedN', { n: m.absorbed_ids.length })}</td>
                  <td>{m.undone_at ? t('merge.undoneAt', { when: fmtDateTime(m.undone_at) }) : t('merge.active')}</td>
                  <td>
                    {!m.undone_at && (
                      <button type="button" className="btn small" disabled={busy !== null} onClick={() => undo(m)}>
                        {t('merge.undo')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
