// The record form of any catalogue entity: one input per field the user may set, by kind, with
// the server's per-field errors under each input (422 problem.errors[].field, e.g. phones[0]);
// a stale edit (412) is explained with a choice; a probable duplicate (409) is shown by the
// module that registered a duplicate warning. A module may add fieldsets of its own (FormExtension).
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, requestFull, type FieldError, type Json } from '../api';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { ErrorBox, Field, Loading, useDebounced } from '../ui';
import { FieldInput, fromApi, hintOf, toApi } from './inputs';
import { duplicateWarning, entityPages } from './registry';
import { rememberName } from './refs';
import { displayName, entityDef, type FieldDef } from './schema';
import { textOf } from './values';

type Values = Record<string, Json>;

const WIDE = new Set(['long_text', 'email_list', 'phone_list', 'object']);

export default function RecordForm({ entity, id }: { entity: string; id?: number }) {
  const e = entityDef(entity)!;
  const ext = entityPages(entity).form;
  const own = new Set(ext?.fields || []);
  // Every field the user may set, in the catalogue's order; another system's id comes last.
  const fields: FieldDef[] = e.fields.filter((f) => !f.server_set && !own.has(f.name));
  fields.sort((a, b) => Number(a.name === 'external_id') - Number(b.name === 'external_id'));
  const { user } = useSession();
  const { search } = useLocation();
  const [original, setOriginal] = useState<Json | null>(null);
  const [values, setValues] = useState<Values | null>(null);
  const [dirty, setDirty] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [stale, setStale] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [dupes, setDupes] = useState<Json[] | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  // What the server would store (POST /{entity}/preview), for the figures its rules compute from
  // the child lines (an order's totals): asked again a moment after each change.
  const [previewed, setPreviewed] = useState<{ key: string; record: Json } | null>(null);
  const previewKey = useDebounced(e.children.length && values ? JSON.stringify(values) : '', 400);
  useEffect(() => {
    if (!previewKey || !values) return;
    const ctl = new AbortController();
    let body: Json;
    try {
      body = buildBody(true).body;
    } catch {
      return;
    }
    api(`/${entity}/preview`, { method: 'POST', body, signal: ctl.signal })
      .then((r) => setPreviewed({ key: previewKey, record: r }))
      .catch(() => {});  // an incomplete form: the last figures stay
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [previewKey]);
  // The first wrong field is focused once the errors are on the page (after React's commit).
  const wantFocus = useRef(false);
  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    doFocusFirstError();
  });
  // A 409 duplicate warning or a 412 explanation appears beside the buttons the user just
  // pressed, scrolled into view and focused.
  useEffect(() => {
    if (!dupes && stale === null) return;
    const el = noticeRef.current;
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }, [dupes, stale]);

  const toValues = (r: Json | null): Values => {
    const v: Values = {};
    for (const c of e.children)
      v[c.name] = ((r?.[c.name] as Json[]) || []).map((line) => {
        const row: Values = {};
        for (const f of c.fields) if (!f.server_set) row[f.name] = fromApi(f, line[f.name]);
        return row;
      });
    for (const f of e.fields) {
      if (own.has(f.name)) v[f.name] = r ? (r[f.name] ?? null) : (f.default ?? null);
      else if (r) v[f.name] = fromApi(f, r[f.name]);
      else if (search.get(f.name)) v[f.name] = search.get(f.name);
      else if (f.name === 'owner_id' && user) v[f.name] = String(user.id);
      else v[f.name] = fromApi(f, f.default ?? null);
    }
    return v;
  };

  const load = async () => {
    if (!id) {
      setValues(toValues(null));
      return;
    }
    try {
      const { data } = await requestFull(`/${entity}/${id}`);
      setOriginal(data);
      setValues(toValues(data));
      setDirty(new Set());
    } catch (err) {
      setLoadError(err as Error);
    }
  };
  useEffect(() => {
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entity, id]);

  if (loadError) return <div className="page"><ErrorBox error={loadError} /></div>;
  if (!values) return <div className="page"><Loading /></div>;

  // The preview's figures: those of a line only while they describe the lines as they are; the
  // totals stay, dimmed, until the next answer.
  const preview: Json | null = previewed?.record ?? null;
  const previewCurrent = !!previewed && previewed.key === JSON.stringify(values);
  const set = (k: string, v: Json) => {
    setValues((old) => ({ ...old, [k]: v }));
    setDirty((d) => new Set(d).add(k));
  };

  // The body: on create every field given, on update only the fields the user changed (whole:
  // every field, for the preview of what would be stored).
  const buildBody = (whole = false): { body: Json; local: FieldError[] } => {
    const body: Json = {};
    const local: FieldError[] = [];
    for (const f of e.fields) {
      if (f.server_set || (id && !whole && !dirty.has(f.name))) continue;
      if (own.has(f.name)) {
        if (id || (values[f.name] !== null && values[f.name] !== undefined)) body[f.name] = values[f.name];
        continue;
      }
      try {
        const v = toApi(f, values[f.name]);
        const isEmpty = v === null || (Array.isArray(v) && !v.length);
        if (f.required && isEmpty) local.push({ field: f.name, message: t('form.requiredField') });
        else if ((id && !whole) || !isEmpty) body[f.name] = v;
      } catch (err) {
        local.push({ field: f.name, message: (err as Error).message });
      }
    }
    // Child lines (an order's lines) are sent whole when one of them changed: the server replaces them.
    for (const c of e.children) {
      if (id && !whole ? !dirty.has(c.name) : !values[c.name].length) continue;
      body[c.name] = (values[c.name] as Values[]).map((row, i) => {
        const line: Json = {};
        for (const f of c.fields) {
          if (f.server_set) continue;
          try {
            const v = toApi(f, row[f.name]);
            const isEmpty = v === null || (Array.isArray(v) && !v.length);
            if (f.required && isEmpty) local.push({ field: `${c.name}[${i}].${f.name}`, message: t('form.requiredField') });
            else if (!isEmpty) line[f.name] = v;
          } catch (err) {
            local.push({ field: `${c.name}[${i}].${f.name}`, message: (err as Error).message });
          }
        }
        return line;
      });
    }
    return { body: ext?.toBody ? ext.toBody(body, values, original) : body, local };
  };

  // After a refused save: the first wrong field (in the page's order) is brought to the middle
  // of the screen and focused, its message beside it; without one, the message at the top.
  const focusFirstError = () => {
    wantFocus.current = true;
  };
  const doFocusFirstError = () =>
    setTimeout(() => {
      const field = formRef.current?.querySelector<HTMLElement>('.field.invalid');
      const target = field?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button') ?? field ??
        document.querySelector<HTMLElement>('[data-testid="form-error"]');
      if (!target) return;
      (field ?? target).scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    }, 0);

  const save = async (overwrite = false, allowDuplicate = false) => {
    setErrors([]);
    setProblem(null);
    setDupes(null);
    const { body, local } = buildBody();
    if (local.length) {
      setErrors(local);
      setProblem(new ApiError({ status: 422, title: t('form.invalid') }));
      focusFirstError();
      return;
    }
    setBusy(true);
    try {
      let version = original?.version;
      if (overwrite && id) version = (await api(`/${entity}/${id}`)).version;
      const rec = id
        ? await api(`/${entity}/${id}`, { method: 'PATCH', body, ifMatch: version ?? undefined })
        : await api(`/${entity}` + (allowDuplicate ? '?allow_duplicate=true' : ''), { method: 'POST', body });
      rememberName(entity, rec);
      setStale(null);
      navigate(`/${entity}/${rec.id}`);
    } catch (err) {
      const ae = err as ApiError;
      const candidates = (ae.problem as Json)?.candidates;
      if (ae.status === 409 && !id && Array.isArray(candidates)) {
        setDupes(candidates);
      } else if (ae.status === 412) {
        try {
          setStale((await api(`/${entity}/${id}`)).version);
        } catch {
          setStale(-1);
        }
      } else {
        setErrors(ae.problem?.errors || []);
        setProblem(ae);
        focusFirstError();
      }
    } finally {
      setBusy(false);
    }
  };

  const Dup = duplicateWarning();
  const title = id ? t('form.editTitle', { name: displayName(entity, original) }) : t('form.newTitle', { entity: e.label_singular });
  return (
    <div className="page form-page" data-entity={entity}>
      <p className="crumbs">
        <Link to={`/${entity}`}>{e.label}</Link>
        {id && original && (
          <>
            {' / '}
            <Link to={`/${entity}/${id}`}>{displayName(entity, original)}</Link>
          </>
        )}
      </p>
      <h1>{title}</h1>
      {problem && (
        <div className="alert error" role="alert" data-testid="form-error" tabIndex={-1}>
          <strong>{errors.length ? t('form.invalid') : problem.problem.title}</strong>
          {problem.problem.detail && <div className="small">{problem.problem.detail}</div>}
        </div>
      )}
      <form
        ref={formRef}
        className="record-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          save();
        }}
      >
        <fieldset className="grid-form">
          <legend className="sr-only">{e.label_singular}</legend>
          {fields.map((f, i) => (
            <Field key={f.name} label={f.label} name={f.name} errors={errors} required={f.required} hint={hintOf(f)}
              wide={WIDE.has(f.kind)}>
              {(p) => <FieldInput f={f} value={values[f.name]} set={(v) => set(f.name, v)} p={{ ...p, ...(i === 0 && !id ? { autoFocus: true } : {}) }} />}
            </Field>
          ))}
        </fieldset>
        {e.children.map((c) => {
          const rows: Values[] = values[c.name] || [];
          const setRows = (next: Values[]) => set(c.name, next);
          const blank = () => Object.fromEntries(c.fields.filter((f) => !f.server_set).map((f) => [f.name, fromApi(f, f.default ?? null)]));
          const move = (i: number, to: number) => {
            const next = [...rows];
            const [row] = next.splice(i, 1);
            next.splice(to, 0, row);
            setRows(next);
          };
          const computed = c.fields.filter((f) => f.server_set);
          const lineErrors = errors.filter((x) => x.field === c.name);
          return (
            <fieldset className="grid-form child-lines" key={c.name} data-child={c.name}>
              <legend>{c.label}</legend>
              {lineErrors.length > 0 && (
                <div className="field invalid" data-field={c.name}>
                  <div className="field-error" role="alert">{lineErrors.map((x) => <div key={x.message}>{x.message}</div>)}</div>
                </div>
              )}
              {rows.map((row, i) => {
                const shown = previewCurrent ? preview?.[c.name]?.[i] : undefined;
                return (
                  <div className="child-row" key={i} role="group" aria-label={t('form.lineN', { n: i + 1 })} data-line={i}>
                    <span className="child-no" aria-hidden="true">{i + 1}</span>
                    {c.fields.filter((f) => !f.server_set).map((f) => {
                      // An empty input shows what the server would put there (a product's price).
                      const dflt = shown && (row[f.name] === '' || row[f.name] === null) && shown[f.name] !== null && shown[f.name] !== undefined
                        && f.kind !== 'reference' ? textOf(f, shown[f.name]) : undefined;
                      return (
                        <Field key={f.name} label={f.label} name={`${c.name}[${i}].${f.name}`} errors={errors} required={f.required}
                          hint={dflt ? t('form.defaultValue', { v: dflt }) : undefined}>
                          {(p) => (
                            <FieldInput f={f} value={row[f.name]} p={p}
                              set={(v) => setRows(rows.map((r, j) => (j === i ? { ...r, [f.name]: v } : r)))} />
                          )}
                        </Field>
                      );
                    })}
                    {computed.map((f) => (
                      <div className="field computed" key={f.name} data-field={`${c.name}[${i}].${f.name}`}>
                        <span className="field-label">{f.label}</span>
                        <output>{shown ? textOf(f, shown[f.name], values.currency || 'EUR') : '—'}</output>
                      </div>
                    ))}
                    <span className="child-actions">
                      <button type="button" className="btn small" aria-label={t('form.lineUp', { n: i + 1 })} disabled={i === 0}
                        onClick={() => move(i, i - 1)}>
                        ↑
                      </button>
                      <button type="button" className="btn small" aria-label={t('form.lineDown', { n: i + 1 })} disabled={i === rows.length - 1}
                        onClick={() => move(i, i + 1)}>
                        ↓
                      </button>
                      <button type="button" className="btn small" aria-label={t('form.removeLine', { n: i + 1 })}
                        onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                        ✕
                      </button>
                    </span>
                  </div>
                );
              })}
              <div>
                <button type="button" className="btn small" onClick={() => setRows([...rows, blank()])}>
                  + {t('form.addLine')}
                </button>
              </div>
              {preview && rows.length > 0 && (
                <dl className={'dl live-totals' + (previewCurrent ? '' : ' stale')} data-testid="live-totals" aria-live="polite" aria-label={t('form.liveTotals')}>
                  {e.fields.filter((f) => f.kind === 'money' && preview[f.name] !== undefined && preview[f.name] !== null).map((f) => (
                    <div key={f.name} data-field={f.name}>
                      <dt>{f.label}</dt>
                      <dd>{textOf(f, preview[f.name], values.currency || 'EUR')}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </fieldset>
          );
        })}
        {ext?.render?.({ values, set, errors, original })}
        <div ref={noticeRef} tabIndex={-1} className="form-notice">
          {stale !== null && (
            <div className="alert warn" role="alert" data-testid="stale">
              <p>{t('form.stale', { v: stale > 0 ? stale : '?' })}</p>
              <div className="form-actions">
                <button type="button" className="btn primary" onClick={async () => { setStale(null); await load(); }}>
                  {t('form.reload')}
                </button>
                <button type="button" className="btn" onClick={() => save(true)}>
                  {t('form.keep')}
                </button>
              </div>
            </div>
          )}
          {dupes && Dup && Dup({ entity, candidates: dupes, busy, onCreateAnyway: () => save(false, true) })}
        </div>
        <div className="form-actions sticky-actions">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? t('saving') : id ? t('save') : t('create')}
          </button>
          <Link className="btn ghost" to={id ? `/${entity}/${id}` : `/${entity}`}>
            {t('cancel')}
          </Link>
        </div>
      </form>
    </div>
  );
}
