// Prévisions (/sales/forecast, docs/sales.md "Forecast and accuracy"): the pipeline by month of
// expected close (open, weighted, per forecast category, won) and per owner, the forecast accuracy
// of a past month against the last weekly snapshot before it, and the win rates by source, owner
// and pipeline (GET /api/v1/sales/forecast, /forecast/accuracy, /performance).
import { useState } from 'react';
import { api, qs, type Json } from '../../api';
import { MonthBars } from '../../components/Charts';
import { fmtDay, fmtMoney, fmtMonth, fmtMoneyShort, fmtNumber, fmtPct, fmtScore } from '../../format';
import { t } from '../../i18n';
import { enumLabel } from '../../kernel/schema';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { addMonths, DateField, MonthField, ownerName, SalesPage, thisMonth, Wrap } from './reportCommon';
import './sales.css';

// The company's currency: the reports add amounts up in it and say which (every answer carries
// `currency`); set from each answer before its amounts are shown.
let companyCurrency = 'EUR';
const money = (c: number | null | undefined) => fmtMoney(c ?? 0, companyCurrency);
const takeCurrency = (data: Json | null | undefined) => {
  if (data?.currency) companyCurrency = data.currency;
};

function sumOwners(rows: Json[]): Json[] {
  const by = new Map<string, Json>();
  for (const r of rows) {
    const k = String(r.owner_id ?? '');
    const cur = by.get(k) ?? { owner_id: r.owner_id, open_cents: 0, weighted_cents: 0, commit_cents: 0, best_case_cents: 0, pipeline_cents: 0, won_cents: 0 };
    for (const f of ['open_cents', 'weighted_cents', 'commit_cents', 'best_case_cents', 'pipeline_cents', 'won_cents']) cur[f] += r[f] ?? 0;
    by.set(k, cur);
  }
  return [...by.values()].sort((a, b) => b.weighted_cents - a.weighted_cents);
}

function AmountHeads() {
  return (
    <>
      <th scope="col" className="num">{t('sales.fc.open')}</th>
      <th scope="col" className="num">{t('sales.fc.weighted')}</th>
      <th scope="col" className="num">{t('sales.fc.commit')}</th>
      <th scope="col" className="num">{t('sales.fc.bestCase')}</th>
      <th scope="col" className="num">{t('sales.fc.pipeline')}</th>
      <th scope="col" className="num">{t('sales.fc.won')}</th>
    </>
  );
}

function AmountCells({ r }: { r: Json }) {
  return (
    <>
      <td className="num">{money(r.open_cents)}</td>
      <td className="num key">{money(r.weighted_cents)}</td>
      <td className="num">{money(r.commit_cents)}</td>
      <td className="num">{money(r.best_case_cents)}</td>
      <td className="num">{money(r.pipeline_cents)}</td>
      <td className="num">{money(r.won_cents)}</td>
    </>
  );
}

function ForecastTables() {
  const [from, setFrom] = useState(thisMonth());
  const [to, setTo] = useState(addMonths(thisMonth(), 2));
  const { data, error, loading, reload } = useAsync<Json>(() => api('/sales/forecast' + qs({ from, to })), [from, to]);
  takeCurrency(data);
  return (
    <Section title={t('sales.fc.byMonth')} className="sales-forecast">
      <div className="an-controls sales-controls">
        <MonthField id="fc-from" label={t('sales.rep.fromMonth')} value={from} onChange={setFrom} />
        <MonthField id="fc-to" label={t('sales.rep.toMonth')} value={to} onChange={setTo} />
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <Wrap>
            <table className="table compact sales-table" data-testid="forecast-months">
              <thead><tr><th scope="col">{t('sales.fc.month')}</th><AmountHeads /></tr></thead>
              <tbody>
                {data.months.map((m: Json) => (
                  <tr key={m.month} data-month={m.month}><th scope="row">{fmtMonth(m.month)}</th><AmountCells r={m} /></tr>
                ))}
              </tbody>
            </table>
          </Wrap>
          {data.months.length > 0 && (
            <div className="sales-charts">
              <div>
                <h3>{t('sales.fc.weighted')}</h3>
                <MonthBars data={data.months.map((m: Json) => ({ month: m.month, value: m.weighted_cents }))}
                  format={(v) => fmtMoneyShort(v, companyCurrency)} label={t('sales.fc.chartWeighted')} />
              </div>
              <div>
                <h3>{t('sales.fc.won')}</h3>
                <MonthBars data={data.months.map((m: Json) => ({ month: m.month, value: m.won_cents }))}
                  format={(v) => fmtMoneyShort(v, companyCurrency)} label={t('sales.fc.chartWon')} color="#2563eb" />
              </div>
            </div>
          )}
          <h3>{t('sales.fc.byOwner')}</h3>
          {data.owners.length === 0 ? <p className="muted">{t('sales.rep.none')}</p> : (
            <Wrap>
              <table className="table compact sales-table" data-testid="forecast-owners">
                <thead><tr><th scope="col">{t('sales.rep.owner')}</th><AmountHeads /></tr></thead>
                <tbody>
                  {sumOwners(data.owners).map((r) => (
                    <tr key={String(r.owner_id)}><th scope="row">{ownerName(data.names, r.owner_id)}</th><AmountCells r={r} /></tr>
                  ))}
                </tbody>
              </table>
            </Wrap>
          )}
        </>
      )}
    </Section>
  );
}

function Accuracy() {
  const [month, setMonth] = useState(addMonths(thisMonth(), -1));
  const { data, error, loading, reload } = useAsync<Json>(() => api('/sales/forecast/accuracy' + qs({ month })), [month]);
  takeCurrency(data);
  return (
    <Section title={t('sales.acc.title')} className="sales-accuracy">
      <p className="muted small">{t('sales.acc.intro')}</p>
      <div className="an-controls sales-controls">
        <MonthField id="acc-month" label={t('sales.rep.month')} value={month} onChange={setMonth} />
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p data-testid="accuracy-week">
            {data.snapshot_week ? t('sales.acc.week', { date: fmtDay(data.snapshot_week) }) : t('sales.acc.noSnapshot')}
          </p>
          <Wrap>
            <table className="table compact sales-table" data-testid="forecast-accuracy">
              <thead>
                <tr>
                  <th scope="col">{t('sales.rep.owner')}</th>
                  <th scope="col" className="num">{t('sales.acc.committed')}</th>
                  <th scope="col" className="num">{t('sales.acc.bestCase')}</th>
                  <th scope="col" className="num">{t('sales.acc.won')}</th>
                  <th scope="col" className="num">{t('sales.acc.accuracy')}</th>
                </tr>
              </thead>
              <tbody>
                {data.owners.map((r: Json) => (
                  <tr key={String(r.owner_id)}>
                    <th scope="row">{ownerName(data.names, r.owner_id)}</th>
                    <td className="num">{money(r.commit_cents)}</td>
                    <td className="num">{money(r.best_case_cents)}</td>
                    <td className="num">{money(r.won_cents)}</td>
                    <td className="num key">{fmtPct(r.accuracy, 0)}</td>
                  </tr>
                ))}
                {data.owners.length === 0 && <tr><td colSpan={5} className="muted">{t('sales.rep.none')}</td></tr>}
              </tbody>
              {data.owners.length > 0 && (
                <tfoot>
                  <tr>
                    <th scope="row">{t('sales.rep.total')}</th>
                    <td className="num">{money(data.commit_cents)}</td>
                    <td className="num" />
                    <td className="num">{money(data.won_cents)}</td>
                    <td className="num key">{fmtPct(data.accuracy, 0)}</td>
                  </tr>
                </tfoot>
              )}
            </table>
          </Wrap>
        </>
      )}
    </Section>
  );
}

function PerfTable({ rows, label, name, testId }: { rows: Json[]; label: string; name: (key: Json) => string; testId: string }) {
  return (
    <div className="perf-block">
      <h3>{label}</h3>
      {rows.length === 0 ? <p className="muted">{t('sales.rep.none')}</p> : (
        <Wrap>
          <table className="table compact sales-table" data-testid={testId}>
            <thead>
              <tr>
                <th scope="col">{label}</th>
                <th scope="col" className="num">{t('sales.perf.won')}</th>
                <th scope="col" className="num">{t('sales.perf.lost')}</th>
                <th scope="col" className="num">{t('sales.perf.winRate')}</th>
                <th scope="col" className="num">{t('sales.perf.cycle')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{name(r.key)}</th>
                  <td className="num">{fmtNumber(r.won)}</td>
                  <td className="num">{fmtNumber(r.lost)}</td>
                  <td className="num key">{fmtPct(r.win_rate, 0)}</td>
                  <td className="num">{r.average_cycle_days == null ? '—' : t('sales.perf.days', { n: fmtScore(r.average_cycle_days, 1) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Wrap>
      )}
    </div>
  );
}

function Performance() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { data, error, loading, reload } = useAsync<Json>(() => api('/sales/performance' + qs({ from: from || undefined, to: to || undefined })), [from, to]);
  takeCurrency(data);
  const pipes = useAsync<{ data: Json[] }>(() => api('/pipelines' + qs({ limit: 200 })), []);
  const pipeName = (id: Json) => {
    if (id == null) return t('sales.rep.notSet');
    return pipes.data?.data.find((p) => p.id === id)?.name ?? t('sales.rep.unknownPipeline');
  };
  return (
    <Section title={t('sales.perf.title')} className="sales-performance">
      <p className="muted small">{t('sales.perf.intro')}</p>
      <div className="an-controls sales-controls">
        <DateField id="perf-from" label={t('sales.rep.from')} value={from} onChange={setFrom} />
        <DateField id="perf-to" label={t('sales.rep.to')} value={to} onChange={setTo} />
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <div className="perf-grid">
          <PerfTable rows={data.by_source ?? []} label={t('sales.perf.bySource')} testId="perf-source"
            name={(k) => (k == null || k === '' ? t('sales.rep.notSet') : enumLabel('opportunities', 'source', k))} />
          <PerfTable rows={data.by_owner ?? []} label={t('sales.perf.byOwner')} testId="perf-owner" name={(k) => ownerName(data.names, k)} />
          <PerfTable rows={data.by_pipeline ?? []} label={t('sales.perf.byPipeline')} testId="perf-pipeline" name={pipeName} />
        </div>
      )}
    </Section>
  );
}

export default function Forecast() {
  return (
    <SalesPage title={t('sales.fc.title')} intro={t('sales.fc.intro')} className="sales-forecast-page">
      <ForecastTables />
      <Accuracy />
      <Performance />
    </SalesPage>
  );
}
