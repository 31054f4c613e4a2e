// Pipelines and their stages (GET /api/v1/pipelines/{id}: its `stages` with key, name,
// probability, outcome, folded, stale_after_days), fetched once per pipeline for the session, so
// that a stage is shown by its name wherever an opportunity's stage key appears.
import { useEffect, useState } from 'react';
import { api, type Json } from '../../api';

export interface Stage {
  key: string;
  name: string;
  probability_pct?: number;
  outcome?: 'open' | 'won' | 'lost';
  folded?: boolean;
  stale_after_days?: number | null;
}

const cache = new Map<number, Promise<Json | null>>();
const known = new Map<number, Json | null>();

export function loadPipeline(id: number): Promise<Json | null> {
  let p = cache.get(id);
  if (!p) {
    p = api(`/pipelines/${id}`).catch(() => null);
    p.then((r) => known.set(id, r));
    cache.set(id, p);
  }
  return p;
}

// A pipeline seen again after a change (the board's answer names its stages as they are now).
export function forgetPipeline(id: number) {
  cache.delete(id);
  known.delete(id);
}

export function knownPipeline(id: number | null | undefined): Json | null | undefined {
  return id ? known.get(id) : undefined;
}

export function usePipeline(id: number | null | undefined): Json | null | undefined {
  const [p, setP] = useState<Json | null | undefined>(() => knownPipeline(id));
  useEffect(() => {
    let alive = true;
    if (!id) {
      setP(undefined);
      return;
    }
    setP(knownPipeline(id));
    loadPipeline(id).then((r) => alive && setP(r));
    return () => {
      alive = false;
    };
  }, [id]);
  return p;
}

// The stage's name in its pipeline; the key while the pipeline is unknown.
export function stageName(pipeline: Json | null | undefined, key: string | null | undefined): string {
  if (!key) return '—';
  return (pipeline?.stages as Stage[] | undefined)?.find((s) => s.key === key)?.name ?? key;
}

export function StageName({ pipelineId, stage }: { pipelineId: number | null | undefined; stage: string | null | undefined }) {
  const p = usePipeline(pipelineId);
  if (p === undefined && pipelineId && stage) return <span className="muted">…</span>;
  return <>{stageName(p, stage)}</>;
}
