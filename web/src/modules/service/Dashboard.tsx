// « Tableau de bord du service » (/service/dashboard): over a period, the open cases by status and
// by age, the commitments met by customer value and by policy, first-contact resolution, average
// handling, waiting and call times, CSAT and NPS with their weekly trends, complaints by reason
// and the figures of each agent (GET /api/v1/service/dashboard).
import { useState } from 'react';
import { api, type Json } from '../../api';
import { fmtDay, fmtFixed, fmtNumber, fmtPercentValue, fmtScore, isoDay } from '../../format';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { fmtMinutes } from './common';
import { st } from './i18n';

function Bars({ rows, label, value, text, testid, max }: {
  rows: Json[]; label: (r: Json) => string; value: (r: Json) => number; text?: (r: Json) => string; testid: string; max?: number;
}) {
  if (!rows?.length) return <p className="muted">{st('service.dash.empty')}</p>;
  const top = max ?? Math.max(1, ...rows.map(value).map((v) => Math.abs(v)));
  return (
    <ul className="hbars plain" data-testid={testid}>
      {rows.map((r, i) => {
        const v = value(r);
        return (
          <li key={i} className="hbar-row">
            <span className="hbar-label">{label(r)}</span>
            <span className="hb-track" aria-hidden="true">
              <span className={'hb-bar' + (v < 0 ? ' negative' : '')} style={{ width: `${Math.max(0, Math.min(100, (Math.abs(v) / top) * 100))}%` }} />
            </span>
            <span className="hb-value">{text ? text(r) : fmtNumber(v)}</span>
          </li>
        );
      })}
    </ul>
  );
}

function Figure({ label, value, testid }: { label: string; value: string; testid: string }) {
  return (
    <div className="figure" data-testid={testid}>
      <span className="figure-label">{label}</span>
      <span className="figure-value">{value}</span>
    </div>
  );
}

function AttainmentTable({ rows, head, name, testid }: { rows: Json[]; head: string; name: (r: Json) => string; testid: string }) {
  if (!rows?.length) return <p className="muted">{st('service.dash.empty')}</p>;
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid={testid}>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className="num">{st('service.dash.cases')}</th>
            <th scope="col" className="num">{st('service.dash.met')}</th>
            <th scope="col" className="num">{st('service.dash.breached')}</th>
            <th scope="col" className="num">{st('service.dash.attainment')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row" data-label={head}>{name(r)}</th>
              <td className="num" data-label={st('service.dash.cases')}>{fmtNumber(r.cases)}</td>
              <td className="num" data-label={st('service.dash.met')}>{fmtNumber(r.met)}</td>
              <td className="num" data-label={st('service.dash.breached')}>{fmtNumber(r.breached)}</td>
              <td className="num" data-label={st('service.dash.attainment')}>{fmtPercentValue(r.attainment_pct)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const minutes = (m: number | null | undefined) => (m === null || m === undefined ? '—' : fmtMinutes(m));
const seconds = (s: number | null | undefined) => (s === null || s === undefined ? '—' : s < 60 ? `${fmtNumber(Math.round(s))} s` : fmtMinutes(s / 60));

export default function Dashboard() {
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  const [from, setFrom] = useState(isoDay(monthAgo));
  const [to, setTo] = useState(isoDay(today));
  const [period, setPeriod] = useState({ from: isoDay(monthAgo), to: isoDay(today) });
  const { data, error, loading, reload } = useAsync<Json>(
    () => api(`/service/dashboard?from=${period.from}&to=${period.to}`), [period.from, period.to]);

  return (
    <div className="page service-dashboard">
      <header className="page-head">
        <div><h1>{st('service.dash.title')}</h1></div>
      </header>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); setPeriod({ from, to }); }}>
        <div className="filter">
          <label htmlFor="dash-from">{st('service.dash.from')}</label>
          <input id="dash-from" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="dash-to">{st('service.dash.to')}</label>
          <input id="dash-to" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </div>
        <button type="submit" className="btn primary">{st('service.dash.apply')}</button>
      </form>
      {error && <ErrorBox error={error} onRetry={reload} />}
      {!data && loading && <Loading />}
      {data && (
        <>
          <div className="figures dash-figures">
            <Figure testid="dash-fcr" label={st('service.dash.fcr')} value={fmtPercentValue(data.first_contact_resolution_pct)} />
            <Figure testid="dash-handling" label={st('service.dash.handling')} value={minutes(data.avg_handling_minutes)} />
            <Figure testid="dash-wait" label={st('service.dash.wait')} value={minutes(data.avg_wait_minutes)} />
            <Figure testid="dash-call" label={st('service.dash.call')} value={seconds(data.avg_call_seconds)} />
            <Figure testid="dash-csat" label={st('service.dash.csat')}
              value={data.csat?.avg === null || data.csat?.avg === undefined ? '—' : fmtFixed(data.csat.avg, 1)} />
            <Figure testid="dash-nps" label={st('service.dash.nps')}
              value={data.nps?.score === null || data.nps?.score === undefined ? '—' : fmtScore(data.nps.score, 0)} />
          </div>
          <div className="grid-2">
            <Section title={st('service.dash.backlogStatus')}>
              <Bars testid="dash-backlog-status" rows={data.backlog?.by_status || []} label={(r) => r.label} value={(r) => r.count} />
            </Section>
            <Section title={st('service.dash.backlogAge')}>
              <Bars testid="dash-backlog-age" rows={data.backlog?.by_age || []} label={(r) => r.label} value={(r) => r.count} />
            </Section>
          </div>
          <Section title={st('service.dash.slaTier')}>
            <AttainmentTable testid="dash-sla-tier" rows={data.sla?.by_tier || []} head={st('service.dash.tier')} name={(r) => r.label} />
          </Section>
          <Section title={st('service.dash.slaPolicy')}>
            <AttainmentTable testid="dash-sla-policy" rows={data.sla?.by_policy || []} head={st('service.dash.policy')} name={(r) => r.name} />
          </Section>
          <div className="grid-2">
            <Section title={st('service.dash.csat')}>
              <p className="small muted">{st('service.dash.responses', { n: data.csat?.responses ?? 0 })}</p>
              <h3 className="h3">{st('service.dash.trend')}</h3>
              <Bars testid="dash-csat-trend" rows={data.csat?.trend || []} max={5}
                label={(r) => st('service.dash.week', { date: fmtDay(r.week) })} value={(r) => r.avg ?? 0} text={(r) => fmtFixed(r.avg, 1)} />
            </Section>
            <Section title={st('service.dash.nps')}>
              <p className="small muted">
                {st('service.dash.responses', { n: data.nps?.responses ?? 0 })} ·{' '}
                {st('service.dash.npsSplit', { p: data.nps?.promoters ?? 0, a: data.nps?.passives ?? 0, d: data.nps?.detractors ?? 0 })}
              </p>
              <h3 className="h3">{st('service.dash.trend')}</h3>
              <Bars testid="dash-nps-trend" rows={data.nps?.trend || []} max={100}
                label={(r) => st('service.dash.week', { date: fmtDay(r.week) })} value={(r) => r.score ?? 0} text={(r) => fmtScore(r.score, 0)} />
            </Section>
            <Section title={st('service.dash.complaints')}>
              <Bars testid="dash-complaints" rows={data.complaints_by_reason || []} label={(r) => r.reason} value={(r) => r.count} />
            </Section>
            <Section title={st('service.dash.agents')}>
              {!data.by_agent?.length ? <p className="muted">{st('service.dash.empty')}</p> : (
                <div className="table-wrap">
                  <table className="table compact" data-testid="dash-agents">
                    <thead>
                      <tr>
                        <th scope="col">{st('service.dash.agent')}</th>
                        <th scope="col" className="num">{st('service.dash.solved')}</th>
                        <th scope="col" className="num">{st('service.dash.csatAvg')}</th>
                        <th scope="col" className="num">{st('service.dash.attainment')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.by_agent.map((a: Json) => (
                        <tr key={a.agent_id ?? a.name}>
                          <th scope="row" data-label={st('service.dash.agent')}>{a.name}</th>
                          <td className="num" data-label={st('service.dash.solved')} data-testid="agent-solved">{fmtNumber(a.solved)}</td>
                          <td className="num" data-label={st('service.dash.csatAvg')}>{a.csat_avg === null || a.csat_avg === undefined ? '—' : fmtFixed(a.csat_avg, 1)}</td>
                          <td className="num" data-label={st('service.dash.attainment')}>{fmtPercentValue(a.attainment_pct)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
          </div>
        </>
      )}
    </div>
  );
}
