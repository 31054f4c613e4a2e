// « File d'attente » (/service/queue): the agent's availability, the items offered to them
// (accept / skip), the waiting items and their accepted ones, with the time left on the service
// commitment; a supervisor sees every item, the agents with their availability and load, and
// reassigns an item. Refreshed every few seconds (GET /api/v1/service/queue).
import { useState, type ReactNode } from 'react';
import { api, type Json } from '../../api';
import { fmtDateTime, fmtNumber } from '../../format';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Loading, Section, useFlash } from '../../ui';
import { problemText, SlaBadge, SlaRemaining, usePolling } from './common';
import { st, type ServiceKey } from './i18n';

export const AVAILABILITIES = ['available', 'busy', 'away', 'offline'] as const;

export function availabilityLabel(a: string): string {
  return (AVAILABILITIES as readonly string[]).includes(a) ? st(('service.queue.av.' + a) as ServiceKey) : a;
}

function ItemCard({ it, children, mine }: { it: Json; children?: ReactNode; mine?: boolean }) {
  return (
    <li className="queue-item" data-item={it.id} data-status={it.status}>
      <div className="queue-item-main">
        <Link to={`/cases/${it.case_id}`} className="queue-subject">
          <span className="queue-number">{it.case_number}</span> {it.subject}
        </Link>
        <div className="queue-meta small">
          {it.customer_name && <span>{it.customer_name}</span>}
          {it.tier_label && <span className={'badge tier-' + it.tier}>{it.tier_label}</span>}
          {it.channel_label && <span>{it.channel_label}</span>}
          {it.priority_label && <span className={'prio prio-' + it.priority}>{it.priority_label}</span>}
          {it.status_label && <span className="muted">{it.status_label}</span>}
          {it.agent_name && !mine && <span>{st('service.queue.agent')} : {it.agent_name}</span>}
          {it.waiting_since && <span className="muted">{st('service.queue.waitingSince', { time: fmtDateTime(it.waiting_since) })}</span>}
        </div>
        <div className="queue-sla">
          <SlaBadge state={it.sla_state} label={it.sla_state_label} />
          <SlaRemaining state={it.sla_state} dueAt={it.sla_due_at} />
        </div>
      </div>
      {children && <div className="queue-actions">{children}</div>}
    </li>
  );
}

function ItemList({ items, empty, render, testid }: { items: Json[]; empty?: boolean; render: (it: Json) => ReactNode; testid: string }) {
  if (!items.length) return empty === false ? null : <p className="muted" data-testid={testid + '-empty'}>{st('service.queue.empty')}</p>;
  return <ul className="queue-list plain" data-testid={testid}>{items.map(render)}</ul>;
}

function Reassign({ it, agents, done }: { it: Json; agents: Json[]; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [agent, setAgent] = useState('');
  const [busy, setBusy] = useState(false);
  const assign = async () => {
    if (!agent) return;
    setBusy(true);
    try {
      await api(`/service/work-items/${it.id}/assign`, { method: 'POST', body: { agent_id: Number(agent) } });
      done(st('service.queue.assigned', { name: agents.find((a) => a.user_id === Number(agent))?.name ?? '' }));
      setAgent('');
    } catch (e) {
      done(problemText(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="reassign">
      <label className="sr-only" htmlFor={'reassign-' + it.id}>{st('service.queue.reassign')}</label>
      <select id={'reassign-' + it.id} value={agent} onChange={(e) => setAgent(e.target.value)}>
        <option value="">{st('service.queue.reassign')}…</option>
        {agents.map((a) => (
          <option key={a.user_id} value={a.user_id}>{a.name} ({a.availability_label || availabilityLabel(a.availability)})</option>
        ))}
      </select>
      <button type="button" className="btn small" disabled={!agent || busy} onClick={assign}>{st('service.queue.assign')}</button>
    </span>
  );
}

const loadOf = (a: Json, ch: string) =>
  `${fmtNumber(a.load?.[ch] ?? 0)}/${a.capacity?.[ch] === null || a.capacity?.[ch] === undefined ? '–' : fmtNumber(a.capacity[ch])}`;

export default function Queue() {
  const { user } = useSession();
  const [data, setData] = useState<Json | null>(null);
  const [agents, setAgents] = useState<Json[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(0);
  const [flash, show] = useFlash();

  const load = async () => {
    try {
      const q = await api<Json>('/service/queue');
      setData(q);
      setError(null);
      if (q.supervisor) {
        const a = await api<Json>('/service/agents').catch(() => null);
        if (a) setAgents(a.data || []);
      }
    } catch (e) {
      setError(e as Error);
    }
  };
  usePolling(load, 5000, []);

  if (error && !data) return <div className="page"><h1>{st('service.queue.title')}</h1><ErrorBox error={error} onRetry={load} /></div>;
  if (!data) return <div className="page"><h1>{st('service.queue.title')}</h1><Loading /></div>;

  const me = data.me;
  const items: Json[] = data.items || [];
  const mine = (it: Json) => it.agent_id !== null && it.agent_id !== undefined && it.agent_id === user?.id;
  const offered = items.filter((it) => it.status === 'offered' && mine(it));
  const waiting = items.filter((it) => it.status === 'waiting');
  const accepted = items.filter((it) => it.status === 'accepted' && mine(it));
  const others = items.filter((it) => !offered.includes(it) && !waiting.includes(it) && !accepted.includes(it));

  const act = async (it: Json, what: 'accept' | 'decline') => {
    setBusy(it.id);
    try {
      await api(`/service/work-items/${it.id}/${what}`, { method: 'POST', body: {} });
      if (what === 'accept') {
        show(st('service.queue.accepted', { number: it.case_number }));
        navigate(`/cases/${it.case_id}`);
        return;
      }
      show(st('service.queue.declined'));
      load();
    } catch (e) {
      show(problemText(e), 'error');
    } finally {
      setBusy(0);
    }
  };

  const setAvailability = async (a: string) => {
    try {
      const r = await api<Json>('/service/me/availability', { method: 'PUT', body: { availability: a } });
      setData({ ...data, me: { ...me, availability: r?.availability ?? a, availability_label: r?.availability_label ?? availabilityLabel(a) } });
      load();
    } catch (e) {
      show(problemText(e), 'error');
    }
  };

  const reassignFor = (it: Json) =>
    data.supervisor && agents.length > 0 ? <Reassign it={it} agents={agents} done={(m, k) => { show(m, k); load(); }} /> : null;

  return (
    <div className="page service-queue">
      <header className="page-head">
        <div>
          <h1>{st('service.queue.title')}</h1>
        </div>
        <div className="head-actions">
          <button type="button" className="btn" onClick={load}>{st('service.refresh')}</button>
        </div>
      </header>
      {flash}
      {error && <ErrorBox error={error} onRetry={load} />}
      {!me && !data.supervisor && <p className="alert warn">{st('service.queue.notAgent')}</p>}
      {me && (
        <div className="availability" role="group" aria-label={st('service.queue.availability')} data-testid="availability">
          <span className="availability-label">{st('service.queue.availability')}</span>
          {AVAILABILITIES.map((a) => (
            <button key={a} type="button" className={'btn small av-' + a + (me.availability === a ? ' primary' : '')}
              aria-pressed={me.availability === a} onClick={() => setAvailability(a)}>
              {availabilityLabel(a)}
            </button>
          ))}
        </div>
      )}
      <div className="grid-2 queue-grid">
        <div>
          {me && (
            <Section title={st('service.queue.offered')} className="queue-offered">
              <ItemList items={offered} testid="queue-offered" render={(it) => (
                <ItemCard key={it.id} it={it} mine>
                  <button type="button" className="btn primary" disabled={busy === it.id} onClick={() => act(it, 'accept')}>
                    {st('service.queue.accept')}
                  </button>
                  <button type="button" className="btn" disabled={busy === it.id} onClick={() => act(it, 'decline')}>
                    {st('service.queue.decline')}
                  </button>
                </ItemCard>
              )} />
            </Section>
          )}
          {me && (
            <Section title={st('service.queue.mine')} className="queue-mine">
              <ItemList items={accepted} testid="queue-mine" render={(it) => <ItemCard key={it.id} it={it} mine>{reassignFor(it)}</ItemCard>} />
            </Section>
          )}
        </div>
        <div>
          <Section title={st('service.queue.waiting')} className="queue-waiting">
            <ItemList items={waiting} testid="queue-waiting" render={(it) => <ItemCard key={it.id} it={it}>{reassignFor(it)}</ItemCard>} />
          </Section>
          {data.supervisor && (
            <Section title={st('service.queue.all')} className="queue-all">
              <ItemList items={others} testid="queue-others" render={(it) => <ItemCard key={it.id} it={it}>{reassignFor(it)}</ItemCard>} />
            </Section>
          )}
          {data.supervisor && (
            <Section title={st('service.queue.agents')} className="queue-agents">
              {agents.length === 0 ? <p className="muted">{st('service.queue.empty')}</p> : (
                <div className="table-wrap">
                  <table className="table compact" data-testid="queue-agents">
                    <thead>
                      <tr>
                        <th scope="col">{st('service.queue.agent')}</th>
                        <th scope="col">{st('service.queue.availability')}</th>
                        <th scope="col">{st('service.queue.load')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {agents.map((a) => (
                        <tr key={a.user_id}>
                          <th scope="row" data-label={st('service.queue.agent')}>{a.name}</th>
                          <td data-label={st('service.queue.availability')}>
                            <span className={'av-dot av-' + a.availability} aria-hidden="true" /> {a.availability_label || availabilityLabel(a.availability)}
                          </td>
                          <td data-label={st('service.queue.load')}>
                            {st('service.queue.loadOf', {
                              phone: loadOf(a, 'phone'),
                              email: loadOf(a, 'email'),
                              web: loadOf(a, 'web'),
                            })}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
          )}
        </div>
      </div>
    </div>
  );
}
