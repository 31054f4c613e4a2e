// Side-by-side comparison of two or more contacts or accounts, a choice per field, the merge,
// and its undo (POST /{entity}/merge, POST /merges/{id}/undo; docs/merge.md).
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { clearNameCache, displayName } from '../../kernel/refs';
import { fmtDateTime } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Loading, useAsync } from '../../ui';
import { fieldDef, fieldLabel } from '../../kernel/schema';
import { ValueOf } from '../../kernel/values';
import { Reasons } from './MergeWidgets';
import { entityDef, entityLabel } from '../../kernel/schema';
import { fmtNumber } from '../../format';
import type { Key } from '../../i18n';

// What a merge moved onto the survivor ({"interactions.contact_id": 17, "stage_history.record_id": 2})
// as words: "17 échanges, 2 changements d’étape du cycle de vie, 1 contact (Parrain)".
export function movedSentence(moved: Record<string, number> | null | undefined, mergedEntity: string): string {
  const parts = Object.entries(moved || {}).map(([key, n]) => {
    const [table, column] = key.split('.');
    const e = entityDef(table);
    if (!e) {
      const k = ('merge.trail.' + table + (n === 1 ? '' : '.n')) as Key;
      const words = t(k);
      return `${fmtNumber(n)} ${words === k ? table.replaceAll('_', ' ') : words}`;
    }
    const what = (n === 1 ? e.label_singular : e.label).toLocaleLowerCase();
    // a reference of another kind than the customer itself (a contact's referrer) is named
    const f = e.fields.find((x) => x.name === column);
    const which = f && f.references === mergedEntity && !['contact_id', 'account_id', 'household_id'].includes(column) ? ` (${f.label})` : '';
    return `${fmtNumber(n)} ${what}${which}`;
  });
  return parts.length ? t('merge.moved', { what: parts.join(', ') }) : t('merge.movedNone');
}

const same = (a: Json, b: Json) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export default function MergeCompare({ entity, ids }: { entity: string; ids: number[] }) {
  const { data, error, loading, reload } = useAsync<Json>(
    () => (ids.length < 2 ? Promise.resolve(null) : api(`/${entity}/compare?ids=${ids.join(',')}`)),
    [entity, ids.join(',')],
  );
  const [survivor, setSurvivor] = useState<number>(ids[0]);
  const [choice, setChoice] = useState<Record<string, string>>({});  // field -> record id or 'combined'
  const [onlyDiff, setOnlyDiff] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Json>(null);
  const [undone, setUndone] = useState<Json>(null);

  // Preselect for each field the record holding the fullest value, or the combination of them.
  useEffect(() => {
    if (!data) return;
    const c: Record<string, string> = {};
    for (const f of data.fields) {
      if (!f.choosable) continue;
      const idx = f.values.findIndex((v: Json) => same(v, f.most_complete));
      c[f.name] = idx >= 0 ? String(data.ids[idx]) : 'combined';
    }
    setChoice(c);
  }, [data]);

  const rows = useMemo(() => (data ? data.fields.filter((f: Json) => f.choosable && (!onlyDiff || f.differs)) : []), [data, onlyDiff]);

  if (ids.length < 2)
    return (
      <div className="page">
        <div className="alert warn">{t('merge.needTwo')}</div>
      </div>
    );
  if (error && !result) return <div className="page"><ErrorBox error={error} onRetry={reload} /></div>;
  if (!data) return <div className="page">{loading && <Loading />}</div>;
  const recs: Json[] = data.records;

  const merge = async () => {
    setBusy(true);
    setProblem(null);
    const fields: Record<string, Json> = {};
    for (const f of data.fields) {
      if (!f.choosable) continue;
      const c = choice[f.name];
      fields[f.name] = !c || c === 'combined' ? 'most_complete' : Number(c);
    }
    try {
      const r = await api(`/${entity}/merge`, {
        method: 'POST',
        body: { survivor_id: survivor, absorbed_ids: ids.filter((i) => i !== survivor), fields, default_rule: 'most_complete' },
      });
      clearNameCache();
      setResult(r);
      setUndone(null);
    } catch (e) {
      setProblem(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const undo = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setUndone(await api(`/merges/${result.merge_id}/undo`, { method: 'POST' }));
      setResult(null);
      clearNameCache();
      reload();
    } catch (e) {
      setProblem(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const nameOf = (id: number) => displayName(entity, recs.find((r) => r.id === id) ?? { id });

  return (
    <div className="page merge-page">
      <p className="crumbs">
        <Link to={`/${entity}`}>{entityLabel(entity)}</Link> / <Link to="/duplicates">{t('nav.duplicates')}</Link> /{' '}
        <Link to="/merges">{t('merge.history')}</Link>
      </p>
      <h1>{t('merge.compareTitle', { entity: entityLabel(entity) })}</h1>
      {problem && (
        <div className="alert error" role="alert" data-testid="merge-error">
          <strong>{problem.problem.title}</strong> {problem.problem.detail}
          {problem.problem.errors?.map((e) => (
            <div key={e.field} className="small">
              {fieldLabel(entity, e.field.replace(/^fields\./, ''))} : {e.message}
            </div>
          ))}
        </div>
      )}
      {result && (
        <div className="alert ok" role="status" data-testid="merge-done">
          <p>{t('merge.done', { name: displayName(entity, result.record) })}</p>
          <p className="small" data-testid="merge-moved">{movedSentence(result.moved, entity)}</p>
          <div className="form-actions">
            <Link className="btn primary" to={`/${entity}/${result.record.id}`}>
              {t('merge.openSurvivor')}
            </Link>
            <button type="button" className="btn" disabled={busy} onClick={undo} data-testid="merge-undo">
              {t('merge.undo')}
            </button>
          </div>
        </div>
      )}
      {undone && (
        <div className="alert ok" role="status" data-testid="merge-undone">
          {t('merge.undone', { names: undone.restored_ids.map(nameOf).join(', ') })}
          {undone.kept?.length > 0 && <div className="small">{t('merge.kept', { fields: undone.kept.map((f: string) => fieldLabel(entity, f)).join(', ') })}</div>}
        </div>
      )}
      {!result && Array.isArray(data.pairs) && data.pairs.length > 0 && (
        <section className="dup-pairs" data-testid="compare-pairs">
          <h2>{t('merge.pairs')}</h2>
          {data.pairs.map((p: Json) => (
            <div key={`${p.a}-${p.b}`} className="dup-pair">
              <strong>{t('dup.pair', { a: p.a, b: p.b })}</strong> <Reasons reasons={p.reasons} />
            </div>
          ))}
        </section>
      )}
      {!result && (
        <>
          <p className="muted small">{t('merge.survivorHint')}</p>
          <label className="inline-check">
            <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> {t('merge.onlyDiff')}
          </label>
          <div className="table-wrap">
            <table className="table merge-table" data-testid="compare-table">
              <thead>
                <tr>
                  <th scope="col">{t('merge.field')}</th>
                  {recs.map((r) => (
                    <th scope="col" key={r.id} className={r.id === survivor ? 'survivor' : ''}>
                      <label className="survivor-pick">
                        <input
                          type="radio"
                          name="survivor"
                          checked={r.id === survivor}
                          onChange={() => setSurvivor(r.id)}
                          data-testid={`survivor-${r.id}`}
                        />{' '}
                        {t('merge.survivor')}
                      </label>
                      <div>
                        <Link to={`/${entity}/${r.id}`}>{displayName(entity, r)}</Link>
                      </div>
                      <div className="muted small">{t('merge.updated', { when: fmtDateTime(r.updated_at) })}</div>
                    </th>
                  ))}
                  <th scope="col">{t('merge.combined')}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t('merge.links')}</th>
                  {data.links.map((l: Json, i: number) => (
                    <td key={i} className="small">
                      {entity === 'accounts' && <div>{t('merge.peopleCount', { contacts: l.contacts ?? 0 })}</div>}
                      {t('merge.linkCounts', { interactions: l.interactions ?? 0, orders: l.orders ?? 0, tasks: l.tasks ?? 0 })}
                    </td>
                  ))}
                  <td />
                </tr>
                {rows.map((f: Json) => {
                  const combinedNew = !f.values.some((v: Json) => same(v, f.most_complete));
                  return (
                    <tr key={f.name} className={f.differs ? 'differs' : ''} data-field={f.name}>
                      <th scope="row">{fieldLabel(entity, f.name)}</th>
                      {f.values.map((v: Json, i: number) => (
                        <td key={i}>
                          <label className="pick">
                            <input
                              type="radio"
                              name={'f-' + f.name}
                              checked={choice[f.name] === String(data.ids[i])}
                              onChange={() => setChoice({ ...choice, [f.name]: String(data.ids[i]) })}
                              aria-label={`${fieldLabel(entity, f.name)} : ${nameOf(data.ids[i])}`}
                            />{' '}
                            <ValueOf f={fieldDef(entity, f.name)} value={v} />
                          </label>
                        </td>
                      ))}
                      <td>
                        {combinedNew && (
                          <label className="pick">
                            <input
                              type="radio"
                              name={'f-' + f.name}
                              checked={choice[f.name] === 'combined'}
                              onChange={() => setChoice({ ...choice, [f.name]: 'combined' })}
                              aria-label={`${fieldLabel(entity, f.name)} ${t('merge.combined')}`}
                            />{' '}
                            <ValueOf f={fieldDef(entity, f.name)} value={f.most_complete} />
                          </label>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="form-actions">
            <button type="button" className="btn primary" disabled={busy} onClick={merge} data-testid="merge-run">
              {busy ? t('merge.running') : t('merge.run', { n: ids.length, name: nameOf(survivor) })}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
