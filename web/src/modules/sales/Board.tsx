// The kanban board of a pipeline (/sales/board): one column per stage with the server's figures
// (GET /api/v1/sales/board: count, amount, weighted amount, overdue), the open stages' totals at
// the top, and the cards of each column from the generic list (GET /api/v1/opportunities?
// pipeline_id=…&stage=…&sort=-amount_cents&limit=20), more of them as the column is scrolled to
// its end. A card moves by drag and drop or with its "Move to…" select (keyboard, touch screens):
// PATCH /api/v1/opportunities/{id} {stage} with If-Match; a won or lost stage first asks the
// closing date (and the loss reason). A refused move puts the card back and says why, in the
// server's words; the figures are read again after every move.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { api, ApiError, qs, type Json, type ListPage } from '../../api';
import { fmtDay, fmtMoney, fmtNumber } from '../../format';
import { t } from '../../i18n';
import { entityDef } from '../../kernel/schema';
import { RefLink, userLabel } from '../../kernel/values';
import { Link } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Loading, useFlash } from '../../ui';
import { forgetPipeline, type Stage } from './pipelines';
import './sales.css';

interface BoardStage extends Stage {
  count: number;
  amount_cents: number;
  weighted_cents: number;
  overdue: number;
}

interface BoardData {
  pipeline: { id: number; name: string; currency: string };
  pipelines: { id: number; name: string; is_default: boolean | number }[];
  stages: BoardStage[];
  today: string;
  currency: string;  // the company's: the figures are added up in it
  open: { count: number; amount_cents: number; weighted_cents: number };
}

interface Column {
  rows: Json[];
  cursor: string | null;
  loading: boolean;
  loaded: boolean;
  error?: string;
}

interface Pending {
  card: Json;
  from: string;
  to: string;
}

const PREFS = 'gazelle.sales.board';
const PAGE = 20;

// The server's reason in its own words (already in the user's language), with the fields' messages.
export function problemText(e: unknown): string {
  if (!(e instanceof ApiError)) return (e as Error)?.message ?? String(e);
  const p = e.problem;
  const fields = (p.errors || []).map((x) => x.message).filter(Boolean);
  const head = p.detail || p.title || e.message;
  return fields.length ? (p.detail ? `${head} (${fields.join(' ; ')})` : fields.join(' ; ')) : head;
}

// The pipeline and owner chosen last in this tab; mine null: not chosen yet.
function readPrefs(): { pipeline: number; mine: boolean | null } {
  try {
    const p = JSON.parse(sessionStorage.getItem(PREFS) || '{}');
    return { pipeline: Number(p.pipeline) || 0, mine: typeof p.mine === 'boolean' ? p.mine : null };
  } catch {
    return { pipeline: 0, mine: null };
  }
}

const byAmount = (a: Json, b: Json) => (b.amount_cents ?? 0) - (a.amount_cents ?? 0) || b.id - a.id;

// Days between a yyyy-mm-dd day and an instant, from the instant's own day.
function daysSince(iso: string | null | undefined, today: string): number {
  if (!iso) return 0;
  const then = new Date(iso).getTime();
  const [y, m, d] = today.split('-').map(Number);
  const now = Math.max(Date.now(), new Date(y, m - 1, d).getTime());
  return isNaN(then) ? 0 : (now - then) / 86400000;
}

export default function Board() {
  const { user, users } = useSession();
  const prefs = readPrefs();
  const [pipelineId, setPipelineId] = useState(prefs.pipeline);
  // A salesperson sees their own deals first; managers and admins everyone's.
  const [mine, setMine] = useState(prefs.mine ?? user?.role === 'sales');
  const [board, setBoard] = useState<BoardData | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [columns, setColumns] = useState<Record<string, Column>>({});
  const colsRef = useRef(columns);
  colsRef.current = columns;
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const [dragging, setDragging] = useState<{ card: Json; from: string } | null>(null);
  const [dropOn, setDropOn] = useState<string | null>(null);
  const [closing, setClosing] = useState<Pending | null>(null);
  const [flash, show] = useFlash();
  const ownerId = mine && user ? user.id : undefined;
  const boardSeq = useRef(0);
  // The pipeline and owner the columns were loaded for (a late answer for another is dropped).
  const scope = useRef('');
  const scopeKey = `${board?.pipeline.id ?? 0}/${ownerId ?? ''}`;
  scope.current = scopeKey;

  useEffect(() => {
    sessionStorage.setItem(PREFS, JSON.stringify({ pipeline: pipelineId, mine }));
  }, [pipelineId, mine]);

  const loadBoard = useCallback(async () => {
    const n = ++boardSeq.current;
    try {
      const b = await api<BoardData>('/sales/board' + qs({ pipeline_id: pipelineId || undefined, owner_id: ownerId }));
      if (n !== boardSeq.current) return;
      setBoard(b);
      setError(null);
      forgetPipeline(b.pipeline.id);  // stage names as they are now, for the record pages
    } catch (e) {
      if (n !== boardSeq.current) return;
      // A pipeline kept from another session that is gone: back to the default one.
      if (e instanceof ApiError && e.status === 404 && pipelineId) setPipelineId(0);
      else setError(e as Error);
    }
  }, [pipelineId, ownerId]);

  // A new pipeline or owner: the figures and every column again.
  useEffect(() => {
    setBoard(null);
    colsRef.current = {};
    setColumns({});
    setExpanded({});
    loadBoard();
  }, [loadBoard]);

  const loadColumn = useCallback(
    async (key: string, more: boolean) => {
      if (!board) return;
      const forScope = scopeKey;
      const c = colsRef.current[key];
      if (c?.loading || (more && !c?.cursor)) return;
      const cursor = more ? c!.cursor : null;
      colsRef.current = { ...colsRef.current, [key]: { rows: c?.rows ?? [], cursor: c?.cursor ?? null, loaded: !!c?.loaded, loading: true } };
      setColumns(colsRef.current);
      try {
        const page = await api<ListPage>('/opportunities' + qs({
          pipeline_id: board.pipeline.id, stage: key, owner_id: ownerId, sort: '-amount_cents', limit: PAGE, cursor,
        }));
        if (scope.current !== forScope) return;
        setColumns((cols) => {
          const before = more ? (cols[key]?.rows ?? []) : [];
          const seen = new Set(before.map((r) => r.id));
          return { ...cols, [key]: { rows: [...before, ...page.data.filter((r) => !seen.has(r.id))], cursor: page.next_cursor, loading: false, loaded: true } };
        });
      } catch (e) {
        if (scope.current !== forScope) return;
        setColumns((cols) => ({ ...cols, [key]: { ...(cols[key] ?? { rows: [], cursor: null }), loading: false, loaded: true, error: problemText(e) } }));
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [board?.pipeline.id, ownerId, scopeKey],
  );

  const isOpen = (s: Stage) => expanded[s.key] ?? !s.folded;

  // The cards of every shown column, once per pipeline and owner.
  useEffect(() => {
    if (!board) return;
    for (const s of board.stages) if (isOpen(s) && !columns[s.key]) loadColumn(s.key, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [board, expanded, loadColumn]);

  const place = (card: Json, from: string, to: string) =>
    setColumns((cols) => {
      const next = { ...cols };
      if (next[from]) next[from] = { ...next[from], rows: next[from].rows.filter((r) => r.id !== card.id) };
      if (next[to]?.loaded) next[to] = { ...next[to], rows: [...next[to].rows.filter((r) => r.id !== card.id), card].sort(byAmount) };
      return next;
    });

  const move = async (card: Json, from: string, to: string, extra?: Json) => {
    if (!board || from === to) return;
    const target = board.stages.find((s) => s.key === to);
    if (!target) return;
    if (!extra && (target.outcome === 'won' || target.outcome === 'lost')) {
      setClosing({ card, from, to });
      return;
    }
    place({ ...card, stage: to }, from, to);
    try {
      const rec = await api(`/opportunities/${card.id}`, { method: 'PATCH', body: { stage: to, ...(extra || {}) }, ifMatch: card.version });
      setColumns((cols) => (cols[to]?.loaded ? { ...cols, [to]: { ...cols[to], rows: cols[to].rows.map((r) => (r.id === rec.id ? rec : r)).sort(byAmount) } } : cols));
      show(t('sales.moved', { name: card.name, stage: target.name }));
    } catch (e) {
      place(card, to, from);
      show(t('sales.moveRefused', { name: card.name, reason: problemText(e) }), 'error');
    }
    loadBoard();
  };

  if (error) return <div className="page"><ErrorBox error={error} onRetry={loadBoard} /></div>;
  if (!board) return <div className="page"><Loading /></div>;
  const opp = entityDef('opportunities');
  const currency = board.currency || 'EUR';  // the company's: the server adds amounts up in it

  const onDragOver = (key: string) => (e: DragEvent) => {
    if (!dragging) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    if (dropOn !== key) setDropOn(key);
  };
  const onDrop = (key: string) => (e: DragEvent) => {
    e.preventDefault();
    setDropOn(null);
    const d = dragging;
    setDragging(null);
    if (d && d.from !== key) move(d.card, d.from, key);
  };

  return (
    <div className="page sales-board" data-pipeline={board.pipeline.id}>
      <header className="page-head">
        <div>
          <h1>{t('sales.board.title')}</h1>
          <p className="subtitle">{board.pipeline.name}</p>
        </div>
        <div className="head-actions">
          {opp?.can.create && (
            <Link className="btn primary" to={`/opportunities/new?pipeline_id=${board.pipeline.id}`}>
              + {t('sales.board.new')}
            </Link>
          )}
        </div>
      </header>
      <div className="filters board-filters">
        <div className="filter">
          <label htmlFor="board-pipeline">{t('sales.board.pipeline')}</label>
          <select id="board-pipeline" value={board.pipeline.id} onChange={(e) => setPipelineId(Number(e.target.value))}>
            {board.pipelines.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="board-owner">{t('sales.board.owner')}</label>
          <select id="board-owner" value={mine ? 'mine' : 'all'} onChange={(e) => setMine(e.target.value === 'mine')}>
            <option value="mine">{t('sales.board.mine')}</option>
            <option value="all">{t('sales.board.everyone')}</option>
          </select>
        </div>
      </div>
      <div className="figures board-totals" data-testid="board-totals" aria-label={t('sales.board.open')}>
        <div className="figure">
          <span className="figure-label">{t('sales.board.open')}</span>
          <span className="figure-value" data-testid="open-count">{fmtNumber(board.open.count)}</span>
        </div>
        <div className="figure">
          <span className="figure-label">{t('sales.board.amount')}</span>
          <span className="figure-value" data-testid="open-amount">{fmtMoney(board.open.amount_cents, currency)}</span>
        </div>
        <div className="figure">
          <span className="figure-label">{t('sales.board.weighted')}</span>
          <span className="figure-value" data-testid="open-weighted">{fmtMoney(board.open.weighted_cents, currency)}</span>
        </div>
      </div>
      {flash}
      <div className="board" role="list" aria-label={t('sales.board.columns')} data-testid="board">
        {board.stages.map((s) => {
          const open = isOpen(s);
          const col = columns[s.key];
          const cls = 'board-col' + (open ? '' : ' folded') + (dropOn === s.key ? ' drop' : '') + ' outcome-' + (s.outcome || 'open');
          if (!open)
            return (
              <section key={s.key} className={cls} role="listitem" data-stage={s.key} aria-label={s.name}
                onDragOver={onDragOver(s.key)} onDragLeave={() => setDropOn(null)} onDrop={onDrop(s.key)}>
                <button type="button" className="col-unfold" aria-expanded={false} aria-label={t('sales.board.expand', { name: s.name })}
                  onClick={() => setExpanded((x) => ({ ...x, [s.key]: true }))}>
                  <span className="col-count badge" data-testid="col-count">{fmtNumber(s.count)}</span>
                  <span className="col-vertical">{s.name}</span>
                  <span className="col-vertical small">{fmtMoney(s.amount_cents, currency)}</span>
                </button>
              </section>
            );
          return (
            <section key={s.key} className={cls} role="listitem" data-stage={s.key} aria-labelledby={'col-' + s.key}
              onDragOver={onDragOver(s.key)}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropOn(null);
              }}
              onDrop={onDrop(s.key)}>
              <header className="col-head">
                <div className="col-title">
                  <h2 id={'col-' + s.key}>{s.name}</h2>
                  <span className="col-count badge" data-testid="col-count" title={t('sales.board.count', { n: s.count })}>{fmtNumber(s.count)}</span>
                  <button type="button" className="linklike col-fold" aria-expanded={true} aria-label={t('sales.board.collapse', { name: s.name })}
                    onClick={() => setExpanded((x) => ({ ...x, [s.key]: false }))}>
                    <span aria-hidden="true">⇤</span>
                  </button>
                </div>
                <div className="col-figures">
                  <span data-testid="col-amount">{fmtMoney(s.amount_cents, currency)}</span>
                  <span className="muted" data-testid="col-weighted">{t('sales.board.weightedShort', { amount: fmtMoney(s.weighted_cents, currency) })}</span>
                  {s.overdue > 0 && <span className="badge danger">{t('sales.board.overdue', { n: s.overdue })}</span>}
                </div>
              </header>
              <div className="col-cards" role="list" aria-label={s.name}
                onScroll={(e) => {
                  const el = e.currentTarget;
                  if (col?.cursor && !col.loading && el.scrollTop + el.clientHeight >= el.scrollHeight - 40) loadColumn(s.key, true);
                }}>
                {col?.rows.map((card) => (
                  <Card key={card.id} card={card} stage={s} stages={board.stages} today={board.today} users={users}
                    canMove={!!opp?.can.update} dragging={dragging?.card.id === card.id}
                    onDragStart={() => setDragging({ card, from: s.key })}
                    onDragEnd={() => {
                      setDragging(null);
                      setDropOn(null);
                    }}
                    onMove={(to) => move(card, s.key, to)} />
                ))}
                {col?.loaded && !col.rows.length && !col.loading && <p className="muted small col-empty">{t('sales.board.empty')}</p>}
                {col?.error && <p className="field-error small" role="alert">{col.error}</p>}
                {(!col || col.loading) && <p className="muted small" role="status">{t('loading')}</p>}
                {col?.cursor && !col.loading && (
                  <button type="button" className="btn small col-more" onClick={() => loadColumn(s.key, true)}>
                    {t('sales.board.loadMore')}
                  </button>
                )}
              </div>
            </section>
          );
        })}
      </div>
      {closing && (
        <CloseDialog pending={closing} stage={board.stages.find((s) => s.key === closing.to)!} today={board.today}
          onCancel={() => setClosing(null)}
          onConfirm={(extra) => {
            const c = closing;
            setClosing(null);
            move(c.card, c.from, c.to, extra);
          }} />
      )}
    </div>
  );
}

function Card({ card, stage, stages, today, users, canMove, dragging, onDragStart, onDragEnd, onMove }: {
  card: Json; stage: BoardStage; stages: BoardStage[]; today: string; users: Parameters<typeof userLabel>[1]; canMove: boolean;
  dragging: boolean; onDragStart: () => void; onDragEnd: () => void; onMove: (to: string) => void;
}) {
  const stale = !!stage.stale_after_days && card.status === 'open' && daysSince(card.stage_entered_at, today) > stage.stale_after_days;
  const overdue = card.status === 'open' && !!card.expected_close_date && card.expected_close_date < today;
  return (
    <article className={'opp-card' + (dragging ? ' dragging' : '') + (stale ? ' stale' : '') + (overdue ? ' overdue' : '')}
      role="listitem" data-opportunity={card.id} draggable={canMove}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', card.name);
        e.dataTransfer.effectAllowed = 'move';
        onDragStart();
      }}
      onDragEnd={onDragEnd}>
      <Link className="opp-name" to={`/opportunities/${card.id}`}>{card.name}</Link>
      <div className="opp-customer small">
        {card.account_id ? <RefLink entity="accounts" id={card.account_id} /> : null}
        {card.account_id && card.contact_id ? ' · ' : null}
        {card.contact_id ? <RefLink entity="contacts" id={card.contact_id} /> : null}
        {!card.account_id && !card.contact_id && <span className="muted">{t('sales.card.noCustomer')}</span>}
      </div>
      <div className="opp-amount" data-testid="card-amount">{fmtMoney(card.amount_cents, card.currency || 'EUR')}</div>
      <div className="opp-meta small muted">
        {card.expected_close_date && <span>{t('sales.card.closeOn', { date: fmtDay(card.expected_close_date) })}</span>}
        {card.owner_id && <span>{userLabel(card.owner_id, users)}</span>}
      </div>
      {(stale || overdue) && (
        <div className="opp-flags">
          {stale && <span className="badge warn" data-flag="stale" title={t('sales.card.staleTitle', { n: stage.stale_after_days ?? 0 })}>{t('sales.card.stale')}</span>}
          {overdue && <span className="badge danger" data-flag="overdue" title={t('sales.card.overdueTitle')}>{t('sales.card.overdue')}</span>}
        </div>
      )}
      {canMove && <MoveSelect card={card} stage={stage} stages={stages} onMove={onMove} />}
    </article>
  );
}

// "Move to…": a stage picked with the mouse or a finger moves the card at once; browsing the
// closed select with the arrow keys (which changes its value at each key in some browsers) only
// chooses, and Enter moves.
function MoveSelect({ card, stage, stages, onMove }: { card: Json; stage: BoardStage; stages: BoardStage[]; onMove: (to: string) => void }) {
  const [pending, setPending] = useState('');
  const keyAt = useRef(0);
  const hint = 'move-hint-' + card.id;
  return (
    <>
      <select className="opp-move" aria-label={t('sales.card.moveLabel', { name: card.name })} value={pending} aria-describedby={hint}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && pending) {
            e.preventDefault();
            setPending('');
            onMove(pending);
          } else if (e.key === 'Escape') setPending('');
          else if (e.key.length === 1 || /^(Arrow|Page|Home|End)/.test(e.key)) keyAt.current = Date.now();
        }}
        onChange={(e) => {
          const to = e.target.value;
          if (Date.now() - keyAt.current < 500) setPending(to);
          else if (to) onMove(to);
        }}
        onBlur={() => setPending('')}>
        <option value="">{t('sales.card.moveTo')}</option>
        {stages.filter((s) => s.key !== stage.key).map((s) => (
          <option key={s.key} value={s.key}>{s.name}</option>
        ))}
      </select>
      <small id={hint} className={pending ? 'hint small' : 'sr-only'}>{t('sales.card.enterToMove')}</small>
    </>
  );
}

// The closing date (and for a lost deal its coded reason) a won or lost stage needs.
function CloseDialog({ pending, stage, today, onCancel, onConfirm }: {
  pending: Pending; stage: BoardStage; today: string; onCancel: () => void; onConfirm: (extra: Json) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const lost = stage.outcome === 'lost';
  const [closedOn, setClosedOn] = useState(today);
  const [reason, setReason] = useState('');
  const [reasons, setReasons] = useState<Json[] | null>(lost ? null : []);
  const [tried, setTried] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    if (!lost) return;
    api<ListPage>('/sales_reasons' + qs({ kind: 'loss', active: 'true', sort: 'name', limit: 200 }))
      .then((p) => setReasons(p.data))
      .catch(() => setReasons([]));
  }, [lost]);
  const missingDate = !closedOn;
  const missingReason = lost && !reason;
  return (
    <dialog ref={ref} className="close-dialog" aria-labelledby="close-title" onCancel={(e) => {
      e.preventDefault();
      onCancel();
    }}>
      <form method="dialog" noValidate onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (missingDate || missingReason) return;
        onConfirm(lost ? { closed_on: closedOn, loss_reason_id: Number(reason) } : { closed_on: closedOn });
      }}>
        <h2 id="close-title">{t('sales.close.title', { name: pending.card.name, stage: stage.name })}</h2>
        <p>{lost ? t('sales.close.lost') : t('sales.close.won')}</p>
        <div className={'field' + (tried && missingDate ? ' invalid' : '')}>
          <label htmlFor="close-on">{t('sales.close.closedOn')}</label>
          <input id="close-on" type="date" value={closedOn} required aria-invalid={tried && missingDate}
            onChange={(e) => setClosedOn(e.target.value)} />
          {tried && missingDate && <div className="field-error" role="alert">{t('sales.close.required')}</div>}
        </div>
        {lost && (
          <div className={'field' + (tried && missingReason ? ' invalid' : '')}>
            <label htmlFor="close-reason">{t('sales.close.reason')}</label>
            {reasons === null ? (
              <p className="muted small">{t('loading')}</p>
            ) : reasons.length ? (
              <select id="close-reason" value={reason} required aria-invalid={tried && missingReason} onChange={(e) => setReason(e.target.value)}>
                <option value="">{t('sales.close.chooseReason')}</option>
                {reasons.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
              </select>
            ) : (
              <p className="alert warn small">{t('sales.close.noReason')}</p>
            )}
            {tried && missingReason && <div className="field-error" role="alert">{t('sales.close.required')}</div>}
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={lost && !reasons?.length}>{t('sales.close.confirm')}</button>
          <button type="button" className="btn" onClick={onCancel}>{t('cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}
