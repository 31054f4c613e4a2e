// Users and access: the admin's users page and the user's own account page (tokens, password).
import type { ModuleDef } from '../../kernel/registry';
import Account from './Account';
import Users from './Users';

export const users: ModuleDef = {
  name: 'users',
  routes: [
    { path: '/account', render: () => <Account /> },
    { path: '/users', render: () => <Users /> },
  ],
  nav: [
    { path: '/users', label: 'nav.users', order: 940, visible: (u) => u.role === 'admin' },
    { path: '/account', label: 'nav.account', order: 990 },
  ],
};
