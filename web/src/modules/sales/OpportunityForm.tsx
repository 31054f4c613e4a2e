// The opportunity form's stage: a select of its pipeline's stages by name (the pipeline chosen in
// the form, else the default one) instead of a text input for the stage's code.
import { useEffect, useState } from 'react';
import { api, type ListPage } from '../../api';
import { t } from '../../i18n';
import type { FormExtensionProps } from '../../kernel/registry';
import { fieldDef } from '../../kernel/schema';
import { Field } from '../../ui';
import { usePipeline, type Stage } from './pipelines';

export function StageField({ values, set, errors }: FormExtensionProps) {
  const chosen = Number(values.pipeline_id) || 0;
  const [dflt, setDflt] = useState<number | null>(null);
  useEffect(() => {
    if (chosen) return;
    let alive = true;
    api<ListPage>('/pipelines?is_default=true&limit=1')
      .then((p) => alive && setDflt(p.data[0]?.id ?? null))
      .catch(() => alive && setDflt(null));
    return () => {
      alive = false;
    };
  }, [chosen]);
  const pipeline = usePipeline(chosen || dflt);
  const stages: Stage[] = pipeline?.stages ?? [];
  const f = fieldDef('opportunities', 'stage');
  const value = values.stage ?? '';
  return (
    <fieldset className="grid-form">
      <legend className="sr-only">{f?.label}</legend>
      <Field label={f?.label ?? ''} name="stage" errors={errors}>
        {(p) => (
          <select {...p} value={value} onChange={(e) => set('stage', e.target.value || null)}>
            <option value="">{stages[0] ? t('sales.form.firstStage', { name: stages[0].name }) : '—'}</option>
            {value && !stages.some((s) => s.key === value) && <option value={value}>{value}</option>}
            {stages.map((s) => (
              <option key={s.key} value={s.key}>{s.name}</option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}
