// The case composer: three tabs — « Répondre au client » (by e-mail unless unticked, status after
// the reply), « Note interne » (yellow, never sent), « Message du client » (what the customer said
// by phone or in person, logged with its channel).
import { useId, useState } from 'react';
import { api, type Json } from '../../api';
import { enumValues } from '../../kernel/schema';
import { problemText } from './common';
import { st } from './i18n';

type Tab = 'reply' | 'note' | 'customer';

export default function CaseComposer({ record, body, setBody, done }: {
  record: Json; body: string; setBody: (s: string) => void; done: (msg: string, kind?: 'ok' | 'error') => void;
}) {
  const [tab, setTab] = useState<Tab>('reply');
  const [byEmail, setByEmail] = useState(true);
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();
  const statuses = enumValues('cases', 'status');
  const channels = enumValues('cases', 'channel');

  const send = async () => {
    if (!body.trim()) {
      setError(st('service.compose.empty'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      if (tab === 'reply') {
        const r = await api<Json>(`/cases/${record.id}/replies`, {
          method: 'POST', body: { body, by_email: byEmail, ...(status ? { status } : {}) },
        });
        done(r?.sent_by_email ? st('service.compose.sent') : st('service.compose.sentNoMail'));
        setStatus('');
      } else if (tab === 'note') {
        await api(`/cases/${record.id}/notes`, { method: 'POST', body: { body } });
        done(st('service.compose.noted'));
      } else {
        await api(`/cases/${record.id}/customer-messages`, { method: 'POST', body: { body, channel } });
        done(st('service.compose.logged'));
      }
      setBody('');
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const tabs: [Tab, string][] = [
    ['reply', st('service.compose.reply')],
    ['note', st('service.compose.note')],
    ['customer', st('service.compose.customer')],
  ];
  const label = tab === 'reply' ? st('service.compose.body') : tab === 'note' ? st('service.compose.noteBody') : st('service.compose.customerBody');
  return (
    <div className={'case-composer composer-' + tab} data-testid="case-composer">
      <div className="tabs" role="tablist" aria-label={st('service.compose.reply')}>
        {tabs.map(([k, l]) => (
          <button key={k} type="button" role="tab" id={id + '-tab-' + k} aria-selected={tab === k} aria-controls={id + '-panel'}
            className={'tab' + (tab === k ? ' current' : '') + ' tab-' + k} onClick={() => { setTab(k); setError(''); }}>
            {l}
          </button>
        ))}
      </div>
      <form id={id + '-panel'} role="tabpanel" aria-labelledby={id + '-tab-' + tab} className="composer-panel"
        onSubmit={(e) => { e.preventDefault(); send(); }}>
        <div className="field">
          <label htmlFor={id + '-body'}>{label}</label>
          <textarea id={id + '-body'} value={body} rows={5} onChange={(e) => setBody(e.target.value)} data-testid="composer-body" />
          {tab === 'note' && <small className="hint">{st('service.compose.noteHint')}</small>}
        </div>
        {tab === 'reply' && (
          <div className="composer-options">
            <label className="check">
              <input type="checkbox" checked={byEmail} onChange={(e) => setByEmail(e.target.checked)} /> {st('service.compose.byEmail')}
            </label>
            <div className="field inline">
              <label htmlFor={id + '-status'}>{st('service.compose.statusAfter')}</label>
              <select id={id + '-status'} value={status} onChange={(e) => setStatus(e.target.value)} data-testid="reply-status">
                <option value="">{st('service.compose.keepStatus')}</option>
                {statuses.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
              </select>
            </div>
          </div>
        )}
        {tab === 'customer' && (
          <div className="field inline">
            <label htmlFor={id + '-channel'}>{st('service.compose.channel')}</label>
            <select id={id + '-channel'} value={channel} onChange={(e) => setChannel(e.target.value)}>
              {channels.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
            </select>
          </div>
        )}
        {error && <div className="alert error" role="alert">{error}</div>}
        <div className="form-actions">
          <button type="submit" className={'btn ' + (tab === 'note' ? 'note-btn' : 'primary')} disabled={busy} data-testid="composer-send">
            {busy ? st('service.compose.sending') : tab === 'reply' ? st('service.compose.send') : tab === 'note' ? st('service.compose.addNote') : st('service.compose.log')}
          </button>
        </div>
      </form>
    </div>
  );
}
