// Global search: every searchable entity of the catalogue (contacts, accounts, households) as you type (debounced). The server folds
// accents and case, so "helene lefevre" finds Hélène Lefèvre. "/" focuses the box.
import { useEffect, useRef, useState } from 'react';
import { api, qs, type Json, type ListPage } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { useDebounced } from '../ui';
import { displayName, entityDef, entityLabel, getSchema } from '../kernel/schema';
import { textOf } from '../kernel/values';

interface Hit {
  entity: string;
  id: number;
  title: string;
  sub: string;
}

// A hit: the record's name and a few of its list columns (text, first of a list, enum label).
function toHits(entity: string, rows: Json[]): Hit[] {
  const e = entityDef(entity);
  const subFields = (e?.list_columns || [])
    .filter((n) => !e?.title_fields.includes(n))
    .map((n) => e?.fields.find((f) => f.name === n))
    .filter((f) => f && ['text', 'email_list', 'phone_list', 'enum', 'phone', 'country'].includes(f.kind))
    .slice(0, 3);
  return rows.map((r) => ({
    entity, id: r.id, title: displayName(entity, r),
    sub: subFields.map((f) => {
      const v = r[f!.name];
      if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return '';
      return textOf(f, Array.isArray(v) ? [v[0]] : v);
    }).filter(Boolean).join(' · '),
  }));
}

export function hrefOf(h: { entity: string; id: number }) {
  return `/${h.entity}/${h.id}`;
}

export default function Search() {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const dq = useDebounced(q.trim(), 200);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = document.activeElement as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onClick);
    return () => document.removeEventListener('mousedown', onClick);
  }, []);

  useEffect(() => {
    if (dq.length < 2) {
      setHits([]);
      setBusy(false);
      return;
    }
    const ctl = new AbortController();
    setBusy(true);
    const one = (entity: string) =>
      api<ListPage>(`/${entity}` + qs({ q: dq, limit: 6 }), { signal: ctl.signal })
        .then((r) => toHits(entity, r.data))
        .catch((e) => {
          if (e.name === 'AbortError') throw e;
          return [] as Hit[];
        });
    // Every searchable entity of the catalogue, in the menu's order.
    const entities = getSchema().entities.filter((x) => x.traits.searchable && x.can.read)
      .sort((x, y) => (x.menu?.order ?? 999) - (y.menu?.order ?? 999));
    Promise.all(entities.map((x) => one(x.name)))
      .then((lists) => {
        setHits(lists.flat());
        setActive(-1);
        setBusy(false);
        setOpen(true);
      })
      .catch(() => {});
    return () => ctl.abort();
  }, [dq]);

  const go = (h: Hit) => {
    setOpen(false);
    setQ('');
    input.current?.blur();
    navigate(hrefOf(h));
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(-1, a - 1));
    } else if (e.key === 'Enter') {
      const h = hits[active >= 0 ? active : 0];
      if (h) {
        e.preventDefault();
        go(h);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
      input.current?.blur();
    }
  };

  const showList = open && dq.length >= 2 && q.trim().length >= 2;
  return (
    <div className="search" ref={box}>
      <label htmlFor="global-search" className="sr-only">
        {t('search.label')}
      </label>
      <input
        id="global-search"
        ref={input}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls="global-search-list"
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `search-hit-${active}` : undefined}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul id="global-search-list" role="listbox" className="search-results" aria-label={t('search.label')}>
          {busy && hits.length === 0 && <li className="muted search-msg">{t('search.loading')}</li>}
          {!busy && hits.length === 0 && <li className="muted search-msg">{t('search.none', { q: dq })}</li>}
          {hits.map((h, i) => (
            <li
              key={h.entity + h.id}
              id={`search-hit-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                go(h);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className={'kind kind-' + h.entity}>{entityLabel(h.entity, true)}</span>
              <span className="hit-title">{h.title}</span>
              {h.sub && <span className="hit-sub">{h.sub}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
