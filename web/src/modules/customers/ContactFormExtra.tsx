// What the contact form has of its own beside the catalogue's inputs: consent per channel and
// the contact preferences (two object fields with a shape of their own). The consent date and
// origin of a channel whose status did not change are kept.
import type { Json } from '../../api';
import { t, tEnum, type Key } from '../../i18n';
import type { FormExtension, FormExtensionProps } from '../../kernel/registry';
import { enumValues } from '../../kernel/schema';
import { Field } from '../../ui';

export const CONSENT_CHANNELS = ['email', 'phone', 'sms', 'post'];
// Preference values live inside the preferences object (not catalogue enums): labels in i18n.
export const PREFS: Record<string, string[]> = {
  frequency: ['high', 'spaced'],
  initiative: ['waits', 'initiates'],
  autonomy: ['autonomous', 'accompanied'],
};

function Extra({ values, set, errors }: FormExtensionProps) {
  const consent = values.consent || {};
  const prefs = values.preferences || {};
  const setConsent = (ch: string, st: string) =>
    set('consent', { ...consent, [ch]: st ? { ...(consent[ch] || {}), status: st } : undefined });
  const setPref = (k: string, x: Json) => set('preferences', { ...prefs, [k]: x });
  const prefSelect = (k: string, options: { value: string; label: string }[]) => (
    <Field key={k} label={t(('pref.' + k) as Key)} name={'preferences.' + k} errors={errors}>
      {(p) => (
        <select {...p} value={prefs[k] ?? ''} onChange={(e) => setPref(k, e.target.value)}>
          <option value="">—</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <fieldset className="grid-form">
        <legend>{t('v360.consent')}</legend>
        {CONSENT_CHANNELS.map((ch) => (
          <Field key={ch} label={t(('consent.' + ch) as Key)} name={'consent.' + ch} errors={errors}>
            {(p) => (
              <select {...p} value={consent[ch]?.status || ''} onChange={(e) => setConsent(ch, e.target.value)}>
                <option value="">{t('consent.unknown')}</option>
                <option value="granted">{t('consent.granted')}</option>
                <option value="denied">{t('consent.denied')}</option>
              </select>
            )}
          </Field>
        ))}
        {prefSelect('channel', enumValues('interactions', 'channel').filter((v) => ['email', 'phone', 'sms', 'letter', 'meeting'].includes(v.value)))}
        {prefSelect('frequency', PREFS.frequency.map((v) => ({ value: v, label: tEnum('pref.frequency', v) })))}
        <Field label={t('pref.frequency_cap_per_month')} name="preferences.frequency_cap_per_month" errors={errors}>
          {(p) => <input {...p} type="number" min={0} value={prefs.frequency_cap_per_month ?? ''}
            onChange={(e) => setPref('frequency_cap_per_month', e.target.value === '' ? null : Number(e.target.value))} />}
        </Field>
        {prefSelect('initiative', PREFS.initiative.map((v) => ({ value: v, label: tEnum('pref.initiative', v) })))}
        {prefSelect('autonomy', PREFS.autonomy.map((v) => ({ value: v, label: tEnum('pref.autonomy', v) })))}
      </fieldset>
    </>
  );
}

export const contactForm: FormExtension = {
  fields: ['consent', 'preferences'],
  render: (p) => <Extra {...p} />,
  toBody: (body, values, original) => {
    if ('consent' in body) {
      const out: Json = {};
      const orig = original?.consent || {};
      for (const ch of CONSENT_CHANNELS) {
        const st = values.consent?.[ch]?.status;
        if (st) out[ch] = orig[ch]?.status === st ? orig[ch] : { status: st };
      }
      body.consent = Object.keys(out).length ? out : null;
    }
    if ('preferences' in body) {
      const prefs: Json = {};
      for (const [k, x] of Object.entries(values.preferences || {})) if (x !== '' && x !== null && x !== undefined) prefs[k] = x;
      body.preferences = Object.keys(prefs).length ? prefs : null;
    }
    return body;
  },
};
