// Pieces of the merge feature used by other pages: field labels and values for side-by-side
// views, the "this looks like …" warning of the create forms, the archived banner of 360° views.
import { useEffect, useState } from 'react';
import { api, displayName, recordName, type Json } from '../api';
import { fmtDateTime } from '../format';
import { t, type Key } from '../i18n';
import { Link } from '../router';
import { useSession, userName } from '../session';

export function fieldLabel(name: string): string {
  const s = t(('field.' + name) as Key);
  return s === 'field.' + name ? name.replaceAll('_', ' ') : s;
}

const REFS: Record<string, string> = { account_id: 'accounts', household_id: 'households', source_contact_id: 'contacts' };

function RefName({ entity, id }: { entity: string; id: number }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    recordName(entity, id).then(setName);
  }, [entity, id]);
  return <Link to={`/${entity}/${id}`}>{name || '#' + id}</Link>;
}

// A stored value as a person reads it.
export function FieldValue({ name, value }: { name: string; value: Json }) {
  const { users } = useSession();
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return <span className="muted">—</span>;
  if (name === 'owner_id') return <>{userName(value, users)}</>;
  if (REFS[name] && typeof value === 'number') return <RefName entity={REFS[name]} id={value} />;
  if (Array.isArray(value)) return <>{value.join(', ')}</>;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.length) return <span className="muted">—</span>;
    return <span className="pre small">{keys.map((k) => `${k}: ${typeof value[k] === 'object' ? JSON.stringify(value[k]) : value[k]}`).join('\n')}</span>;
  }
  if (typeof value === 'boolean') return <>{value ? '✓' : '✗'}</>;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return <>{fmtDateTime(value)}</>;
  return <>{String(value)}</>;
}

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
                {c.display_name || displayName(entity, rec) || '#' + id}
              </Link>
              {rec.emails?.length ? <span className="muted"> · {rec.emails[0]}</span> : null}
              {rec.city ? <span className="muted"> · {rec.city}</span> : null}
              {typeof score === 'number' && <span className="muted"> · {t('dup.score', { score: score.toFixed(2) })}</span>}
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
