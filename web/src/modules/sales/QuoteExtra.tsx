// What a quote's record page adds: its totals (HT, TVA, TTC) and the VAT per rate as the server
// computed them (record.vat_breakdown.rates), the PDF, the customer's acceptance (POST
// /api/v1/quotes/{id}/accept with If-Match, "accepted by" asked first) while it is a draft or
// sent, the order the acceptance made, and its versions (POST /api/v1/quotes/{id}/versions makes
// the next one; GET lists them).
import { useState } from 'react';
import { api, type Json } from '../../api';
import { fmtDateTime, fmtMoney } from '../../format';
import { t } from '../../i18n';
import { displayName, entityDef, fieldDef } from '../../kernel/schema';
import { textOf } from '../../kernel/values';
import { Link, navigate } from '../../router';
import { Section, useAsync, useFlash } from '../../ui';
import Composer from '../email/Composer';
import { problemText } from './Board';

export function QuoteTotals({ record }: { record: Json }) {
  const cur = record.currency || 'EUR';
  const rates: Json[] = record.vat_breakdown?.rates ?? [];
  const rateField = fieldDef('quotes', 'lines.vat_rate');
  return (
    <>
      <div className="figures quote-totals" data-testid="quote-totals">
        <div className="figure" data-total="subtotal">
          <span className="figure-label">{t('sales.quote.subtotal')}</span>
          <span className="figure-value">{fmtMoney(record.subtotal_cents, cur)}</span>
        </div>
        <div className="figure" data-total="vat">
          <span className="figure-label">{t('sales.quote.vat')}</span>
          <span className="figure-value">{fmtMoney(record.vat_cents, cur)}</span>
        </div>
        <div className="figure" data-total="total">
          <span className="figure-label">{t('sales.quote.total')}</span>
          <span className="figure-value">{fmtMoney(record.total_cents, cur)}</span>
        </div>
      </div>
      {rates.length > 0 && (
        <div className="table-wrap">
          <table className="table compact sales-table" data-testid="vat-breakdown">
            <caption className="sr-only">{t('sales.quote.breakdown')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sales.quote.rate')}</th>
                <th scope="col" className="num">{t('sales.quote.base')}</th>
                <th scope="col" className="num">{t('sales.quote.vatAmount')}</th>
              </tr>
            </thead>
            <tbody>
              {rates.map((r) => (
                <tr key={r.vat_rate} data-rate={r.vat_rate}>
                  <th scope="row">{textOf(rateField, String(r.vat_rate))}</th>
                  <td className="num">{fmtMoney(r.base_cents, cur)}</td>
                  <td className="num">{fmtMoney(r.vat_cents, cur)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Accept({ record, reload, show }: { record: Json; reload: () => void; show: (msg: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const accept = async () => {
    setBusy(true);
    setError('');
    try {
      await api(`/quotes/${record.id}/accept`, {
        method: 'POST', ifMatch: record.version, body: name.trim() ? { accepted_by_name: name.trim() } : {},
      });
      setAsking(false);
      show(t('sales.quote.accepted'));
      reload();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {!asking ? (
        <button type="button" className="btn primary" onClick={() => setAsking(true)}>
          {t('sales.quote.accept')}
        </button>
      ) : (
        <form className="accept-form" onSubmit={(e) => {
          e.preventDefault();
          accept();
        }}>
          <div className="field">
            <label htmlFor="accepted-by">{t('sales.quote.acceptedBy')}</label>
            <input id="accepted-by" value={name} maxLength={200} autoFocus autoComplete="name" aria-describedby="accepted-by-hint"
              onChange={(e) => setName(e.target.value)} />
            <small id="accepted-by-hint" className="hint muted">{t('sales.quote.acceptedByHint')}</small>
          </div>
          <button type="submit" className="btn primary" disabled={busy}>{busy ? t('saving') : t('sales.quote.confirmAccept')}</button>
          <button type="button" className="btn" onClick={() => setAsking(false)}>{t('cancel')}</button>
        </form>
      )}
      {error && <div className="alert error" role="alert">{error}</div>}
    </>
  );
}

function Versions({ record }: { record: Json }) {
  const { data } = useAsync<{ data: Json[] }>(() => api(`/quotes/${record.id}/versions`), [record.id, record.version]);
  const versions = data?.data ?? [];
  if (versions.length < 2) return null;
  const statusField = fieldDef('quotes', 'status');
  return (
    <div className="table-wrap">
      <table className="table compact sales-table" data-testid="quote-versions">
        <caption>{t('sales.quote.versions')}</caption>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} aria-current={v.id === record.id ? 'true' : undefined}>
              <th scope="row">
                {v.id === record.id ? (
                  <>{t('sales.quote.versionN', { n: v.revision })} <span className="muted small">({t('sales.quote.thisVersion')})</span></>
                ) : (
                  <Link to={`/quotes/${v.id}`}>{t('sales.quote.versionN', { n: v.revision })}</Link>
                )}
              </th>
              <td>{v.number}</td>
              <td>{textOf(statusField, v.status)}</td>
              <td className="num">{fmtMoney(v.total_cents, v.currency || 'EUR')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewVersion({ record }: { record: Json }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const make = async () => {
    setBusy(true);
    setError('');
    try {
      const made = await api<Json>(`/quotes/${record.id}/versions`, { method: 'POST', body: {} });
      navigate(`/quotes/${made.id}`);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn" onClick={make} disabled={busy} title={t('sales.quote.newVersionHint')}
        data-testid="quote-new-version">
        {busy ? t('saving') : t('sales.quote.newVersion')}
      </button>
      {error && <div className="alert error" role="alert">{error}</div>}
    </>
  );
}

// « Envoyer par e-mail »: the e-mail module's composer, the PDF attached by the server, to the
// quote's contact unless another address is typed; a draft becomes sent.
function SendByEmail({ record, reload, show }: { record: Json; reload: () => void; show: (m: string, k?: 'ok' | 'error') => void }) {
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState('');
  // « À » shows the quote's contact's address, as the server would choose it.
  const start = async () => {
    let first = '';
    if (record.contact_id) {
      try {
        const c = await api<Json>(`/contacts/${record.contact_id}`);
        first = Array.isArray(c.emails) && c.emails.length ? String(c.emails[0]) : '';
      } catch {
        first = '';
      }
    }
    setTo(first);
    setOpen(true);
  };
  return (
    <>
      <button type="button" className="btn" onClick={start} data-testid="quote-send-email">
        {t('sales.quote.sendEmail')}
      </button>
      {open && (
        <Composer mode="new" quote={record} to={to} contactId={record.contact_id ?? undefined} onClose={() => setOpen(false)}
          onSent={() => { setOpen(false); show(t('sales.quote.emailQueued')); reload(); }} />
      )}
    </>
  );
}

export default function QuoteExtra({ record, reload }: { record: Json; reload: () => void }) {
  const canAccept = (record.status === 'draft' || record.status === 'sent') && !!entityDef('quotes')?.can.update;
  const [flash, show] = useFlash();
  return (
    <Section title={t('sales.quote.totals')} className="quote-extra">
      {flash}
      <QuoteTotals record={record} />
      <div className="quote-actions">
        <a className="btn" href={`/api/v1/quotes/${record.id}/pdf`} download>
          {t('sales.quote.pdf')}
        </a>
        {record.status !== 'superseded' && <SendByEmail record={record} reload={reload} show={show} />}
      </div>
      {canAccept && <div className="quote-actions"><Accept record={record} reload={reload} show={show} /></div>}
      {canAccept && <div className="quote-actions"><NewVersion record={record} /></div>}
      <Versions record={record} />
      {record.order_id && (
        <p className="quote-order" data-testid="quote-order">
          {t('sales.quote.order')} <Link to={`/orders/${record.order_id}`}>{displayName('orders', { id: record.order_id })}</Link>
          {record.accepted_at && <span className="muted small"> · {fmtDateTime(record.accepted_at)}{record.accepted_by_name ? ' · ' + record.accepted_by_name : ''}</span>}
        </p>
      )}
    </Section>
  );
}
