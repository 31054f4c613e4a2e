// Home page: my overdue and today's follow-ups, recent interactions, and charts of revenue,
// new customers by month and customers by lifecycle stage (GET /api/v1/dashboard).
import { api, qs, type Json, type ListPage } from '../../api';
import { fmtMoney, fmtMoneyShort, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { fillMonths, HBars, MonthBars } from '../../components/Charts';
import { InteractionItem, TaskList } from './widgets';
import { entityLabel, enumLabel } from '../../kernel/schema';

export default function MyDay() {
  const { user } = useSession();
  const tasks = useAsync(async () => {
    const [overdue, todays] = await Promise.all([
      api<ListPage>('/tasks' + qs({ assignee_id: 'me', overdue: 'true', status: 'open', sort: 'due_at', limit: 8 })),
      // Today is the company's day (its time zone, server-side): a follow-up due on a day without a
      // time stays here, and out of the overdue ones, until midnight.
      api<ListPage>('/tasks' + qs({ assignee_id: 'me', status: 'open', due: 'today', sort: 'due_at', limit: 20 })),
    ]);
    const overdueIds = new Set(overdue.data.map((x: Json) => x.id));
    return { overdue: overdue.data, today: todays.data.filter((x: Json) => !overdueIds.has(x.id)), more: !!overdue.next_cursor };
  }, []);
  const recent = useAsync(() => api<ListPage>('/interactions' + qs({ sort: '-occurred_at', limit: 8 })), []);
  const dash = useAsync(() => api<Json>('/dashboard?months=12'), []);

  const d = dash.data;
  return (
    <div className="page myday">
      <header className="page-head">
        <div>
          <h1>{t('myday.title')}</h1>
          <p className="subtitle">
            {t('myday.hello', { name: user?.name.split(' ')[0] || '' })} —{' '}
            {new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'full' }).format(new Date())}
          </p>
        </div>
      </header>
      <div className="grid-2">
        <Section title={t('myday.overdue')} className="overdue-card">
          {tasks.loading && !tasks.data && <Loading />}
          <ErrorBox error={tasks.error} onRetry={tasks.reload} />
          {tasks.data &&
            (tasks.data.overdue.length ? (
              <>
                <TaskList tasks={tasks.data.overdue} onChanged={tasks.reload} showTarget />
                {tasks.data.more && <Link to="/tasks?assignee_id=me&overdue=true&status=open">{entityLabel('tasks')} →</Link>}
              </>
            ) : (
              <p className="muted">{t('myday.nothingOverdue')}</p>
            ))}
        </Section>
        <Section title={t('myday.today')}>
          {tasks.data &&
            (tasks.data.today.length ? (
              <TaskList tasks={tasks.data.today} onChanged={tasks.reload} showTarget />
            ) : (
              <p className="muted">{t('myday.nothingToday')}</p>
            ))}
        </Section>
      </div>
      <div className="grid-2">
        <Section title={t('myday.revenue')}>
          {dash.loading && !d && <Loading />}
          <ErrorBox error={dash.error} onRetry={dash.reload} />
          {d && (
            <>
              <MonthBars
                label={t('myday.revenue')}
                data={fillMonths(d.since, d.revenue_by_month.map((r: Json) => ({ month: r.month, value: r.revenue_cents })))}
                format={(v) => fmtMoneyShort(v)}
              />
              <p className="small muted">
                {t('v360.revenue')} : {fmtMoney(d.revenue_by_month.reduce((s: number, r: Json) => s + r.revenue_cents, 0))} ·{' '}
                {t('v360.orderCount')} : {fmtNumber(d.revenue_by_month.reduce((s: number, r: Json) => s + r.order_count, 0))}
              </p>
            </>
          )}
        </Section>
        <Section title={t('myday.newCustomers')}>
          {d && (
            <MonthBars
              label={t('myday.newCustomers')}
              color="#4338ca"
              data={fillMonths(d.since, d.new_customers_by_month.map((r: Json) => ({ month: r.month, value: r.customers })))}
              format={(v) => fmtNumber(v)}
            />
          )}
        </Section>
      </div>
      <div className="grid-2">
        <Section title={t('myday.byStage')}>
          {d &&
            (d.contacts_by_stage.length ? (
              <HBars
                label={t('myday.byStage')}
                data={d.contacts_by_stage.map((r: Json) => ({ key: r.stage || 'none', label: enumLabel('contacts', 'lifecycle_stage', r.stage), value: r.count }))}
              />
            ) : (
              <p className="muted">{t('myday.noData')}</p>
            ))}
          <p className="small muted">{t('myday.scope')}</p>
        </Section>
        <Section title={t('myday.recent')}>
          {recent.loading && !recent.data && <Loading />}
          <ErrorBox error={recent.error} onRetry={recent.reload} />
          {recent.data &&
            (recent.data.data.length ? (
              <ol className="timeline">
                {recent.data.data.map((it: Json) => (
                  <InteractionItem key={it.id} it={it} showTarget />
                ))}
              </ol>
            ) : (
              <p className="muted">{t('v360.noInteraction')}</p>
            ))}
        </Section>
      </div>
    </div>
  );
}
