// Development copy of the catalogue (GET /api/v1/schema), used only when the server answers 404
// for it (a server built before the endpoint). Derived from src/domain/schema.cpp; rights are
// approximated from the role. The real labels and rights are the server's.
import type { Lang } from '../i18n';
import type { EntityDef, FieldDef, FieldKind, Schema } from './schema';

type L = [string, string]; // [fr, en]
let lang: Lang = 'fr';
const l = (x: L) => (lang === 'fr' ? x[0] : x[1]);

function F(name: string, kind: FieldKind, label: L, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, kind, label: l(label), required: false, filterable: false, sortable: false, server_set: false, default: null, ...extra };
}
function E(name: string, label: L, values: [string, L][], extra: Partial<FieldDef> = {}): FieldDef {
  return F(name, 'enum', label, { filterable: true, values: values.map(([v, x]) => ({ value: v, label: l(x) })), ...extra });
}
function R(name: string, label: L, references: string, extra: Partial<FieldDef> = {}): FieldDef {
  return F(name, 'reference', label, { references, filterable: true, ...extra });
}
const ss = { server_set: true };

const STAGES: [string, L][] = [
  ['suspect', ['Suspect', 'Suspect']], ['prospect', ['Prospect', 'Prospect']], ['disqualified', ['Disqualifié', 'Disqualified']],
  ['new_customer', ['Nouveau client', 'New customer']], ['regular_customer', ['Client régulier', 'Regular customer']],
  ['customer', ['Client', 'Customer']], ['advocate', ['Ambassadeur', 'Advocate']], ['partner', ['Partenaire', 'Partner']],
  ['inactive', ['Inactif', 'Inactive']],
];
const CHANNELS: [string, L][] = [
  ['phone', ['Appel', 'Call']], ['email', ['E-mail', 'E-mail']], ['meeting', ['Rendez-vous', 'Meeting']], ['chat', ['Chat', 'Chat']],
  ['web', ['Web', 'Web']], ['letter', ['Courrier', 'Letter']], ['fax', ['Fax', 'Fax']], ['sms', ['SMS', 'SMS']],
  ['social', ['Réseaux sociaux', 'Social']], ['in_store', ['En magasin', 'In store']], ['note', ['Note', 'Note']],
];

function common(owned: boolean): FieldDef[] {
  return [
    ...(owned
      ? [R('owner_id', ['Responsable', 'Owner'], 'users'), R('team_id', ['Équipe', 'Team'], 'teams', ss),
        F('archived_at', 'datetime', ['Archivé le', 'Archived'], { ...ss, filterable: true, sortable: true })]
      : []),
    F('version', 'integer', ['Version', 'Version'], ss),
    F('created_at', 'datetime', ['Créé le', 'Created'], { ...ss, filterable: true, sortable: true }),
    F('updated_at', 'datetime', ['Modifié le', 'Updated'], { ...ss, filterable: true, sortable: true }),
    R('created_by', ['Créé par', 'Created by'], 'users', { ...ss, filterable: false }),
    R('updated_by', ['Modifié par', 'Updated by'], 'users', { ...ss, filterable: false }),
  ];
}
const head = () => [
  F('id', 'integer', ['N°', 'Id'], { ...ss, sortable: true }),
  F('external_id', 'text', ['Identifiant externe', 'External id'], { filterable: true, max_length: 100 }),
];
const address = () => [
  F('street', 'text', ['Adresse', 'Street']),
  F('postcode', 'text', ['Code postal', 'Postcode'], { filterable: true, max_length: 20 }),
  F('city', 'text', ['Ville', 'City'], { filterable: true, sortable: true }),
  F('country', 'country', ['Pays', 'Country'], { filterable: true, default: 'FR' }),
];
const tags = () => F('tags', 'tag_list', ['Étiquettes', 'Tags'], { filterable: true, max_length: 50 });
const spend = () => F('category_spend_cents', 'money', ['Dépense annuelle dans la catégorie', 'Annual category spend']);
const valueTier = () => F('value_tier', 'text', ['Niveau de valeur', 'Value tier'], { ...ss, filterable: true });

type Rights = EntityDef['can'];
function entity(
  name: string, singular: string, module: string, label: L, labelSingular: L, access: EntityDef['access'],
  defaultSort: string, titleFields: string[], listColumns: string[], menu: number | null,
  traits: EntityDef['traits'], can: Rights, fields: FieldDef[], children: EntityDef['children'] = [],
): EntityDef {
  return {
    name, singular, module, label: l(label), label_singular: l(labelSingular), access, default_sort: defaultSort,
    title_fields: titleFields, list_columns: listColumns, menu: menu === null ? null : { order: menu }, traits, can,
    fields: [...head(), ...fields, ...common(access === 'owned')], children,
  };
}

export function fixtureSchema(language: Lang, role = 'admin'): Schema {
  lang = language;
  const boss = role === 'admin' || role === 'manager';
  const rw = (write: boolean): Rights => ({ read: true, create: write, update: write, delete: write ? (boss ? 'any' : 'own') : false });
  const customers = rw(boss || role === 'sales');
  const people = rw(boss || role === 'sales' || role === 'service');
  const activity = rw(role !== 'read_only');
  const all = { searchable: true, importable: true, exportable: true, mergeable: true, stage_history: true, audited: true };
  return {
    language,
    roles: ([
      ['admin', ['Administrateur', 'Administrator']], ['manager', ['Manager', 'Manager']], ['sales', ['Commercial', 'Sales']],
      ['service', ['Service client', 'Customer service']], ['marketing', ['Marketing', 'Marketing']],
      ['read_only', ['Lecture seule', 'Read only']],
    ] as [string, L][]).map(([name, x]) => ({ name, label: l(x) })),
    modules: [
      { name: 'users', label: l(['Utilisateurs', 'Users']), depends: [] },
      { name: 'customers', label: l(['Clients', 'Customers']), depends: ['users'] },
      { name: 'activity', label: l(['Activité', 'Activity']), depends: ['customers'] },
      { name: 'orders', label: l(['Catalogue et commandes', 'Catalogue and orders']), depends: ['customers'] },
    ],
    entities: [
      entity('accounts', 'account', 'customers', ['Comptes', 'Accounts'], ['Compte', 'Account'], 'owned', 'name', ['name'],
        ['name', 'industry', 'city', 'lifecycle_stage', 'tier', 'owner_id'], 10, all, customers, [
          F('name', 'text', ['Nom', 'Name'], { required: true, sortable: true, max_length: 200 }),
          F('legal_id', 'text', ['SIREN / SIRET', 'SIREN / SIRET'], { filterable: true, max_length: 50 }),
          F('industry', 'text', ['Secteur', 'Industry'], { filterable: true, sortable: true }),
          E('size', ['Effectif', 'Size'], ['1-9', '10-49', '50-249', '250-4999', '5000+'].map((v) => [v, [v, v]] as [string, L])),
          F('website', 'url', ['Site web', 'Website'], { max_length: 500 }),
          F('phone', 'phone', ['Téléphone', 'Phone']),
          ...address(),
          E('tier', ['Niveau', 'Tier'], [['gold', ['Or', 'Gold']], ['silver', ['Argent', 'Silver']], ['bronze', ['Bronze', 'Bronze']]]),
          E('lifecycle_stage', ['Étape du cycle de vie', 'Lifecycle stage'], STAGES),
          F('stage_reason', 'text', ["Motif de l'étape", 'Reason for the stage'], { max_length: 500 }),
          tags(), valueTier(), spend(),
        ]),
      entity('contacts', 'contact', 'customers', ['Contacts', 'Contacts'], ['Contact', 'Contact'], 'owned', 'last_name',
        ['first_name', 'last_name'], ['last_name', 'first_name', 'emails', 'phones', 'account_id', 'city', 'lifecycle_stage', 'owner_id'],
        20, all, people, [
          F('first_name', 'text', ['Prénom', 'First name'], { sortable: true }),
          F('last_name', 'text', ['Nom', 'Last name'], { required: true, sortable: true, max_length: 200 }),
          F('job_title', 'text', ['Fonction', 'Job title']),
          F('emails', 'email_list', ['E-mails', 'E-mails']),
          F('phones', 'phone_list', ['Téléphones', 'Phones']),
          ...address(),
          F('region', 'text', ['Région', 'Region'], { filterable: true, max_length: 100 }),
          F('birth_date', 'date', ['Date de naissance', 'Birth date'], { filterable: true }),
          F('identifiers', 'object', ['Identifiants', 'Identifiers']),
          R('account_id', ['Entreprise', 'Company'], 'accounts'),
          E('buying_role', ["Rôle dans le centre d'achat", 'Buying-centre role'], [
            ['prescriber', ['Prescripteur', 'Prescriber']], ['decision_maker', ['Décideur', 'Decision maker']],
            ['buyer', ['Acheteur', 'Buyer']], ['user', ['Utilisateur', 'User']]]),
          R('household_id', ['Foyer', 'Household'], 'households'),
          E('lifecycle_stage', ['Étape du cycle de vie', 'Lifecycle stage'], STAGES, { default: 'suspect' }),
          F('stage_reason', 'text', ["Motif de l'étape", 'Reason for the stage'], { max_length: 500 }),
          E('source_type', ['Origine', 'Source'], [['referral', ['Parrainage', 'Referral']], ['campaign', ['Campagne', 'Campaign']],
            ['medium', ['Média', 'Medium']], ['other', ['Autre', 'Other']]]),
          R('source_contact_id', ['Parrain', 'Referrer'], 'contacts'),
          F('source_campaign', 'text', ['Campagne', 'Campaign'], { filterable: true }),
          F('source_medium', 'text', ['Média', 'Medium'], { filterable: true }),
          F('preferences', 'object', ['Préférences de contact', 'Contact preferences']),
          F('consent', 'object', ['Consentement', 'Consent']),
          F('email_bounced_at', 'datetime', ["Rejet de l'e-mail le", 'E-mail bounced'], { filterable: true }),
          tags(), valueTier(), spend(),
        ]),
      entity('households', 'household', 'customers', ['Foyers', 'Households'], ['Foyer', 'Household'], 'owned', 'name', ['name'],
        ['name', 'postcode', 'city', 'size', 'socio_professional_category', 'owner_id'], 30,
        { ...all, stage_history: false, mergeable: true }, people, [
          F('name', 'text', ['Nom', 'Name'], { required: true, sortable: true }),
          ...address(),
          F('size', 'integer', ['Personnes', 'People'], { filterable: true, sortable: true }),
          F('socio_professional_category', 'text', ['Catégorie socio-professionnelle', 'Socio-professional category'], { filterable: true, max_length: 100 }),
          F('attributes', 'object', ['Attributs', 'Attributes']),
          tags(), spend(),
        ]),
      entity('interactions', 'interaction', 'activity', ['Échanges', 'Interactions'], ['Échange', 'Interaction'], 'via_customer',
        '-occurred_at', ['subject'], ['occurred_at', 'channel', 'subject', 'contact_id', 'user_id'], null,
        { importable: true, exportable: true, audited: true }, activity, [
          E('channel', ['Canal', 'Channel'], CHANNELS, { required: true }),
          E('direction', ['Sens', 'Direction'], [['inbound', ['Entrant', 'Inbound']], ['outbound', ['Sortant', 'Outbound']]], { default: 'outbound' }),
          F('subject', 'text', ['Objet', 'Subject']),
          F('content', 'long_text', ['Notes', 'Notes']),
          F('occurred_at', 'datetime', ['Quand', 'When'], { filterable: true, sortable: true }),
          F('duration_seconds', 'integer', ['Durée (secondes)', 'Duration (seconds)']),
          F('outcome', 'text', ['Résultat', 'Outcome'], { filterable: true, max_length: 200 }),
          F('commercial', 'boolean', ['Commercial', 'Commercial'], { filterable: true, default: true }),
          R('contact_id', ['Contact', 'Contact'], 'contacts'),
          R('account_id', ['Entreprise', 'Company'], 'accounts'),
          R('user_id', ['Traité par', 'Handled by'], 'users'),
        ]),
      entity('tasks', 'task', 'activity', ['Relances', 'Follow-ups'], ['Relance', 'Follow-up'], 'via_customer', 'due_at', ['title'],
        ['title', 'due_at', 'priority', 'assignee_id', 'contact_id'], 40, { audited: true }, activity, [
          F('title', 'text', ['Intitulé', 'Title'], { required: true, sortable: true }),
          F('description', 'long_text', ['Description', 'Description']),
          F('due_at', 'datetime', ['Échéance', 'Due'], { filterable: true, sortable: true }),
          E('status', ['Statut', 'Status'], [['open', ['Ouverte', 'Open']], ['done', ['Faite', 'Done']], ['cancelled', ['Annulée', 'Cancelled']]], { default: 'open' }),
          E('priority', ['Priorité', 'Priority'], [['low', ['Basse', 'Low']], ['normal', ['Normale', 'Normal']], ['high', ['Haute', 'High']]], { default: 'normal' }),
          F('completed_at', 'datetime', ['Faite le', 'Completed'], ss),
          R('assignee_id', ['Attribuée à', 'Assignee'], 'users'),
          R('contact_id', ['Contact', 'Contact'], 'contacts'),
          R('account_id', ['Entreprise', 'Company'], 'accounts'),
        ]),
      entity('products', 'product', 'orders', ['Produits', 'Products'], ['Produit', 'Product'], 'catalogue', 'name', ['name'],
        ['sku', 'name', 'category', 'unit_price_cents', 'active'], 60, { audited: true }, rw(boss), [
          F('sku', 'text', ['Référence', 'SKU'], { filterable: true, max_length: 100 }),
          F('name', 'text', ['Nom', 'Name'], { required: true, sortable: true }),
          F('category', 'text', ['Catégorie', 'Category'], { filterable: true, sortable: true }),
          F('unit_price_cents', 'money', ['Prix unitaire', 'Unit price'], { sortable: true, default: 0 }),
          F('currency', 'currency', ['Devise', 'Currency'], { default: 'EUR' }),
          F('active', 'boolean', ['Actif', 'Active'], { filterable: true, default: true }),
          F('margin_bp', 'integer', ['Taux de marge (points de base)', 'Margin rate (basis points)']),
        ]),
      entity('orders', 'order', 'orders', ['Commandes', 'Orders'], ['Commande', 'Order'], 'via_customer', '-ordered_at', [],
        ['id', 'ordered_at', 'contact_id', 'account_id', 'channel', 'status', 'total_cents'], 50,
        { importable: true, exportable: true, audited: true }, customers, [
          R('contact_id', ['Contact', 'Contact'], 'contacts'),
          R('account_id', ['Entreprise', 'Company'], 'accounts'),
          F('ordered_at', 'datetime', ['Date', 'Ordered'], { filterable: true, sortable: true }),
          E('channel', ['Canal', 'Channel'], [['store', ['Magasin', 'Store']], ['web', ['Web', 'Web']], ['phone', ['Téléphone', 'Phone']],
            ['sales_rep', ['Commercial', 'Sales rep']], ['email', ['E-mail', 'E-mail']], ['marketplace', ['Place de marché', 'Marketplace']],
            ['other', ['Autre', 'Other']]]),
          E('status', ['Statut', 'Status'], [['draft', ['Brouillon', 'Draft']], ['confirmed', ['Confirmée', 'Confirmed']], ['paid', ['Payée', 'Paid']],
            ['shipped', ['Expédiée', 'Shipped']], ['cancelled', ['Annulée', 'Cancelled']], ['returned', ['Retournée', 'Returned']]], { default: 'confirmed' }),
          F('currency', 'currency', ['Devise', 'Currency'], { default: 'EUR' }),
          F('subtotal_cents', 'money', ['Sous-total', 'Subtotal'], ss),
          F('discount_cents', 'money', ['Remise', 'Discount'], { default: 0 }),
          F('total_cents', 'money', ['Total', 'Total'], { sortable: true, default: 0 }),
          F('notes', 'long_text', ['Notes', 'Notes']),
        ], [{
          name: 'lines', label: l(['Lignes', 'Lines']), fields: [
            R('product_id', ['Produit', 'Product'], 'products'),
            F('description', 'text', ['Désignation', 'Description']),
            F('quantity', 'integer', ['Quantité', 'Quantity'], { required: true }),
            F('unit_price_cents', 'money', ['Prix unitaire', 'Unit price']),
            F('discount_cents', 'money', ['Remise', 'Discount']),
          ],
        }]),
    ],
  };
}
