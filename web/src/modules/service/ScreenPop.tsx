// The screen pop: for a signed-in service agent (GET /api/v1/service/queue answers me), the
// agent's stream (GET /api/v1/service/stream, server-sent events) opens a panel on a ringing call
// — the caller's number, the matching contacts (company, value tier, open cases, last
// interactions) with « Ouvrir la fiche » and « Nouvelle demande »; for an unknown number
// « Nouveau contact » and « Associer à un contact ». The panel stays until it is closed. An
// offered case shows a short notice with a link to the queue. Mounted once for the whole app
// (index.tsx) on a root of its own.
import { useEffect, useState } from 'react';
import { api, type Json, type ListPage } from '../../api';
import { fmtDateTime, fmtPhone } from '../../format';
import { useLang } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { currentUser, useSession } from '../../session';
import { enumLabel } from '../../kernel/schema';
import { useDebounced } from '../../ui';
import { problemText } from './common';
import { st, type ServiceKey } from './i18n';

interface Call {
  call_id: string;
  event: string;
  caller: string;
  lookup?: Json;
  open_cases?: Json[];
}

export function tierLabel(tier: string | null | undefined): string {
  if (!tier) return '';
  return ['gold', 'silver', 'bronze'].includes(tier) ? st(('service.pop.tier.' + tier) as ServiceKey) : tier;
}

const openTasks = (c: Json): number => (Array.isArray(c.open_tasks) ? c.open_tasks.length : typeof c.open_tasks === 'number' ? c.open_tasks : 0);

function Interactions({ list }: { list: Json }) {
  if (!Array.isArray(list) || !list.length) return null;
  return (
    <div className="pop-interactions small">
      <span className="muted">{st('service.pop.lastInteractions')} :</span>
      <ul className="plain">
        {list.slice(0, 3).map((i: Json, n: number) => (
          <li key={i.id ?? n}>
            {fmtDateTime(i.occurred_at || i.at || i.created_at)} — {i.subject || i.summary || (i.channel ? enumLabel('interactions', 'channel', i.channel) : '')}
          </li>
        ))}
      </ul>
    </div>
  );
}

function LinkContact({ call, done }: { call: Call; done: (msg: string, kind?: 'ok' | 'error') => void }) {
  const [q, setQ] = useState('');
  const dq = useDebounced(q.trim(), 250);
  const [hits, setHits] = useState<Json[]>([]);
  useEffect(() => {
    if (dq.length < 2) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    api<ListPage>(`/contacts?q=${encodeURIComponent(dq)}&limit=8`, { signal: ctl.signal }).then((r) => setHits(r.data)).catch(() => {});
    return () => ctl.abort();
  }, [dq]);
  const link = async (c: Json) => {
    try {
      await api(`/calls/${encodeURIComponent(call.call_id)}/link`, { method: 'POST', body: { contact_id: c.id } });
      const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || c.name || '';
      done(st('service.pop.linked', { name }));
      navigate(`/contacts/${c.id}`);
    } catch (e) {
      done(problemText(e), 'error');
    }
  };
  return (
    <div className="pop-link">
      <label htmlFor={'pop-search-' + call.call_id}>{st('service.pop.search')}</label>
      <input id={'pop-search-' + call.call_id} value={q} onChange={(e) => setQ(e.target.value)} autoFocus autoComplete="off" />
      {hits.length > 0 && (
        <ul className="plain pop-hits">
          {hits.map((c) => (
            <li key={c.id}>
              <button type="button" className="linklike" onClick={() => link(c)}>
                {[c.first_name, c.last_name].filter(Boolean).join(' ') || c.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CallPanel({ call, close }: { call: Call; close: () => void }) {
  const [msg, setMsg] = useState<{ text: string; kind: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [linking, setLinking] = useState(false);
  const [folded, setFolded] = useState(false);
  const number = call.lookup?.e164 || call.caller;
  const contacts: Json[] = call.lookup?.contacts || [];
  const accounts: Json[] = call.lookup?.accounts || [];
  const openCases: Json[] = call.open_cases || [];
  const done = (text: string, kind: 'ok' | 'error' = 'ok') => setMsg({ text, kind });

  const newCase = async (contact: Json | null) => {
    setBusy(true);
    try {
      const me = currentUser();
      const body: Json = { subject: st('service.pop.caseSubject', { caller: fmtPhone(number) }), channel: 'phone' };
      if (me) body.assignee_id = me.id;
      if (contact) body.contact_id = contact.id;
      if (contact?.account?.id) body.account_id = contact.account.id;
      const c = await api<Json>('/cases', { method: 'POST', body });
      try {
        await api(`/calls/${encodeURIComponent(call.call_id)}/link`, { method: 'POST', body: { case_id: c.id } });
      } catch {
        /* the case exists; the call stays unlinked */
      }
      navigate(`/cases/${c.id}`);
    } catch (e) {
      done(problemText(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  const state = call.event === 'answered' ? st('service.pop.answered') : call.event === 'ended' ? st('service.pop.ended') : st('service.pop.title');
  return (
    <section className={'screen-pop pop-' + call.event} role="dialog" aria-label={state} data-testid="screen-pop" data-call={call.call_id}>
      <header className="pop-head">
        <div>
          <p className="pop-state">{state}</p>
          <p className="pop-number" data-testid="pop-number">{fmtPhone(number) || st('service.pop.unknown')}</p>
        </div>
        <div className="pop-head-actions">
          <button type="button" className="btn ghost small" aria-expanded={!folded} onClick={() => setFolded(!folded)}
            aria-label={folded ? st('service.pop.unfold') : st('service.pop.fold')} title={folded ? st('service.pop.unfold') : st('service.pop.fold')}>
            {folded ? '▴' : '▾'}
          </button>
          <button type="button" className="btn ghost small" onClick={close} aria-label={st('service.pop.close')} title={st('service.pop.close')}>✕</button>
        </div>
      </header>
      {folded ? null : contacts.length > 0 ? (
        <ul className="plain pop-contacts">
          {contacts.map((c) => (
            <li key={c.id} className="pop-contact" data-contact={c.id}>
              <div className="pop-contact-name">
                <strong>{c.name || [c.first_name, c.last_name].filter(Boolean).join(' ')}</strong>
                {/* The tier the desk serves the caller at (the company's manual tier first), as a case would. */}
                {(c.service_tier || c.value_tier) && (
                  <span className={'badge tier-' + (c.service_tier || c.value_tier)}>
                    {c.service_tier_label || tierLabel(c.value_tier)}
                  </span>
                )}
              </div>
              {c.account?.name && <div className="small">{st('service.pop.account')} : {c.account.name}</div>}
              {openTasks(c) > 0 && <div className="small">{st('service.pop.openTasks', { n: openTasks(c) })}</div>}
              <Interactions list={c.last_interactions} />
              <div className="row pop-actions">
                <button type="button" className="btn small" onClick={() => navigate(`/contacts/${c.id}`)}>{st('service.pop.openRecord')}</button>
                <button type="button" className="btn primary small" disabled={busy} onClick={() => newCase(c)}>{st('service.pop.newCase')}</button>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <div className="pop-unknown">
          <p className="muted">{st('service.pop.unknown')}</p>
          {accounts.length > 0 && (
            <ul className="plain small">
              {accounts.map((a) => <li key={a.id}><Link to={`/accounts/${a.id}`}>{a.name}</Link></li>)}
            </ul>
          )}
          <div className="row pop-actions">
            <button type="button" className="btn primary small" onClick={() => navigate(`/contacts/new?phones=${encodeURIComponent(fmtPhone(number))}`)}>
              {st('service.pop.newContact')}
            </button>
            <button type="button" className="btn small" aria-expanded={linking} onClick={() => setLinking(!linking)}>{st('service.pop.link')}</button>
            <button type="button" className="btn small" disabled={busy} onClick={() => newCase(null)}>{st('service.pop.newCase')}</button>
          </div>
          {linking && <LinkContact call={call} done={done} />}
        </div>
      )}
      {!folded && openCases.length > 0 && (
        <div className="pop-cases small">
          <span className="muted">{st('service.pop.openCases')} :</span>
          <ul className="plain">
            {openCases.map((c) => (
              <li key={c.id}>
                <Link to={`/cases/${c.id}`}>{c.number} — {c.subject}</Link> <span className="muted">{c.status_label}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {msg && <div className={'flash ' + msg.kind} role="status">{msg.text}</div>}
    </section>
  );
}

// Calls closed in this tab stay closed when the page reloads (the stream names a ringing call again).
const CLOSED = 'gazelle.service.closedCalls';
function closedCalls(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(CLOSED) || '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}
function rememberClosed(id: string) {
  try {
    sessionStorage.setItem(CLOSED, JSON.stringify([...closedCalls().filter((x) => x !== id), id].slice(-50)));
  } catch {
    /* private mode: forgotten at reload */
  }
}

export default function ScreenPop() {
  useLang();
  const { user } = useSession();
  const [agent, setAgent] = useState(false);
  const [calls, setCalls] = useState<Call[]>([]);
  const [offer, setOffer] = useState<Json | null>(null);
  const { path } = useLocation();

  // The notice of an offer goes once its case is open, or after two minutes (the offer has passed).
  useEffect(() => {
    if (offer && (path === `/cases/${offer.case_id}` || path === '/service/queue' || path === '/service')) setOffer(null);
  }, [offer, path]);
  useEffect(() => {
    if (!offer) return;
    const h = window.setTimeout(() => setOffer(null), 120000);
    return () => window.clearTimeout(h);
  }, [offer]);

  useEffect(() => {
    setAgent(false);
    if (!user) {
      setCalls([]);
      return;
    }
    let alive = true;
    api<Json>('/service/queue')
      .then((q) => alive && setAgent(!!q?.me))
      .catch(() => alive && setAgent(false));
    return () => {
      alive = false;
    };
  }, [user]);

  useEffect(() => {
    if (!agent) return;
    let source: EventSource | null = null;
    try {
      source = new EventSource('/api/v1/service/stream');
    } catch {
      return;
    }
    source.addEventListener('call', (ev) => {
      try {
        const d = JSON.parse((ev as MessageEvent).data) as Call;
        if (!d.call_id) return;
        setCalls((list) => {
          const known = list.find((c) => c.call_id === d.call_id);
          if (known) return list.map((c) => (c.call_id === d.call_id ? { ...c, ...d, lookup: d.lookup ?? c.lookup, open_cases: d.open_cases ?? c.open_cases } : c));
          if ((d.event !== 'ringing' && d.event !== 'answered') || closedCalls().includes(d.call_id)) return list;
          return [d, ...list].slice(0, 3);
        });
      } catch {
        /* a malformed event */
      }
    });
    source.addEventListener('offer', (ev) => {
      try {
        setOffer(JSON.parse((ev as MessageEvent).data));
      } catch {
        /* a malformed event */
      }
    });
    return () => source?.close();
  }, [agent]);

  if (!user || (!calls.length && !offer)) return null;
  return (
    <div className="screen-pops" aria-live="polite">
      {offer && (
        <div className="screen-pop pop-offer" data-testid="offer-pop">
          <p>{st('service.pop.offer', { number: offer.case_number ?? '', subject: offer.subject ?? '' })}</p>
          <div className="row">
            <button type="button" className="btn primary small" onClick={() => { setOffer(null); navigate('/service/queue'); }}>{st('service.pop.seeQueue')}</button>
            <button type="button" className="btn ghost small" onClick={() => setOffer(null)}>{st('service.pop.close')}</button>
          </div>
        </div>
      )}
      {calls.map((c) => <CallPanel key={c.call_id} call={c} close={() => {
        rememberClosed(c.call_id);
        setCalls((l) => l.filter((x) => x.call_id !== c.call_id));
      }} />)}
    </div>
  );
}
