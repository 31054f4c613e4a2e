// Shared pieces of the customer-value analytics pages: who may see them, the tab bar, percent
// formatting and two SVG charts in the style of components/Charts.tsx (a line chart with optional
// reference line and marked point, and a heatmap table that stays readable to screen readers).
import type { ReactNode } from 'react';
import type { User } from '../../api';
import { t, tEnum, type Key } from '../../i18n';
import { Link, useLocation } from '../../router';
import { useSession } from '../../session';
import { RefLink } from '../../kernel/values';
import { fmtPct as fmtPctFormat } from '../../format';
import './analytics.css';

export function canSeeAnalytics(u: User | null): boolean {
  return !!u && ['admin', 'manager', 'marketing'].includes(u.role);
}

const TABS: [string, Key][] = [
  ['/analytics/rfm', 'an.tab.rfm'],
  ['/analytics/profitability', 'an.tab.profit'],
  ['/analytics/concentration', 'an.tab.concentration'],
  ['/analytics/cohorts', 'an.tab.cohorts'],
  ['/analytics/clv', 'an.tab.clv'],
  ['/analytics/tiers', 'an.tab.tiers'],
  ['/analytics/demand', 'an.tab.demand'],
  ['/analytics/settings', 'an.tab.settings'],
];

export function AnalyticsShell({ title, intro, actions, children }: {
  title: string; intro?: ReactNode; actions?: ReactNode; children: ReactNode;
}) {
  const { path } = useLocation();
  const { user } = useSession();
  if (!canSeeAnalytics(user))
    return (
      <div className="page analytics">
        <h1>{title}</h1>
        <p className="alert warn" role="alert">{t('an.forbidden')}</p>
      </div>
    );
  return (
    <div className="page analytics">
      <header className="page-head">
        <div>
          <p className="crumbs">{t('an.title')}</p>
          <h1>{title}</h1>
          {intro && <p className="subtitle">{intro}</p>}
        </div>
        {actions && <div className="head-actions">{actions}</div>}
      </header>
      <nav className="an-tabs" aria-label={t('an.tabs')}>
        <ul>
          {TABS.map(([p, k]) => (
            <li key={p}>
              <Link to={p} aria-current={path === p ? 'page' : undefined} className={path === p ? 'current' : ''}>
                {t(k)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}


export { fmtDecimal, fmtPct } from '../../format';

// What an analysis's figures rest on (the `assumptions` of its answer): the settings in use,
// which of them are still the defaults, and how far the default margin reaches.
export interface Assumed {
  default_margin_rate?: number; default_margin_rate_is_default?: boolean;
  channel_costs_are_default?: boolean;
  count_free_orders?: boolean; count_free_orders_is_default?: boolean;
  clv_margin_rate?: number; clv_margin_rate_is_default?: boolean;
  clv_discount_rate?: number; clv_discount_rate_is_default?: boolean;
  revenue_cents?: number; revenue_at_default_margin_cents?: number;
}

// One line under a page's figures: "Taux de marge par défaut : 30 % (valeur par défaut), appliqué
// à 12 % du chiffre d'affaires · … — Modifier les réglages". `show` picks the settings the page uses.
export function Assumptions({ a, show }: { a?: Assumed; show: ('margin' | 'costs' | 'free' | 'clv')[] }) {
  if (!a) return null;
  const isDefault = (d?: boolean) => (d ? <em className="an-default"> ({t('an.assume.isDefault')})</em> : null);
  const items: ReactNode[] = [];
  if (show.includes('margin') && typeof a.default_margin_rate === 'number') {
    const revenue = a.revenue_cents ?? 0, rest = a.revenue_at_default_margin_cents ?? 0;
    items.push(
      <span key="margin" data-testid="assume-margin">
        {t('an.assume.margin', { pct: fmtPctLocal(a.default_margin_rate) })}
        {isDefault(a.default_margin_rate_is_default)}
        {revenue > 0 && (rest > 0
          ? ', ' + t('an.assume.marginShare', { pct: fmtPctLocal(rest / revenue) })
          : ', ' + t('an.assume.marginNone'))}
      </span>,
    );
  }
  if (show.includes('costs') && a.channel_costs_are_default)
    items.push(<span key="costs" data-testid="assume-costs">{t('an.assume.costsDefault')}</span>);
  if (show.includes('clv') && typeof a.clv_margin_rate === 'number') {
    items.push(
      <span key="clv" data-testid="assume-clv">
        {t('an.assume.clvMargin', { pct: fmtPctLocal(a.clv_margin_rate) })}{isDefault(a.clv_margin_rate_is_default)}
        {', '}
        {t('an.assume.clvDiscount', { pct: fmtPctLocal(a.clv_discount_rate ?? 0) })}{isDefault(a.clv_discount_rate_is_default)}
      </span>,
    );
  }
  if (show.includes('free') && typeof a.count_free_orders === 'boolean')
    items.push(
      <span key="free" data-testid="assume-free">
        {t(a.count_free_orders ? 'an.assume.free' : 'an.assume.freeNot')}{isDefault(a.count_free_orders_is_default)}
      </span>,
    );
  if (!items.length) return null;
  return (
    <p className="an-assumptions small" data-testid="an-assumptions">
      <strong>{t('an.assume.title')}</strong>{' '}
      {items.flatMap((x, i) => (i ? [<span key={'sep' + i}> · </span>, x] : [x]))}
      {' — '}
      <Link to="/analytics/settings">{t('an.assume.change')}</Link>
    </p>
  );
}

function fmtPctLocal(ratio: number): string {
  return fmtPctFormat(ratio, ratio > 0 && ratio < 0.1 ? 1 : 0);
}

export function segmentLabel(s: string): string {
  return tEnum('seg', s);
}

export interface Series {
  key: string;
  label: string;
  color: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

// Lines over a numeric x axis. `refLine` draws a horizontal reference line (e.g. 100 % of the
// profit), `mark` a labelled point (e.g. the Stobachoff peak). Axis labels come from fx/fy.
export function LineChart({ series, label, fx, fy, xTitle, refLine, mark, yMin, testId }: {
  series: Series[]; label: string; fx: (v: number) => string; fy: (v: number) => string; xTitle?: string;
  refLine?: { y: number; label: string }; mark?: { x: number; y: number; label: string }; yMin?: number; testId?: string;
}) {
  const w = 600, h = 260, left = 52, right = 12, top = 12, bottom = 34;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x), ys = all.map((p) => p.y);
  if (refLine) ys.push(refLine.y);
  if (mark) ys.push(mark.y);
  const x0 = Math.min(...xs, 0), x1 = Math.max(...xs, 1);
  // Round axis bounds on a "nice" step (1, 2, 2.5 or 5 × 10^k) so that ticks read 25 %, 50 %…
  const rawY0 = Math.min(yMin ?? 0, ...ys), rawY1 = Math.max(...ys, rawY0 + 1e-9);
  const ystep = niceStep((rawY1 - rawY0) / 4);
  const y0 = Math.floor(rawY0 / ystep + 1e-9) * ystep, y1 = Math.ceil(rawY1 / ystep - 1e-9) * ystep;
  const X = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (w - left - right);
  const Y = (y: number) => top + (1 - (y - y0) / (y1 - y0 || 1)) * (h - top - bottom);
  const ticks = (a: number, b: number, n: number) => Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
  const yticks = Array.from({ length: Math.round((y1 - y0) / ystep) + 1 }, (_, i) => y0 + i * ystep);
  const path = (s: Series) => s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join('');
  return (
    <figure className="chart an-chart" data-testid={testId}>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        {yticks.map((v) => (
          <g key={'y' + v}>
            <line x1={left} x2={w - right} y1={Y(v)} y2={Y(v)} stroke="#e5e9ee" />
            <text x={left - 6} y={Y(v) + 4} textAnchor="end" className="axis">{fy(v)}</text>
          </g>
        ))}
        {ticks(x0, x1, 5).map((v) => (
          <text key={'x' + v} x={X(v)} y={h - bottom + 16} textAnchor="middle" className="axis">{fx(v)}</text>
        ))}
        {xTitle && <text x={(left + w - right) / 2} y={h - 4} textAnchor="middle" className="axis">{xTitle}</text>}
        <line x1={left} y1={h - bottom} x2={w - right} y2={h - bottom} stroke="#94a3b8" />
        {y0 < 0 && <line x1={left} x2={w - right} y1={Y(0)} y2={Y(0)} stroke="#94a3b8" />}
        {refLine && (
          <g>
            <line x1={left} x2={w - right} y1={Y(refLine.y)} y2={Y(refLine.y)} stroke="#b42318" strokeDasharray="6 4" />
            <text x={left + 6} y={Y(refLine.y) - 5} className="axis ref-label">{refLine.label}</text>
          </g>
        )}
        {series.map((s) => (
          <path key={s.key} d={path(s)} fill="none" stroke={s.color} strokeWidth={2.2}
            strokeDasharray={s.dashed ? '5 4' : undefined} />
        ))}
        {mark && (
          <g>
            <circle cx={X(mark.x)} cy={Y(mark.y)} r={5} fill="#b42318" />
            <text x={Math.min(X(mark.x) + 8, w - right - 150)} y={Math.max(Y(mark.y) - 8, top + 10)} className="axis peak-label">
              {mark.label}
            </text>
          </g>
        )}
      </svg>
      {series.length > 1 && (
        <figcaption className="legend">
          {series.map((s) => (
            <span key={s.key}>
              <span className={'swatch' + (s.dashed ? ' dashed' : '')} style={{ borderColor: s.color }} aria-hidden="true" />
              {s.label}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}

export function niceStep(raw: number): number {
  if (!(raw > 0) || !isFinite(raw)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw - 1e-12) return m * p;
  return 10 * p;
}

// Colour of a heatmap cell for a value in [0, 1].
export function heat(v: number): string {
  const a = Math.max(0, Math.min(1, v));
  return `rgba(15, 118, 110, ${(0.06 + 0.88 * a).toFixed(3)})`;
}

export function heatText(v: number): string {
  return v > 0.55 ? '#fff' : 'var(--text)';
}

// Downsamples a curve to about n points (the server may send one per percent or per customer).
export function thin<T>(rows: T[], n = 200): T[] {
  if (rows.length <= n) return rows;
  const step = (rows.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, i) => rows[Math.round(i * step)]);
}

export function Figure({ label, value, testId, tone }: { label: string; value: ReactNode; testId?: string; tone?: 'bad' | 'good' }) {
  return (
    <div className={'figure' + (tone ? ' ' + tone : '')}>
      <span className="figure-label">{label}</span>
      <span className="figure-value" data-testid={testId}>{value}</span>
    </div>
  );
}

// The customer a row points to (customer_type "contacts" | "accounts", customer_id): its 360° page.
export function CustomerLink({ row }: { row: { customer_type?: string; customer_id?: number; name?: string | null } }) {
  const entity = row.customer_type === 'accounts' ? 'accounts' : 'contacts';
  if (!row.customer_id) return <span>{row.name || '—'}</span>;
  // A row without a name (a record the answer could not name): the customer's name from the record.
  if (!row.name) return <RefLink entity={entity} id={row.customer_id} />;
  return <Link to={`/${entity}/${row.customer_id}`}>{row.name}</Link>;
}
