// Import wizard (docs/import.md, docs/web.md): entity → file (CSV/XLSX, its encoding detected by
// the server and changeable) → column mapping (suggested from the headers, saved mappings; what a
// row without external id does when its e-mail or SIRET is a stored record's; strict or not) →
// dry-run preview with errors → run with progress polled from the server → result with counts,
// the warnings (numbers set aside, possible duplicates) and the reject file (the rejected rows as
// they were in the file, with a reason column, to correct in the spreadsheet and import again).
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { fmtDateTime, fmtNumber, fmtPercentValue, fmtScore } from '../../format';
import { t, type Key } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Section, download, useFlash } from '../../ui';
import { displayName, entityDef, entityLabel, fieldDef, fieldLabel } from '../../kernel/schema';
import { ValueOf } from '../../kernel/values';

// What an import column is stored as, in words: the catalogue's label of the field (or of the
// child line's field: an order file's quantity), else the import's own column names
// (account_external_id, unit_price…).
function targetLabel(entity: string, f: string): string {
  const key = ('import.target.' + f) as Key;
  const own = t(key);
  if (own !== key) return own;
  const def = fieldDef(entity, f) ?? entityDef(entity)?.children.map((c) => fieldDef(entity, c.name + '.' + f)).find(Boolean);
  return def?.label ?? fieldLabel(entity, f);
}

const ENTITIES = ['contacts', 'accounts', 'households', 'orders', 'interactions', 'opportunities'];

// Fields offered in the mapping step, by entity (the server checks the mapping anyway).
const FIELDS: Record<string, string[]> = {
  contacts: ['external_id', 'first_name', 'last_name', 'job_title', 'emails', 'phones', 'street', 'postcode', 'city',
    'country', 'account_external_id', 'household_external_id', 'buying_role', 'lifecycle_stage', 'source_type',
    'source_campaign', 'source_medium', 'consent', 'preferences'],
  accounts: ['external_id', 'name', 'legal_id', 'industry', 'size', 'website', 'phone', 'street', 'postcode', 'city',
    'country', 'tier', 'lifecycle_stage'],
  households: ['external_id', 'name', 'street', 'postcode', 'city', 'country', 'size', 'socio_professional_category',
    'attributes'],
  orders: ['external_id', 'contact_external_id', 'account_external_id', 'ordered_at', 'channel', 'status', 'currency',
    'notes', 'sku', 'description', 'quantity', 'unit_price', 'discount', 'amount'],
  interactions: ['external_id', 'contact_external_id', 'account_external_id', 'channel', 'direction', 'subject',
    'content', 'occurred_at', 'duration_seconds', 'outcome', 'commercial'],
  opportunities: ['external_id', 'name', 'account_name', 'account_external_id', 'contact_external_id', 'stage',
    'amount_eur', 'currency', 'probability_pct', 'expected_close_date', 'forecast_category', 'source', 'campaign',
    'competitors', 'next_step', 'closed_on', 'notes'],
};

function csrfHeaders(): Record<string, string> {
  const csrf = localStorage.getItem('gazelle.csrf');
  return csrf ? { 'X-CSRF-Token': csrf } : {};
}

// The encodings the server reads (docs/import.md, "Formats"); '' = detected.
const ENCODINGS = ['', 'UTF-8', 'windows-1252', 'ISO-8859-15', 'macintosh', 'IBM850', 'UTF-16LE', 'UTF-16BE'];

async function upload(file: File, entity: string, sheet: string, encoding: string): Promise<Json> {
  const q = new URLSearchParams({ entity, file_name: file.name });
  if (sheet) q.set('sheet', sheet);
  if (encoding) q.set('encoding', encoding);
  const res = await fetch('/api/v1/imports/uploads?' + q.toString(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json', ...csrfHeaders() },
    body: file,
    credentials: 'same-origin',
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError({ status: res.status, ...body });
  return body;
}

type Step = 'file' | 'map' | 'preview' | 'run';

export default function ImportWizard() {
  const [entity, setEntity] = useState('contacts');
  const [file, setFile] = useState<File | null>(null);
  const [sheet, setSheet] = useState('');
  const [up, setUp] = useState<Json | null>(null);
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [options, setOptions] = useState<{
    create_missing?: boolean;
    allow_anonymous?: boolean;
    returns_prefix?: string;
    strict?: boolean;
    on_match?: string;
  }>({});
  // '' = as detected by the server; otherwise the encoding the user chose.
  const [encoding, setEncoding] = useState('');
  const [mappingName, setMappingName] = useState('');
  const [preview, setPreview] = useState<Json | null>(null);
  // Contacts and accounts: the rows that look like records already in the base.
  const [dups, setDups] = useState<Json | null>(null);
  const [run, setRun] = useState<Json | null>(null);
  const [step, setStep] = useState<Step>('file');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [flash, show] = useFlash();
  const timer = useRef(0);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const mapping = () => {
    const m: Json = { columns };
    const opts: Json = {};
    if (options.create_missing) opts.create_missing = true;
    if (options.allow_anonymous) opts.allow_anonymous = true;
    if (options.returns_prefix) opts.returns_prefix = options.returns_prefix;
    if (options.strict) opts.strict = true;
    if (options.on_match && options.on_match !== 'update' && matchable) opts.on_match = options.on_match;
    if (encoding) opts.encoding = encoding;
    if (Object.keys(opts).length) m.options = opts;
    return m;
  };

  const doUpload = async (f: File, s = sheet, enc = encoding) => {
    setBusy(true);
    setError(null);
    try {
      const r = await upload(f, entity, s, enc);
      setUp(r);
      setColumns(r.suggested.columns);
      setPreview(null);
      setRun(null);
      setStep('map');
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const applySaved = (id: string) => {
    const m = (up?.mappings || []).find((x: Json) => String(x.id) === id);
    if (!m) return;
    const cols: Record<string, string> = {};
    for (const h of up!.header as string[]) cols[h] = m.mapping.columns?.[h] ?? columns[h] ?? '-';
    setColumns(cols);
    setOptions(m.mapping.options || {});
    setMappingName(m.name);
    if ((m.mapping.options?.encoding || '') !== encoding && file) {
      setEncoding(m.mapping.options?.encoding || '');
      doUpload(file, sheet, m.mapping.options?.encoding || '');
    }
  };

  const saveMapping = async () => {
    if (!mappingName.trim()) return;
    try {
      await api('/import-mappings', { method: 'POST', body: { name: mappingName.trim(), entity, mapping: mapping() } });
      show(t('import.mappingSaved', { name: mappingName.trim() }));
    } catch (e) {
      show((e as ApiError).message, 'error');
    }
  };

  const doPreview = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api('/imports/preview', { method: 'POST', body: { upload: up!.upload, entity, sheet, mapping: mapping() } });
      setPreview(r);
      setDups(null);
      setStep('preview');
      if (entity === 'contacts' || entity === 'accounts')
        setDups(await api('/imports/duplicates', { method: 'POST', body: { upload: up!.upload, entity, sheet, mapping: mapping() } }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const poll = async (id: number) => {
    try {
      const r = await api(`/imports/runs/${id}`);
      setRun(r);
      if (r.status === 'running' || r.status === 'queued') timer.current = window.setTimeout(() => poll(id), 500);
    } catch (e) {
      setError(e as Error);
    }
  };

  const doRun = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api('/imports/runs', {
        method: 'POST',
        body: {
          upload: up!.upload,
          entity,
          sheet,
          mapping: mapping(),
          file_name: file?.name || '',
          // The check step found rows like stored records: the run notes them in its report.
          check_duplicates: (entity === 'contacts' || entity === 'accounts') && (dups?.matches_total ?? 0) > 0,
        },
      });
      setRun(r);
      setStep('run');
      poll(r.id);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  // The bytes as the server wrote them: the reject file is in the file's own encoding (Windows-1252
  // for French Excel), which res.text() would read as UTF-8.
  const reportFile = async (kind: 'rejects' | 'warnings') => {
    const res = await fetch(`/api/v1/imports/runs/${run!.id}/${kind}`, { credentials: 'same-origin' });
    const name = kind === 'rejects' ? rejectsName(file?.name, run!.id) : `import-${run!.id}-${kind}.csv`;
    download(name, await res.arrayBuffer(), res.headers.get('Content-Type') || 'text/csv');
  };

  const fields = [...(FIELDS[entity] || []), ...(entity === 'contacts' ? ['account_name', 'account_legal_id'] : [])];
  const header: string[] = up?.header || [];
  const finished = run && (run.status === 'done' || run.status === 'failed');
  // Rows without external id are matched by e-mail (contacts) or SIRET/SIREN (accounts).
  const matchable = entity === 'contacts' || entity === 'accounts';

  return (
    <div className="page import-page">
      <h1>{t('import.title')}</h1>
      <p className="muted">{t('import.intro', { ext: fieldLabel(entity, 'external_id') })}</p>
      {flash}
      <ol className="wizard-steps" aria-label={t('import.steps')}>
        {(['file', 'map', 'preview', 'run'] as Step[]).map((s) => (
          <li key={s} className={s === step ? 'current' : ''} aria-current={s === step ? 'step' : undefined}>
            {t(('import.step.' + s) as Key)}
          </li>
        ))}
      </ol>
      <ErrorBox error={error} />

      <Section title={t('import.step.file')}>
        <div className="toolbar filters">
          <label>
            <span>{t('import.entity')}</span>{' '}
            <select
              value={entity}
              disabled={step === 'run' && !finished}
              onChange={(e) => {
                setEntity(e.target.value);
                setUp(null);
                setStep('file');
              }}
            >
              {ENTITIES.map((e) => (
                <option key={e} value={e}>
                  {entityLabel(e)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('import.file')}</span>{' '}
            <input
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                const f = e.target.files?.[0] || null;
                setFile(f);
                setSheet('');
                if (f) doUpload(f, '');
              }}
            />
          </label>
          {up?.format === 'xlsx' && (
            <label>
              <span>{t('import.sheet')}</span>{' '}
              <select
                value={sheet || up.sheets[0]}
                onChange={(e) => {
                  setSheet(e.target.value);
                  if (file) doUpload(file, e.target.value);
                }}
              >
                {(up.sheets as string[]).map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          )}
        </div>
        {up?.format === 'csv' && (
          <div className="toolbar filters">
            <p className="muted" data-testid="import-encoding">
              {t(up.encoding_detected ? 'import.readAsDetected' : 'import.readAs', {
                encoding: encodingLabel(up.encoding),
                separator: up.separator === '\t' ? t('import.tab') : up.separator || ',',
              })}
            </p>
            <label>
              <span>{t('import.encoding')}</span>{' '}
              <select
                value={encoding}
                onChange={(e) => {
                  setEncoding(e.target.value);
                  if (file) doUpload(file, sheet, e.target.value);
                }}
              >
                {ENCODINGS.map((enc) => (
                  <option key={enc} value={enc}>
                    {enc ? encodingLabel(enc) : t('import.encodingAuto')}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        {busy && step === 'file' && <p className="muted">{t('loading')}</p>}
      </Section>

      {up && (
        <Section title={t('import.step.map')}>
          {(up.mappings || []).length > 0 && (
            <label className="saved-mapping">
              <span>{t('import.savedMappings')}</span>{' '}
              <select defaultValue="" onChange={(e) => applySaved(e.target.value)}>
                <option value="">—</option>
                {(up.mappings as Json[]).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <table className="table mapping-table">
            <thead>
              <tr>
                <th>{t('import.column')}</th>
                <th>{t('import.sample')}</th>
                <th>{t('import.field')}</th>
              </tr>
            </thead>
            <tbody>
              {header.map((h, i) => (
                <tr key={h + i}>
                  <td>
                    <strong>{h}</strong>
                  </td>
                  <td className="muted">{(up.rows as string[][]).slice(0, 2).map((r) => r[i]).filter(Boolean).join(' · ')}</td>
                  <td>
                    <select
                      aria-label={t('import.fieldFor', { column: h })}
                      value={columns[h] || '-'}
                      onChange={(e) => setColumns({ ...columns, [h]: e.target.value })}
                    >
                      <option value="-">{t('import.skip')}</option>
                      {[...new Set([...fields, columns[h]].filter((f) => f && f !== '-'))].map((f) => (
                        <option key={f} value={f}>
                          {targetLabel(entity, f)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="toolbar">
            <label>
              <input
                type="checkbox"
                checked={!!options.create_missing}
                onChange={(e) => setOptions({ ...options, create_missing: e.target.checked })}
              />{' '}
              {t('import.createMissing')}
            </label>
            <label>
              <input
                type="checkbox"
                checked={!!options.strict}
                onChange={(e) => setOptions({ ...options, strict: e.target.checked })}
              />{' '}
              {t('import.strict')}
            </label>
            {matchable && (
              <label>
                <span>{t(entity === 'contacts' ? 'import.onMatchContacts' : 'import.onMatchAccounts')}</span>{' '}
                <select
                  value={options.on_match || 'update'}
                  onChange={(e) => setOptions({ ...options, on_match: e.target.value })}
                >
                  <option value="update">{t('import.onMatch.update')}</option>
                  <option value="skip">{t('import.onMatch.skip')}</option>
                  <option value="create">{t('import.onMatch.create')}</option>
                </select>
              </label>
            )}
            {entity === 'orders' && (
              <>
                <label>
                  <input
                    type="checkbox"
                    checked={!!options.allow_anonymous}
                    onChange={(e) => setOptions({ ...options, allow_anonymous: e.target.checked })}
                  />{' '}
                  {t('import.anonymous')}
                </label>
                <label>
                  <span>{t('import.returnsPrefix')}</span>{' '}
                  <input
                    size={4}
                    value={options.returns_prefix || ''}
                    onChange={(e) => setOptions({ ...options, returns_prefix: e.target.value })}
                  />
                </label>
              </>
            )}
          </div>
          <div className="toolbar">
            <label>
              <span>{t('import.mappingName')}</span>{' '}
              <input value={mappingName} onChange={(e) => setMappingName(e.target.value)} />
            </label>
            <button type="button" className="btn" onClick={saveMapping} disabled={!mappingName.trim()}>
              {t('import.saveMapping')}
            </button>
            <button type="button" className="btn primary" onClick={doPreview} disabled={busy}>
              {t('import.preview')}
            </button>
          </div>
        </Section>
      )}

      {preview && (
        <Section title={t('import.step.preview')}>
          <p>
            {t('import.previewCounts', {
              rows: preview.rows,
              created: preview.created,
              updated: preview.updated,
              unchanged: preview.unchanged,
              rejected: preview.rejected,
            })}
          </p>
          {(preview.matched ?? 0) > 0 && (
            <p className="alert info" data-testid="import-matched">
              {t(options.on_match === 'skip' ? 'import.matchedSkip' : 'import.matchedUpdate', {
                n: preview.matched,
                key: entity === 'accounts' ? 'SIRET' : t('import.byEmail'),
              })}
            </p>
          )}
          {preview.reimport_warning && (
            // The same file was imported in full before and nothing identifies its rows: a second
            // import would add every row again.
            <p className="alert warn" role="alert" data-testid="reimport-warning">
              {t(entity === 'contacts' || entity === 'accounts' ? 'import.reimportWarningPeople' : 'import.reimportWarning', {
                run: preview.reimport_warning.run_id,
                created: preview.reimport_warning.created,
                ext: fieldLabel(entity, 'external_id'),
              })}
            </p>
          )}
          {(preview.preview || []).length > 0 && <PreviewTable entity={entity} rows={preview.preview} />}
          {preview.errors.length > 0 && <ErrorTable errors={preview.errors} />}
          {(preview.warnings || []).length > 0 && <ErrorTable errors={preview.warnings} warnings />}
          {dups && <DuplicateRows dups={dups} entity={entity} />}
          <div className="toolbar">
            <button type="button" className="btn primary" onClick={doRun} disabled={busy || (step === 'run' && !finished)}>
              {t('import.run')}
            </button>
          </div>
        </Section>
      )}

      {run && (
        <Section title={t('import.step.run')}>
          <div className="import-progress">
            <progress max={100} value={run.percent} aria-label={t('import.progress')} />{' '}
            <span>
              {fmtPercentValue(run.percent, 0)} · {t('import.rowsDone', { n: run.rows_done })} · {t(('import.status.' + run.status) as Key)}
            </span>
          </div>
          {finished && (
            <div className="import-result" role="status">
              <p>
                {t('import.resultCounts', {
                  created: run.created,
                  updated: run.updated,
                  unchanged: run.unchanged,
                  rejected: run.rejected,
                  warnings: run.report?.warning_count ?? run.warnings,
                })}
              </p>
              {(run.report?.matched ?? 0) > 0 && (
                <p data-testid="import-run-matched">
                  {t(run.report.skipped > 0 ? 'import.runMatchedSkip' : 'import.runMatchedUpdate', {
                    n: run.report.matched,
                    key: entity === 'accounts' ? 'SIRET' : t('import.byEmail'),
                  })}
                </p>
              )}
              {(run.report?.warning_kinds?.probable_duplicate ?? 0) > 0 && (
                <p data-testid="import-run-duplicates">
                  {t(run.report.warning_kinds.probable_duplicate === 1 ? 'import.dupWarnedOne' : 'import.dupWarned', {
                    n: run.report.warning_kinds.probable_duplicate,
                  })}{' '}
                  <Link to="/duplicates">{t('import.dupMerge')}</Link>
                </p>
              )}
              {run.error && <p className="alert error">{run.error}</p>}
              {run.finished_at && <p className="muted">{fmtDateTime(run.finished_at)}</p>}
              {run.rejected > 0 && (
                <button type="button" className="btn" onClick={() => reportFile('rejects')}>
                  {t('import.downloadRejects')}
                </button>
              )}
              {(run.report?.warning_count ?? run.warnings) > 0 && (
                <button type="button" className="btn" onClick={() => reportFile('warnings')}>
                  {t('import.downloadWarnings')}
                </button>
              )}
              {run.rejected > 0 && <p className="muted">{t('import.rejectsHint')}</p>}
              {(run.report?.errors || []).length > 0 && <ErrorTable errors={run.report.errors} />}
              {(run.report?.warnings || []).length > 0 && <ErrorTable errors={run.report.warnings} warnings />}
            </div>
          )}
        </Section>
      )}
    </div>
  );
}

// The first records as they would be stored: one column per field they hold, labelled, values
// as the record pages show them; child lines counted.
function PreviewTable({ entity, rows }: { entity: string; rows: Json[] }) {
  const e = entityDef(entity);
  const filled = (r: Json, k: string) => r[k] !== null && r[k] !== undefined && r[k] !== '' && !(Array.isArray(r[k]) && !r[k].length);
  const cols = (e?.fields ?? []).filter((f) => !f.server_set || f.name === 'total_cents').filter((f) => rows.some((p) => filled(p.record, f.name)));
  const children = (e?.children ?? []).filter((c) => rows.some((p) => filled(p.record, c.name)));
  return (
    <div className="table-wrap">
      <table className="table compact preview-table" data-testid="import-preview">
        <thead>
          <tr>
            <th scope="col">{t('import.line')}</th>
            {cols.map((f) => <th scope="col" key={f.name}>{f.label}</th>)}
            {children.map((c) => <th scope="col" key={c.name}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.line}>
              <td>{fmtNumber(p.line)}</td>
              {cols.map((f) => <td key={f.name}><ValueOf f={f} value={p.record[f.name]} record={p.record} /></td>)}
              {children.map((c) => <td key={c.name}>{t('import.linesN', { n: (p.record[c.name] || []).length })}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// The file's name for the reject file: "clients.csv" -> "clients-rejets.csv" (its rows, to correct).
function rejectsName(fileName: string | undefined, runId: number): string {
  const base = (fileName || `import-${runId}`).replace(/\.(csv|xlsx)$/i, '');
  return `${base}${t('import.rejectsSuffix')}.csv`;
}

function encodingLabel(enc: string): string {
  const key = ('import.enc.' + enc) as Key;
  const label = t(key);
  return label === key ? enc : label;
}

function ErrorTable({ errors, warnings = false }: { errors: Json[]; warnings?: boolean }) {
  return (
    <table className={warnings ? 'table warnings-table' : 'table errors-table'}>
      <caption>{t(warnings ? 'import.warnings' : 'import.errors', { n: errors.length })}</caption>
      <thead>
        <tr>
          <th>{t('import.line')}</th>
          <th>{t('import.column')}</th>
          <th>{t('import.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {errors.slice(0, 100).map((e, i) => (
          <tr key={i}>
            <td>{e.line}</td>
            <td>{e.column}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// The file's rows that look like stored records: line, the record it looks like (link to its
// 360° page), score and verdict. Importing them anyway creates second records (or, with an
// external_id of the base, updates that record).
function DuplicateRows({ dups, entity }: { dups: Json; entity: string }) {
  const matches = (dups.matches || []) as Json[];
  if (!matches.length)
    return <p className="muted" data-testid="import-duplicates">{t('import.dupNone', { rows: dups.rows_checked })}</p>;
  const lines = new Set(matches.map((m) => m.line)).size;
  return (
    <div className="alert warn" data-testid="import-duplicates">
      <p>{t(lines === 1 ? 'import.dupFoundOne' : 'import.dupFound', { lines, rows: dups.rows_checked })}</p>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">{t('import.line')}</th>
            <th scope="col">{t('import.dupLooksLike')}</th>
            <th scope="col" className="num">{t('import.dupScore')}</th>
          </tr>
        </thead>
        <tbody>
          {matches.map((m) => (
            <tr key={m.line + '-' + m.candidate_id}>
              <td>{m.line}</td>
              <td>
                <Link to={`/${entity}/${m.candidate_id}`}>{m.candidate_name || displayName(entity, { id: m.candidate_id })}</Link>
                {m.candidate_external_id && <small className="muted"> ({m.candidate_external_id})</small>}
              </td>
              <td className="num">
                {fmtScore(Number(m.score), 1)} · {m.probable ? t('import.dupProbable') : t('import.dupPossible')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dups.matches_total > matches.length && <p className="muted">{t('import.dupMore', { n: dups.matches_total - matches.length })}</p>}
      <p className="muted">{t('import.dupHint')}</p>
    </div>
  );
}
