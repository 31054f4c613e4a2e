// A case's history as a conversation: replies to the customer and the customer's messages as
// speech bubbles on either side, internal notes on yellow and marked « Note interne », the other
// events (status, assignment, merge, script…) as short lines between them.
import type { Json } from '../../api';
import { fmtDateTime, fmtSize } from '../../format';
import { enumLabel } from '../../kernel/schema';
import { st, type ServiceKey } from './i18n';

const SYSTEM_KINDS = new Set(['created', 'status', 'assignment', 'priority', 'tier_override', 'merged', 'script', 'intervention', 'call',
  'survey', 'escalated', 'warned', 'handoff']);

function Attachments({ list }: { list: Json[] | undefined }) {
  if (!list?.length) return null;
  return (
    <ul className="msg-files plain small" aria-label={st('service.case.attachments')}>
      {list.map((a, i) => (
        <li key={a.id ?? i}>
          {a.url ? <a href={a.url}>{a.filename || a.name}</a> : a.filename || a.name}
          {a.size ? ` (${fmtSize(a.size)})` : ''}
        </li>
      ))}
    </ul>
  );
}

function systemText(ev: Json): string {
  const d = ev.data || {};
  const from = d.from_label ?? (d.from !== undefined && d.from !== null ? enumLabel('cases', ev.kind === 'priority' ? 'priority' : 'status', String(d.from)) : '—');
  const to = d.to_label ?? d.to_name ?? (d.to !== undefined && d.to !== null ? enumLabel('cases', ev.kind === 'priority' ? 'priority' : 'status', String(d.to)) : '—');
  switch (ev.kind) {
    case 'status':
      return st('service.case.ev.status', { from, to });
    case 'priority':
      return st('service.case.ev.priority', { from, to });
    case 'assignment':
      return st('service.case.ev.assignment', { to: d.to_name ?? d.to_label ?? '—' });
    case 'tier_override':
      return st('service.case.ev.tier_override', { to });
    default: {
      const base = SYSTEM_KINDS.has(ev.kind) ? st(('service.case.ev.' + ev.kind) as ServiceKey) : st('service.case.ev.other');
      const extra = d.label || d.summary || d.title || d.script || d.into_number || d.from_number || d.metric || d.number || d.comment || '';
      return extra && typeof extra === 'string' ? `${base} — ${extra}` : base;
    }
  }
}

export function ScriptAnswers({ answers }: { answers: Json[] | undefined }) {
  if (!Array.isArray(answers) || !answers.length) return null;
  return (
    <dl className="script-answers small">
      {answers.map((a, i) => (
        <div key={a.key ?? i}>
          <dt>{a.question}</dt>
          <dd>{a.answer ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function Conversation({ events }: { events: Json[] }) {
  if (!events.length) return <p className="muted">{st('service.case.noEvent')}</p>;
  return (
    <ol className="conversation plain" data-testid="conversation">
      {events.map((ev) => {
        const d = ev.data || {};
        const when = <time dateTime={ev.at}>{fmtDateTime(ev.at)}</time>;
        if (ev.kind === 'note')
          return (
            <li key={ev.id} className="msg msg-note" data-kind="note" data-event={ev.id}>
              <div className="msg-head">
                <strong className="note-mark">{st('service.case.internalNote')}</strong>
                <span>{ev.user_name}</span> · {when}
              </div>
              <div className="msg-body">{d.body}</div>
              <Attachments list={ev.attachments} />
            </li>
          );
        if (ev.kind === 'reply')
          return (
            <li key={ev.id} className="msg msg-agent" data-kind="reply" data-event={ev.id}>
              <div className="msg-head">
                <strong>{st('service.case.toCustomer')}</strong>
                <span>{ev.user_name}</span> · {when}
                {(d.by_email || d.sent_by_email || d.channel === 'email') && <span className="muted"> · {st('service.case.byEmail')}</span>}
              </div>
              <div className="msg-body">{d.body}</div>
              <Attachments list={ev.attachments} />
            </li>
          );
        if (ev.kind === 'customer_message' && !d.body)
          return (
            <li key={ev.id} className="msg-system small" data-kind="call" data-event={ev.id}>
              <span>{st('service.case.ev.call')}{d.channel ? ` — ${enumLabel('cases', 'channel', d.channel)}` : ''}</span>
              <span className="muted"> · {when}</span>
            </li>
          );
        if (ev.kind === 'customer_message')
          return (
            <li key={ev.id} className="msg msg-customer" data-kind="customer_message" data-event={ev.id}>
              <div className="msg-head">
                <strong>{d.from_name || d.from || st('service.case.customer')}</strong>
                {d.channel && <span className="muted"> · {d.channel_label || enumLabel('cases', 'channel', d.channel)}</span>} · {when}
              </div>
              <div className="msg-body">{d.body}</div>
              <Attachments list={ev.attachments} />
            </li>
          );
        return (
          <li key={ev.id} className="msg-system small" data-kind={ev.kind} data-event={ev.id}>
            <span>{systemText(ev)}</span>
            {ev.user_name && <span className="muted"> · {st('service.case.by', { name: ev.user_name })}</span>}
            <span className="muted"> · {when}</span>
            {ev.kind === 'script' && <ScriptAnswers answers={d.answers} />}
            {d.body && <div className="msg-body">{d.body}</div>}
          </li>
        );
      })}
    </ol>
  );
}
