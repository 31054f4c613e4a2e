// Activity: interactions and follow-ups. My day; the follow-ups list (open by default, overdue
// flag, assign to, mark done); quick log, follow-ups and timeline on the 360° pages.
import type { Json } from '../../api';
import { fmtDate } from '../../format';
import { t } from '../../i18n';
import type { ModuleDef } from '../../kernel/registry';
import { entityDef } from '../../kernel/schema';
import { api } from '../../api';
import { Section } from '../../ui';
import MyDay from './MyDay';
import { NewTask, QuickLog, TaskList, Timeline } from './widgets';

const canWrite = (e: string) => !!entityDef(e)?.can.create;

function MarkDone({ r, reload, flash }: { r: Json; reload: () => void; flash: (m: string, k?: 'ok' | 'error') => void }) {
  if (r.status !== 'open' || !entityDef('tasks')?.can.update) return null;
  return (
    <button
      type="button"
      className="btn small"
      aria-label={`${t('task.done')}: ${r.title}`}
      onClick={async () => {
        try {
          await api(`/tasks/${r.id}`, { method: 'PATCH', body: { status: 'done' }, ifMatch: r.version });
          flash(t('task.completed'));
          reload();
        } catch (e) {
          flash((e as Error).message, 'error');
        }
      }}
    >
      ✓ {t('list.markDone')}
    </button>
  );
}

export const activity: ModuleDef = {
  name: 'activity',
  routes: [{ path: '/', render: () => <MyDay /> }],
  nav: [{ path: '/', label: 'nav.myday', order: 0 }],
  entities: {
    tasks: {
      list: {
        defaultFilters: { status: 'open' },
        flags: [{ key: 'overdue', label: 'list.overdue' }],
        ownerField: 'assignee_id',
        columns: {
          due_at: {
            render: (r) => {
              const late = r.status === 'open' && r.due_at && new Date(r.due_at).getTime() < Date.now();
              return <span className={late ? 'late' : ''}>{fmtDate(r.due_at)}{late ? ' · ' + t('task.overdue') : ''}</span>;
            },
          },
        },
        rowActions: (r, c) => <MarkDone r={r} reload={c.reload} flash={c.flash} />,
      },
    },
  },
  v360: [
    {
      key: 'quicklog', order: 30, column: 'main',
      render: (c) => canWrite('interactions') && (
        <Section title={t('log.title')}>
          <QuickLog target={c.target} onLogged={c.changed} />
        </Section>
      ),
    },
    {
      key: 'tasks', order: 40, column: 'main',
      render: (c) => (
        <Section title={t('v360.tasks')}>
          <TaskList tasks={c.view.open_tasks} onChanged={c.changed} showTarget={c.entity === 'accounts'} />
          {canWrite('tasks') && <NewTask target={c.target} onCreated={c.changed} />}
        </Section>
      ),
    },
    {
      key: 'timeline', order: 50, column: 'main',
      render: (c) => (
        <Section title={t('v360.timeline')}>
          <Timeline target={c.target} refresh={c.refresh} />
        </Section>
      ),
    },
  ],
};
