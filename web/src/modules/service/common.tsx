// Shared pieces of the service pages: the server's problems as text, remaining SLA time
// ("reste 42 min", "en retard de 1 h 05"), the SLA state badge, a polling hook.
import { useEffect, useRef, useState } from 'react';
import { ApiError, type FieldError } from '../../api';
import { fmtNumber } from '../../format';
import { st } from './i18n';

export function problemText(e: unknown): string {
  if (!(e instanceof ApiError)) return (e as Error)?.message ?? String(e);
  const p = e.problem;
  const fields = (p.errors || []).map((x) => x.message).filter(Boolean);
  const head = p.detail || p.title || e.message;
  return fields.length ? (p.detail ? `${head} (${fields.join(' ; ')})` : fields.join(' ; ')) : head;
}

export function fieldErrors(e: unknown): FieldError[] {
  return e instanceof ApiError ? e.problem.errors || [] : [];
}

// Minutes as a short duration: "42 min", "1 h 05", "2 j 3 h".
export function fmtMinutes(total: number): string {
  const m = Math.max(0, Math.round(Math.abs(total)));
  if (m < 60) return `${fmtNumber(m)} min`;
  if (m < 1440) {
    const h = Math.floor(m / 60);
    const mm = m % 60;
    return `${fmtNumber(h)} h ${mm < 10 ? '0' : ''}${fmtNumber(mm)}`;
  }
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return h ? `${fmtNumber(d)} j ${fmtNumber(h)} h` : `${fmtNumber(d)} j`;
}

// Minutes left before an instant (negative: late), or the server's remaining minutes.
export function minutesLeft(dueAt: string | null | undefined, remaining?: number | null): number | null {
  if (dueAt) {
    const d = new Date(dueAt).getTime();
    if (!isNaN(d)) return (d - Date.now()) / 60000;
  }
  return remaining === null || remaining === undefined ? null : remaining;
}

// "reste 42 min" / "en retard de 1 h 05"; empty when nothing is due.
export function remainingText(dueAt: string | null | undefined, remaining?: number | null): string {
  const m = minutesLeft(dueAt, remaining);
  if (m === null) return '';
  return m >= 0 ? st('service.sla.left', { d: fmtMinutes(m) }) : st('service.sla.late', { d: fmtMinutes(-m) });
}

export function SlaBadge({ state, label }: { state: string | null | undefined; label: string | null | undefined }) {
  if (!state || !label) return null;
  return <span className={'badge sla-badge sla-' + state} data-sla-state={state}>{label}</span>;
}

// The remaining time of a running clock, coloured by its state; nothing once met or without a clock.
export function SlaRemaining({ state, dueAt }: { state: string | null | undefined; dueAt: string | null | undefined }) {
  useTick(30000);
  if (!dueAt || state === 'met' || state === 'none' || state === 'paused') return null;
  const m = minutesLeft(dueAt);
  const late = m !== null && m < 0;
  return <span className={'sla-remaining sla-' + (late ? 'breached' : state || 'running')} data-testid="sla-remaining">{remainingText(dueAt)}</span>;
}

// Re-renders every `ms` (remaining times).
export function useTick(ms: number) {
  const [, set] = useState(0);
  useEffect(() => {
    const h = window.setInterval(() => set((n) => n + 1), ms);
    return () => window.clearInterval(h);
  }, [ms]);
}

// Calls fn now and every `ms` while the page is visible.
export function usePolling(fn: () => void, ms: number, deps: unknown[]) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    ref.current();
    const h = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') ref.current();
    }, ms);
    return () => window.clearInterval(h);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

// A local datetime-local value ("2026-12-04T10:00") as an ISO instant.
export function localToIso(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? null : d.toISOString();
}
