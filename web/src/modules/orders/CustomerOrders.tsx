// What orders bring to a customer's 360° page: the value figures (revenue, order count, average,
// first and last purchase) and the customer's orders.
import type { Json } from '../../api';
import { fmtDate, fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { fieldLabel } from '../../kernel/schema';
import { ValueOf } from '../../kernel/values';
import { fieldDef } from '../../kernel/schema';
import { Link } from '../../router';

export function ValueFigures({ value }: { value: Json }) {
  const figures: [string, string, boolean?][] = [
    [t('v360.revenue'), fmtMoney(value.revenue_cents)],
    [t('v360.orderCount'), fmtNumber(value.order_count)],
    [t('v360.average'), fmtMoney(value.average_order_cents)],
    [t('v360.firstPurchase'), fmtDate(value.first_purchase_at), true],
    [t('v360.lastPurchase'), fmtDate(value.last_purchase_at), true],
  ];
  return (
    <div className="figures">
      {figures.map(([label, v, small], i) => (
        <div className="figure" key={label}>
          <span className="figure-label">{label}</span>
          <span className={'figure-value' + (small ? ' small' : '')} data-testid={i === 0 ? 'revenue' : undefined}>{v}</span>
        </div>
      ))}
    </div>
  );
}

export function CustomerOrders({ orders, target }: { orders: Json[]; target: { contact_id?: number; account_id?: number } }) {
  if (!orders.length) return <p className="muted">{t('v360.noOrder')}</p>;
  const q = target.contact_id ? `contact_id=${target.contact_id}` : `account_id=${target.account_id}`;
  const cols = ['channel', 'status'];
  return (
    <>
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">{fieldLabel('orders', 'ordered_at')}</th>
              {cols.map((c) => <th scope="col" key={c}>{fieldLabel('orders', c)}</th>)}
              <th scope="col" className="num">{fieldLabel('orders', 'total_cents')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{fmtDate(o.ordered_at)}</Link>
                </td>
                {cols.map((c) => <td key={c}><ValueOf f={fieldDef('orders', c)} value={o[c]} record={o} /></td>)}
                <td className="num">{fmtMoney(o.total_cents, o.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small">
        <Link to={`/orders?${q}`}>{t('v360.orders')} →</Link>
      </p>
    </>
  );
}
