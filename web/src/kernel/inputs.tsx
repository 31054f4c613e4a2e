// One input per field kind, for the generic record form. The form keeps what the user typed
// (text for lists, money in euros with a French comma, key/value rows for objects) and converts
// it to the API's value on save (toApi), reporting unreadable input in the user's language.
import { useEffect, useId, useState } from 'react';
import { api, qs, type Json, type ListPage } from '../api';
import { fmtPhone } from '../format';
import { getLang, t } from '../i18n';
import { assignableUsers, useSession } from '../session';
import { useDebounced } from '../ui';
import { recordName, rememberName } from './refs';
import { displayName, entityDef, type FieldDef } from './schema';

type Props = { autoFocus?: boolean; id: string; 'aria-invalid': boolean; 'aria-describedby'?: string; 'aria-required'?: boolean; name: string };

const pad = (n: number) => String(n).padStart(2, '0');

// API value → what the input holds.
export function fromApi(f: FieldDef, v: Json): Json {
  if (v === null || v === undefined) {
    if (f.kind === 'object') return [];
    if (f.kind === 'boolean') return false;
    return '';
  }
  switch (f.kind) {
    case 'email_list':
      return (v as string[]).join('\n');
    case 'phone_list':  // as written in France (the server reads national numbers as French)
      return (v as string[]).map(fmtPhone).join('\n');
    case 'phone':
      return fmtPhone(v);
    case 'tag_list':
      return (v as string[]).join(', ');
    case 'money':
      return new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB', { minimumFractionDigits: 2, useGrouping: false }).format(v / 100);
    case 'datetime': {
      const d = new Date(v);
      if (isNaN(d.getTime())) return '';
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }
    case 'object':
      return typeof v === 'object' ? Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]) : [];
    case 'integer':
    case 'reference':
      return String(v);
    default:
      return v;
  }
}

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

// Input → API value; throws a message (in the user's language) when the input cannot be read.
export function toApi(f: FieldDef, v: Json): Json {
  if (f.kind === 'boolean') return !!v;
  if (f.kind === 'object') {
    const rows = (v as [string, string][]).filter(([k]) => k.trim());
    if (!rows.length) return null;
    const o: Json = {};
    for (const [k, x] of rows) {
      let val: Json = x;
      if (/^-?\d+(\.\d+)?$/.test(x.trim())) val = Number(x);
      else if (x === 'true' || x === 'false') val = x === 'true';
      else if (/^[[{]/.test(x.trim())) {
        try {
          val = JSON.parse(x);
        } catch {
          /* kept as text */
        }
      }
      o[k.trim()] = val;
    }
    return o;
  }
  const s = typeof v === 'string' ? v.trim() : v;
  if (s === '' || s === null || s === undefined) {
    if (f.kind === 'email_list' || f.kind === 'phone_list' || f.kind === 'tag_list') return [];
    return null;
  }
  switch (f.kind) {
    case 'email_list':
    case 'phone_list':
      return lines(s);
    case 'tag_list':
      return s.split(',').map((x: string) => x.trim()).filter(Boolean);
    case 'integer': {
      const n = Number(String(s).replace(/[\s\u202f\u00a0]/g, ''));
      if (!Number.isInteger(n)) throw new Error(t('form.badInteger'));
      return n;
    }
    case 'reference':
      return Number(s);
    case 'money': {
      const norm = String(s).replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.');
      if (!/^-?\d+(\.\d{1,2})?$/.test(norm)) throw new Error(t('form.badMoney'));
      return Math.round(Number(norm) * 100);
    }
    case 'datetime': {
      const d = new Date(s);
      if (isNaN(d.getTime())) throw new Error(t('form.badDate'));
      return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'currency':
    case 'country':
      return String(s).toUpperCase();
    default:
      return s;
  }
}

// Picks a record of `entity`: by searching it when the entity is searchable, else in a select.
export function RecordPicker({ entity, value, onChange, fieldProps }: {
  entity: string; value: number | null; onChange: (id: number | null) => void; fieldProps: Props;
}) {
  const e = entityDef(entity);
  if (e?.traits.searchable) return <SearchPicker entity={entity} value={value} onChange={onChange} fieldProps={fieldProps} />;
  return <SelectPicker entity={entity} value={value} onChange={onChange} fieldProps={fieldProps} />;
}

// The choices of a select picker, fetched once per page view of the form (shared by its lines).
const choices = new Map<string, { at: number; rows: Promise<Json[]> }>();
function choicesOf(entity: string): Promise<Json[]> {
  const c = choices.get(entity);
  if (c && Date.now() - c.at < 60000) return c.rows;
  const rows = api<ListPage>(`/${entity}` + qs({ limit: 500 })).then((r) => r.data).catch(() => []);
  choices.set(entity, { at: Date.now(), rows });
  return rows;
}

function SelectPicker({ entity, value, onChange, fieldProps }: {
  entity: string; value: number | null; onChange: (id: number | null) => void; fieldProps: Props;
}) {
  const [rows, setRows] = useState<Json[]>([]);
  useEffect(() => {
    let alive = true;
    choicesOf(entity).then((r) => alive && setRows(r));
    return () => {
      alive = false;
    };
  }, [entity]);
  return (
    <select {...fieldProps} value={value ?? ''} onChange={(ev) => onChange(ev.target.value ? Number(ev.target.value) : null)}>
      <option value="">—</option>
      {value && !rows.some((r) => r.id === value) && <option value={value}>…</option>}
      {rows.map((r) => (
        <option key={r.id} value={r.id}>
          {displayName(entity, r)}
        </option>
      ))}
    </select>
  );
}

function SearchPicker({ entity, value, onChange, fieldProps }: {
  entity: string; value: number | null; onChange: (id: number | null) => void; fieldProps: Props;
}) {
  const [name, setName] = useState('');
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Json[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const dq = useDebounced(q.trim(), 200);
  const listId = useId();
  const e = entityDef(entity);
  useEffect(() => {
    if (value) recordName(entity, value).then((n) => setName(n || '…'));
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
        <button type="button" className="btn small" onClick={() => pick(null)} aria-label={`${t('remove')} : ${name}`}>
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
        placeholder={t('form.searchIn', { entity: (e?.label_singular || '').toLowerCase() })}
        autoComplete="off"
        value={q}
        onChange={(ev) => setQ(ev.target.value)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(ev) => {
          if (ev.key === 'ArrowDown') {
            ev.preventDefault();
            setActive((a) => Math.min(hits.length - 1, a + 1));
          } else if (ev.key === 'ArrowUp') {
            ev.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (ev.key === 'Enter' && open && hits[active]) {
            ev.preventDefault();
            pick(hits[active]);
          } else if (ev.key === 'Escape') setOpen(false);
        }}
      />
      {open && hits.length > 0 && (
        <ul className="search-results" role="listbox" id={listId}>
          {hits.map((h, i) => (
            <li key={h.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(ev) => {
                ev.preventDefault();
                pick(h);
              }}>
              <span className="hit-title">{displayName(entity, h)}</span>
              <span className="hit-sub">{h.city || ''}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function UserSelect({ value, onChange, fieldProps }: { value: string; onChange: (v: string) => void; fieldProps: Props }) {
  const session = useSession();
  const opts = assignableUsers(session);
  return (
    <select {...fieldProps} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
      <option value="">—</option>
      {value && !opts.some((u) => String(u.id) === String(value)) && (
        <option value={value}>{session.users.find((u) => String(u.id) === String(value))?.name ?? t('user.other')}</option>
      )}
      {opts.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}
        </option>
      ))}
    </select>
  );
}

function ObjectEditor({ value, onChange, fieldProps }: { value: [string, string][]; onChange: (v: [string, string][]) => void; fieldProps: Props }) {
  const rows = value.length ? value : [];
  const setRow = (i: number, k: string, v: string) => onChange(rows.map((r, j) => (j === i ? [k, v] : r)));
  return (
    <div className="kv-editor" role="group" aria-labelledby={fieldProps.id + '-label'}>
      {rows.map(([k, v], i) => (
        <div className="kv-row" key={i}>
          <input aria-label={t('form.kvKey')} value={k} onChange={(e) => setRow(i, e.target.value, v)} id={i === 0 ? fieldProps.id : undefined} />
          <input aria-label={t('form.kvValue')} value={v} onChange={(e) => setRow(i, k, e.target.value)} />
          <button type="button" className="btn small" aria-label={`${t('remove')} ${k}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="btn small" id={rows.length ? undefined : fieldProps.id} onClick={() => onChange([...rows, ['', '']])}>
        + {t('form.kvAdd')}
      </button>
    </div>
  );
}

export function FieldInput({ f, value, set, p }: { f: FieldDef; value: Json; set: (v: Json) => void; p: Props }) {
  const max = f.max_length ?? undefined;
  switch (f.kind) {
    case 'long_text':
      return <textarea {...p} rows={4} maxLength={max} value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'email_list':
    case 'phone_list':
      return <textarea {...p} rows={2} value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'boolean':
      return <input {...p} type="checkbox" className="check-input" checked={!!value} onChange={(e) => set(e.target.checked)} />;
    case 'integer':
      return <input {...p} type="text" inputMode="numeric" value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'money':
      return (
        <span className="money-input">
          <input {...p} type="text" inputMode="decimal" value={value ?? ''} onChange={(e) => set(e.target.value)} />
          <span aria-hidden="true">€</span>
        </span>
      );
    case 'date':
      return <input {...p} type="date" value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'datetime':
      return <input {...p} type="datetime-local" value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'enum':
      return (
        <select {...p} value={value ?? ''} onChange={(e) => set(e.target.value)}>
          {!(f.required && f.default) && <option value="">—</option>}
          {(f.values || []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'reference':
      if (f.references === 'users') return <UserSelect value={value} onChange={set} fieldProps={p} />;
      return <RecordPicker entity={f.references!} value={value ? Number(value) : null} onChange={(id) => set(id ? String(id) : '')} fieldProps={p} />;
    case 'object':
      return <ObjectEditor value={value || []} onChange={set} fieldProps={p} />;
    case 'phone':
      return <input {...p} type="tel" maxLength={max} value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'url':
      return <input {...p} type="url" maxLength={max} value={value ?? ''} onChange={(e) => set(e.target.value)} />;
    case 'currency':
      return <input {...p} maxLength={3} className="short" value={value ?? ''} onChange={(e) => set(e.target.value.toUpperCase())} />;
    case 'country':
      return <input {...p} maxLength={2} className="short" value={value ?? ''} onChange={(e) => set(e.target.value.toUpperCase())} />;
    default:
      return <input {...p} type="text" maxLength={max} value={value ?? ''} onChange={(e) => set(e.target.value)} />;
  }
}

// Hints under an input, by kind.
export function hintOf(f: FieldDef): string | undefined {
  switch (f.kind) {
    case 'email_list':
      return t('form.multiHint');
    case 'phone_list':
      return t('form.multiHint') + ' — 06 12 34 56 78, +32 …';
    case 'tag_list':
      return t('form.tagsHint');
    case 'money':
      return t('form.moneyHint');
    case 'country':
      return t('form.countryHint');
    default:
      return undefined;
  }
}
