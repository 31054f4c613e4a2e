// Value tiers page: the rules (measure, period, top % per tier), how many contacts and accounts
// hold each tier, and a button that recomputes and stores them now.
import { useState } from 'react';
import { api } from '../../api';
import { fmtDate, fmtNumber } from '../../format';
import { t, tEnum } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Loading, Section, useAsync, useFlash } from '../../ui';
import { AnalyticsShell, fmtPct } from './AnalyticsCommon';
import { enumLabel } from '../../kernel/schema';

type Counts = Record<string, number>;
interface Tiers {
  rules: { name: string; top_pct: number }[]; measure: string; period_months: number;
  contacts: Counts; accounts: Counts;
}

function CountTable({ rules, counts, testId }: { rules: Tiers['rules']; counts: Counts; testId: string }) {
  const names = [...rules.map((r) => r.name), 'none'];
  const total = names.reduce((s, n) => s + (counts[n] ?? 0), 0);
  return (
    <table className="table compact an-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('tiers.tier')}</th>
          <th scope="col" className="num">{t('an.customers')}</th>
          <th scope="col" className="num">{t('an.share')}</th>
        </tr>
      </thead>
      <tbody>
        {names.map((n) => (
          <tr key={n}>
            <th scope="row">
              {n === 'none' ? <span className="muted">{t('tiers.none')}</span> : <span className={'badge tier-' + n}>{enumLabel('accounts', 'tier', n)}</span>}
            </th>
            <td className="num" data-tier={n}>{fmtNumber(counts[n] ?? 0)}</td>
            <td className="num">{fmtPct(total ? (counts[n] ?? 0) / total : 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function AnalyticsTiers() {
  const { data, error, loading, reload, setData } = useAsync(() => api<Tiers>('/analytics/tiers'), []);
  const [busy, setBusy] = useState(false);
  const [recomputeError, setRecomputeError] = useState<Error | null>(null);
  const [asOf, setAsOf] = useState<string | null>(null);
  const [flash, show] = useFlash();
  const recompute = async () => {
    setBusy(true);
    setRecomputeError(null);
    try {
      const r = await api<{ as_of: string; contacts: Counts; accounts: Counts }>('/analytics/tiers/recompute', { method: 'POST' });
      if (data) setData({ ...data, contacts: r.contacts, accounts: r.accounts });
      setAsOf(r.as_of);
      const n = Object.entries(r.contacts).filter(([k]) => k !== 'none').reduce((s, [, v]) => s + v, 0)
        + Object.entries(r.accounts).filter(([k]) => k !== 'none').reduce((s, [, v]) => s + v, 0);
      show(t('tiers.recomputed', { n }));
    } catch (e) {
      setRecomputeError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AnalyticsShell title={t('tiers.title')} actions={
      <button type="button" className="btn primary" onClick={recompute} disabled={busy || !data} data-testid="tiers-recompute">
        {busy ? t('tiers.recomputing') : t('tiers.recompute')}
      </button>
    }>
      {flash}
      <ErrorBox error={error} onRetry={reload} />
      <ErrorBox error={recomputeError} />
      {loading && !data && <Loading />}
      {data && (
        <>
          {asOf && <p className="muted">{t('an.asOf', { date: fmtDate(asOf) })}</p>}
          <Section title={t('tiers.rule')} actions={<Link to="/analytics/settings">{t('tiers.changeRules')}</Link>}>
            <ol className="an-steps" data-testid="tier-rules">
              {data.rules.map((r, i) => {
                const before = data.rules.slice(0, i).reduce((s, x) => s + x.top_pct, 0);
                return (
                  <li key={r.name}>
                    <span className={'badge tier-' + r.name}>{enumLabel('accounts', 'tier', r.name)}</span>{' '}
                    {t(data.measure === 'clv' ? 'tiers.ruleTextClv' : 'tiers.ruleText', {
                      from: fmtPct(before / 100, 0), to: fmtPct((before + r.top_pct) / 100, 0),
                      measure: tEnum('aset.measure', data.measure),
                      months: data.period_months,
                    })}
                  </li>
                );
              })}
            </ol>
          </Section>
          <div className="grid-2">
            <Section title={t('tiers.contacts')}>
              <CountTable rules={data.rules} counts={data.contacts} testId="tiers-contacts" />
            </Section>
            <Section title={t('tiers.accounts')}>
              <CountTable rules={data.rules} counts={data.accounts} testId="tiers-accounts" />
            </Section>
          </div>
        </>
      )}
    </AnalyticsShell>
  );
}
