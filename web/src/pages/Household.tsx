// A household: address, size, category, free attributes and its members.
import { api, qs, type Json, type ListPage } from '../api';
import { fmtDate } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import { useSession, userName } from '../session';
import { ErrorBox, Loading, Section, StageBadge, useAsync } from '../ui';

export default function Household({ id }: { id: number }) {
  const { users } = useSession();
  const h = useAsync(() => api<Json>(`/households/${id}`), [id]);
  const members = useAsync(() => api<ListPage>('/contacts' + qs({ household_id: id, sort: 'first_name', limit: 100 })), [id]);
  if (h.error) return <div className="page"><ErrorBox error={h.error} onRetry={h.reload} /></div>;
  if (!h.data) return <div className="page"><Loading /></div>;
  const r = h.data;
  const attrs = r.attributes && typeof r.attributes === 'object' ? Object.entries(r.attributes) : [];
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <p className="crumbs"><Link to="/households">{t('nav.households')}</Link></p>
          <h1>{r.name}</h1>
          <p className="subtitle">{[r.street, [r.postcode, r.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')}</p>
        </div>
      </header>
      <div className="grid-2">
        <Section title={t('household.members')}>
          {members.loading && <Loading />}
          <ul className="plain">
            {(members.data?.data || []).map((c: Json) => (
              <li key={c.id}>
                <Link to={`/contacts/${c.id}`}>{[c.first_name, c.last_name].filter(Boolean).join(' ')}</Link>{' '}
                <StageBadge stage={c.lifecycle_stage} />
              </li>
            ))}
          </ul>
        </Section>
        <Section title={t('v360.identity')}>
          <dl className="dl">
            <div><dt>{t('household.size')}</dt><dd>{r.size ?? '—'}</dd></div>
            <div><dt>{t('field.socio_professional_category')}</dt><dd>{r.socio_professional_category || '—'}</dd></div>
            <div><dt>{t('v360.owner')}</dt><dd>{userName(r.owner_id, users)}</dd></div>
            <div><dt>{t('field.created_at')}</dt><dd>{fmtDate(r.created_at)}</dd></div>
            {attrs.map(([k, v]) => (
              <div key={k}><dt>{k}</dt><dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd></div>
            ))}
          </dl>
        </Section>
      </div>
    </div>
  );
}
