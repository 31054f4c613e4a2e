// The catalogue served by the server (GET /api/v1/schema): entities, their fields with kinds and
// labels in the user's language, enum values with labels, what the current user may do. Loaded
// once per session and language (App waits for it before showing a page), then read
// synchronously by every page through useSchema() / entityDef() / fieldLabel() / enumLabel().
import { useSyncExternalStore } from 'react';
import { api, type Json } from '../api';
import { getLang, type Lang } from '../i18n';

export type FieldKind =
  | 'text' | 'long_text' | 'integer' | 'boolean' | 'money' | 'date' | 'datetime' | 'enum' | 'reference'
  | 'email_list' | 'phone_list' | 'tag_list' | 'phone' | 'url' | 'currency' | 'country' | 'object';

export interface EnumValue {
  value: string;
  label: string;
}

export interface FieldDef {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  max_length?: number | null;
  filterable?: boolean;
  sortable?: boolean;
  server_set?: boolean;
  default?: Json;
  description?: string;
  // enum: its values; text: values it often holds (open_values on the server), with labels
  values?: EnumValue[];
  references?: string;
  // object: what its keys hold, described like fields (labels, kinds, values)
  members?: FieldDef[];
  // integer: a CLDR unit for display ("year")
  unit?: string;
  // an object's member holding a list of such values (children's ages)
  list?: boolean;
}

export interface ChildDef {
  name: string;
  label: string;
  fields: FieldDef[];
}

export interface EntityDef {
  name: string;
  singular: string;
  module: string;
  label: string;
  label_singular: string;
  access: 'owned' | 'via_customer' | 'catalogue';
  default_sort: string;
  title_fields: string[];
  list_columns: string[];
  menu: { order: number } | null;
  traits: Partial<Record<'searchable' | 'importable' | 'exportable' | 'mergeable' | 'stage_history' | 'audited', boolean>>;
  can: { read: boolean; create: boolean; update: boolean; delete: 'any' | 'own' | false };
  fields: FieldDef[];
  children: ChildDef[];
}

export interface Schema {
  language: Lang;
  roles: { name: string; label: string }[];
  modules: { name: string; label: string; depends: string[] }[];
  entities: EntityDef[];
}

interface State {
  schema: Schema | null;
  error: Error | null;
  key: string; // language + user the schema was loaded for
}

let state: State = { schema: null, error: null, key: '' };
let pending: Promise<void> | null = null;
const listeners = new Set<() => void>();
const set = (s: Partial<State>) => {
  state = { ...state, ...s };
  listeners.forEach((fn) => fn());
};

// Missing members get their neutral value, so that pages need not guard every one.
function normalize(s: Schema): Schema {
  return {
    ...s,
    roles: s.roles ?? [],
    modules: s.modules ?? [],
    entities: (s.entities ?? []).map((e) => ({
      ...e,
      label_singular: e.label_singular ?? e.label,
      title_fields: e.title_fields ?? [],
      list_columns: e.list_columns?.length ? e.list_columns : (e.fields ?? []).filter((f) => !f.server_set).slice(0, 6).map((f) => f.name),
      menu: e.menu ?? null,
      traits: e.traits ?? {},
      can: {
        read: e.can?.read ?? true,
        create: !!e.can?.create,
        update: !!e.can?.update,
        delete: e.can?.delete === (true as unknown) ? 'any' : (e.can?.delete ?? false),
      },
      fields: e.fields ?? [],
      children: e.children ?? [],
    })),
  };
}

async function fetchSchema(lang: Lang): Promise<Schema> {
  return normalize(await api<Schema>('/schema?lang=' + lang));
}

// Loads the catalogue for the language and user unless it is already there (or on its way).
export function loadSchema(userId: number, force = false): Promise<void> {
  const lang = getLang();
  const key = lang + '/' + userId;
  if (!force && state.key === key && (state.schema || pending)) return pending || Promise.resolve();
  set({ key, error: null, schema: state.key === key ? state.schema : null });
  const p = fetchSchema(lang)
    .then((schema) => {
      if (state.key === key) set({ schema });
    })
    .catch((e) => {
      if (state.key === key) set({ error: e as Error });
    })
    .finally(() => {
      if (pending === p) pending = null;
    });
  pending = p;
  return p;
}

export function forgetSchema() {
  set({ schema: null, error: null, key: '' });
}

export function useSchemaState(): State {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => state,
  );
}

const EMPTY: Schema = { language: 'fr', roles: [], modules: [], entities: [] };

// The catalogue (App shows pages only once it is loaded).
export function useSchema(): Schema {
  return useSchemaState().schema || EMPTY;
}

export function getSchema(): Schema {
  return state.schema || EMPTY;
}

export function entityDef(name: string): EntityDef | undefined {
  return getSchema().entities.find((e) => e.name === name);
}

export function fieldDef(entity: string, field: string): FieldDef | undefined {
  const e = entityDef(entity);
  if (!e) return undefined;
  const [head, ...rest] = field.replace(/\[\d+\]/g, '').split('.');
  const child = rest.length ? e.children.find((c) => c.name === head) : undefined;
  const own = child ? rest.shift() : head;
  let f = (child ? child.fields : e.fields).find((x) => x.name === own);
  // consent.email.origin: a member of an object field
  for (const name of rest) f = f?.members?.find((m) => m.name === name);
  return f;
}

// The label of a field; a field the catalogue does not know is shown as words, not as a code.
export function fieldLabel(entity: string, field: string): string {
  return fieldDef(entity, field)?.label ?? field.replace(/_id$/, '').replaceAll('_', ' ');
}

// The label of an enum value of entity.field; an unknown value is shown as it is.
export function enumLabel(entity: string, field: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return fieldDef(entity, field)?.values?.find((v) => v.value === value)?.label ?? value;
}

export function enumValues(entity: string, field: string): EnumValue[] {
  return fieldDef(entity, field)?.values ?? [];
}

export function roleLabel(role: string): string {
  return getSchema().roles.find((r) => r.name === role)?.label ?? role;
}

export function entityLabel(entity: string, singular = false): string {
  const e = entityDef(entity);
  if (!e) return entity;
  return singular ? e.label_singular : e.label;
}

// The record's display name: its title fields joined by a space ("Amélie Martin"); a record
// without a title (an order) is "<Commande> n° 12".
export function displayName(entity: string, r: Json): string {
  if (!r) return '';
  const e = entityDef(entity);
  const title = (e?.title_fields ?? ['name'])
    .filter((f) => f !== 'id')
    .map((f) => r[f])
    .filter((v) => v !== null && v !== undefined && v !== '')
    .join(' ');
  if (title) return title;
  return `${e?.label_singular ?? ''} n° ${r.id}`.trim();
}

// May the current user delete this record (can.delete is "any", "own" or false)?
export function canDeleteRecord(e: EntityDef, r: Json, userId: number | undefined): boolean {
  if (e.can.delete === 'any') return true;
  if (e.can.delete === 'own') return r.owner_id === userId || r.created_by === userId;
  return false;
}

export function userRefField(f: FieldDef): boolean {
  return f.kind === 'reference' && f.references === 'users';
}
