// What modules add to the catalogue-driven pages. The kernel knows no entity by name: a module
// (web/src/modules/<name>/index.ts, listed in modules/index.ts) declares its page overrides,
// list/form/record extensions, extra routes and navigation entries here.
import type { ReactNode } from 'react';
import type { FieldError, Json, User } from '../api';
import type { Key } from '../i18n';
import type { Cell } from '../xlsx';

export interface ListColumnOverride {
  render?: (r: Json) => ReactNode;
  value?: (r: Json) => Cell;
}

export interface ListExtension {
  defaultFilters?: Record<string, string>;
  // Filters of the page's own (a checkbox that sets param=value), e.g. "overdue only".
  flags?: { key: string; label: Key; value?: string }[];
  columns?: Record<string, ListColumnOverride>;
  // The user field that bulk assignment sets (default owner_id).
  ownerField?: string;
  // Buttons at the end of each row (e.g. "mark done"); reload() refreshes the list.
  rowActions?: (r: Json, ctx: { reload: () => void; flash: (msg: string, kind?: 'ok' | 'error') => void; user: User | null }) => ReactNode;
  // Extra bulk actions over the selected ids.
  bulkActions?: (ids: number[]) => ReactNode;
}

export interface FormExtensionProps {
  values: Record<string, Json>;
  set: (k: string, v: Json) => void;
  errors: FieldError[];
  original: Json | null;
}

export interface FormExtension {
  // Fields the generic inputs leave to the extension (it renders them itself).
  fields?: string[];
  render?: (p: FormExtensionProps) => ReactNode;
  // Adjusts the body before it is sent (e.g. keeps the consent dates of unchanged channels).
  toBody?: (body: Json, values: Record<string, Json>, original: Json | null) => Json;
}

export interface RecordExtensionProps {
  record: Json;
  reload: () => void;
}

export interface EntityPages {
  // Replaces the generic record page (contacts/accounts: 360°, orders: the order page).
  record?: (p: { id: number }) => ReactNode;
  list?: ListExtension;
  form?: FormExtension;
  // A section of the entity's own on the generic record page (a household's members).
  recordExtra?: (p: RecordExtensionProps) => ReactNode;
  // How the generic record page shows some of its fields (an opportunity's stage by its name);
  // null leaves the field out of the details (the module's section shows it in its own way).
  recordFields?: Record<string, ((r: Json) => ReactNode) | null>;
}

// A section of a customer's 360° page (contacts and accounts) brought by a module.
export interface V360Context {
  entity: string;
  record: Json; // the contact or the account
  view: Json; // the whole GET /{entity}/{id}/360 answer
  target: { contact_id?: number; account_id?: number };
  changed: () => void;
  refresh: number;
}
export interface V360Widget {
  key: string;
  order: number;
  column: 'main' | 'side';
  entities?: string[]; // default: both
  render: (c: V360Context) => ReactNode;
}

export interface RouteDef {
  path: string; // "/analytics/rfm", "/merge/:entity"; params are passed to render
  render: (params: Record<string, string>, search: URLSearchParams) => ReactNode;
  prefix?: boolean; // matches path and everything under it
}

export interface NavItem {
  path: string;
  label: Key;
  order: number;
  visible?: (u: User) => boolean;
}

export interface ModuleDef {
  name: string;
  entities?: Record<string, EntityPages>;
  routes?: RouteDef[];
  nav?: NavItem[];
  // Enum fields shown as coloured badges: field name → CSS class prefix ("stage" → .stage-prospect).
  badges?: Record<string, string>;
  // Sections this module adds to the customers' 360° pages.
  v360?: V360Widget[];
  // Bulk actions this module offers on any list (merge: "Merge…" where the entity is mergeable).
  bulkActions?: (entity: string, ids: number[]) => ReactNode;
  // Shown by the create form when the server answers 409 with probable duplicates.
  duplicateWarning?: (p: { entity: string; candidates: Json[]; busy: boolean; onCreateAnyway: () => void }) => ReactNode;
}

const modules: ModuleDef[] = [];

export function registerModules(list: ModuleDef[]) {
  modules.splice(0, modules.length, ...list);
}

export function allModules(): ModuleDef[] {
  return modules;
}

export function entityPages(entity: string): EntityPages {
  const out: EntityPages = {};
  for (const m of modules) Object.assign(out, m.entities?.[entity] || {});
  return out;
}

export function badgeClass(field: string, value: string): string | null {
  for (const m of modules) if (m.badges?.[field]) return 'badge ' + m.badges[field] + '-' + value;
  return null;
}

export function duplicateWarning(): ModuleDef['duplicateWarning'] {
  return modules.find((m) => m.duplicateWarning)?.duplicateWarning;
}

export function v360Widgets(entity: string, column: 'main' | 'side'): V360Widget[] {
  return modules
    .flatMap((m) => m.v360 || [])
    .filter((w) => w.column === column && (!w.entities || w.entities.includes(entity)))
    .sort((a, b) => a.order - b.order);
}
