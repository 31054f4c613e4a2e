// Small SVG charts (no charting library): vertical bars by month, horizontal bars by category.
import { fmtMonth, fmtMonthShort } from '../format';

export function MonthBars({ data, format, label, color = '#0f766e' }: {
  data: { month: string; value: number }[]; format: (v: number) => string; label: string; color?: string;
}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const w = 560, h = 200, pad = 28, bw = (w - pad) / Math.max(1, data.length);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${w} ${h + 24}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        <line x1={pad} y1={h} x2={w} y2={h} stroke="#94a3b8" />
        <text x={0} y={12} className="axis">{format(max)}</text>
        {data.map((d, i) => {
          const bh = (d.value / max) * (h - 24);
          const x = pad + i * bw + bw * 0.15;
          return (
            <g key={d.month}>
              <rect x={x} y={h - bh} width={bw * 0.7} height={bh} fill={color} rx={2}>
                <title>{`${fmtMonth(d.month)}: ${format(d.value)}`}</title>
              </rect>
              <text x={x + bw * 0.35} y={h + 16} textAnchor="middle" className="axis">
                {i === 0 || d.month.endsWith('-01') ? fmtMonth(d.month) : fmtMonthShort(d.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{label}</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.month}><th scope="row">{fmtMonth(d.month)}</th><td>{format(d.value)}</td></tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function HBars({ data, label }: { data: { key: string; label: string; value: number }[]; label: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <figure className="hbars" aria-label={label}>
      <ul>
        {data.map((d) => (
          <li key={d.key}>
            <span className="hb-label">{d.label}</span>
            <span className="hb-track" aria-hidden="true">
              <span className={'hb-bar stage-' + d.key} style={{ width: `${(d.value / max) * 100}%` }} />
            </span>
            <span className="hb-value">{new Intl.NumberFormat(document.documentElement.lang).format(d.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

// Fills the months without data between `since` and now with 0.
export function fillMonths(since: string, rows: { month: string; value: number }[]): { month: string; value: number }[] {
  const byMonth = new Map(rows.map((r) => [r.month, r.value]));
  const out: { month: string; value: number }[] = [];
  let [y, m] = since.split('-').map(Number);
  const now = new Date();
  const endKey = now.getUTCFullYear() * 12 + now.getUTCMonth();
  while (y * 12 + (m - 1) <= endKey) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ month: key, value: byMonth.get(key) ?? 0 });
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out;
}
