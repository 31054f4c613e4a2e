// Catalogue and orders: products come from the catalogue alone (list, form, record page); an
// order has a page of its own (lines, totals, status); the 360° pages show value and orders.
import type { ModuleDef } from '../../kernel/registry';
import { t } from '../../i18n';
import { Section } from '../../ui';
import { CustomerOrders, ValueFigures } from './CustomerOrders';
import OrderPage from './OrderPage';

export const orders: ModuleDef = {
  name: 'orders',
  entities: {
    orders: { record: ({ id }) => <OrderPage key={'o' + id} id={id} /> },
  },
  v360: [
    { key: 'value', order: 10, column: 'main', render: (c) => <Section title={t('v360.value')}><ValueFigures value={c.view.value} /></Section> },
    { key: 'orders', order: 60, column: 'main', render: (c) => <Section title={t('v360.orders')}><CustomerOrders orders={c.view.orders} target={c.target} /></Section> },
  ],
};
