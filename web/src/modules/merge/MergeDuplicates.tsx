// Duplicate review: the clusters found by duplicate detection (GET /duplicates), those proposed
// for merge and those to review, each pair with its per-field explanation, and the way to the
// side-by-side comparison and merge.
import { useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { displayName } from '../../kernel/refs';
import { t } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Loading, Section, useAsync, useFlash } from '../../ui';
import { ScanButton } from './DuplicateScan';
import { fmtScore, Reasons } from './MergeWidgets';
import { entityLabel, fieldLabel } from '../../kernel/schema';

// The detection's answer, read tolerantly: {data|clusters: [{id|cluster_id, status|kind|decision,
// score, members: [{id, record?, …}], pairs: [{a|left_id, b|right_id, score, fields|explanation}]}]}.
function clustersOf(body: Json): Json[] {
  return body?.data ?? body?.clusters ?? (Array.isArray(body) ? body : []);
}
function isProposed(c: Json): boolean {
  const s = String(c.status ?? c.kind ?? c.decision ?? c.queue ?? '');
  return s === 'proposed' || s === 'auto' || s === 'merge' || s === 'match';
}
function memberId(m: Json): number {
  return typeof m === 'number' ? m : m.id ?? m.record?.id ?? m.record_id;
}
function explanation(p: Json): Json[] {
  let e = p.fields ?? p.explanation ?? p.comparisons ?? [];
  if (typeof e === 'string') e = JSON.parse(e);
  if (Array.isArray(e)) return e;
  return Object.entries(e).map(([field, v]) => ({ field, ...(typeof v === 'object' ? (v as Json) : { weight: v }) }));
}
const num = (v: Json) => (typeof v === 'number' ? fmtScore(v) : v ?? '—');
const levelLabel = (l: Json) => {
  const key = 'dup.level.' + String(l);
  return ['exact', 'close', 'similar', 'different', 'missing'].includes(String(l)) ? t(key as 'dup.level.exact') : num(l);
};

function Cluster({ entity, c, onDismissed }: { entity: string; c: Json; onDismissed: () => void }) {
  const members: Json[] = c.members ?? c.records ?? [];
  const ids = members.map(memberId);
  const pairs: Json[] = c.pairs ?? [];
  const memberName = (id: number) => {
    const m = members[ids.indexOf(id)];
    return m ? m.display_name || displayName(entity, m.record ?? m) : displayName(entity, { id });
  };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  // "Not duplicates": later scans and entry checks leave these pairs out.
  const dismiss = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/duplicates/${c.id ?? c.cluster_id}/dismiss`, { method: 'POST' });
      onDismissed();
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <div className="card dup-cluster" data-testid="dup-cluster">
      <div className="card-head">
        <h3>
          {members.map((m, i) => (
            <span key={ids[i]}>
              {i > 0 && ' · '}
              <Link to={`/${entity}/${ids[i]}`}>{m.display_name || displayName(entity, m.record ?? m)}</Link>
            </span>
          ))}
        </h3>
        {typeof c.score === 'number' && <span className="badge">{t('dup.score', { score: num(c.score) })}</span>}
        <button type="button" className="btn primary small" onClick={() => navigate(`/merge/${entity}?ids=${ids.join(',')}`)}>
          {t('dup.compare')}
        </button>
        <button type="button" className="btn small" onClick={dismiss} disabled={busy}>
          {t('dup.dismiss')}
        </button>
      </div>
      <ErrorBox error={error} />
      {/* Why each pair looks alike, in words; the field-by-field comparison on demand. */}
      {pairs.map((p, i) => (
        <div key={i} className="dup-pair">
          <strong>{t('dup.pair', { a: p.a ?? p.left_id ?? p.id1, b: p.b ?? p.right_id ?? p.id2 })}</strong>{' '}
          <Reasons reasons={p.reasons} />
        </div>
      ))}
      {pairs.length > 0 && (
        <details>
          <summary>{t('dup.details')}</summary>
          {pairs.map((p, i) => (
            <div key={i} className="dup-pair">
              <strong>{t('dup.pair', { a: memberName(p.a ?? p.left_id ?? p.id1), b: memberName(p.b ?? p.right_id ?? p.id2) })}</strong>{' '}
              <span className="muted">{t('dup.score', { score: num(p.score ?? p.probability) })}</span>
              <table className="table compact">
                <tbody>
                  {explanation(p)
                    .filter((f: Json) => f.level !== 'missing' || f.field === 'household')
                    .map((f: Json) => (
                      <tr key={f.field ?? f.name}>
                        <th scope="row">
                          {f.field === 'household' ? t('dup.household') : fieldLabel(entity, f.field === 'landline' ? 'phones' : f.field ?? f.name)}
                        </th>
                        <td>{f.left ?? f.a ?? ''}</td>
                        <td>{f.right ?? f.b ?? ''}</td>
                        <td>{f.field === 'household' ? '' : levelLabel(f.level ?? f.similarity)}</td>
                        <td className="num">{num(f.weight)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          ))}
        </details>
      )}
    </div>
  );
}

export default function MergeDuplicates() {
  const { search } = useLocation();
  const [entity, setEntity] = useState(search.get('entity') === 'accounts' ? 'accounts' : 'contacts');
  const { data, error, loading, reload } = useAsync<Json>(() => api(`/duplicates?entity=${entity}&limit=200`), [entity]);
  const clusters = clustersOf(data);
  const proposed = clusters.filter(isProposed), review = clusters.filter((c) => !isProposed(c));
  const unavailable = error instanceof ApiError && error.status === 404;
  const { user } = useSession();
  const canScan = user?.role === 'admin' || user?.role === 'manager';
  const [flash, show] = useFlash();
  return (
    <div className="page">
      <h1>{t('dup.title')}</h1>
      <p className="muted">{t('dup.intro')}</p>
      <div className="toolbar">
        <label>
          <select value={entity} onChange={(e) => setEntity(e.target.value)} aria-label={t('dup.title')}>
            <option value="contacts">{entityLabel('contacts')}</option>
            <option value="accounts">{entityLabel('accounts')}</option>
          </select>
        </label>{' '}
        <Link to="/merges">{t('merge.history')}</Link>{' '}
        {/* A new scan (a background job) replaces the review queue: the whole base for an admin, what a manager sees. */}
        {canScan && <ScanButton entity={entity} onDone={reload} show={show} />}
      </div>
      {flash}
      {unavailable ? <div className="alert warn">{t('dup.unavailable')}</div> : <ErrorBox error={error} onRetry={reload} />}
      {loading && !data && <Loading />}
      {data && (
        <>
          <Section title={`${t('dup.proposed')} (${proposed.length})`}>
            {proposed.length === 0 && <p className="muted">{t('dup.none')}</p>}
            {proposed.map((c, i) => <Cluster key={c.id ?? c.cluster_id ?? i} entity={entity} c={c} onDismissed={reload} />)}
          </Section>
          <Section title={`${t('dup.review')} (${review.length})`}>
            {review.length === 0 && <p className="muted">{t('dup.none')}</p>}
            {review.map((c, i) => <Cluster key={c.id ?? c.cluster_id ?? i} entity={entity} c={c} onDismissed={reload} />)}
          </Section>
        </>
      )}
    </div>
  );
}
