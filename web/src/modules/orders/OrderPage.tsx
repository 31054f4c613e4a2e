// One order: its customer, status, channel, lines with products and discounts, totals and notes.
// The status can be moved on from here (confirmed → paid → shipped, or cancelled/returned); a
// stale page gets the server's 412 message. Lines are changed through the API or an import.
import { useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { fmtDateTime, fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import AuditPanel from '../../kernel/AuditPanel';
import { canDeleteRecord, entityDef, enumLabel, enumValues, fieldLabel } from '../../kernel/schema';
import { RefLink, userLabel, useRecordName } from '../../kernel/values';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Loading, Section, useAsync, useFlash } from '../../ui';

// A line's product by name, with its own description when it differs.
function ProductName({ line: l }: { line: Json }) {
  const name = useRecordName('products', l.product_id);
  return (
    <>
      {l.product_id ? <Link to={`/products/${l.product_id}`}>{name ?? '…'}</Link> : null}
      {l.description && l.description !== name && <div className="muted small">{l.description}</div>}
    </>
  );
}

export default function OrderPage({ id }: { id: number }) {
  const { user, users } = useSession();
  const { data: o, error, loading, reload } = useAsync<Json>(() => api(`/orders/${id}`), [id]);
  const [flash, show] = useFlash();
  const [refresh, setRefresh] = useState(0);

  if (error) return <div className="page"><ErrorBox error={error} onRetry={reload} /></div>;
  if (!o) return <div className="page">{loading && <Loading />}</div>;
  const e = entityDef('orders')!;
  const writable = e.can.update;
  const setStatus = async (status: string) => {
    try {
      await api(`/orders/${o.id}`, { method: 'PATCH', body: { status }, ifMatch: o.version });
      show(t('order.statusSaved', { status: enumLabel('orders', 'status', status) }));
      reload();
      setRefresh((n) => n + 1);
    } catch (err) {
      show((err as ApiError).message, 'error');
      if ((err as ApiError).status === 412) reload();
    }
  };
  const remove = async () => {
    if (!window.confirm(t('order.confirmDelete', { id: o.id }))) return;
    try {
      await api(`/orders/${o.id}`, { method: 'DELETE', ifMatch: o.version });
      navigate('/orders');
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };
  const money = (c: number | null | undefined) => fmtMoney(c ?? 0, o.currency);
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/orders">{e.label}</Link>
          </p>
          <h1>{t('order.title', { id: o.id })}</h1>
          <p className="subtitle">
            {fmtDateTime(o.ordered_at)} · {o.channel ? enumLabel('orders', 'channel', o.channel) : '—'} ·{' '}
            <span className={'badge status-' + o.status}>{enumLabel('orders', 'status', o.status)}</span>
          </p>
        </div>
        <div className="head-actions">
          {writable && (
            <label>
              <span>{fieldLabel('orders', 'status')}</span>{' '}
              <select value={o.status} onChange={(ev) => setStatus(ev.target.value)}>
                {enumValues('orders', 'status').map(({ value: s }) => (
                  <option key={s} value={s}>
                    {enumLabel('orders', 'status', s)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {writable && (
            <Link className="btn" to={`/orders/${o.id}/edit`}>
              {t('edit')}
            </Link>
          )}
          {canDeleteRecord(e, o, user?.id) && (
            <button type="button" className="btn danger" onClick={remove}>
              {t('delete')}
            </button>
          )}
        </div>
      </header>
      {flash}
      <div className="grid-360">
        <div className="col-main">
          <Section title={t('order.lines')}>
            <div className="table-wrap">
              <table className="table compact order-lines">
                <thead>
                  <tr>
                    <th scope="col">{fieldLabel('orders', 'lines.product_id')}</th>
                    <th scope="col" className="num">{fieldLabel('orders', 'lines.quantity')}</th>
                    <th scope="col" className="num">{fieldLabel('orders', 'lines.unit_price_cents')}</th>
                    <th scope="col" className="num">{t('order.discount')}</th>
                    <th scope="col" className="num">{fieldLabel('orders', 'total_cents')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(o.lines || []).map((l: Json) => (
                    <tr key={l.line_no ?? l.id}>
                      <td>
                        <ProductName line={l} />
                      </td>
                      <td className="num">{fmtNumber(l.quantity)}</td>
                      <td className="num">{money(l.unit_price_cents)}</td>
                      <td className="num">{l.discount_cents ? '− ' + money(l.discount_cents) : ''}</td>
                      <td className="num">{money(l.total_cents)}</td>
                    </tr>
                  ))}
                  {!(o.lines || []).length && (
                    <tr>
                      <td colSpan={5} className="muted">{t('order.noLines')}</td>
                    </tr>
                  )}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={4}>{t('order.subtotal')}</th>
                    <td className="num">{money(o.subtotal_cents ?? o.total_cents)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colSpan={4}>{t('order.discount')}</th>
                    <td className="num">{o.discount_cents ? '− ' + money(o.discount_cents) : money(0)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colSpan={4}>{fieldLabel('orders', 'total_cents')}</th>
                    <td className="num"><strong>{money(o.total_cents)}</strong></td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </Section>
        </div>
        <div className="col-side">
          <Section title={t('order.customer')}>
            <dl className="dl">
              <div>
                <dt>{fieldLabel('orders', 'contact_id')}</dt>
                <dd><RefLink entity="contacts" id={o.contact_id} /></dd>
              </div>
              <div>
                <dt>{fieldLabel('orders', 'account_id')}</dt>
                <dd><RefLink entity="accounts" id={o.account_id} /></dd>
              </div>
              <div>
                <dt>{t('order.createdBy')}</dt>
                <dd>{userLabel(o.created_by, users)}</dd>
              </div>
              {o.external_id && (
                <div>
                  <dt>{fieldLabel('orders', 'external_id')}</dt>
                  <dd>{o.external_id}</dd>
                </div>
              )}
            </dl>
          </Section>
          {o.notes && (
            <Section title={fieldLabel('orders', 'notes')}>
              <p className="pre">{o.notes}</p>
            </Section>
          )}
          <AuditPanel entity="orders" id={o.id} refresh={refresh} />
        </div>
      </div>
    </div>
  );
}
