// The logged-in user and the users whose names we may show (admins and managers list everyone;
// the other roles their own team's active members).
import { useSyncExternalStore } from 'react';
import { api, type User } from './api';
import { getLang, setLang } from './i18n';

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
  // The language the user chose on any device follows them.
  if (user?.language && user.language !== getLang()) setLang(user.language);
  if (user) {
    try {
      const r = await api<{ data: User[] }>('/users');
      set({ users: r.data });
    } catch {
      /* names stay as ids */
    }
  }
}

// Changes the interface's language and keeps it in the user's settings, so that the server's
// messages follow it (and other devices at the next login).
export async function chooseLanguage(l: 'fr' | 'en') {
  setLang(l);
  if (!state.user) return;
  try {
    const u = await api<User>('/me', { method: 'PATCH', body: { language: l } });
    set({ user: { ...state.user, language: u.language } });
  } catch {
    /* kept in this browser; the server follows Accept-Language meanwhile */
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
