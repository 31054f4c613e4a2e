// Settings: the company's own record (GET/PATCH /api/v1/settings/company), edited by an admin.
import type { ModuleDef } from '../../kernel/registry';
import CompanySettings from './CompanySettings';

export const settings: ModuleDef = {
  name: 'settings',
  routes: [{ path: '/settings/company', render: () => <CompanySettings /> }],
  nav: [{ path: '/settings/company', label: 'nav.companySettings', order: 930, visible: (u) => u.role === 'admin' }],
};
