// The 360° page of a customer, contact or account: one layout for both. The customers module
// draws the header and its own sections (identity, lifecycle and its history, tags, consent,
// household, the account's people); the other modules add theirs through the registry's v360
// widgets (activity: quick log, follow-ups, timeline; orders: value figures and orders;
// analytics: the value card), ordered by their `order`. The audit history closes the page.
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type Json } from '../../api';
import { fmtDate } from '../../format';
import { t, tEnum, type Key } from '../../i18n';
import AuditPanel from '../../kernel/AuditPanel';
import { NotFound, RecordActions } from '../../kernel/RecordPage';
import { v360Widgets, type V360Context } from '../../kernel/registry';
import { rememberName } from '../../kernel/refs';
import { displayName, entityDef, fieldDef, fieldLabel } from '../../kernel/schema';
import { Dl, textOf, userLabel, ValueOf } from '../../kernel/values';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { foldTag, Loading, Section, TagChips, useAsync, useFlash } from '../../ui';
import { ArchivedBanner } from '../merge/MergeWidgets';
import { CONSENT_CHANNELS } from './ContactFormExtra';

// A linked record: a link when the reader may open it; its name alone, marked, when the server
// says it is restricted (outside the reader's visibility: they would get a 404).
export function LinkedName({ entity, rec }: { entity: string; rec: Json }) {
  if (rec.restricted)
    return (
      <span className="restricted" data-restricted={entity} title={t('access.restrictedHint')}>
        {rec.name} <span className="muted">({t('access.restricted')})</span>
      </span>
    );
  return <Link to={`/${entity}/${rec.id}`}>{rec.name}</Link>;
}

export function Stage({ entity, record }: { entity: string; record: Json }) {
  return <ValueOf f={fieldDef(entity, 'lifecycle_stage')} value={record.lifecycle_stage} />;
}

function StageHistory({ entity, rows }: { entity: string; rows: Json[] }) {
  const { users } = useSession();
  if (!rows?.length) return <p className="muted">{t('v360.noHistory')}</p>;
  const f = fieldDef(entity, 'lifecycle_stage');
  return (
    <ol className="stage-history">
      {[...rows].reverse().map((h, i) => (
        <li key={i}>
          <ValueOf f={f} value={h.stage} /> <time dateTime={h.changed_at}>{fmtDate(h.changed_at)}</time>
          {h.reason && <span className="muted"> — {h.reason}</span>}
          {h.user_id && <span className="muted small"> · {userLabel(h.user_id, users)}</span>}
        </li>
      ))}
    </ol>
  );
}

// Tags of the record, edited in place: each change is a PATCH with the record's version, so a
// stale page gets the server's 412 message instead of overwriting someone else's change.
function TagEditor({ entity, record, canEdit, onChanged }: { entity: string; record: Json; canEdit: boolean; onChanged: () => void }) {
  const [tag, setTag] = useState('');
  const [flash, show] = useFlash();
  const save = async (tags: string[]) => {
    try {
      await api(`/${entity}/${record.id}`, { method: 'PATCH', body: { tags }, ifMatch: record.version });
      setTag('');
      onChanged();
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };
  const tags: string[] = record.tags || [];
  if (!canEdit) return <TagChips tags={tags} />;
  return (
    <div>
      <TagChips tags={tags} onRemove={(g) => save(tags.filter((x) => x !== g))} />
      <form
        className="tag-editor"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim() && !tags.includes(foldTag(tag))) save([...tags, tag.trim()]);
        }}
      >
        <label className="sr-only" htmlFor={`tag-${entity}-${record.id}`}>{t('tags.add')}</label>
        <input id={`tag-${entity}-${record.id}`} value={tag} maxLength={50} placeholder={t('tags.add')} onChange={(e) => setTag(e.target.value)} />
        <button type="submit" className="btn" disabled={!tag.trim()}>+</button>
      </form>
      {flash}
    </div>
  );
}

function address(r: Json) {
  const parts = [r.street, [r.postcode, r.city].filter(Boolean).join(' '), r.country && r.country !== 'FR' ? r.country : ''];
  const s = parts.filter(Boolean);
  return s.length ? <span className="pre">{s.join('\n')}</span> : null;
}

// The identity card: the listed fields by their catalogue labels; "address" joins the address.
const IDENTITY: Record<string, string[]> = {
  contacts: ['emails', 'phones', 'account_id', 'buying_role', 'address', 'owner_id', 'source_type', 'created_at'],
  accounts: ['legal_id', 'industry', 'size', 'website', 'phone', 'address', 'owner_id', 'created_at'],
};

function Identity({ entity, record: r, view: v }: V360Context) {
  const items: [string, ReactNode][] = IDENTITY[entity].map((k) => {
    if (k === 'address') return [fieldLabel(entity, 'street'), address(r)];
    if (k === 'owner_id') return [fieldLabel(entity, k), v.owner ? v.owner.name : <ValueOf f={fieldDef(entity, k)} value={r[k]} />];
    if (k === 'account_id') return [fieldLabel(entity, k), v.account ? <LinkedName entity="accounts" rec={v.account} /> : null];
    if (k === 'source_type' && r.source_type)
      return [fieldLabel(entity, k), [enumLabelOf(entity, k, r[k]), r.source_campaign, r.source_medium].filter(Boolean).join(' · ')];
    return [fieldLabel(entity, k), <ValueOf key={k} f={fieldDef(entity, k)} value={r[k]} record={r} />];
  });
  return <Dl items={items} />;
}

function enumLabelOf(entity: string, field: string, value: string) {
  return fieldDef(entity, field)?.values?.find((x) => x.value === value)?.label ?? value;
}

function Consent({ view }: { view: Json }) {
  const c = view.consent || {};
  const p = view.preferences || {};
  return (
    <>
      <ul className="consent">
        {CONSENT_CHANNELS.map((ch) => {
          const v = c[ch];
          const st = v?.status || 'unknown';
          return (
            <li key={ch} className={'consent-' + st}>
              <span className="consent-ch">{t(('consent.' + ch) as Key)}</span>
              <span className="consent-st">{t(('consent.' + st) as Key)}</span>
              {v?.date && <span className="muted small"> {fmtDate(v.date)}</span>}
              {v?.origin && <span className="muted small consent-origin"> · {textOf(fieldDef('contacts', `consent.${ch}.origin`), v.origin)}</span>}
            </li>
          );
        })}
      </ul>
      <Dl
        items={[
          [t('pref.channel'), p.channel ? enumLabelOf('interactions', 'channel', p.channel) : null],
          [t('pref.frequency'), p.frequency ? tEnum('pref.frequency', p.frequency) : null],
          [t('pref.frequency_cap_per_month'), p.frequency_cap_per_month ?? null],
          [t('pref.initiative'), p.initiative ? tEnum('pref.initiative', p.initiative) : null],
          [t('pref.autonomy'), p.autonomy ? tEnum('pref.autonomy', p.autonomy) : null],
        ]}
      />
    </>
  );
}

function Household({ record: c, view: v }: V360Context) {
  if (!v.household) return <p className="muted">—</p>;
  return (
    <>
      <p>
        <LinkedName entity="households" rec={v.household} />
      </p>
      <ul className="plain">
        {(v.household.members || []).map((m: Json) => (
          <li key={m.id}>
            {m.id === c.id ? <strong>{displayName('contacts', m)}</strong> : <Link to={`/contacts/${m.id}`}>{displayName('contacts', m)}</Link>}
          </li>
        ))}
      </ul>
    </>
  );
}

function People({ view: v }: V360Context) {
  if (!v.contacts?.length) return <p className="muted">—</p>;
  return (
    <ul className="plain contacts-list">
      {v.contacts.map((c: Json) => (
        <li key={c.id}>
          <Link to={`/contacts/${c.id}`}>{displayName('contacts', c)}</Link>
          <span className="muted small">
            {' '}
            {[c.job_title, c.buying_role ? enumLabelOf('contacts', 'buying_role', c.buying_role) : ''].filter(Boolean).join(' · ')}
          </span>
        </li>
      ))}
    </ul>
  );
}

const section = (title: () => string, body: (c: V360Context) => ReactNode) => (c: V360Context) => <Section title={title()}>{body(c)}</Section>;

// The customers module's own sections of the 360° pages.
export const customersV360 = [
  { key: 'identity', order: 10, column: 'side' as const, render: section(() => t('v360.identity'), (c) => <Identity {...c} />) },
  {
    key: 'stage', order: 20, column: 'side' as const,
    render: section(() => t('v360.stage'), ({ entity, record, view }) => (
      <>
        <p>
          <Stage entity={entity} record={record} /> {record.stage_reason && <span className="muted">{record.stage_reason}</span>}
        </p>
        <h3 className="h3">{t('v360.history')}</h3>
        <StageHistory entity={entity} rows={view.stage_history} />
      </>
    )),
  },
  {
    key: 'tags', order: 30, column: 'side' as const,
    render: (c: V360Context) => (
      <Section title={fieldLabel(c.entity, 'tags')}>
        <TagEditor entity={c.entity} record={c.record} canEdit={!!entityDef(c.entity)?.can.update} onChanged={c.changed} />
      </Section>
    ),
  },
  { key: 'consent', order: 40, column: 'side' as const, entities: ['contacts'], render: section(() => t('v360.consent'), ({ view }) => <Consent view={view} />) },
  { key: 'household', order: 50, column: 'side' as const, entities: ['contacts'], render: section(() => t('v360.household'), (c) => <Household {...c} />) },
  { key: 'people', order: 40, column: 'side' as const, entities: ['accounts'], render: section(() => t('v360.contacts'), (c) => <People {...c} />) },
];

function Subtitle({ entity, record: r, view: v }: { entity: string; record: Json; view: Json }) {
  if (entity === 'contacts')
    return (
      <p className="subtitle">
        {r.job_title && <span>{r.job_title}</span>}
        {v.account && (
          <span>
            {' '}
            · <LinkedName entity="accounts" rec={v.account} />
          </span>
        )}{' '}
        <Stage entity={entity} record={r} />
      </p>
    );
  return (
    <p className="subtitle">
      {[r.industry, r.city].filter(Boolean).join(' · ')} <Stage entity={entity} record={r} />
      {r.tier && <ValueOf f={fieldDef(entity, 'tier')} value={r.tier} />}
    </p>
  );
}

export default function Customer360({ entity, id }: { entity: 'contacts' | 'accounts'; id: number }) {
  const e = entityDef(entity)!;
  const { data: v, error, loading, reload } = useAsync<Json>(() => api(`/${entity}/${id}/360`), [entity, id]);
  const [refresh, setRefresh] = useState(0);
  const record: Json = v?.[e.singular];
  useEffect(() => {
    if (!record) return;
    rememberName(entity, record);
    if (v.account) rememberName('accounts', v.account);
    (v.contacts || []).forEach((c: Json) => rememberName('contacts', c));
    // An id absorbed by a merge answers with its survivor (308): show the survivor's address.
    if (record.id !== id) navigate(`/${entity}/${record.id}`, true);
  }, [v, record, entity, id]);
  if (error) return <NotFound error={error} reload={reload} />;
  if (!v || !record) return <div className="page">{loading && <Loading />}</div>;
  const name = displayName(entity, record);
  const target = entity === 'contacts' ? { contact_id: record.id } : { account_id: record.id };
  const changed = () => {
    reload();
    setRefresh((n) => n + 1);
  };
  const ctx: V360Context = { entity, record, view: v, target, changed, refresh };
  const people = entityDef('contacts');
  return (
    <div className="page v360" data-entity={entity}>
      <ArchivedBanner entity={entity} record={record} onRestored={changed} />
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to={`/${entity}`}>{e.label}</Link>
          </p>
          <h1>{name}</h1>
          <Subtitle entity={entity} record={record} view={v} />
        </div>
        <div className="head-actions">
          {entity === 'accounts' && people?.can.create && (
            <Link className="btn" to={`/contacts/new?account_id=${record.id}`}>
              + {people.label_singular}
            </Link>
          )}
          <RecordActions entity={entity} record={record} label={name} />
        </div>
      </header>
      <div className="grid-360">
        <div className="col-main">
          {v360Widgets(entity, 'main').map((w) => <Fragment key={w.key}>{w.render(ctx)}</Fragment>)}
        </div>
        <div className="col-side">
          {v360Widgets(entity, 'side').map((w) => <Fragment key={w.key}>{w.render(ctx)}</Fragment>)}
          <AuditPanel entity={entity} id={record.id} refresh={refresh} />
        </div>
      </div>
    </div>
  );
}
