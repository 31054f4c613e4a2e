// What activity brings to a customer's pages: quick logging of a call / e-mail / meeting / note
// (Alt+1..4, Ctrl+Enter), follow-ups (list, add, mark done) and the timeline of every channel.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, qs, type FieldError, type Json, type ListPage } from '../../api';
import { fmtDateTime, fmtDue, fmtDuration, isoDay } from '../../format';
import { t } from '../../i18n';
import { entityDef, enumLabel, enumValues, fieldLabel } from '../../kernel/schema';
import { RefLink, userLabel } from '../../kernel/values';
import { useSession } from '../../session';
import { Link } from '../../router';
import { ErrorBox, Field, Loading, useFlash } from '../../ui';

const QUICK = ['phone', 'email', 'meeting', 'note'] as const;
const CHANNEL_ICON: Record<string, string> = {
  phone: '☎', email: '✉', meeting: '◉', note: '✎', sms: '✆', chat: '❝', web: '◍', letter: '✉', fax: '☏', social: '#', in_store: '⌂',
};

export type Target = { contact_id?: number; account_id?: number };

// Log a call, e-mail, meeting or note in a few keystrokes: Alt+1..4 picks the channel,
// Ctrl+Enter saves; optionally a follow-up on a given day.
export function QuickLog({ target, onLogged }: { target: Target; onLogged: () => void }) {
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
          body: { title: followTitle || subject || t('task.title'), due_at: followDay /* a day alone: due all that day */, ...target },
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
        <legend className="sr-only">{fieldLabel('interactions', 'channel')}</legend>
        {QUICK.map((c, i) => (
          <label key={c} className={'chip' + (channel === c ? ' on' : '')} title={`Alt+${i + 1}`}>
            <input type="radio" name="quick-channel" value={c} checked={channel === c} onChange={() => setChannel(c)} />
            <span aria-hidden="true">{CHANNEL_ICON[c]}</span> {enumLabel('interactions', 'channel', c)}
          </label>
        ))}
        <label className="inline">
          <span className="sr-only">{fieldLabel('interactions', 'direction')}</span>
          <select value={direction} onChange={(e) => setDirection(e.target.value)} aria-label={fieldLabel('interactions', 'direction')}>
            {enumValues('interactions', 'direction').map((d) => (
              <option key={d.value} value={d.value}>{d.label}</option>
            ))}
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

export function NewTask({ target, onCreated }: { target: Target; onCreated: () => void }) {
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
          await api('/tasks', { method: 'POST', body: { title, due_at: day || null /* a day alone: due all that day */, ...target } });
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
  const { users } = useSession();
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
                  {task.due_at ? fmtDue(task) : ''}
                  {overdue && <span className="badge danger"> {t('task.overdue')}</span>}
                  {task.priority === 'high' && <span className="badge warn">{enumLabel('tasks', 'priority', 'high')}</span>}
                  {' · '}
                  {userLabel(task.assignee_id, users)}
                </span>
                {showTarget && (task.contact_id || task.account_id) && (
                  <span className="small">
                    {task.contact_id ? <RefLink entity="contacts" id={task.contact_id} /> : <RefLink entity="accounts" id={task.account_id} />}
                  </span>
                )}
              </div>
              {!!entityDef('tasks')?.can.update && (
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
          <strong>{enumLabel('interactions', 'channel', it.channel)}</strong>
          <span className="muted small">
            {' '}
            {enumLabel('interactions', 'direction', it.direction)} · <time dateTime={it.occurred_at}>{fmtDateTime(it.occurred_at)}</time>
            {it.duration_seconds ? ' · ' + fmtDuration(it.duration_seconds) : ''}
            {it.user_id ? ' · ' + userLabel(it.user_id, users) : ''}
          </span>
          {showTarget && it.contact_id && (
            <span className="small">
              {' '}
              — <RefLink entity="contacts" id={it.contact_id} />
            </span>
          )}
        </div>
        {it.channel === 'email' ? (
          // An e-mail opens the message (modules/email: header, content, conversation, reply).
          <div className="tl-subject">
            <Link to={`/email/interactions/${it.id}`} data-testid="open-email">{it.subject || t('email.open')}</Link>
          </div>
        ) : (
          it.subject && <div className="tl-subject">{it.subject}</div>
        )}
        {it.content && <div className="tl-content">{it.content}</div>}
        {it.outcome && <div className="small muted">{it.outcome}</div>}
      </div>
    </li>
  );
}

export function Timeline({ target, refresh }: { target: Target; refresh: number }) {
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
            {enumValues('interactions', 'channel').map(({ value: c }) => (
              <option key={c} value={c}>
                {enumLabel('interactions', 'channel', c)}
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
