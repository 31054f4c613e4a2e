// What the opportunity's record page adds: the time it spent in each stage (GET
// /api/v1/opportunities/{id}/stage-times, stage names from its pipeline) and its quotes (GET
// /api/v1/quotes?opportunity_id=…) with a "New quote" link that fills the opportunity in.
import { api, qs, type Json, type ListPage } from '../../api';
import { fmtDateTime, fmtDuration } from '../../format';
import { t } from '../../i18n';
import { entityDef } from '../../kernel/schema';
import { Link } from '../../router';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';
import OpportunityScore from './OpportunityScore';
import { stageName, usePipeline } from './pipelines';
import { QuotesTable } from './tables';

function duration(seconds: number): string {
  return seconds < 60 ? t('sales.opp.underMinute') : fmtDuration(seconds);
}

export function StageTimes({ record }: { record: Json }) {
  const pipeline = usePipeline(record.pipeline_id);
  const { data, error, reload } = useAsync<{ data: Json[] }>(() => api(`/opportunities/${record.id}/stage-times`), [record.id, record.version]);
  return (
    <Section title={t('sales.opp.stageTimes')} className="stage-times">
      <ErrorBox error={error} onRetry={reload} />
      {!data && !error && <Loading />}
      {data && !data.data.length && <p className="muted">{t('sales.opp.noHistory')}</p>}
      {data && data.data.length > 0 && (
        <div className="table-wrap">
          <table className="table compact sales-table" data-testid="stage-times">
            <thead>
              <tr>
                <th scope="col">{t('sales.opp.stage')}</th>
                <th scope="col">{t('sales.opp.entered')}</th>
                <th scope="col" className="num">{t('sales.opp.duration')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((row, i) => (
                <tr key={i} data-stage={row.stage}>
                  <td>
                    {stageName(pipeline, row.stage)}
                    {!row.left_at && <span className="badge">{t('sales.opp.current')}</span>}
                  </td>
                  <td>{fmtDateTime(row.entered_at)}</td>
                  <td className="num">{duration(row.seconds ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

// The prefilled form of a new quote for this opportunity (its customer with it).
export function newQuoteUrl(opp: Json): string {
  return '/quotes/new' + qs({ opportunity_id: opp.id, account_id: opp.account_id, contact_id: opp.contact_id, currency: opp.currency });
}

export function OpportunityQuotes({ record }: { record: Json }) {
  const quotes = entityDef('quotes');
  const { data, error, reload } = useAsync<ListPage>(
    () => api('/quotes' + qs({ opportunity_id: record.id, sort: '-created_at', limit: 50 })),
    [record.id, record.version],
  );
  if (!quotes?.can.read) return null;
  return (
    <Section title={t('sales.opp.quotes')} className="opp-quotes"
      actions={quotes.can.create && (
        <Link className="btn small" to={newQuoteUrl(record)}>
          + {t('sales.opp.newQuote')}
        </Link>
      )}>
      <ErrorBox error={error} onRetry={reload} />
      {!data && !error && <Loading />}
      {data && (data.data.length ? <QuotesTable rows={data.data} /> : <p className="muted">{t('sales.opp.noQuote')}</p>)}
    </Section>
  );
}

export default function OpportunityExtra({ record }: { record: Json }) {
  return (
    <>
      <StageTimes record={record} />
      <OpportunityScore record={record} />
      <OpportunityQuotes record={record} />
    </>
  );
}
