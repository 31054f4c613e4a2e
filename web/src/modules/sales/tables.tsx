// Small tables of opportunities and quotes, shared by the record pages and the 360° pages:
// names with links, stages by their names, statuses by their labels, French amounts and dates.
import type { Json } from '../../api';
import { fmtDay, fmtMoney } from '../../format';
import { enumLabel, fieldLabel } from '../../kernel/schema';
import { Link } from '../../router';
import { StageName } from './pipelines';

export function OpportunitiesTable({ rows }: { rows: Json[] }) {
  return (
    <div className="table-wrap">
      <table className="table compact sales-table" data-testid="opportunities-table">
        <thead>
          <tr>
            <th scope="col">{fieldLabel('opportunities', 'name')}</th>
            <th scope="col">{fieldLabel('opportunities', 'stage')}</th>
            <th scope="col" className="num">{fieldLabel('opportunities', 'amount_cents')}</th>
            <th scope="col">{fieldLabel('opportunities', 'expected_close_date')}</th>
            <th scope="col">{fieldLabel('opportunities', 'status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.id} data-opportunity={o.id}>
              <td><Link to={`/opportunities/${o.id}`}>{o.name}</Link></td>
              <td><StageName pipelineId={o.pipeline_id} stage={o.stage} /></td>
              <td className="num">{fmtMoney(o.amount_cents, o.currency || 'EUR')}</td>
              <td>{fmtDay(o.expected_close_date)}</td>
              <td>{enumLabel('opportunities', 'status', o.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QuotesTable({ rows }: { rows: Json[] }) {
  return (
    <div className="table-wrap">
      <table className="table compact sales-table" data-testid="quotes-table">
        <thead>
          <tr>
            <th scope="col">{fieldLabel('quotes', 'number')}</th>
            <th scope="col">{fieldLabel('quotes', 'title')}</th>
            <th scope="col">{fieldLabel('quotes', 'status')}</th>
            <th scope="col" className="num">{fieldLabel('quotes', 'total_cents')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((q) => (
            <tr key={q.id} data-quote={q.id}>
              <td><Link to={`/quotes/${q.id}`}>{q.number || q.title}</Link></td>
              <td>{q.title}</td>
              <td>{enumLabel('quotes', 'status', q.status)}</td>
              <td className="num">{fmtMoney(q.total_cents, q.currency || 'EUR')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
