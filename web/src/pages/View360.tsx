// Contact and account 360° pages: identity, lifecycle and its history, consent and preferences,
// household, owner, value figures, open follow-ups, orders and the timeline of every channel,
// with quick logging of a call / e-mail / meeting / note and of a follow-up.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, qs, recordName, rememberName, type FieldError, type Json, type ListPage } from '../api';
import { fmtDate, fmtDateTime, fmtDuration, fmtMoney, fmtNumber, isoDay, dueFromDay } from '../format';
import { t, tEnum, type Key } from '../i18n';
import { Link, navigate } from '../router';
import { ArchivedBanner } from './MergeWidgets';
import { canDelete, canWriteActivity, canWriteContacts, canWriteCustomers, useSession, userName } from '../session';
import { ErrorBox, Field, foldTag, Loading, Section, StageBadge, TagChips, useAsync, useFlash } from '../ui';
import ValueCard from './AnalyticsValueCard';

const CHANNELS = ['phone', 'email', 'meeting', 'chat', 'web', 'letter', 'fax', 'sms', 'social', 'in_store', 'note'];
const QUICK = ['phone', 'email', 'meeting', 'note'] as const;
const CHANNEL_ICON: Record<string, string> = {
  phone: '☎', email: '✉', meeting: '◉', note: '✎', sms: '✆', chat: '❝', web: '◍', letter: '✉', fax: '☏', social: '#', in_store: '⌂',
};

type Target = { contact_id?: number; account_id?: number };

function Dl({ items }: { items: [string, React.ReactNode][] }) {
  return (
    <dl className="dl">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? <span className="muted">—</span> : v}</dd>
        </div>
      ))}
    </dl>
  );
}

function RefLink({ entity, id }: { entity: string; id: number | null | undefined }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (id) recordName(entity, id).then(setName);
  }, [entity, id]);
  if (!id) return <span className="muted">—</span>;
  return <Link to={`/${entity}/${id}`}>{name || '#' + id}</Link>;
}

function StageHistory({ rows }: { rows: Json[] }) {
  const { users } = useSession();
  if (!rows?.length) return <p className="muted">{t('v360.noHistory')}</p>;
  return (
    <ol className="stage-history">
      {[...rows].reverse().map((h, i) => (
        <li key={i}>
          <StageBadge stage={h.stage} /> <time dateTime={h.changed_at}>{fmtDate(h.changed_at)}</time>
          {h.reason && <span className="muted"> — {h.reason}</span>}
          {h.user_id && <span className="muted small"> · {userName(h.user_id, users)}</span>}
        </li>
      ))}
    </ol>
  );
}

function ValueFigures({ value }: { value: Json }) {
  return (
    <div className="figures">
      <div className="figure">
        <span className="figure-label">{t('v360.revenue')}</span>
        <span className="figure-value" data-testid="revenue">{fmtMoney(value.revenue_cents)}</span>
      </div>
      <div className="figure">
        <span className="figure-label">{t('v360.orderCount')}</span>
        <span className="figure-value">{fmtNumber(value.order_count)}</span>
      </div>
      <div className="figure">
        <span className="figure-label">{t('v360.average')}</span>
        <span className="figure-value">{fmtMoney(value.average_order_cents)}</span>
      </div>
      <div className="figure">
        <span className="figure-label">{t('v360.firstPurchase')}</span>
        <span className="figure-value small">{fmtDate(value.first_purchase_at)}</span>
      </div>
      <div className="figure">
        <span className="figure-label">{t('v360.lastPurchase')}</span>
        <span className="figure-value small">{fmtDate(value.last_purchase_at)}</span>
      </div>
    </div>
  );
}

function Consent({ consent, prefs }: { consent: Json; prefs: Json }) {
  const c = consent || {};
  const p = prefs || {};
  return (
    <>
      <ul className="consent">
        {['email', 'phone', 'sms', 'post'].map((ch) => {
          const v = c[ch];
          const st = v?.status || 'unknown';
          return (
            <li key={ch} className={'consent-' + st}>
              <span className="consent-ch">{t(('consent.' + ch) as Key)}</span>
              <span className="consent-st">{t(('consent.' + st) as Key)}</span>
              {v?.date && <span className="muted small"> {fmtDate(v.date)}</span>}
              {v?.origin && <span className="muted small"> · {v.origin}</span>}
            </li>
          );
        })}
      </ul>
      <Dl
        items={[
          [t('pref.channel'), p.channel ? tEnum('channel', p.channel) : null],
          [t('pref.frequency'), p.frequency ? tEnum('pref.frequency', p.frequency) : null],
          [t('pref.frequency_cap_per_month'), p.frequency_cap_per_month ?? null],
          [t('pref.initiative'), p.initiative ? tEnum('pref.initiative', p.initiative) : null],
          [t('pref.autonomy'), p.autonomy ? tEnum('pref.autonomy', p.autonomy) : null],
        ]}
      />
    </>
  );
}

// Log a call, e-mail, meeting or note in a few keystrokes: Alt+1..4 picks the channel,
// Ctrl+Enter saves; optionally a follow-up on a given day.
function QuickLog({ target, onLogged }: { target: Target; onLogged: () => void }) {
  const [channel, setChannel] = useState<string>('phone');
  const [subject, setSubject] = useState('');
  const [content, setContent] = useState('');
  const [direction, setDirection] = useState('outbound');
  const [follow, setFollow] = useState(false);
  const [followTitle, setFollowTitle] = useState('');
  const [followDay, setFollowDay] = useState(isoDay(new Date(Date.now() + 3 * 86400000)));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  const formRef = useRef<HTMLFormElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setErrors([]);
    try {
      await api('/interactions', {
        method: 'POST',
        body: { channel, direction, subject: subject || null, content: content || null, ...target },
      });
      if (follow) {
        await api('/tasks', {
          method: 'POST',
          body: { title: followTitle || subject || t('task.title'), due_at: dueFromDay(followDay), ...target },
        });
      }
      setSubject('');
      setContent('');
      setFollow(false);
      setFollowTitle('');
      show(t('log.done') + (follow ? ' ' + t('task.created') : ''));
      onLogged();
      subjectRef.current?.focus();
    } catch (e) {
      const ae = e as ApiError;
      setErrors(ae.problem?.errors || []);
      show(ae.message, 'error');
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.altKey && ['1', '2', '3', '4'].includes(e.key)) {
      e.preventDefault();
      setChannel(QUICK[Number(e.key) - 1]);
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form
      ref={formRef}
      className="quicklog"
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-label={t('log.title')}
    >
      <fieldset className="channel-pick">
        <legend className="sr-only">{t('field.channel')}</legend>
        {QUICK.map((c, i) => (
          <label key={c} className={'chip' + (channel === c ? ' on' : '')} title={`Alt+${i + 1}`}>
            <input type="radio" name="quick-channel" value={c} checked={channel === c} onChange={() => setChannel(c)} />
            <span aria-hidden="true">{CHANNEL_ICON[c]}</span> {tEnum('channel', c)}
          </label>
        ))}
        <label className="inline">
          <span className="sr-only">{t('field.direction')}</span>
          <select value={direction} onChange={(e) => setDirection(e.target.value)} aria-label={t('field.direction')}>
            <option value="outbound">{t('dir.outbound')}</option>
            <option value="inbound">{t('dir.inbound')}</option>
          </select>
        </label>
      </fieldset>
      <Field label={t('log.subject')} name="subject" errors={errors}>
        {(p) => <input {...p} ref={subjectRef} value={subject} onChange={(e) => setSubject(e.target.value)} />}
      </Field>
      <Field label={t('log.content')} name="content" errors={errors}>
        {(p) => <textarea {...p} rows={2} value={content} onChange={(e) => setContent(e.target.value)} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t('log.followup')}
      </label>
      {follow && (
        <div className="row">
          <Field label={t('task.title')} name="title" errors={errors}>
            {(p) => <input {...p} value={followTitle} onChange={(e) => setFollowTitle(e.target.value)} placeholder={subject} />}
          </Field>
          <Field label={t('task.due')} name="due_at" errors={errors}>
            {(p) => <input {...p} type="date" value={followDay} onChange={(e) => setFollowDay(e.target.value)} />}
          </Field>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {t('log.submit')}
        </button>
        <small className="muted hint-keys">{t('log.hint')}</small>
      </div>
      {flash}
    </form>
  );
}

function NewTask({ target, onCreated }: { target: Target; onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [day, setDay] = useState(isoDay(new Date(Date.now() + 86400000)));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [flash, show] = useFlash();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="newtask row"
      aria-label={t('task.new')}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setErrors([]);
        try {
          await api('/tasks', { method: 'POST', body: { title, due_at: day ? dueFromDay(day) : null, ...target } });
          setTitle('');
          show(t('task.created'));
          onCreated();
        } catch (err) {
          const ae = err as ApiError;
          setErrors(ae.problem?.errors || []);
          show(ae.message, 'error');
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field label={t('task.new')} name="title" errors={errors} required>
        {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label={t('task.due')} name="due_at" errors={errors}>
        {(p) => <input {...p} type="date" value={day} onChange={(e) => setDay(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={busy}>
          {t('task.submit')}
        </button>
      </div>
      {flash}
    </form>
  );
}

export function TaskList({ tasks, onChanged, showTarget }: { tasks: Json[]; onChanged: () => void; showTarget?: boolean }) {
  const { user, users } = useSession();
  const [flash, show] = useFlash();
  if (!tasks.length) return <p className="muted">{t('v360.noTask')}</p>;
  const now = Date.now();
  return (
    <>
      <ul className="tasks">
        {tasks.map((task) => {
          const overdue = task.due_at && new Date(task.due_at).getTime() < now;
          return (
            <li key={task.id} className={overdue ? 'overdue' : ''}>
              <div className="task-main">
                <span className="task-title">{task.title}</span>
                <span className="small muted">
                  {task.due_at ? fmtDate(task.due_at) : ''}
                  {overdue && <span className="badge danger"> {t('task.overdue')}</span>}
                  {task.priority === 'high' && <span className="badge warn">{tEnum('priority', 'high')}</span>}
                  {' · '}
                  {userName(task.assignee_id, users)}
                </span>
                {showTarget && (task.contact_id || task.account_id) && (
                  <span className="small">
                    {task.contact_id ? <RefLink entity="contacts" id={task.contact_id} /> : <RefLink entity="accounts" id={task.account_id} />}
                  </span>
                )}
              </div>
              {canWriteActivity(user) && (
                <button
                  type="button"
                  className="btn small"
                  aria-label={`${t('task.done')}: ${task.title}`}
                  onClick={async () => {
                    try {
                      await api(`/tasks/${task.id}`, { method: 'PATCH', body: { status: 'done' }, ifMatch: task.version });
                      show(t('task.completed'));
                      onChanged();
                    } catch (e) {
                      show((e as Error).message, 'error');
                    }
                  }}
                >
                  ✓ {t('task.done')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {flash}
    </>
  );
}

export function InteractionItem({ it, showTarget }: { it: Json; showTarget?: boolean }) {
  const { users } = useSession();
  return (
    <li className={'tl-item ch-' + it.channel}>
      <span className="tl-icon" aria-hidden="true">
        {CHANNEL_ICON[it.channel] || '•'}
      </span>
      <div className="tl-body">
        <div className="tl-head">
          <strong>{tEnum('channel', it.channel)}</strong>
          <span className="muted small">
            {' '}
            {tEnum('dir', it.direction)} · <time dateTime={it.occurred_at}>{fmtDateTime(it.occurred_at)}</time>
            {it.duration_seconds ? ' · ' + fmtDuration(it.duration_seconds) : ''}
            {it.user_id ? ' · ' + userName(it.user_id, users) : ''}
          </span>
          {showTarget && it.contact_id && (
            <span className="small">
              {' '}
              — <RefLink entity="contacts" id={it.contact_id} />
            </span>
          )}
        </div>
        {it.subject && <div className="tl-subject">{it.subject}</div>}
        {it.content && <div className="tl-content">{it.content}</div>}
        {it.outcome && <div className="small muted">{it.outcome}</div>}
      </div>
    </li>
  );
}

function Timeline({ target, refresh }: { target: Target; refresh: number }) {
  const [channel, setChannel] = useState('');
  const [rows, setRows] = useState<Json[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const load = async (c: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<ListPage>('/interactions' + qs({ ...target, channel, limit: 20, sort: '-occurred_at', cursor: c }));
      setRows((r) => (c ? [...r, ...page.data] : page.data));
      setCursor(page.next_cursor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel, refresh, target.contact_id, target.account_id]);
  return (
    <>
      <div className="toolbar">
        <label>
          <span className="sr-only">{t('v360.filterChannel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)} aria-label={t('v360.filterChannel')}>
            <option value="">{t('v360.allChannels')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {tEnum('channel', c)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={error} onRetry={() => load(null)} />
      {!loading && rows.length === 0 && <p className="muted">{t('v360.noInteraction')}</p>}
      <ol className="timeline" data-testid="timeline">
        {rows.map((it) => (
          <InteractionItem key={it.id} it={it} showTarget={!!target.account_id} />
        ))}
      </ol>
      {loading && <Loading />}
      {cursor && !loading && (
        <button type="button" className="btn" onClick={() => load(cursor)}>
          {t('list.loadMore')}
        </button>
      )}
    </>
  );
}

function Orders({ orders, target }: { orders: Json[]; target: Target }) {
  if (!orders.length) return <p className="muted">{t('v360.noOrder')}</p>;
  const q = target.contact_id ? `contact_id=${target.contact_id}` : `account_id=${target.account_id}`;
  return (
    <>
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">{t('field.ordered_at')}</th>
              <th scope="col">{t('field.channel')}</th>
              <th scope="col">{t('field.status')}</th>
              <th scope="col" className="num">{t('field.total_cents')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{fmtDate(o.ordered_at)}</Link>
                </td>
                <td>{tEnum('ochannel', o.channel)}</td>
                <td>{tEnum('status', o.status)}</td>
                <td className="num">{fmtMoney(o.total_cents, o.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small">
        <Link to={`/orders?${q}`}>{t('nav.orders')} →</Link>
      </p>
    </>
  );
}

// Tags of the record, edited in place: each change is a PATCH with the record's version, so a
// stale page gets the server's 412 message instead of overwriting someone else's change.
function TagEditor({ entity, record, canEdit, onChanged }: { entity: string; record: Json; canEdit: boolean; onChanged: () => void }) {
  const [tag, setTag] = useState('');
  const [flash, show] = useFlash();
  const save = async (tags: string[]) => {
    try {
      await api(`/${entity}/${record.id}`, { method: 'PATCH', body: { tags }, ifMatch: record.version });
      setTag('');
      onChanged();
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };
  const tags: string[] = record.tags || [];
  if (!canEdit) return <TagChips tags={tags} />;
  return (
    <div>
      <TagChips tags={tags} onRemove={(g) => save(tags.filter((x) => x !== g))} />
      <form
        className="tag-editor"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim() && !tags.includes(foldTag(tag))) save([...tags, tag.trim()]);
        }}
      >
        <label className="sr-only" htmlFor={`tag-${entity}-${record.id}`}>{t('tags.add')}</label>
        <input id={`tag-${entity}-${record.id}`} value={tag} maxLength={50} placeholder={t('tags.add')} onChange={(e) => setTag(e.target.value)} />
        <button type="submit" className="btn" disabled={!tag.trim()}>+</button>
      </form>
      {flash}
    </div>
  );
}

// Delete with confirmation; the server refuses (409) a customer that still has orders or
// contacts, and its message says why.
function DeleteButton({ entity, record, label }: { entity: 'contacts' | 'accounts'; record: Json; label: string }) {
  const [flash, show] = useFlash();
  const remove = async () => {
    if (!window.confirm(t('v360.confirmDelete', { name: label }))) return;
    try {
      await api(`/${entity}/${record.id}`, { method: 'DELETE', ifMatch: record.version });
      navigate(`/${entity}`);
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };
  return (
    <>
      <button type="button" className="btn danger" onClick={remove}>
        {t('delete')}
      </button>
      {flash}
    </>
  );
}

function address(r: Json) {
  const parts = [r.street, [r.postcode, r.city].filter(Boolean).join(' '), r.country && r.country !== 'FR' ? r.country : ''];
  const s = parts.filter(Boolean);
  return s.length ? <span className="pre">{s.join('\n')}</span> : null;
}

function useView(entity: 'contacts' | 'accounts', id: number) {
  return useAsync<Json>(() => api(`/${entity}/${id}/360`), [entity, id]);
}

function NotFound({ error, reload }: { error: Error; reload: () => void }) {
  if (error instanceof ApiError && error.status === 404)
    return (
      <div className="page">
        <div className="alert warn" role="alert">
          {t('v360.notFound')}
        </div>
        <Link to="/">{t('notfound.back')}</Link>
      </div>
    );
  return (
    <div className="page">
      <ErrorBox error={error} onRetry={reload} />
    </div>
  );
}

// A linked record: a link when the reader may open it; its name alone, marked, when the server
// says it is restricted (outside the reader's visibility: they would get a 404).
function LinkedName({ entity, rec }: { entity: string; rec: Json }) {
  if (rec.restricted)
    return (
      <span className="restricted" data-restricted={entity} title={t('access.restrictedHint')}>
        {rec.name} <span className="muted">({t('access.restricted')})</span>
      </span>
    );
  return <Link to={`/${entity}/${rec.id}`}>{rec.name}</Link>;
}

export function Contact360({ id }: { id: number }) {
  const { user, users } = useSession();
  const { data: v, error, loading, reload } = useView('contacts', id);
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    if (v?.contact) rememberName('contacts', v.contact);
    if (v?.account) rememberName('accounts', v.account);
    // An id absorbed by a merge answers with its survivor (308): show the survivor's address.
    if (v?.contact && v.contact.id !== id) navigate(`/contacts/${v.contact.id}`, true);
  }, [v, id]);
  if (error) return <NotFound error={error} reload={reload} />;
  if (!v) return <div className="page">{loading && <Loading />}</div>;
  const c = v.contact;
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
  const target = { contact_id: c.id };
  const changed = () => {
    reload();
    setRefresh((n) => n + 1);
  };
  return (
    <div className="page v360">
      <ArchivedBanner entity="contacts" record={c} onRestored={changed} />
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/contacts">{t('nav.contacts')}</Link>
          </p>
          <h1>{name}</h1>
          <p className="subtitle">
            {c.job_title && <span>{c.job_title}</span>}
            {v.account && (
              <span>
                {' '}
                · <LinkedName entity="accounts" rec={v.account} />
              </span>
            )}
            {' '}
            <StageBadge stage={c.lifecycle_stage} />
          </p>
        </div>
        <div className="head-actions">
          {canWriteContacts(user) && (
            <Link className="btn" to={`/contacts/${c.id}/edit`}>
              {t('edit')}
            </Link>
          )}
          {canDelete(user, canWriteContacts(user), c) && <DeleteButton entity="contacts" record={c} label={name} />}
        </div>
      </header>
      <div className="grid-360">
        <div className="col-main">
          <Section title={t('v360.value')}>
            <ValueFigures value={v.value} />
          </Section>
          <ValueCard card={v.value_card} />
          {canWriteActivity(user) && (
            <Section title={t('log.title')}>
              <QuickLog target={target} onLogged={changed} />
            </Section>
          )}
          <Section title={t('v360.tasks')}>
            <TaskList tasks={v.open_tasks} onChanged={changed} />
            {canWriteActivity(user) && <NewTask target={target} onCreated={changed} />}
          </Section>
          <Section title={t('v360.timeline')}>
            <Timeline target={target} refresh={refresh} />
          </Section>
          <Section title={t('v360.orders')}>
            <Orders orders={v.orders} target={target} />
          </Section>
        </div>
        <div className="col-side">
          <Section title={t('v360.identity')}>
            <Dl
              items={[
                [t('field.emails'), c.emails?.length ? c.emails.map((e: string) => <div key={e}><a href={'mailto:' + e}>{e}</a></div>) : null],
                [t('field.phones'), c.phones?.length ? c.phones.map((p: string) => <div key={p}><a href={'tel:' + p}>{p}</a></div>) : null],
                [t('v360.company'), v.account ? <LinkedName entity="accounts" rec={v.account} /> : null],
                [t('field.buying_role'), c.buying_role ? tEnum('buying', c.buying_role) : null],
                [t('field.street'), address(c)],
                [t('v360.owner'), v.owner ? v.owner.name : userName(c.owner_id, users)],
                [t('field.source_type'), c.source_type ? [tEnum('source', c.source_type), c.source_campaign, c.source_medium].filter(Boolean).join(' · ') : null],
                [t('field.created_at'), fmtDate(c.created_at)],
              ]}
            />
          </Section>
          <Section title={t('v360.stage')}>
            <p>
              <StageBadge stage={c.lifecycle_stage} /> {c.stage_reason && <span className="muted">{c.stage_reason}</span>}
            </p>
            <h3 className="h3">{t('v360.history')}</h3>
            <StageHistory rows={v.stage_history} />
          </Section>
          <Section title={t('field.tags')}>
            <TagEditor entity="contacts" record={c} canEdit={canWriteContacts(user)} onChanged={changed} />
          </Section>
          <Section title={t('v360.consent')}>
            <Consent consent={v.consent} prefs={v.preferences} />
          </Section>
          <Section title={t('v360.household')}>
            {v.household ? (
              <>
                <p>
                  <LinkedName entity="households" rec={v.household} />
                </p>
                <ul className="plain">
                  {(v.household.members || []).map((m: Json) => (
                    <li key={m.id}>
                      {m.id === c.id ? (
                        <strong>{[m.first_name, m.last_name].join(' ')}</strong>
                      ) : (
                        <Link to={`/contacts/${m.id}`}>{[m.first_name, m.last_name].filter(Boolean).join(' ')}</Link>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="muted">—</p>
            )}
          </Section>
        </div>
      </div>
    </div>
  );
}

export function Account360({ id }: { id: number }) {
  const { user, users } = useSession();
  const { data: v, error, loading, reload } = useView('accounts', id);
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    if (v?.account) rememberName('accounts', v.account);
    (v?.contacts || []).forEach((c: Json) => rememberName('contacts', c));
    if (v?.account && v.account.id !== id) navigate(`/accounts/${v.account.id}`, true);
  }, [v, id]);
  if (error) return <NotFound error={error} reload={reload} />;
  if (!v) return <div className="page">{loading && <Loading />}</div>;
  const a = v.account;
  const target = { account_id: a.id };
  const changed = () => {
    reload();
    setRefresh((n) => n + 1);
  };
  return (
    <div className="page v360">
      <ArchivedBanner entity="accounts" record={a} onRestored={changed} />
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/accounts">{t('nav.accounts')}</Link>
          </p>
          <h1>{a.name}</h1>
          <p className="subtitle">
            {[a.industry, a.city].filter(Boolean).join(' · ')} <StageBadge stage={a.lifecycle_stage} />
            {a.tier && <span className={'badge tier-' + a.tier}>{tEnum('tier', a.tier)}</span>}
          </p>
        </div>
        <div className="head-actions">
          {canWriteCustomers(user) && (
            <Link className="btn" to={`/accounts/${a.id}/edit`}>
              {t('edit')}
            </Link>
          )}
          {canWriteContacts(user) && (
            <Link className="btn" to={`/contacts/new?account_id=${a.id}`}>
              + {t('entity.contacts')}
            </Link>
          )}
          {canDelete(user, canWriteCustomers(user), a) && <DeleteButton entity="accounts" record={a} label={a.name} />}
        </div>
      </header>
      <div className="grid-360">
        <div className="col-main">
          <Section title={t('v360.value')}>
            <ValueFigures value={v.value} />
          </Section>
          <ValueCard card={v.value_card} />
          {canWriteActivity(user) && (
            <Section title={t('log.title')}>
              <QuickLog target={target} onLogged={changed} />
            </Section>
          )}
          <Section title={t('v360.tasks')}>
            <TaskList tasks={v.open_tasks} onChanged={changed} showTarget />
            {canWriteActivity(user) && <NewTask target={target} onCreated={changed} />}
          </Section>
          <Section title={t('v360.timeline')}>
            <Timeline target={target} refresh={refresh} />
          </Section>
          <Section title={t('v360.orders')}>
            <Orders orders={v.orders} target={target} />
          </Section>
        </div>
        <div className="col-side">
          <Section title={t('v360.identity')}>
            <Dl
              items={[
                [t('field.legal_id'), a.legal_id],
                [t('field.industry'), a.industry],
                [t('field.size'), a.size],
                [t('field.website'), a.website ? <a href={a.website} rel="noreferrer noopener" target="_blank">{a.website}</a> : null],
                [t('field.phone'), a.phone ? <a href={'tel:' + a.phone}>{a.phone}</a> : null],
                [t('field.street'), address(a)],
                [t('v360.owner'), v.owner ? v.owner.name : userName(a.owner_id, users)],
                [t('field.created_at'), fmtDate(a.created_at)],
              ]}
            />
          </Section>
          <Section title={t('v360.stage')}>
            <p>
              <StageBadge stage={a.lifecycle_stage} /> {a.stage_reason && <span className="muted">{a.stage_reason}</span>}
            </p>
            <h3 className="h3">{t('v360.history')}</h3>
            <StageHistory rows={v.stage_history} />
          </Section>
          <Section title={t('field.tags')}>
            <TagEditor entity="accounts" record={a} canEdit={canWriteCustomers(user)} onChanged={changed} />
          </Section>
          <Section title={t('v360.contacts')}>
            {v.contacts?.length ? (
              <ul className="plain contacts-list">
                {v.contacts.map((c: Json) => (
                  <li key={c.id}>
                    <Link to={`/contacts/${c.id}`}>{[c.first_name, c.last_name].filter(Boolean).join(' ')}</Link>
                    <span className="muted small">
                      {' '}
                      {[c.job_title, c.buying_role ? tEnum('buying', c.buying_role) : ''].filter(Boolean).join(' · ')}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">—</p>
            )}
          </Section>
        </div>
      </div>
    </div>
  );
}

export { RefLink };
