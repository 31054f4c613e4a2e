// E-mail (docs/email.md): writing an e-mail from a contact's 360° page (the composer), reading an
// e-mail of the timeline with its conversation, replying and forwarding, the inbox of unknown
// senders (/email/inbox), and the mailboxes' password and reading state. Lists and forms of
// mailboxes and templates are the catalogue's.
import { useEffect, useState } from 'react';
import type { Json } from '../../api';
import { api } from '../../api';
import { fmtDate } from '../../format';
import { t } from '../../i18n';
import type { ModuleDef, V360Context } from '../../kernel/registry';
import { entityDef } from '../../kernel/schema';
import { Section, useFlash } from '../../ui';
import Composer from './Composer';
import { EmailPage, EmailPanel } from './EmailView';
import Inbox from './Inbox';
import { MailboxExtra, PasswordField, passwordToBody } from './Mailbox';
import './email.css';

const canRead = (entity: string) => !!entityDef(entity)?.can.read;

function WriteEmail({ c }: { c: V360Context }) {
  const [open, setOpen] = useState(false);
  const [flash, show] = useFlash();
  const first: string = (c.record.emails || [])[0] || '';
  const [bounce, setBounce] = useState<Json | null>(null);
  useEffect(() => {
    setBounce(null);
    if (!first) return;
    api(`/email/addresses/${encodeURIComponent(first)}`)
      .then((r) => setBounce(r?.status === 'bounced' ? r : null))
      .catch(() => setBounce(null));
  }, [first]);
  return (
    <Section title={t('email.section')} className="v360-email"
      actions={<button type="button" className="btn primary" onClick={() => setOpen(true)}>✉ {t('email.write')}</button>}>
      {flash}
      {bounce && (
        <p className="alert warn small" data-testid="address-bounced">
          {t('email.bounced', { address: first, date: fmtDate(bounce.changed_at) })}
          {bounce.reason ? ' — ' + bounce.reason : ''}
        </p>
      )}
      {open && (
        <Composer mode="new" contactId={c.record.id} to={first} onClose={() => setOpen(false)}
          onSent={() => {
            setOpen(false);
            show(t('email.sentFlash'));
            c.changed();
          }} />
      )}
    </Section>
  );
}

function InteractionEmail({ record }: { record: Json }) {
  if (record.channel !== 'email') return null;
  // An e-mail logged by hand has no message: nothing to show.
  return (
    <div className="interaction-email">
      <EmailPanel load={() => api(`/interactions/${record.id}/email`)} deps={[record.id]} />
    </div>
  );
}

export const email: ModuleDef = {
  name: 'email',
  entities: {
    mailboxes: {
      form: { fields: ['password'], render: (p) => <PasswordField {...p} />, toBody: (body, values) => passwordToBody(body, values) },
      recordExtra: ({ record, reload }) => <MailboxExtra record={record} reload={reload} />,
    },
    interactions: {
      recordExtra: ({ record }) => <InteractionEmail record={record} />,
    },
  },
  routes: [
    { path: '/email/inbox', render: () => <Inbox /> },
    { path: '/email/messages/:id', render: (p) => <EmailPage emailId={Number(p.id)} /> },
    { path: '/email/interactions/:id', render: (p) => <EmailPage interactionId={Number(p.id)} /> },
  ],
  nav: [{ path: '/email/inbox', label: 'nav.emailInbox', order: 1.5, visible: () => canRead('interactions') }],
  v360: [
    {
      key: 'email', order: 28, column: 'main', entities: ['contacts'],
      render: (c) => canRead('mailboxes') && <WriteEmail c={c} />,
    },
  ],
};
