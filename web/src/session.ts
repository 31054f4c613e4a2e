// The logged-in user and the users whose names we may show (admins and managers list them;
// other roles only know themselves).
import { useSyncExternalStore } from 'react';
import { api, type User } from './api';

interface SessionState {
  user: User | null;
  users: User[];
}

let state: SessionState = { user: null, users: [] };
const listeners = new Set<() => void>();

function set(s: Partial<SessionState>) {
  state = { ...state, ...s };
  listeners.forEach((fn) => fn());
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => state,
  );
}

export function currentUser(): User | null {
  return state.user;
}

export async function setUser(user: User | null) {
  set({ user, users: user ? [user] : [] });
  if (user && (user.role === 'admin' || user.role === 'manager')) {
    try {
      const r = await api<{ data: User[] }>('/users');
      set({ users: r.data });
    } catch {
      /* names stay as ids */
    }
  }
}

export function userName(id: number | null | undefined, users: User[]): string {
  if (id === null || id === undefined) return '—';
  const u = users.find((x) => x.id === id);
  return u ? u.name : '#' + id;
}

// Users a record may be assigned to by the current user: everyone for admins, the team for
// managers (the server checks again), only themselves for the other roles.
export function assignableUsers(s: SessionState): User[] {
  if (!s.user) return [];
  if (s.user.role === 'admin') return s.users;
  if (s.user.role === 'manager') return s.users.filter((u) => u.team_id === s.user!.team_id);
  return [s.user];
}

export function canWriteCustomers(u: User | null): boolean {
  return !!u && ['admin', 'manager', 'sales'].includes(u.role);
}
export function canWriteContacts(u: User | null): boolean {
  return !!u && ['admin', 'manager', 'sales', 'service'].includes(u.role);
}
export function canWriteActivity(u: User | null): boolean {
  return !!u && u.role !== 'read_only';
}
