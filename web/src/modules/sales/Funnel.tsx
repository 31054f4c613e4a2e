// Entonnoir (/sales/funnel): how contacts or accounts went up the lifecycle ladder over a period
// (GET /api/v1/sales/funnel), per source, per owner or all together: for each stage how many
// reached it, went on, dropped out, the conversion rate, and the reasons of those who left.
// Above it, the four macro-processes over the same period (GET /api/v1/sales/macro-processes):
// Conquérir, Fidéliser, Développer, Reconquérir, each counted by the lifecycle stages and by
// purchases as the analytics' cohorts count them.
import { useState } from 'react';
import { api, qs, type Json } from '../../api';
import { fmtDay, fmtNumber, fmtPct } from '../../format';
import { t } from '../../i18n';
import { enumLabel, entityLabel } from '../../kernel/schema';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { DateField, ownerName, SalesPage, Wrap } from './reportCommon';
import './sales.css';

function groupName(data: Json, key: Json): string {
  if (data.by === 'none') return t('sales.fun.all');
  if (data.by === 'owner') return ownerName(data.names, key);
  return key == null || key === '' ? t('sales.rep.notSet') : enumLabel(data.entity, 'source_type', key);
}

const PROCESSES = [
  ['recruit', 'sales.mac.recruit', 'sales.mac.recruitHint'],
  ['retain', 'sales.mac.retain', 'sales.mac.retainHint'],
  ['develop', 'sales.mac.develop', 'sales.mac.developHint'],
  ['win_back', 'sales.mac.winBack', 'sales.mac.winBackHint'],
] as const;

// The four cards: the figure by stages first, the analytics' beside it, and one line saying what
// each counts.
function MacroProcesses({ data }: { data: Json }) {
  const by = new Map<string, Json>((data.processes as Json[]).map((p) => [p.key, p]));
  return (
    <Section title={t('sales.mac.title')} className="macro-processes">
      <p className="small muted">
        {t('sales.mac.intro', { from: fmtDay(data.previous_from), to: fmtDay(data.previous_to) })}
      </p>
      <ul className="macro-cards" data-testid="macro-cards">
        {PROCESSES.map(([key, label, hint]) => {
          const p = by.get(key) ?? { funnel: 0, analytics: 0 };
          return (
            <li key={key} className="card macro-card" data-process={key}>
              <h3>{t(label)}</h3>
              <p className="macro-figures">
                <span className="macro-main" data-testid={`macro-${key}-funnel`}>{fmtNumber(p.funnel)}</span>
                <span className="small">{t('sales.mac.byStages')}</span>
              </p>
              <p className="macro-figures">
                <span className="macro-second" data-testid={`macro-${key}-analytics`}>{fmtNumber(p.analytics)}</span>
                <span className="small">{t('sales.mac.byPurchases')}</span>
              </p>
              <p className="small muted">{t(hint)}</p>
            </li>
          );
        })}
      </ul>
      <p className="small">
        {t('sales.mac.lost', { funnel: fmtNumber(data.lost?.funnel), analytics: fmtNumber(data.lost?.analytics) })}
      </p>
    </Section>
  );
}

export default function Funnel() {
  const [entity, setEntity] = useState<'contacts' | 'accounts'>('contacts');
  const [by, setBy] = useState<'none' | 'source' | 'owner'>('none');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { data, error, loading, reload } = useAsync<Json>(
    () => api('/sales/funnel' + qs({ entity, by, from: from || undefined, to: to || undefined })), [entity, by, from, to]);
  const macro = useAsync<Json>(
    () => api('/sales/macro-processes' + qs({ entity, from: from || undefined, to: to || undefined })), [entity, from, to]);
  const stage = (s: string) => enumLabel(data?.entity ?? entity, 'lifecycle_stage', s);
  return (
    <SalesPage title={t('sales.fun.title')} intro={t('sales.fun.intro')} className="sales-funnel-page">
      <div className="sales-controls">
        <div className="field">
          <label htmlFor="fun-entity">{t('sales.fun.entity')}</label>
          <select id="fun-entity" value={entity} onChange={(e) => setEntity(e.target.value as 'contacts' | 'accounts')}>
            <option value="contacts">{entityLabel('contacts')}</option>
            <option value="accounts">{entityLabel('accounts')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="fun-by">{t('sales.fun.by')}</label>
          <select id="fun-by" value={by} onChange={(e) => setBy(e.target.value as 'none' | 'source' | 'owner')}>
            <option value="none">{t('sales.fun.byNone')}</option>
            <option value="source">{t('sales.fun.bySource')}</option>
            <option value="owner">{t('sales.fun.byOwner')}</option>
          </select>
        </div>
        <DateField id="fun-from" label={t('sales.rep.from')} value={from} onChange={setFrom} />
        <DateField id="fun-to" label={t('sales.rep.to')} value={to} onChange={setTo} />
      </div>
      <ErrorBox error={macro.error} onRetry={macro.reload} />
      {macro.data && <MacroProcesses data={macro.data} />}
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && data.groups.length === 0 && <p className="muted">{t('sales.rep.none')}</p>}
      {data && data.groups.map((g: Json, i: number) => (
        <Section key={i} title={groupName(data, g.key)} className="funnel-group">
          <Wrap>
            <table className="table compact sales-table" data-testid="funnel-table">
              <thead>
                <tr>
                  <th scope="col">{t('sales.fun.stage')}</th>
                  <th scope="col" className="num">{t('sales.fun.reached')}</th>
                  <th scope="col" className="num">{t('sales.fun.converted')}</th>
                  <th scope="col" className="num">{t('sales.fun.dropped')}</th>
                  <th scope="col" className="num">{t('sales.fun.rate')}</th>
                </tr>
              </thead>
              <tbody>
                {g.steps.map((s: Json) => (
                  <tr key={s.stage} data-stage={s.stage}>
                    <th scope="row">{stage(s.stage)}</th>
                    <td className="num">{fmtNumber(s.reached)}</td>
                    <td className="num">{fmtNumber(s.converted)}</td>
                    <td className="num">{fmtNumber(s.dropped)}</td>
                    <td className="num key">{fmtPct(s.conversion_rate, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Wrap>
          <p className="small">
            {t('sales.fun.exits', { disq: fmtNumber(g.disqualified), inactive: fmtNumber(g.inactive) })}
          </p>
          {g.exit_reasons?.length > 0 && (
            <>
              <h3>{t('sales.fun.reasons')}</h3>
              <Wrap>
                <table className="table compact sales-table" data-testid="funnel-reasons">
                  <thead>
                    <tr>
                      <th scope="col">{t('sales.fun.stage')}</th>
                      <th scope="col">{t('sales.fun.reason')}</th>
                      <th scope="col" className="num">{t('sales.fun.count')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.exit_reasons.map((r: Json, j: number) => (
                      <tr key={j}>
                        <td>{stage(r.stage)}</td>
                        <td>{r.reason ?? t('sales.fun.noReason')}</td>
                        <td className="num">{fmtNumber(r.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Wrap>
            </>
          )}
        </Section>
      ))}
    </SalesPage>
  );
}
