// "Paramètres de l'entreprise": the company's name, legal identifiers, address, time zone,
// currency and default language (GET/PATCH /api/v1/settings/company). Everyone may read them;
// the form saves for an admin only. Each wrong field shows the server's message beside it.
import { useEffect, useState } from 'react';
import { api, ApiError, type FieldError, type Json } from '../../api';
import { t, type Key } from '../../i18n';
import { useSession } from '../../session';
import { ErrorBox, Field, Loading, useAsync, useFlash } from '../../ui';

type Settings = Record<string, string | null> & { version?: unknown };

const TEXT_FIELDS: { name: string; label: Key; wide?: boolean; auto?: string }[] = [
  { name: 'company_name', label: 'settings.companyName', wide: true, auto: 'organization' },
  { name: 'siret', label: 'settings.siret' },
  { name: 'vat_number', label: 'settings.vat' },
];
const ADDRESS_FIELDS: { name: string; label: Key; auto?: string }[] = [
  { name: 'postal_code', label: 'settings.postalCode', auto: 'postal-code' },
  { name: 'city', label: 'settings.city', auto: 'address-level2' },
  { name: 'country', label: 'settings.country', auto: 'country' },
];

// The IANA zones the browser knows, for the time-zone suggestions (the server checks with ICU).
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['Europe/Paris'];
  } catch {
    return ['Europe/Paris'];
  }
}

export default function CompanySettings() {
  const { user } = useSession();
  const isAdmin = user?.role === 'admin';
  const { data, error, loading, reload } = useAsync<Json>(() => api('/settings/company'), []);
  const [form, setForm] = useState<Settings>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [flash, show] = useFlash();
  useEffect(() => {
    if (data) setForm({ ...data });
  }, [data]);

  const set = (name: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const value = (name: string) => (form[name] ?? '') as string;

  const save = async () => {
    if (!data) return;
    setBusy(true);
    setErrors([]);
    const body: Json = {};
    for (const k of ['company_name', 'siret', 'vat_number', 'address', 'postal_code', 'city', 'country', 'time_zone', 'currency', 'language'])
      if ((form[k] ?? '') !== (data[k] ?? '')) body[k] = form[k] === '' ? null : form[k];
    try {
      const saved = await api<Json>('/settings/company', { method: 'PATCH', body, ifMatch: data.version as number });
      setForm({ ...saved });
      show(t('settings.saved'));
      reload();
    } catch (e) {
      const ae = e as ApiError;
      if (ae.status === 412) {
        show(t('settings.stale'), 'error');
        reload();
      } else {
        setErrors(ae.problem?.errors || []);
        show(ae.message, 'error');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page company-settings">
      <h1>{t('settings.title')}</h1>
      <p className="subtitle muted">{t('settings.intro')}</p>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <form
          noValidate
          aria-label={t('settings.title')}
          onSubmit={(e) => {
            e.preventDefault();
            if (isAdmin) save();
          }}
        >
          <fieldset className="card" disabled={!isAdmin || busy}>
            <legend>{t('settings.identity')}</legend>
            <div className="row">
              {TEXT_FIELDS.map((f) => (
                <Field key={f.name} label={t(f.label)} name={f.name} errors={errors}>
                  {(p) => <input {...p} autoComplete={f.auto} value={value(f.name)} onChange={set(f.name)} />}
                </Field>
              ))}
            </div>
            <Field label={t('settings.address')} name="address" errors={errors} wide>
              {(p) => <textarea {...p} rows={2} autoComplete="street-address" value={value('address')} onChange={set('address')} />}
            </Field>
            <div className="row">
              {ADDRESS_FIELDS.map((f) => (
                <Field key={f.name} label={t(f.label)} name={f.name} errors={errors}>
                  {(p) => <input {...p} autoComplete={f.auto} value={value(f.name)} onChange={set(f.name)} />}
                </Field>
              ))}
            </div>
          </fieldset>
          <fieldset className="card" disabled={!isAdmin || busy}>
            <legend>{t('settings.regional')}</legend>
            <div className="row">
              <Field label={t('settings.timeZone')} name="time_zone" errors={errors} required hint={t('settings.timeZoneHint')}>
                {(p) => (
                  <>
                    <input {...p} list="gz-time-zones" value={value('time_zone')} onChange={set('time_zone')} />
                    <datalist id="gz-time-zones">
                      {timeZones().map((z) => (
                        <option key={z} value={z} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
              <Field label={t('settings.currency')} name="currency" errors={errors} required>
                {(p) => <input {...p} maxLength={3} value={value('currency')} onChange={set('currency')} />}
              </Field>
              <Field label={t('settings.language')} name="language" errors={errors} required>
                {(p) => (
                  <select {...p} value={value('language')} onChange={set('language')}>
                    <option value="fr">Français</option>
                    <option value="en">English</option>
                  </select>
                )}
              </Field>
            </div>
          </fieldset>
          {isAdmin ? (
            <div className="form-actions">
              <button type="submit" className="btn primary" disabled={busy}>
                {t('settings.save')}
              </button>
            </div>
          ) : (
            <p className="muted">{t('settings.readOnly')}</p>
          )}
          {flash}
        </form>
      )}
    </div>
  );
}
