// Shared pieces of the sales report pages (forecast, results, funnel): months as YYYY-MM, a month
// picker, owner names from the answers' `names` map, and a table that scrolls inside its box.
import type { ReactNode } from 'react';
import type { Json } from '../../api';
import { isoDay } from '../../format';
import { t } from '../../i18n';

export function thisMonth(): string {
  return isoDay(new Date()).slice(0, 7);
}

export function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export const isMonth = (s: string) => /^\d{4}-\d{2}$/.test(s);

export function MonthField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="month" value={value} onChange={(e) => isMonth(e.target.value) && onChange(e.target.value)} />
    </div>
  );
}

export function DateField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

// The name of an owner id in an answer's `names` map (keys are the ids as text).
export function ownerName(names: Json | undefined, id: number | null | undefined): string {
  if (id === null || id === undefined) return t('sales.rep.noOwner');
  return names?.[String(id)] ?? t('sales.rep.unknownUser');
}

export function Wrap({ children }: { children: ReactNode }) {
  return <div className="table-wrap">{children}</div>;
}

export function SalesPage({ title, intro, children, className }: { title: string; intro?: string; children: ReactNode; className?: string }) {
  return (
    <div className={'page sales-report ' + (className ?? '')}>
      <header className="page-head">
        <div>
          <p className="crumbs">{t('sales.rep.crumbs')}</p>
          <h1>{title}</h1>
          {intro && <p className="subtitle">{intro}</p>}
        </div>
      </header>
      {children}
    </div>
  );
}
