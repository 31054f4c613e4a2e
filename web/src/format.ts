// Every number, amount, percentage, duration, date and phone number the interface shows goes
// through here, in the current language (fr-FR: "12,8", "25 %", "0,4 s", "06 70 15 80 65";
// en-GB otherwise), through Intl and libphonenumber-js. Money is integer cents. Pages never
// format a number themselves (no toFixed, no String(n)): tests/e2e/french.mjs checks the result.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
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
  if (n === null || n === undefined || (typeof n === 'number' && !isFinite(n))) return '—';
  return new Intl.NumberFormat(locale()).format(n);
}

// A number with exactly `digits` decimals ("0,0", "12,80").
export function fmtFixed(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !isFinite(n)) return '—';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

// A score or any measure: at most `digits` decimals, none written when they are zero ("12,8").
export function fmtScore(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !isFinite(n)) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

// A ratio (0.25) as a percentage ("25 %" / "25%").
export function fmtPct(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !isFinite(ratio)) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(ratio);
}

// A value given in percent already (37.5 → "37,5 %").
export function fmtPercentValue(pct: number | null | undefined, digits = 1): string {
  return fmtPct(pct === null || pct === undefined ? pct : pct / 100, digits);
}

// Significant digits for model parameters ("0,000 06", "394,2").
export function fmtDecimal(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !isFinite(x)) return '—';
  return new Intl.NumberFormat(locale(), { maximumSignificantDigits: digits }).format(x);
}

// Seconds with one decimal ("0,4 s").
export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !isFinite(s)) return '—';
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'second', unitDisplay: 'short', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(s);
}

// A number of a CLDR unit, spelled out ("1 an", "4 ans" / "4 years"); the bare number for an
// unknown unit.
export function fmtUnit(n: number, unit: string | undefined): string {
  if (!unit) return fmtNumber(n);
  try {
    return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'long' }).format(n);
  } catch {
    return fmtNumber(n);
  }
}

// A phone number stored in E.164: French ones as written in France ("06 70 15 80 65"), others
// in international format ("+44 20 7946 0958"); what cannot be read is shown as it is.
export function fmtPhone(v: string | null | undefined): string {
  if (!v) return '';
  const p = parsePhoneNumberFromString(v, 'FR');
  if (!p) return v;
  return p.country === 'FR' ? p.formatNational() : p.formatInternational();
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

// A duration: minutes under an hour ("45 min"), else in words, the two largest units
// ("2 heures et 30 minutes", "3 jours et 4 heures", "12 jours").
export function fmtDuration(seconds: number | null | undefined): string {
  if (!seconds) return '';
  const m = Math.round(seconds / 60);
  if (m < 60) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(m);
  const unit = (n: number, u: string) => new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: 'long' }).format(n);
  const parts: string[] = [];
  if (m >= 1440) {
    const days = Math.floor(m / 1440), hours = Math.round((m % 1440) / 60);
    parts.push(unit(days, 'day'));
    if (hours > 0 && hours < 24) parts.push(unit(hours, 'hour'));
  } else {
    const hours = Math.floor(m / 60), mins = m % 60;
    parts.push(unit(hours, 'hour'));
    if (mins) parts.push(unit(mins, 'minute'));
  }
  return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(parts);
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

// yyyy-mm-dd of a local date, for <input type="date">.
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A day (yyyy-mm-dd, no time: a follow-up due all day) in the reader's format, without the
// shift new Date("yyyy-mm-dd") would give west of UTC.
export function fmtDay(day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(y, m - 1, d));
}

// When a follow-up is due: its day when it is due all day (due_date), else its date and time.
export function fmtDue(task: { due_at?: string | null; due_date?: string | null }): string {
  return task.due_date ? fmtDay(task.due_date) : fmtDateTime(task.due_at);
}

// A size in bytes, rounded as file managers do: "850 o", "12 Ko", "3,4 Mo" ("12 KB" in English).
export function fmtSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !isFinite(bytes)) return '—';
  const fr = getLang() === 'fr';
  const units = fr ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const n = new Intl.NumberFormat(locale(), { maximumFractionDigits: i === 0 || v >= 10 ? 0 : 1 }).format(v);
  return `${n}\u00a0${units[i]}`;
}
