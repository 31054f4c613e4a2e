// Thin client for the Gazelle JSON API (/api/v1). The session cookie is HttpOnly and sent by the
// browser; the CSRF token given at login is kept in localStorage and sent with every write.
// A 401 on any call but login tells the app that the session has ended (see onSessionExpired).

import { getLang } from './i18n';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface User {
  id: number;
  email: string;
  name: string;
  role: string;
  team_id: number | null;
  // The user's chosen language; null = the browser's (GET /api/v1/me).
  language?: 'fr' | 'en' | null;
}

export interface FieldError {
  field: string;
  message: string;
  label?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  status: number;
  problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.status = problem.status;
    this.problem = problem;
  }
}

export interface ListPage<T = Json> {
  data: T[];
  next_cursor: string | null;
  total?: number;
  // record lists: the names of the records the rows refer to, {"accounts": {"3": "…"}}
  names?: Record<string, Record<string, string>>;
}

const CSRF_KEY = 'gazelle.csrf';

// Every list answer that carries the names of the records it refers to is handed to this hook
// (kernel/refs.ts fills its name cache from it), whichever page asked for the list.
let listHook: ((path: string, page: ListPage) => void) | null = null;
export function onListAnswer(fn: (path: string, page: ListPage) => void) {
  listHook = fn;
}
let expiredHandler: (() => void) | null = null;

export function onSessionExpired(fn: () => void) {
  expiredHandler = fn;
}

export function hasCsrf() {
  return !!localStorage.getItem(CSRF_KEY);
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = await res.json();
    if (body && typeof body === 'object') return { status: res.status, ...body };
  } catch {
    /* not JSON */
  }
  return { status: res.status, title: res.statusText };
}

export interface RequestOptions {
  method?: string;
  body?: Json;
  ifMatch?: string | number;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

export async function requestFull<T = Json>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = opts.method || 'GET';
  // The interface's language, so that the server answers (labels, messages) in it.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang() };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = localStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  if (opts.ifMatch !== undefined) headers['If-Match'] = `"${opts.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError({ status: 0, title: 'Network error', detail: (e as Error).message });
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && path !== '/auth/login' && expiredHandler) expiredHandler();
    throw new ApiError(problem);
  }
  const etag = res.headers.get('ETag');
  if (res.status === 204) return { data: undefined as T, etag };
  const data = await res.json();
  if (listHook && data && Array.isArray(data.data) && data.names && typeof data.names === 'object') listHook(path, data);
  return { data: data as T, etag };
}

export async function api<T = Json>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await requestFull<T>(path, opts)).data;
}

export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
  }
  return parts.length ? '?' + parts.join('&') : '';
}

export async function login(email: string, password: string): Promise<User> {
  const r = await api<{ user: User; csrf_token: string }>('/auth/login', { method: 'POST', body: { email, password } });
  localStorage.setItem(CSRF_KEY, r.csrf_token);
  return r.user;
}

export async function logout() {
  try {
    await api('/auth/logout', { method: 'POST' });
  } finally {
    localStorage.removeItem(CSRF_KEY);
  }
}

export function forgetSession() {
  localStorage.removeItem(CSRF_KEY);
}

// Every page of a list, up to `max` rows (client-side exports of the current view).
export async function listAll(path: string, params: Record<string, string>, max = 10000): Promise<Json[]> {
  const rows: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: ListPage = await api<ListPage>(path + qs({ ...params, limit: 500, cursor }));
    rows.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && rows.length < max);
  return rows.slice(0, max);
}
