// What a household's record page has of its own: its members (the contacts of the household).
import { api, qs, type Json, type ListPage } from '../../api';
import { t } from '../../i18n';
import type { RecordExtensionProps } from '../../kernel/registry';
import { displayName } from '../../kernel/schema';
import { ValueOf } from '../../kernel/values';
import { fieldDef } from '../../kernel/schema';
import { Link } from '../../router';
import { Loading, Section, useAsync } from '../../ui';

export default function HouseholdMembers({ record }: RecordExtensionProps) {
  const members = useAsync(() => api<ListPage>('/contacts' + qs({ household_id: record.id, sort: 'first_name', limit: 100 })), [record.id]);
  const stage = fieldDef('contacts', 'lifecycle_stage');
  return (
    <Section title={t('household.members')}>
      {members.loading && <Loading />}
      {!members.loading && !members.data?.data.length && <p className="muted">—</p>}
      <ul className="plain" data-testid="household-members">
        {(members.data?.data || []).map((c: Json) => (
          <li key={c.id}>
            <Link to={`/contacts/${c.id}`}>{displayName('contacts', c)}</Link> <ValueOf f={stage} value={c.lifecycle_stage} />
          </li>
        ))}
      </ul>
      <p className="small">
        <Link to={`/contacts/new?household_id=${record.id}`}>+ {t('household.addMember')}</Link>
      </p>
    </Section>
  );
}
