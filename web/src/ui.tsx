// Small shared pieces: async loading, messages, labelled form fields with their API errors.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError, type FieldError } from './api';
import { t } from './i18n';

export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const run = useCallback(() => {
    const n = ++seq.current;
    setLoading(true);
    setError(null);
    fn()
      .then((d) => n === seq.current && setData(d))
      .catch((e) => n === seq.current && setError(e))
      .finally(() => n === seq.current && setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(run, [run]);
  return { data, error, loading, reload: run, setData };
}

export function Loading() {
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: Error | null | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      <strong>{t('error')}</strong> — {error.message}
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

// A status message that disappears after a few seconds; announced to screen readers.
export function useFlash(): [ReactNode, (msg: string, kind?: 'ok' | 'error') => void] {
  const [msg, setMsg] = useState<{ text: string; kind: string } | null>(null);
  const timer = useRef<number>(0);
  const show = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => {
    setMsg({ text, kind });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMsg(null), 5000);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const node = (
    <div className="flash-region" role="status" aria-live="polite">
      {msg && <div className={'flash ' + msg.kind}>{msg.text}</div>}
    </div>
  );
  return [node, show];
}

// Errors of one field, matched by name or as a prefix ("phones" also shows "phones[1]").
export function errorsFor(errors: FieldError[], field: string): string[] {
  return errors
    .filter((e) => e.field === field || e.field.startsWith(field + '[') || e.field.startsWith(field + '.'))
    .map((e) => (e.field === field ? e.message : `${e.field}: ${e.message}`));
}

interface FieldProps {
  label: string;
  name: string;
  errors: FieldError[];
  required?: boolean;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string; 'aria-required'?: boolean; name: string }) => ReactNode;
  wide?: boolean;
}

export function Field({ label, name, errors, required, hint, children, wide }: FieldProps) {
  const id = useId();
  const msgs = errorsFor(errors, name);
  const described = [hint ? id + '-hint' : '', msgs.length ? id + '-err' : ''].filter(Boolean).join(' ');
  return (
    <div className={'field' + (msgs.length ? ' invalid' : '') + (wide ? ' wide' : '')} data-field={name}>
      <label htmlFor={id}>
        {label}
        {required && <span className="req" aria-hidden="true"> *</span>}
      </label>
      {children({ id, 'aria-invalid': msgs.length > 0, 'aria-describedby': described || undefined, 'aria-required': required || undefined, name })}
      {hint && (
        <small id={id + '-hint'} className="hint">
          {hint}
        </small>
      )}
      {msgs.length > 0 && (
        <div id={id + '-err'} className="field-error" role="alert">
          {msgs.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </div>
      )}
    </div>
  );
}

export function Section({ title, children, actions, className }: { title: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={'card ' + (className || '')} aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(h);
  }, [value, ms]);
  return v;
}

export function download(filename: string, data: BlobPart, type: string) {
  const blob = new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Tags are stored folded by the server ("Salon Été" -> "salon ete"); the same folding here lets
// the page find a tag to remove however the user typed it.
export function foldTag(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function TagChips({ tags, onRemove }: { tags: string[] | undefined; onRemove?: (tag: string) => void }) {
  if (!tags || !tags.length) return onRemove ? <span className="muted">{t('tags.none')}</span> : null;
  return (
    <span className="tags">
      {tags.map((g) => (
        <span className="chip tag" key={g}>
          {g}
          {onRemove && (
            <button type="button" className="linklike" aria-label={t('tags.remove', { tag: g })} onClick={() => onRemove(g)}>
              ✕
            </button>
          )}
        </span>
      ))}
    </span>
  );
}

// A filter on one tag, applied on Enter or when leaving the field (not at every keystroke).
export function TagFilter({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  const [v, setV] = useState(value);
  useEffect(() => setV(value), [value]);
  const apply = () => v.trim() !== value && onChange(v.trim());
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={v} maxLength={50} onChange={(e) => setV(e.target.value)} onBlur={apply}
        onKeyDown={(e) => e.key === 'Enter' && apply()} />
    </div>
  );
}
