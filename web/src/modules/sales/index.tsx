// Sales (docs/sales.md): the kanban board of a pipeline (/sales/board, nav "Pipeline"), the
// opportunity's time per stage and quotes, the quote's totals, VAT per rate, PDF and acceptance,
// and the customer's opportunities, quotes and referred deals on the 360° pages. Lists and forms
// of pipelines, opportunities, reasons, price lists and quotes are the catalogue's.
import type { Json } from '../../api';
import { t } from '../../i18n';
import type { ModuleDef, V360Context } from '../../kernel/registry';
import { entityDef } from '../../kernel/schema';
import { Link } from '../../router';
import { Section } from '../../ui';
import Board from './Board';
import Forecast from './Forecast';
import Funnel from './Funnel';
import LeadFormSnippet from './LeadFormSnippet';
import Results from './Results';
import SalesSettings from './SalesSettings';
import OpportunityExtra from './OpportunityExtra';
import { StageField } from './OpportunityForm';
import { knownPipeline, stageName, StageName } from './pipelines';
import QuoteExtra from './QuoteExtra';
import { OpportunitiesTable, QuotesTable } from './tables';

const canRead = (entity: string) => !!entityDef(entity)?.can.read;

function customerQuery(c: V360Context, field = ''): string {
  if (field) return `${field}=${c.record.id}`;
  return c.target.contact_id ? `contact_id=${c.target.contact_id}` : `account_id=${c.target.account_id}`;
}

function V360List({ rows, entity, empty, query, kind }: {
  rows: Json[] | undefined; entity: string; empty: string; query: string; kind: 'opportunities' | 'quotes';
}) {
  if (!rows?.length) return <p className="muted">{empty}</p>;
  return (
    <>
      {kind === 'opportunities' ? <OpportunitiesTable rows={rows} /> : <QuotesTable rows={rows} />}
      <p className="small">
        <Link to={`/${entity}?${query}`}>{t('sales.v360.all')} →</Link>
      </p>
    </>
  );
}

export const sales: ModuleDef = {
  name: 'sales',
  entities: {
    opportunities: {
      recordExtra: ({ record }) => <OpportunityExtra record={record} />,
      recordFields: { stage: (r) => <StageName pipelineId={r.pipeline_id} stage={r.stage} /> },
      form: { fields: ['stage'], render: (p) => <StageField {...p} /> },
      list: {
        columns: {
          stage: {
            render: (r) => <StageName pipelineId={r.pipeline_id} stage={r.stage} />,
            value: (r) => stageName(knownPipeline(r.pipeline_id), r.stage),
          },
        },
      },
    },
    lead_forms: {
      recordExtra: ({ record }) => <LeadFormSnippet record={record} />,
    },
    quotes: {
      recordExtra: ({ record, reload }) => <QuoteExtra record={record} reload={reload} />,
      recordFields: { vat_breakdown: null },
    },
  },
  routes: [
    { path: '/sales/board', render: () => <Board /> },
    { path: '/sales', render: () => <Board /> },
    { path: '/sales/forecast', render: () => <Forecast /> },
    { path: '/sales/results', render: () => <Results /> },
    { path: '/sales/funnel', render: () => <Funnel /> },
    { path: '/sales/settings', render: () => <SalesSettings /> },
  ],
  nav: [
    { path: '/sales/board', label: 'nav.pipeline', order: 3, visible: () => canRead('opportunities') },
    { path: '/sales/forecast', label: 'nav.forecast', order: 3.1, visible: () => canRead('opportunities') },
    { path: '/sales/results', label: 'nav.results', order: 3.2, visible: () => canRead('opportunities') },
    { path: '/sales/funnel', label: 'nav.funnel', order: 3.3, visible: () => canRead('opportunities') },
    { path: '/sales/settings', label: 'nav.salesSettings', order: 3.4, visible: (u) => u.role === 'admin' || u.role === 'manager' },
  ],
  v360: [
    {
      key: 'opportunities', order: 62, column: 'main',
      render: (c) => canRead('opportunities') && (
        <Section title={t('sales.v360.opportunities')} className="v360-opportunities">
          <V360List rows={c.view.opportunities} entity="opportunities" kind="opportunities" empty={t('sales.v360.noOpportunity')}
            query={customerQuery(c)} />
        </Section>
      ),
    },
    {
      key: 'quotes', order: 64, column: 'main',
      render: (c) => canRead('quotes') && (
        <Section title={t('sales.v360.quotes')} className="v360-quotes">
          <V360List rows={c.view.quotes} entity="quotes" kind="quotes" empty={t('sales.v360.noQuote')} query={customerQuery(c)} />
        </Section>
      ),
    },
    {
      key: 'referrals', order: 66, column: 'main', entities: ['contacts'],
      render: (c) => canRead('opportunities') && (c.view.referrals?.length ?? 0) > 0 && (
        <Section title={t('sales.v360.referrals')} className="v360-referrals">
          <V360List rows={c.view.referrals} entity="opportunities" kind="opportunities" empty=""
            query={customerQuery(c, 'referred_by_contact_id')} />
        </Section>
      ),
    },
  ],
};
