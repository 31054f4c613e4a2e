// Pieces of the merge feature used by other pages: the "this looks like …" warning of the
// create forms, the archived banner of 360° views.
import { useState } from 'react';
import { api, type Json } from '../../api';
import { displayName } from '../../kernel/refs';
import { fmtDateTime, fmtScore } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';

// The candidates of a 409 probable-duplicate answer (duplicate check at entry), with links and
// a way to create the record anyway.
export function DuplicateWarning({ entity, candidates, onCreateAnyway, busy }: {
  entity: string; candidates: Json[]; onCreateAnyway: () => void; busy: boolean;
}) {
  return (
    <div className="alert warn dup-warning" role="alert" data-testid="duplicate-warning">
      <p>
        <strong>{t('dup.looksLike')}</strong>
      </p>
      <ul>
        {candidates.map((c: Json, i: number) => {
          const rec = c.record ?? c;
          const id = c.id ?? rec.id;
          const score = c.score ?? c.probability;
          return (
            <li key={id ?? i}>
              <Link to={`/${entity}/${id}`} target="_blank" rel="noopener">
                {c.display_name || displayName(entity, rec)}
              </Link>
              {rec.emails?.length ? <span className="muted"> · {rec.emails[0]}</span> : null}
              {rec.city ? <span className="muted"> · {rec.city}</span> : null}
              {typeof score === 'number' && <span className="muted"> · {t('dup.score', { score: fmtScore(score) })}</span>}
            </li>
          );
        })}
      </ul>
      <button type="button" className="btn" disabled={busy} onClick={onCreateAnyway} data-testid="create-anyway">
        {t('dup.createAnyway')}
      </button>
    </div>
  );
}

// Shown on a 360° view of an archived record, with the way back.
export function ArchivedBanner({ entity, record, onRestored }: { entity: string; record: Json; onRestored: () => void }) {
  const [busy, setBusy] = useState(false);
  if (!record?.archived_at) return null;
  return (
    <div className="alert warn" role="status" data-testid="archived-banner">
      {t('purge.banner', { when: fmtDateTime(record.archived_at) })}{' '}
      <button
        type="button"
        className="btn small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await api(`/${entity}/${record.id}/restore`, { method: 'POST' });
            onRestored();
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('purge.restore')}
      </button>
    </div>
  );
}
