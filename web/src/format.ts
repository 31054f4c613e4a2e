// Dates, numbers and money for the current language, through Intl. Money is integer cents.
import { getLang } from './i18n';

const locale = () => (getLang() === 'fr' ? 'fr-FR' : 'en-GB');

export function fmtMoney(cents: number | null | undefined, currency = 'EUR'): string {
  if (cents === null || cents === undefined) return '—';
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(cents / 100);
}

export function fmtMoneyShort(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat(locale(), {
    style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1,
  }).format(cents / 100);
}

export function fmtNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale()).format(n);
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function fmtMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: '2-digit' }).format(new Date(Date.UTC(y, m - 1, 15)));
}

export function fmtMonthShort(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'short' }).format(new Date(Date.UTC(y, m - 1, 15)));
}

export function fmtDuration(seconds: number | null | undefined): string {
  if (!seconds) return '';
  const m = Math.round(seconds / 60);
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(m);
}

export function fmtRelative(iso: string): string {
  const d = new Date(iso).getTime();
  const diff = (d - Date.now()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), 'day');
  return fmtDate(iso);
}

// Local calendar day boundaries as UTC ISO strings, for due_at filters.
export function dayBounds(offsetDays = 0): { start: string; end: string } {
  const s = new Date();
  s.setHours(0, 0, 0, 0);
  s.setDate(s.getDate() + offsetDays);
  const e = new Date(s);
  e.setDate(e.getDate() + 1);
  return { start: s.toISOString().replace(/\.\d{3}Z$/, 'Z'), end: e.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

// yyyy-mm-dd of a local date, for <input type="date">.
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A local date (yyyy-mm-dd) at 09:00 local time, as UTC ISO.
export function dueFromDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, 9, 0, 0).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
