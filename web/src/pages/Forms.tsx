// Create/edit forms for accounts and contacts. The API's validation errors (problem.errors[].field)
// are shown next to their input; a stale edit (412) is explained with a choice.
import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, qs, recordName, rememberName, requestFull, type FieldError, type Json, type ListPage } from '../api';
import { t, tEnum, type Key } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { assignableUsers, useSession } from '../session';
import { ErrorBox, Field, Loading, useDebounced } from '../ui';
import { DuplicateWarning } from './MergeWidgets';

const STAGES = ['suspect', 'prospect', 'disqualified', 'new_customer', 'regular_customer', 'customer', 'advocate', 'partner', 'inactive'];
const CONSENT_CHANNELS = ['email', 'phone', 'sms', 'post'];

type Values = Record<string, Json>;

function Select({ value, onChange, options, prefix, empty = true, ...p }: {
  value: string; onChange: (v: string) => void; options: string[]; prefix?: string; empty?: boolean; [k: string]: Json;
}) {
  return (
    <select {...p} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
      {empty && <option value="">—</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {prefix ? tEnum(prefix, o) : o}
        </option>
      ))}
    </select>
  );
}

// Picks a record of `entity` by searching it (accent-insensitive server search).
function RecordPicker({ entity, value, onChange, label, fieldProps }: {
  entity: 'accounts' | 'households'; value: number | null; onChange: (id: number | null) => void; label: string;
  fieldProps: Json;
}) {
  const [name, setName] = useState('');
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Json[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const dq = useDebounced(q.trim(), 200);
  const listId = useId();
  useEffect(() => {
    if (value) recordName(entity, value).then((n) => setName(n || '#' + value));
    else setName('');
  }, [entity, value]);
  useEffect(() => {
    if (dq.length < 2) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    api<ListPage>(`/${entity}` + qs({ q: dq, limit: 8 }), { signal: ctl.signal })
      .then((r) => {
        setHits(r.data);
        setActive(0);
        setOpen(true);
      })
      .catch(() => {});
    return () => ctl.abort();
  }, [dq, entity]);
  const pick = (r: Json | null) => {
    if (r) rememberName(entity, r);
    onChange(r ? r.id : null);
    setQ('');
    setOpen(false);
  };
  if (value)
    return (
      <div className="picked">
        <span className="picked-name">{name}</span>
        <button type="button" className="btn small" onClick={() => pick(null)} aria-label={`${t('remove')}: ${name}`}>
          ✕
        </button>
      </div>
    );
  return (
    <div className="picker">
      <input
        {...fieldProps}
        type="search"
        role="combobox"
        aria-expanded={open && hits.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        placeholder={label}
        autoComplete="off"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(hits.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter' && open && hits[active]) {
            e.preventDefault();
            pick(hits[active]);
          } else if (e.key === 'Escape') setOpen(false);
        }}
      />
      {open && hits.length > 0 && (
        <ul className="search-results" role="listbox" id={listId}>
          {hits.map((h, i) => (
            <li key={h.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}>
              <span className="hit-title">{h.name}</span>
              <span className="hit-sub">{h.city}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function lines(v: string): string[] {
  return v.split('\n').map((s) => s.trim()).filter(Boolean);
}

interface FormState {
  values: Values;
  version: number | null;
  original: Json | null;
}

function useRecordForm(entity: 'accounts' | 'contacts', id: number | undefined, blank: () => Values, toValues: (r: Json) => Values) {
  const [state, setState] = useState<FormState | null>(id ? null : { values: blank(), version: null, original: null });
  const [loadError, setLoadError] = useState<Error | null>(null);
  const load = async () => {
    if (!id) return;
    try {
      const { data } = await requestFull(`/${entity}/${id}`);
      setState({ values: toValues(data), version: data.version, original: data });
    } catch (e) {
      setLoadError(e as Error);
    }
  };
  useEffect(() => {
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entity, id]);
  return { state, setState, loadError, load };
}

interface ShellProps {
  entity: 'accounts' | 'contacts';
  id?: number;
  title: string;
  state: FormState;
  setState: (s: FormState) => void;
  load: () => Promise<void>;
  toBody: (v: Values, original: Json | null) => Json;
  children: (set: (k: string, v: Json) => void, errors: FieldError[]) => React.ReactNode;
}

function FormShell({ entity, id, title, state, setState, load, toBody, children }: ShellProps) {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [stale, setStale] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [dupes, setDupes] = useState<Json[] | null>(null);  // 409 probable-duplicate: "this looks like …"
  const formRef = useRef<HTMLFormElement>(null);
  const set = (k: string, v: Json) => setState({ ...state, values: { ...state.values, [k]: v } });

  const save = async (overwrite = false, allowDuplicate = false) => {
    setBusy(true);
    setErrors([]);
    setProblem(null);
    setDupes(null);
    try {
      let version = state.version;
      if (overwrite && id) version = (await api(`/${entity}/${id}`)).version;
      const body = toBody(state.values, state.original);
      const rec = id
        ? await api(`/${entity}/${id}`, { method: 'PATCH', body, ifMatch: version ?? undefined })
        : await api(`/${entity}` + (allowDuplicate ? '?allow_duplicate=true' : ''), { method: 'POST', body });
      rememberName(entity, rec);
      setStale(null);
      navigate(`/${entity}/${rec.id}`);
    } catch (e) {
      const ae = e as ApiError;
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
        // Bring the first wrong field into view and focus it.
        setTimeout(() => {
          const el = formRef.current?.querySelector<HTMLElement>('.field.invalid input, .field.invalid select, .field.invalid textarea');
          el?.focus();
        }, 0);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page form-page">
      <p className="crumbs">
        <Link to={`/${entity}`}>{t(('nav.' + entity) as Key)}</Link>
        {id && (
          <>
            {' / '}
            <Link to={`/${entity}/${id}`}>#{id}</Link>
          </>
        )}
      </p>
      <h1>{title}</h1>
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
      {problem && (
        <div className="alert error" role="alert" data-testid="form-error">
          <strong>{errors.length ? t('form.invalid') : problem.problem.title}</strong>
          {problem.problem.detail && <div className="small">{problem.problem.detail}</div>}
        </div>
      )}
      {dupes && <DuplicateWarning entity={entity} candidates={dupes} busy={busy} onCreateAnyway={() => save(false, true)} />}
      <form
        ref={formRef}
        className="record-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {children(set, errors)}
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

function Text({ name, label, v, set, errors, required, type = 'text', wide, hint, autoFocus }: {
  name: string; label: string; v: Values; set: (k: string, v: Json) => void; errors: FieldError[]; required?: boolean;
  type?: string; wide?: boolean; hint?: string; autoFocus?: boolean;
}) {
  return (
    <Field label={label} name={name} errors={errors} required={required} wide={wide} hint={hint}>
      {(p) => <input {...p} type={type} value={v[name] ?? ''} required={required} autoFocus={autoFocus} onChange={(e) => set(name, e.target.value)} />}
    </Field>
  );
}

function OwnerField({ v, set, errors }: { v: Values; set: (k: string, v: Json) => void; errors: FieldError[] }) {
  const session = useSession();
  const opts = assignableUsers(session);
  const cur = v.owner_id;
  return (
    <Field label={t('field.owner_id')} name="owner_id" errors={errors}>
      {(p) => (
        <select {...p} value={cur ?? ''} onChange={(e) => set('owner_id', e.target.value ? Number(e.target.value) : null)}>
          {cur && !opts.some((u) => u.id === cur) && <option value={cur}>#{cur}</option>}
          {!cur && <option value="">—</option>}
          {opts.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const emptyToNull = (s: Json) => (typeof s === 'string' && s.trim() === '' ? null : s);

// ---------------------------------------------------------------------------------------------

const ACCOUNT_TEXT = ['name', 'legal_id', 'industry', 'website', 'phone', 'street', 'postcode', 'city', 'country', 'stage_reason'];

export function AccountForm({ id }: { id?: number }) {
  const { user } = useSession();
  const blank = () => ({ country: 'FR', owner_id: user?.id ?? null });
  const toValues = (r: Json) => ({ ...r });
  const { state, setState, loadError, load } = useRecordForm('accounts', id, blank, toValues);
  if (loadError) return <div className="page"><ErrorBox error={loadError} /></div>;
  if (!state) return <div className="page"><Loading /></div>;
  const toBody = (v: Values) => {
    const b: Json = {};
    for (const k of ACCOUNT_TEXT) b[k] = emptyToNull(v[k] ?? null);
    b.size = v.size || null;
    b.tier = v.tier || null;
    b.lifecycle_stage = v.lifecycle_stage || null;
    if (v.owner_id) b.owner_id = v.owner_id;
    return b;
  };
  return (
    <FormShell entity="accounts" id={id} title={id ? t('form.editAccount') : t('form.newAccount')} state={state}
      setState={setState} load={load} toBody={toBody}>
      {(set, errors) => {
        const v = state.values;
        const P = { v, set, errors };
        return (
          <>
            <fieldset className="grid-form">
              <legend>{t('v360.identity')}</legend>
              <Text {...P} name="name" label={t('field.name')} required wide autoFocus={!id} />
              <Text {...P} name="legal_id" label={t('field.legal_id')} />
              <Text {...P} name="industry" label={t('field.industry')} />
              <Field label={t('field.size')} name="size" errors={errors}>
                {(p) => <Select {...p} value={v.size} onChange={(x) => set('size', x)} options={['1-9', '10-49', '50-249', '250-4999', '5000+']} />}
              </Field>
              <Text {...P} name="website" label={t('field.website')} type="url" />
              <Text {...P} name="phone" label={t('field.phone')} type="tel" />
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('field.street')}</legend>
              <Text {...P} name="street" label={t('field.street')} wide />
              <Text {...P} name="postcode" label={t('field.postcode')} />
              <Text {...P} name="city" label={t('field.city')} />
              <Text {...P} name="country" label={t('field.country')} hint="ISO: FR, BE, CH…" />
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('v360.stage')}</legend>
              <Field label={t('field.lifecycle_stage')} name="lifecycle_stage" errors={errors}>
                {(p) => <Select {...p} value={v.lifecycle_stage} onChange={(x) => set('lifecycle_stage', x)} options={STAGES} prefix="stage" />}
              </Field>
              <Text {...P} name="stage_reason" label={t('field.stage_reason')} />
              <Field label={t('field.tier')} name="tier" errors={errors}>
                {(p) => <Select {...p} value={v.tier} onChange={(x) => set('tier', x)} options={['gold', 'silver', 'bronze']} prefix="tier" />}
              </Field>
              <OwnerField {...P} />
            </fieldset>
          </>
        );
      }}
    </FormShell>
  );
}

// ---------------------------------------------------------------------------------------------

const CONTACT_TEXT = ['first_name', 'last_name', 'job_title', 'street', 'postcode', 'city', 'country', 'stage_reason', 'source_campaign', 'source_medium'];

export function ContactForm({ id }: { id?: number }) {
  const { user } = useSession();
  const { search } = useLocation();
  const blank = (): Values => ({
    country: 'FR', lifecycle_stage: 'suspect', owner_id: user?.id ?? null, emails_text: '', phones_text: '',
    account_id: search.get('account_id') ? Number(search.get('account_id')) : null, consent: {}, preferences: {},
  });
  const toValues = (r: Json): Values => ({
    ...r,
    emails_text: (r.emails || []).join('\n'),
    phones_text: (r.phones || []).join('\n'),
    consent: r.consent || {},
    preferences: r.preferences || {},
  });
  const { state, setState, loadError, load } = useRecordForm('contacts', id, blank, toValues);
  if (loadError) return <div className="page"><ErrorBox error={loadError} /></div>;
  if (!state) return <div className="page"><Loading /></div>;
  const toBody = (v: Values, original: Json | null) => {
    const b: Json = {};
    for (const k of CONTACT_TEXT) b[k] = emptyToNull(v[k] ?? null);
    b.emails = lines(v.emails_text || '');
    b.phones = lines(v.phones_text || '');
    for (const k of ['buying_role', 'lifecycle_stage', 'source_type']) b[k] = v[k] || null;
    b.account_id = v.account_id || null;
    b.household_id = v.household_id || null;
    b.source_contact_id = v.source_contact_id || null;
    if (v.owner_id) b.owner_id = v.owner_id;
    // Consent: keep the recorded date and origin of an unchanged channel.
    const consent: Json = {};
    const orig = original?.consent || {};
    for (const ch of CONSENT_CHANNELS) {
      const st = v.consent?.[ch]?.status;
      if (!st) continue;
      consent[ch] = orig[ch]?.status === st ? orig[ch] : { status: st };
    }
    b.consent = Object.keys(consent).length ? consent : null;
    const prefs: Json = {};
    for (const [k, x] of Object.entries(v.preferences || {})) if (x !== '' && x !== null && x !== undefined) prefs[k] = x;
    b.preferences = Object.keys(prefs).length ? prefs : null;
    return b;
  };
  return (
    <FormShell entity="contacts" id={id} title={id ? t('form.editContact') : t('form.newContact')} state={state}
      setState={setState} load={load} toBody={toBody}>
      {(set, errors) => {
        const v = state.values;
        const P = { v, set, errors };
        const setConsent = (ch: string, st: string) =>
          set('consent', { ...v.consent, [ch]: st ? { ...(v.consent?.[ch] || {}), status: st } : undefined });
        const setPref = (k: string, x: Json) => set('preferences', { ...v.preferences, [k]: x });
        return (
          <>
            <fieldset className="grid-form">
              <legend>{t('v360.identity')}</legend>
              <Text {...P} name="first_name" label={t('field.first_name')} autoFocus={!id} />
              <Text {...P} name="last_name" label={t('field.last_name')} required />
              <Text {...P} name="job_title" label={t('field.job_title')} />
              <Field label={t('field.emails')} name="emails" errors={errors} hint={t('form.multiHint')}>
                {(p) => <textarea {...p} rows={2} value={v.emails_text} onChange={(e) => set('emails_text', e.target.value)} />}
              </Field>
              <Field label={t('field.phones')} name="phones" errors={errors} hint={t('form.multiHint') + ' — 06 12 34 56 78, +32 …'}>
                {(p) => <textarea {...p} rows={2} value={v.phones_text} onChange={(e) => set('phones_text', e.target.value)} />}
              </Field>
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('v360.company')}</legend>
              <Field label={t('field.account_id')} name="account_id" errors={errors}>
                {(p) => <RecordPicker entity="accounts" value={v.account_id ?? null} onChange={(x) => set('account_id', x)}
                  label={t('form.accountSearch')} fieldProps={p} />}
              </Field>
              <Field label={t('field.buying_role')} name="buying_role" errors={errors}>
                {(p) => <Select {...p} value={v.buying_role} onChange={(x) => set('buying_role', x)}
                  options={['prescriber', 'decision_maker', 'buyer', 'user']} prefix="buying" />}
              </Field>
              <Field label={t('field.household_id')} name="household_id" errors={errors}>
                {(p) => <RecordPicker entity="households" value={v.household_id ?? null} onChange={(x) => set('household_id', x)}
                  label={t('form.householdSearch')} fieldProps={p} />}
              </Field>
              <OwnerField {...P} />
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('field.street')}</legend>
              <Text {...P} name="street" label={t('field.street')} wide />
              <Text {...P} name="postcode" label={t('field.postcode')} />
              <Text {...P} name="city" label={t('field.city')} />
              <Text {...P} name="country" label={t('field.country')} />
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('v360.stage')}</legend>
              <Field label={t('field.lifecycle_stage')} name="lifecycle_stage" errors={errors}>
                {(p) => <Select {...p} value={v.lifecycle_stage} onChange={(x) => set('lifecycle_stage', x)} options={STAGES} prefix="stage" empty={false} />}
              </Field>
              <Text {...P} name="stage_reason" label={t('field.stage_reason')} />
              <Field label={t('field.source_type')} name="source_type" errors={errors}>
                {(p) => <Select {...p} value={v.source_type} onChange={(x) => set('source_type', x)}
                  options={['referral', 'campaign', 'medium', 'other']} prefix="source" />}
              </Field>
              <Text {...P} name="source_campaign" label={t('field.source_campaign')} />
              <Text {...P} name="source_medium" label={t('field.source_medium')} />
              {v.source_type === 'referral' && (
                <Field label={t('field.contact_id')} name="source_contact_id" errors={errors}>
                  {(p) => <input {...p} type="number" min={1} value={v.source_contact_id ?? ''}
                    onChange={(e) => set('source_contact_id', e.target.value ? Number(e.target.value) : null)} />}
                </Field>
              )}
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('field.consent')}</legend>
              {CONSENT_CHANNELS.map((ch) => (
                <Field key={ch} label={t(('consent.' + ch) as Key)} name={'consent.' + ch} errors={errors}>
                  {(p) => (
                    <select {...p} value={v.consent?.[ch]?.status || ''} onChange={(e) => setConsent(ch, e.target.value)}>
                      <option value="">{t('consent.unknown')}</option>
                      <option value="granted">{t('consent.granted')}</option>
                      <option value="denied">{t('consent.denied')}</option>
                    </select>
                  )}
                </Field>
              ))}
            </fieldset>
            <fieldset className="grid-form">
              <legend>{t('field.preferences')}</legend>
              <Field label={t('pref.channel')} name="preferences.channel" errors={errors}>
                {(p) => <Select {...p} value={v.preferences?.channel} onChange={(x) => setPref('channel', x)}
                  options={['email', 'phone', 'sms', 'letter', 'meeting']} prefix="channel" />}
              </Field>
              <Field label={t('pref.frequency')} name="preferences.frequency" errors={errors}>
                {(p) => <Select {...p} value={v.preferences?.frequency} onChange={(x) => setPref('frequency', x)}
                  options={['high', 'spaced']} prefix="pref.frequency" />}
              </Field>
              <Field label={t('pref.frequency_cap_per_month')} name="preferences.frequency_cap_per_month" errors={errors}>
                {(p) => <input {...p} type="number" min={0} value={v.preferences?.frequency_cap_per_month ?? ''}
                  onChange={(e) => setPref('frequency_cap_per_month', e.target.value === '' ? null : Number(e.target.value))} />}
              </Field>
              <Field label={t('pref.initiative')} name="preferences.initiative" errors={errors}>
                {(p) => <Select {...p} value={v.preferences?.initiative} onChange={(x) => setPref('initiative', x)}
                  options={['waits', 'initiates']} prefix="pref.initiative" />}
              </Field>
              <Field label={t('pref.autonomy')} name="preferences.autonomy" errors={errors}>
                {(p) => <Select {...p} value={v.preferences?.autonomy} onChange={(x) => setPref('autonomy', x)}
                  options={['autonomous', 'accompanied']} prefix="pref.autonomy" />}
              </Field>
            </fieldset>
          </>
        );
      }}
    </FormShell>
  );
}
