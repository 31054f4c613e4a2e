// Activity: interactions and follow-ups. My day; the follow-ups list (open by default, overdue
// flag, assign to, mark done); quick log, follow-ups and timeline on the 360° pages.
import type { FieldError, Json } from '../../api';
import { fmtDue, isoDay } from '../../format';
import { t } from '../../i18n';
import type { FormExtensionProps, ModuleDef } from '../../kernel/registry';
import { entityDef } from '../../kernel/schema';
import { api } from '../../api';
import { Field, Section } from '../../ui';
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

const pad = (n: number) => String(n).padStart(2, '0');

// The day and, optionally, the time a follow-up is due: without a time it is due all that day
// (due_at sent as the day alone; the server keeps it in due_date and ends it at the company's
// local midnight), with one it is due at that time.
function dueParts(v: Record<string, Json>): { day: string; time: string } {
  if (v.due_date) return { day: String(v.due_date), time: '' };
  if (!v.due_at) return { day: '', time: '' };
  if (/^\d{4}-\d{2}-\d{2}$/.test(String(v.due_at))) return { day: String(v.due_at), time: '' };
  const d = new Date(v.due_at);
  if (isNaN(d.getTime())) return { day: '', time: '' };
  return { day: isoDay(d), time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

function DueInput({ values, set, errors }: FormExtensionProps & { errors: FieldError[] }) {
  const { day, time } = dueParts(values);
  const change = (d: string, tm: string) => {
    if (!d) {
      set('due_at', null);
      set('due_date', null);
    } else if (tm) {
      set('due_at', new Date(`${d}T${tm}`).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      set('due_date', null);
    } else {
      set('due_at', d);
      set('due_date', d);
    }
  };
  return (
    <div className="row">
      <Field label={t('task.due')} name="due_at" errors={errors} hint={t('task.dueHint')}>
        {(p) => <input {...p} type="date" value={day} onChange={(e) => change(e.target.value, time)} />}
      </Field>
      <Field label={t('task.dueTime')} name="due_date" errors={errors}>
        {(p) => <input {...p} type="time" value={time} disabled={!day} onChange={(e) => change(day, e.target.value)} />}
      </Field>
    </div>
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
              return <span className={late ? 'late' : ''}>{fmtDue(r)}{late ? ' · ' + t('task.overdue') : ''}</span>;
            },
          },
        },
        rowActions: (r, c) => <MarkDone r={r} reload={c.reload} flash={c.flash} />,
      },
      form: {
        fields: ['due_at', 'due_date'],
        render: (p) => <DueInput {...p} />,
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
