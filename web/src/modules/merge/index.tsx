// Duplicates, merge and purge (docs/merge.md): the pages, "Merge…" on the lists of mergeable
// entities, and the "this looks like …" warning of the create forms.
import type { ModuleDef } from '../../kernel/registry';
import { entityDef } from '../../kernel/schema';
import { t } from '../../i18n';
import { Link } from '../../router';
import MergeCompare from './MergeCompare';
import MergeDuplicates from './MergeDuplicates';
import MergeHistory from './MergeHistory';
import { DuplicateWarning } from './MergeWidgets';
import Purge from './Purge';

export const merge: ModuleDef = {
  name: 'merge',
  routes: [
    {
      path: '/merge/:entity',
      render: (p, search) => {
        if (!entityDef(p.entity)?.traits.mergeable) return null;
        const ids = (search.get('ids') || '').split(',').map(Number).filter((n) => n > 0);
        return <MergeCompare key={'m' + p.entity + ids.join(',')} entity={p.entity} ids={ids} />;
      },
    },
    { path: '/merges', render: () => <MergeHistory /> },
    { path: '/duplicates', render: () => <MergeDuplicates /> },
    { path: '/purge', render: () => <Purge /> },
  ],
  nav: [
    { path: '/duplicates', label: 'nav.duplicates', order: 900 },
    { path: '/purge', label: 'nav.purge', order: 910 },
  ],
  bulkActions: (entity, ids) =>
    entityDef(entity)?.traits.mergeable && ids.length >= 2 ? (
      <Link key="merge" className="btn" to={`/merge/${entity}?ids=${ids.join(',')}`} data-testid="bulk-merge">
        {t('merge.bulk')}
      </Link>
    ) : null,
  duplicateWarning: (p) => <DuplicateWarning {...p} />,
};
