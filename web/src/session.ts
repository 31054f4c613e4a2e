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

// Users a record may be assigned to by the current user: everyone for admins, themselves and
// their team's members for the others (the server checks again).
export function assignableUsers(s: SessionState): User[] {
  if (!s.user) return [];
  if (s.user.role === 'admin') return s.users;
  const me = s.user;
  return s.users.filter((u) => u.id === me.id || (me.team_id !== null && u.team_id === me.team_id));
}
