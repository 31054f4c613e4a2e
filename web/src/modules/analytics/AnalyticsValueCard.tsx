// The customer-value card of the contact and account 360° pages: RFM segment and scores, net
// profit over the last 12 months, lifetime value, probability of being alive and value tier
// (the `value_card` object of GET /contacts/{id}/360 and /accounts/{id}/360). `stale`: the server
// answered from the figures before the latest changes while it recomputes them in the background;
// `clv_reliable: false`: the lifetime value comes from a fit the server flags (degenerate).
import type { Json } from '../../api';
import { fmtMoney } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';
import { Section } from '../../ui';
import { canSeeAnalytics, Figure, fmtPct, segmentLabel } from './AnalyticsCommon';
import { enumLabel } from '../../kernel/schema';

export default function ValueCard({ card }: { card: Json }) {
  const { user } = useSession();
  if (!card) return null;
  const rfm = card.rfm;
  const empty = !rfm && card.net_profit_cents === null && card.clv_cents === null && !card.tier;
  return (
    <Section title={t('value.card')} className="value-card analytics">
      {empty ? (
        <p className="muted">{t('value.none')}</p>
      ) : (
        <div className="figures" data-testid="value-card">
          <Figure label={t('value.segment')} testId="value-segment" value={
            rfm ? (
              <span>
                {canSeeAnalytics(user) ? <Link to="/analytics/rfm">{segmentLabel(rfm.segment)}</Link> : segmentLabel(rfm.segment)}
                <small className="muted"> · R{rfm.r} F{rfm.f} M{rfm.m}</small>
              </span>
            ) : '—'
          } />
          <Figure label={t('value.netProfit')} value={fmtMoney(card.net_profit_cents)}
            tone={typeof card.net_profit_cents === 'number' && card.net_profit_cents < 0 ? 'bad' : undefined} />
          <Figure label={t('value.clv')} value={fmtMoney(card.clv_cents)} />
          <Figure label={t('value.pAlive')} value={fmtPct(card.p_alive, 0)} />
          <Figure label={t('value.tier')} value={card.tier ? <span className={'badge tier-' + card.tier}>{enumLabel('accounts', 'tier', card.tier)}</span> : '—'} />
        </div>
      )}
      {card.clv_reliable === false && card.clv_cents !== null && (
        <p className="small warn-text" data-testid="value-card-unreliable">{t('value.clvUnreliable')}</p>
      )}
      {card.stale && <p className="muted small" data-testid="value-card-stale">{t('value.stale', { date: card.as_of })}</p>}
    </Section>
  );
}
