// "Look for duplicates now" on the duplicates page: POST /duplicates/scan queues a background job
// (docs/duplicates.md, "Scan in the background"); the job is polled (GET /jobs/{id}) and its
// stage and percent shown until it ends; then the review queue is reloaded, or the job's error
// shown. When a scan of the entity is already running (409), that job is followed instead.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type Json } from '../../api';
import { t, type Key } from '../../i18n';
import { ErrorBox } from '../../ui';
import { fmtFixed, fmtPercentValue } from '../../format';

const STAGES = ['loading', 'blocking', 'comparing', 'weights', 'clustering', 'storing', 'done'];

export function ScanButton({ entity, onDone, show }: { entity: string; onDone: () => void; show: (msg: string) => void }) {
  const [job, setJob] = useState<Json | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const timer = useRef(0);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const running = starting || (job && (job.status === 'queued' || job.status === 'running'));

  const follow = async (id: number) => {
    try {
      const j = await api<Json>(`/jobs/${id}`);
      setJob(j);
      if (j.status === 'queued' || j.status === 'running') {
        timer.current = window.setTimeout(() => follow(id), 700);
      } else if (j.status === 'done') {
        const r = j.result ?? {};
        show(t('dup.scanned', { records: r.records, clusters: r.clusters, proposed: r.proposed, review: r.review,
          seconds: fmtFixed(Number(r.seconds_total ?? 0), 1) }));
        onDone();
      } else {
        setError(new Error(t('dup.scanFailed', { error: j.last_error || j.status })));
      }
    } catch (e) {
      setError(e as Error);
      setJob(null);
    }
  };

  const scan = async () => {
    setStarting(true);
    setError(null);
    setJob(null);
    window.clearTimeout(timer.current);
    try {
      const j = await api<Json>('/duplicates/scan', { method: 'POST', body: { entity } });
      setJob(j);
      await follow(j.id);
    } catch (e) {
      const id = e instanceof ApiError && e.status === 409 ? (e.problem as Json).job_id : undefined;
      if (typeof id === 'number') {
        // Someone (maybe this user, in another tab) is scanning: follow that scan if it is ours to see.
        try {
          setJob(await api<Json>(`/jobs/${id}`));
          await follow(id);
        } catch {
          setError(e as Error);
          setJob(null);
        }
      } else {
        setError(e as Error);
      }
    } finally {
      setStarting(false);
    }
  };

  const p = job?.progress;
  // Claimed but nothing reported yet: the scan is starting to read the records.
  const stage = t(('dup.stage.' + (p && STAGES.includes(p.stage) ? p.stage : job?.status === 'running' ? 'loading' : 'queued')) as Key);
  const percent = typeof p?.percent === 'number' ? p.percent : 0;
  return (
    <>
      <button type="button" className="btn" onClick={scan} disabled={!!running} data-testid="dup-scan">
        {running ? t('dup.scanning') : t('dup.scan')}
      </button>
      {job && (job.status === 'queued' || job.status === 'running') && (
        <div className="import-progress" data-testid="dup-scan-progress" role="status">
          <progress max={100} value={percent} aria-label={t('dup.scanning')} />{' '}
          <span>
            {fmtPercentValue(percent, 0)} · {stage}
            {job.status === 'queued' && job.attempts > 0 && job.last_error ? ' · ' + t('dup.scanRetry', { error: job.last_error }) : ''}
          </span>
        </div>
      )}
      <ErrorBox error={error} />
    </>
  );
}
