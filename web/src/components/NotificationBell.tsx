// The bell in the header: the unread count, live from GET /api/v1/notifications/stream (server-sent
// events; EventSource reconnects by itself), and a panel with the latest notifications — follow-up
// reminders, automatic sales follow-ups — each opening its record and marked read when opened.
import { useEffect, useRef, useState } from 'react';
import { api, type Json } from '../api';
import { fmtRelative } from '../format';
import { t } from '../i18n';
import { navigate } from '../router';

export default function NotificationBell() {
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Json[] | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let source: EventSource | null = null;
    try {
      source = new EventSource('/api/v1/notifications/stream');
      source.addEventListener('notifications', (ev) => {
        try {
          const d = JSON.parse((ev as MessageEvent).data);
          if (typeof d.unread === 'number') setUnread(d.unread);
        } catch {
          /* a malformed event: the next one says it again */
        }
      });
    } catch {
      source = null;
    }
    // Without the stream (an API token, an old browser), ask once.
    if (!source) api<Json>('/notifications?unread=true&limit=200').then((p) => setUnread(p.data.length)).catch(() => {});
    return () => source?.close();
  }, []);

  useEffect(() => {
    if (!open) return;
    api<Json>('/notifications?limit=15')
      .then((p) => setItems(p.data))
      .catch(() => setItems([]));
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const openOne = async (n: Json) => {
    if (!n.read_at) {
      try {
        await api(`/notifications/${n.id}/read`, { method: 'POST' });
        setUnread((u) => Math.max(0, u - 1));
      } catch {
        /* stays unread */
      }
    }
    setOpen(false);
    if (n.related_entity && n.related_id) navigate(`/${n.related_entity}/${n.related_id}`);
  };

  return (
    <div className="bell" ref={box}>
      <button
        type="button"
        className="btn ghost bell-btn"
        aria-haspopup="true"
        aria-expanded={open}
        data-testid="notification-bell"
        onClick={() => setOpen(!open)}
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2"
          strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        <span className="sr-only">{t('bell.title')}</span>
        {unread > 0 && (
          <span className="bell-count" data-testid="notification-count" aria-label={t('bell.unread', { n: unread })}>
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t('bell.title')}>
          <h2>{t('bell.title')}</h2>
          {items === null && <p className="muted">{t('bell.loading')}</p>}
          {items && items.length === 0 && <p className="muted">{t('bell.empty')}</p>}
          {items && items.length > 0 && (
            <ul>
              {items.map((n) => (
                <li key={n.id} className={n.read_at ? 'read' : 'unread'}>
                  <button type="button" className="linklike" onClick={() => openOne(n)}>
                    <strong>{n.title}</strong>
                    {n.body && <span className="bell-body">{n.body}</span>}
                    <span className="muted bell-when">{fmtRelative(n.created_at)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
