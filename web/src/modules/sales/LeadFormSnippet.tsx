// On a web form's record page (lead_forms): what to paste in the company's site (GET
// /api/v1/lead_forms/{id}/snippet: url, html, iframe), each with a "Copier" button, and what the
// form does with a request (docs/sales.md "Prospects and the web-to-lead form").
import { useState } from 'react';
import { api, type Json } from '../../api';
import { t } from '../../i18n';
import { ErrorBox, Loading, Section, useAsync } from '../../ui';

function CopyBox({ id, label, text }: { id: string; label: string; text: string }) {
  const [copied, setCopied] = useState<'' | 'ok' | 'fail'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('ok');
    } catch {
      (document.getElementById(id) as HTMLTextAreaElement | null)?.select();
      setCopied('fail');
    }
  };
  return (
    <div className="snippet-box">
      <div className="snippet-head">
        <label htmlFor={id}>{label}</label>
        <button type="button" className="btn small" onClick={copy}>{t('sales.form.copy')}</button>
      </div>
      <textarea id={id} readOnly value={text} rows={6} onFocus={(e) => e.currentTarget.select()} />
      {copied && <p className="small" role="status">{copied === 'ok' ? t('sales.form.copied') : t('sales.form.copyFailed')}</p>}
    </div>
  );
}

export default function LeadFormSnippet({ record }: { record: Json }) {
  const { data, error, reload } = useAsync<Json>(() => api(`/lead_forms/${record.id}/snippet`), [record.id, record.version]);
  return (
    <Section title={t('sales.form.snippetTitle')} className="snippet">
      <ErrorBox error={error} onRetry={reload} />
      {!data && !error && <Loading />}
      {data && (
        <>
          <p className="snippet-url">
            {t('sales.form.page')} <a href={data.url} target="_blank" rel="noreferrer" data-testid="form-url">{data.url}</a>
          </p>
          <CopyBox id={`snippet-html-${record.id}`} label={t('sales.form.html')} text={data.html} />
          <CopyBox id={`snippet-iframe-${record.id}`} label={t('sales.form.iframe')} text={data.iframe} />
          <p className="small muted">{t('sales.form.note')}</p>
        </>
      )}
    </Section>
  );
}
