// One order: its customer, status, channel, lines with products and discounts, totals and notes.
// The status can be moved on from here (confirmed → paid → shipped, or cancelled/returned); a
// stale page gets the server's 412 message. Lines are changed through the API or an import.
import { useEffect, useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { recordName } from '../../kernel/refs';
import { fmtDateTime, fmtMoney, fmtNumber } from '../../format';
import { t, tEnum } from '../../i18n';
import { Link, navigate } from '../../router';
import { canDelete, canWriteCustomers, useSession, userName } from '../../session';
import { ErrorBox, Loading, Section, useAsync, useFlash } from '../../ui';

const STATUSES = ['draft', 'confirmed', 'paid', 'shipped', 'cancelled', 'returned'];

export default function OrderPage({ id }: { id: number }) {
  const { user, users } = useSession();
  const { data: o, error, loading, reload } = useAsync<Json>(() => api(`/orders/${id}`), [id]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [flash, show] = useFlash();

  // Names of the customer and of the lines' products.
  useEffect(() => {
    if (!o) return;
    const wanted: [string, number][] = [];
    if (o.contact_id) wanted.push(['contacts', o.contact_id]);
    if (o.account_id) wanted.push(['accounts', o.account_id]);
    for (const l of o.lines || []) if (l.product_id) wanted.push(['products', l.product_id]);
    let alive = true;
    Promise.all(wanted.map(([e, i]) => recordName(e, i).then((n) => [e + '/' + i, n || '#' + i] as const))).then(
      (pairs) => alive && setNames(Object.fromEntries(pairs)),
    );
    return () => {
      alive = false;
    };
  }, [o]);

  if (error) return <div className="page"><ErrorBox error={error} onRetry={reload} /></div>;
  if (!o) return <div className="page">{loading && <Loading />}</div>;
  const writable = canWriteCustomers(user);
  const setStatus = async (status: string) => {
    try {
      await api(`/orders/${o.id}`, { method: 'PATCH', body: { status }, ifMatch: o.version });
      show(t('order.statusSaved', { status: tEnum('status', status) }));
      reload();
    } catch (e) {
      show((e as ApiError).message, 'error');
      if ((e as ApiError).status === 412) reload();
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
  const ref = (entity: string, rid: number | null) =>
    rid ? <Link to={`/${entity}/${rid}`}>{names[entity + '/' + rid] || '#' + rid}</Link> : <span className="muted">—</span>;
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/orders">{t('nav.orders')}</Link>
          </p>
          <h1>{t('order.title', { id: o.id })}</h1>
          <p className="subtitle">
            {fmtDateTime(o.ordered_at)} · {o.channel ? tEnum('ochannel', o.channel) : '—'} ·{' '}
            <span className={'badge status-' + o.status}>{tEnum('status', o.status)}</span>
          </p>
        </div>
        <div className="head-actions">
          {writable && (
            <label>
              <span>{t('field.status')}</span>{' '}
              <select value={o.status} onChange={(e) => setStatus(e.target.value)}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {tEnum('status', s)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {canDelete(user, writable, o) && (
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
                    <th scope="col">{t('order.product')}</th>
                    <th scope="col" className="num">{t('order.quantity')}</th>
                    <th scope="col" className="num">{t('order.unitPrice')}</th>
                    <th scope="col" className="num">{t('order.discount')}</th>
                    <th scope="col" className="num">{t('field.total_cents')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(o.lines || []).map((l: Json) => (
                    <tr key={l.line_no ?? l.id}>
                      <td>
                        {l.product_id ? names['products/' + l.product_id] || '#' + l.product_id : null}
                        {l.description && l.description !== names['products/' + l.product_id] && <div className="muted small">{l.description}</div>}
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
                    <th scope="row" colSpan={4}>{t('field.total_cents')}</th>
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
                <dt>{t('field.contact_id')}</dt>
                <dd>{ref('contacts', o.contact_id)}</dd>
              </div>
              <div>
                <dt>{t('field.account_id')}</dt>
                <dd>{ref('accounts', o.account_id)}</dd>
              </div>
              <div>
                <dt>{t('order.createdBy')}</dt>
                <dd>{userName(o.created_by, users)}</dd>
              </div>
              {o.external_id && (
                <div>
                  <dt>{t('field.external_id')}</dt>
                  <dd>{o.external_id}</dd>
                </div>
              )}
            </dl>
          </Section>
          {o.notes && (
            <Section title={t('order.notes')}>
              <p className="pre">{o.notes}</p>
            </Section>
          )}
        </div>
      </div>
    </div>
  );
}
