// Pieces of the merge feature used by other pages: the "this looks like …" warning of the
// create forms, the reasons a duplicate candidate gives, the archived banner of 360° views.
import { useState } from 'react';
import { api, type Json } from '../../api';
import { displayName } from '../../kernel/refs';
import { fmtDateTime } from '../../format';
import { getLang, t } from '../../i18n';
import { Link } from '../../router';

// A score or weight as the language writes it, one decimal: "12,8" in French.
export function fmtScore(n: unknown): string {
  if (typeof n !== 'number' || !isFinite(n)) return '—';
  return new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
}

// Why a candidate looks like the record, as the server words it (docs/duplicates.md, "Reasons"):
// agreements ("même e-mail") then disagreements ("prénom différent"), the strongest first; with
// max, the strongest agreements and at most two disagreements.
export function Reasons({ reasons, max }: { reasons?: Json[]; max?: number }) {
  if (!Array.isArray(reasons) || reasons.length === 0) return null;
  let shown = reasons;
  if (max) {
    const agree = reasons.filter((r) => r.agree), disagree = reasons.filter((r) => !r.agree);
    shown = [...agree.slice(0, Math.max(1, max - Math.min(2, disagree.length))), ...disagree.slice(0, 2)];
  }
  return (
    <span className="dup-reasons" data-testid="dup-reasons" aria-label={t('dup.reasons')}>
      {shown.map((r: Json, i: number) => (
        <span
          key={i}
          className={'badge ' + (r.agree ? 'ok' : 'danger')}
          data-agree={r.agree ? 'yes' : 'no'}
          title={typeof r.weight === 'number' ? `${t('dup.weight')} ${fmtScore(r.weight)}` : undefined}
        >
          {r.agree ? '✓ ' : '✗ '}
          {r.text}
        </span>
      ))}
    </span>
  );
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
          return (
            <li key={id ?? i}>
              <Link to={`/${entity}/${id}`} target="_blank" rel="noopener">
                {c.display_name || displayName(entity, rec)}
              </Link>
              {rec.emails?.length ? <span className="muted"> · {rec.emails[0]}</span> : null}
              {rec.city ? <span className="muted"> · {rec.city}</span> : null}{' '}
              {/* Why, in words, rather than a score. */}
              <Reasons reasons={c.reasons} max={6} />
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
