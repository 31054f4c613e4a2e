// The import wizard (docs/import.md).
import type { ModuleDef } from '../../kernel/registry';
import ImportWizard from './ImportWizard';

export const importModule: ModuleDef = {
  name: 'import',
  routes: [{ path: '/import', render: () => <ImportWizard /> }],
  nav: [{ path: '/import', label: 'nav.import', order: 920 }],
};
