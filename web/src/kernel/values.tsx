// A stored value as a person reads it, by the field's kind in the catalogue: labels for enums,
// names (with links) for references, French numbers, money and dates. Never an id or raw JSON.
import { useEffect, useState, type ReactNode } from 'react';
import type { Json, User } from '../api';
import { fmtDate, fmtDateTime, fmtMoney, fmtNumber, fmtPhone, fmtUnit } from '../format';
import { getLang, t } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { TagChips } from '../ui';
import type { Cell } from '../xlsx';
import { badgeClass } from './registry';
import { knownName, recordName } from './refs';
import { enumLabel, fieldDef, type FieldDef } from './schema';

// "FR" → "France" in the interface's language.
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([getLang() === 'fr' ? 'fr-FR' : 'en-GB'], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export function userLabel(id: number | null | undefined, users: User[]): string {
  if (id === null || id === undefined) return '—';
  return users.find((u) => u.id === id)?.name ?? t('user.other');
}

function teamLabel(id: number, users: (User & { team?: string })[]): string {
  return users.find((u) => u.team_id === id && u.team)?.team ?? t('team.other');
}

// The name of a referenced record: undefined while it is being fetched, null when the reader may
// not see it. A name a list answer carried is there at once.
export function useRecordName(entity: string, id: number | null | undefined): string | null | undefined {
  const [name, setName] = useState<string | null | undefined>(() => (id ? knownName(entity, id) : undefined));
  useEffect(() => {
    let alive = true;
    if (!id) {
      setName(undefined);
      return;
    }
    const k = knownName(entity, id);
    setName(k);
    if (k === undefined) recordName(entity, id).then((n) => alive && setName(n));
    return () => {
      alive = false;
    };
  }, [entity, id]);
  return name;
}

// A link to a referenced record, named; "not accessible" when the reader may not open it.
export function RefLink({ entity, id }: { entity: string; id: number | null | undefined }) {
  const name = useRecordName(entity, id);
  if (!id) return <span className="muted">—</span>;
  if (name === undefined) return <span className="muted">…</span>;
  if (name === null) return <span className="restricted" data-restricted={entity}>{t('access.restricted')}</span>;
  return <Link to={`/${entity}/${id}`}>{name}</Link>;
}

const empty = (v: Json) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

// A value without a field description: words, French numbers, yes/no; never JSON.
function scalar(v: Json): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (typeof v === 'number') return fmtNumber(v);
  if (Array.isArray(v)) return v.map(scalar).join(', ');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k.replaceAll('_', ' ')} : ${scalar(x)}`).join(' · ');
  return String(v);
}

// The label of a known value: the same value, or a value of the form "entered by {name}" (the
// catalogue's pattern of a value that holds a name) with the name put into its label.
function knownLabel(values: { value: string; label: string }[], v: string): string | undefined {
  const same = values.find((x) => x.value === v);
  if (same) return same.label;
  for (const x of values) {
    if (!x.value.includes('{')) continue;
    const names: string[] = [];
    const source = x.value.split(/\{(\w+)\}/).map((part, i) => {
      if (i % 2) { names.push(part); return '(.+)'; }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('');
    const m = new RegExp('^' + source + '$').exec(v);
    if (m) return x.label.replace(/\{(\w+)\}/g, (all, k: string) => (names.includes(k) ? m[names.indexOf(k) + 1] : all));
  }
  return undefined;
}

// One value of a field as text, by its kind (a list of them joined): the label of an enum or of
// a known value (knownLabel), "4 ans" for a number with a unit, French numbers, dates, phones.
export function textOf(f: FieldDef | undefined, v: Json, currency = 'EUR'): string {
  if (v === null || v === undefined || v === '') return '—';
  if (!f) return scalar(v);
  if (Array.isArray(v) && f.kind !== 'email_list' && f.kind !== 'phone_list' && f.kind !== 'tag_list')
    return v.map((x) => textOf(f, x, currency)).join(', ');
  if (f.values?.length && typeof v === 'string') return knownLabel(f.values, v) ?? v;
  switch (f.kind) {
    case 'integer':
      return typeof v === 'number' ? fmtUnit(v, f.unit) : String(v);
    case 'boolean':
      return v ? t('yes') : t('no');
    case 'money':
      return typeof v === 'number' ? fmtMoney(v, currency) : String(v);
    case 'date':
      return fmtDate(v);
    case 'datetime':
      return fmtDateTime(v);
    case 'phone':
      return fmtPhone(v);
    case 'phone_list':
      return (v as string[]).map(fmtPhone).join(', ');
    case 'email_list':
    case 'tag_list':
      return Array.isArray(v) ? v.join(', ') : String(v);
    case 'country':
      return countryName(String(v));
    case 'object':
      return objectEntries(f, v).map(([label, x, m]) => `${label} : ${textOf(m, x, currency)}`).join(' · ');
    default:
      return scalar(v);
  }
}

// The keys of an object value with their labels (from the field's members; an unknown key as
// words) in the members' order, unknown keys last.
function objectEntries(f: FieldDef, v: Json): [string, Json, FieldDef | undefined][] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  const members = f.members ?? [];
  const keys = Object.keys(v).sort((a, b) => {
    const ia = members.findIndex((m) => m.name === a), ib = members.findIndex((m) => m.name === b);
    return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
  });
  return keys
    .filter((k) => v[k] !== null && v[k] !== undefined && v[k] !== '')
    .map((k) => {
      const m = members.find((x) => x.name === k);
      return [m?.label ?? k.replaceAll('_', ' '), v[k], m];
    });
}

export function ValueOf({ f, value, record }: { f: FieldDef | undefined; value: Json; record?: Json }) {
  const { users } = useSession();
  if (empty(value)) return <span className="muted">—</span>;
  if (!f) return <>{scalar(value)}</>;
  switch (f.kind) {
    case 'integer':
      return <>{textOf(f, value)}</>;
    case 'boolean':
      return <>{value ? t('yes') : t('no')}</>;
    case 'money':
      return <>{fmtMoney(value, record?.currency || 'EUR')}</>;
    case 'date':
      return <>{fmtDate(value)}</>;
    case 'datetime':
      return <time dateTime={value}>{fmtDateTime(value)}</time>;
    case 'enum': {
      const label = textOf(f, value);
      const cls = badgeClass(f.name, String(value));
      return cls ? <span className={cls}>{label}</span> : <>{label}</>;
    }
    case 'reference':
      if (f.references === 'users') return <>{userLabel(value, users)}</>;
      if (f.references === 'teams') return <>{teamLabel(value, users)}</>;
      return <RefLink entity={f.references!} id={value} />;
    case 'email_list':
      return <>{(value as string[]).map((e) => <div key={e}><a href={'mailto:' + e}>{e}</a></div>)}</>;
    case 'phone_list':
      return <>{(value as string[]).map((p) => <div key={p}><a href={'tel:' + p}>{fmtPhone(p)}</a></div>)}</>;
    case 'phone':
      return <a href={'tel:' + value}>{fmtPhone(value)}</a>;
    case 'url':
      return <a href={value} rel="noreferrer noopener" target="_blank">{value}</a>;
    case 'tag_list':
      return <TagChips tags={value} />;
    case 'long_text':
      return <span className="pre">{value}</span>;
    case 'country':
      return <>{countryName(String(value))}</>;
    case 'object':
      if (typeof value !== 'object') return <>{String(value)}</>;
      return (
        <dl className="dl inline-dl">
          {objectEntries(f, value).map(([label, x, m]) => (
            <div key={label}><dt>{label}</dt><dd>{m?.kind === 'object' ? <ValueOf f={m} value={x} /> : textOf(m, x, record?.currency)}</dd></div>
          ))}
        </dl>
      );
    default:
      return <>{textOf(f, value)}</>;
  }
}

export function FieldValue({ entity, field, record }: { entity: string; field: string; record: Json }) {
  return <ValueOf f={fieldDef(entity, field)} value={record?.[field]} record={record} />;
}

// The value for a spreadsheet cell: numbers stay numbers (money in euros), labels for the rest.
export function cellOf(f: FieldDef, r: Json, users: User[], names: Record<string, string>): Cell {
  const v = r[f.name];
  if (empty(v)) return null;
  switch (f.kind) {
    case 'integer':
      return typeof v === 'number' ? v : String(v);
    case 'money':
      return v / 100;
    case 'boolean':
      return v ? t('yes') : t('no');
    case 'enum':
      return textOf(f, v);
    case 'reference':
      if (f.references === 'users') return userLabel(v, users);
      if (f.references === 'teams') return teamLabel(v, users);
      return names[f.references + '/' + v] ?? null;
    case 'email_list':
    case 'tag_list':
      return (v as string[]).join(', ');
    default:
      return textOf(f, v);
  }
}

export { enumLabel };

// A definition list of label → value.
export function Dl({ items }: { items: [string, ReactNode, string?][] }) {
  return (
    <dl className="dl">
      {items.map(([k, v, field], i) => (
        <div key={k + i} data-field={field}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? <span className="muted">—</span> : v}</dd>
        </div>
      ))}
    </dl>
  );
}
