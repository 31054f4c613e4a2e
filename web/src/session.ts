// The logged-in user and the users whose names we may show (admins and managers list everyone;
// the other roles their own team's active members).
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
  if (user) {
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

// Users a record may be assigned to by the current user: everyone for admins, themselves and
// their team's members for the others (the server checks again).
export function assignableUsers(s: SessionState): User[] {
  if (!s.user) return [];
  if (s.user.role === 'admin') return s.users;
  const me = s.user;
  return s.users.filter((u) => u.id === me.id || (me.team_id !== null && u.team_id === me.team_id));
}

export function canWriteCustomers(u: User | null): boolean {
  return !!u && ['admin', 'manager', 'sales'].includes(u.role);
}
export function canWriteContacts(u: User | null): boolean {
  return !!u && ['admin', 'manager', 'sales', 'service'].includes(u.role);
}
// Mirrors the server's rule (domain/access.cpp can_delete): admins and managers delete what they
// may write, the others only what they own or created.
export function canDelete(u: User | null, writable: boolean, record: { owner_id?: number | null; created_by?: number | null }): boolean {
  if (!u || !writable) return false;
  return u.role === 'admin' || u.role === 'manager' || record.owner_id === u.id || record.created_by === u.id;
}

export function canWriteActivity(u: User | null): boolean {
  return !!u && u.role !== 'read_only';
}
