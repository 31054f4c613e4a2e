// The opportunity's two scores side by side (GET /api/v1/opportunities/{id}/score, built by
// src/modules/sales/lead_scoring.cpp): the rule score {total, band, lines[{points, label}]} and
// the learned score {probability, points, prior_only, note, lines[{field, value, points}]}. The
// learned lines carry codes (source: existing_customer, pipeline_id: 1): they are written here
// with the catalogue's field and value labels, the pipeline's name and French amounts.
import { api, type Json } from '../../api';
import { fmtMoney, fmtNumber, fmtPct, fmtScore } from '../../format';
import { t } from '../../i18n';
import { enumLabel, fieldDef, fieldLabel } from '../../kernel/schema';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import { usePipeline } from './pipelines';

function signed(n: number, text: string): string {
  return (n > 0 ? '+' : n < 0 ? '−' : '') + text;
}

// account_industry → accounts.industry; contact_region → contacts.region; else the opportunity's.
function where(field: string): [string, string] {
  if (field.startsWith('account.') || field.startsWith('account_')) return ['accounts', field.slice(8)];
  if (field.startsWith('contact.') || field.startsWith('contact_')) return ['contacts', field.slice(8)];
  return ['opportunities', field];
}

function PipelineName({ id }: { id: number }) {
  const p = usePipeline(id);
  return <>{p?.name ?? t('sales.rep.unknownPipeline')}</>;
}

function LineText({ field, value }: { field: string; value: Json }) {
  if (field === 'departement') return <>{t('sales.score.departement')} : {String(value ?? '—')}</>;
  const [entity, name] = where(field);
  const label = fieldLabel(entity, name);
  let shown: React.ReactNode;
  const def = fieldDef(entity, name);
  if (value === null || value === undefined || value === '') shown = t('sales.score.empty');
  else if (name === 'pipeline_id' && typeof value === 'number') shown = <PipelineName id={value} />;
  else if (name.endsWith('_cents') && typeof value === 'number') shown = fmtMoney(value);
  else if (def?.kind === 'enum' || def?.values?.length) shown = enumLabel(entity, name, String(value));
  else if (typeof value === 'number') shown = fmtNumber(value);
  else if (typeof value === 'boolean') shown = value ? t('sales.score.yes') : t('sales.score.no');
  else shown = String(value);
  return <>{label} : {shown}</>;
}

export default function OpportunityScore({ record }: { record: Json }) {
  const { data, error, reload } = useAsync<Json>(() => api(`/opportunities/${record.id}/score`), [record.id, record.version]);
  return (
    <Section title={t('sales.score.title')} className="opp-score">
      <ErrorBox error={error} onRetry={reload} />
      {!data && !error && <Loading />}
      {data && (
        <div className="score-cols">
          <div data-testid="rule-score">
            <h3>{t('sales.score.rules')}</h3>
            <p>
              <span className="score-big">{t('sales.score.points', { n: data.rules?.total ?? 0 })}</span>
              {data.rules?.band && <span className="badge">{data.rules.band}</span>}
            </p>
            {data.rules?.lines?.length ? (
              <ul>
                {data.rules.lines.map((l: Json, i: number) => (
                  <li key={i}>{signed(l.points, fmtNumber(Math.abs(l.points)))} : {l.label}</li>
                ))}
              </ul>
            ) : <p className="muted small">{t('sales.score.noRule')}</p>}
          </div>
          <div data-testid="learned-score">
            <h3>{t('sales.score.learned')}</h3>
            <p>
              <span className="score-big">{fmtPct(data.learned?.probability, 0)}</span>{' '}
              <span className="muted small">{t('sales.score.chance')}</span>
            </p>
            {data.learned?.prior_only && data.learned?.note && <p className="small alert warn">{data.learned.note}</p>}
            {!data.learned?.prior_only && data.learned?.note && <p className="small muted">{data.learned.note}</p>}
            {data.learned?.lines?.length > 0 && (
              <ul>
                {data.learned.lines.map((l: Json, i: number) => (
                  <li key={i}>
                    {signed(l.points, fmtScore(Math.abs(l.points), 1))} : <LineText field={l.field} value={l.value} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </Section>
  );
}
