// Customers: accounts, contacts and households. Contacts and accounts open on their 360° page;
// the contact form adds consent and preferences; a household's page lists its members.
import type { ModuleDef } from '../../kernel/registry';
import { contactForm } from './ContactFormExtra';
import HouseholdMembers from './HouseholdMembers';
import Customer360, { customersV360 } from './View360';

export const customers: ModuleDef = {
  name: 'customers',
  entities: {
    contacts: { record: ({ id }) => <Customer360 key={'c' + id} entity="contacts" id={id} />, form: contactForm },
    accounts: { record: ({ id }) => <Customer360 key={'a' + id} entity="accounts" id={id} /> },
    households: { recordExtra: (p) => <HouseholdMembers {...p} /> },
  },
  v360: customersV360,
  badges: { lifecycle_stage: 'stage', tier: 'tier' },
};
