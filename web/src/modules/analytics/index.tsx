// Customer value analytics (docs/analytics.md): the /analytics pages and the 360° value card.
import type { ReactNode } from 'react';
import type { ModuleDef } from '../../kernel/registry';
import AnalyticsClv from './AnalyticsClv';
import AnalyticsCohorts from './AnalyticsCohorts';
import { canSeeAnalytics } from './AnalyticsCommon';
import AnalyticsConcentration from './AnalyticsConcentration';
import AnalyticsDemand from './AnalyticsDemand';
import AnalyticsProfit from './AnalyticsProfit';
import AnalyticsRfm from './AnalyticsRfm';
import AnalyticsSettings from './AnalyticsSettings';
import AnalyticsTiers from './AnalyticsTiers';
import ValueCard from './AnalyticsValueCard';

const pages: Record<string, () => ReactNode> = {
  '/analytics': () => <AnalyticsRfm />, '/analytics/rfm': () => <AnalyticsRfm />,
  '/analytics/profitability': () => <AnalyticsProfit />, '/analytics/concentration': () => <AnalyticsConcentration />,
  '/analytics/cohorts': () => <AnalyticsCohorts />, '/analytics/clv': () => <AnalyticsClv />,
  '/analytics/tiers': () => <AnalyticsTiers />, '/analytics/demand': () => <AnalyticsDemand />,
  '/analytics/settings': () => <AnalyticsSettings />,
};

export const analytics: ModuleDef = {
  name: 'analytics',
  routes: Object.entries(pages).map(([path, render]) => ({ path, render })),
  nav: [{ path: '/analytics', label: 'nav.analytics', order: 930, visible: canSeeAnalytics }],
  v360: [{ key: 'valuecard', order: 20, column: 'main', render: (c) => <ValueCard card={c.view.value_card} /> }],
};
