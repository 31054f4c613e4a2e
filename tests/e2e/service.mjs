// End-to-end steps of the service desk pages (web/src/modules/service/), run by tests/e2e/run.mjs:
//
//   E2E_STEPS=tests/e2e/service.mjs E2E_ONLY=service node tests/e2e/run.mjs build/gazelle /tmp/e2e-service
//
// (or imported by run.mjs as serviceSteps). The demo admin (run.mjs's page) sets up through the
// API a business calendar open round the clock, a gold service level policy (first response in
// 60 minutes), a gold company with a contact and a phone number, an agent user with a
// service_agents row (extension 201, available), a call script of two questions with a branch, and
// an API token. Then, as the agent in a browser of their own:
// - a ringing call to extension 201 from the contact's number (POST /api/v1/calls/events with the
//   admin's token) pops the contact on the agent's screen within 2 s;
// - « Nouvelle demande » opens a new case; the agent replies (« Répondre au client »), adds an
//   internal note (yellow, « Note interne »), the SLA panel shows the first response « Respecté »;
// - the call script runs one question at a time, following its branch, and its answers are saved;
// - an intervention is booked for tomorrow 10:00–11:00, the case is set « Résolu »;
// - the queue page answers; the case page fits a 375 px phone;
// - the supervisor's dashboard (the admin) counts the agent's solved case.
//
//   await serviceSteps(page, { base, step, shot, expect, browser, context })
import { pageApi } from './page_api.mjs';

const flat = (s) => s.replace(/[\s\u202f\u00a0]+/g, ' ').trim();

// A local date and time in Paris, "2026-12-04T10:00", for <input type="datetime-local">.
function parisLocal(daysAhead, hour) {
  const d = new Date(Date.now() + daysAhead * 86400000);
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return `${day}T${String(hour).padStart(2, '0')}:00`;
}

async function loginAs(p, base, email, password) {
  await p.goto(base + '/');
  await p.getByLabel('E-mail').fill(email);
  await p.getByLabel('Mot de passe').fill(password);
  await p.getByRole('button', { name: 'Se connecter' }).click();
  await p.getByTestId('current-user').waitFor();
}

export async function serviceSteps(page, { base, step, shot, expect, browser }) {
  const call = pageApi(page);
  const mark = Date.now().toString(36).slice(-6);
  // Numbers libphonenumber holds valid (06 1…, 07 7…), different at each run.
  const digits = '12' + String(Date.now() % 1000000).padStart(6, '0');
  const state = {
    phone: `06${digits}`,
    password: 'castor-bleu-sous-la-pluie',
    agentEmail: `agathe.agent-${mark}@demo.gazelle.fr`,
    agentName: `Agathe Agent ${mark}`,
    contactName: `Gaston Doré ${mark}`,
  };
  const ok = (r, what) => expect(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  let agentCtx = null;
  let agent = null;

  try {
    await step('service: the admin sets up a calendar, a gold policy, a gold customer, an agent (201), a script', async () => {
      const cal = await call('POST', '/business_calendars', {
        name: `Toujours ouvert ${mark}`, time_zone: 'Europe/Paris', french_holidays: false,
        ranges: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ weekday: String(d), starts: '00:00', ends: '24:00' })),
      });
      ok(cal, 'calendar');
      state.calendar = cal.body;
      const pol = await call('POST', '/sla_policies', {
        name: `Or e2e ${mark} : réponse en 1 heure`, tier: 'gold', calendar_id: cal.body.id,
        first_response_minutes: 60, next_response_minutes: 240, resolution_minutes: 2880, active: true,
      });
      ok(pol, 'policy');
      const acc = await call('POST', '/accounts', { name: `Chaufferie Dorée ${mark}`, city: 'Lyon', tier: 'gold' });
      ok(acc, 'account');
      state.account = acc.body;
      const c = await call('POST', '/contacts?allow_duplicate=true', {
        first_name: 'Gaston', last_name: `Doré ${mark}`, account_id: acc.body.id, phones: [state.phone],
        emails: [`gaston.dore-${mark}@client-e2e.fr`], street: '12 rue de la République', postcode: '69002', city: 'Lyon',
      });
      ok(c, 'contact');
      state.contact = c.body;
      const u = await call('POST', '/users', { email: state.agentEmail, name: state.agentName, role: 'service', password: state.password });
      ok(u, 'agent user');
      state.agentUser = u.body;
      // Extension 201 is ours: an agent who had it (the demo's) moves to another one and goes offline, so
      // that the queue offers this test's cases to our agent only.
      const others = await call('GET', '/service_agents?limit=100');
      ok(others, 'agents');
      for (const o of others.body.data) {
        const patch = { availability: 'offline', ...(o.extension === '201' ? { extension: `29${o.id % 10}` } : {}) };
        const r = await page.evaluate(async ({ id, version, patch }) => {
          const res = await fetch(`/api/v1/service_agents/${id}`, {
            method: 'PATCH', body: JSON.stringify(patch),
            headers: { 'Content-Type': 'application/json', 'If-Match': `"${version}"`, 'X-CSRF-Token': localStorage.getItem('gazelle.csrf') || '' },
          });
          return { status: res.status, body: await res.json().catch(() => null) };
        }, { id: o.id, version: o.version, patch });
        ok(r, 'agent ' + o.id);
      }
      const a = await call('POST', '/service_agents', { user_id: u.body.id, extension: '201', availability: 'available' });
      ok(a, 'service agent');
      const s = await call('POST', '/call_scripts', {
        name: `Panne de chaudière ${mark}`, active: true,
        steps: [
          { key: 'chauffe', question: 'La chaudière chauffe-t-elle encore ?', answer_kind: 'yes_no', branches: 'Oui > fin; Non > panne', required: true },
          { key: 'panne', question: 'Quel code erreur s’affiche ?', answer_kind: 'text', required: true },
        ],
      });
      ok(s, 'script');
      state.script = s.body;
      const s2 = await call('POST', '/call_scripts', {
        name: `Relevé de compteur ${mark}`, active: true,
        steps: [{ key: 'index', question: 'Quel index affiche le compteur ?', answer_kind: 'number', required: true }],
      });
      ok(s2, 'number script');
      state.script2 = s2.body;
      const art = await call('POST', '/kb_articles', {
        title: `Facture incomprise ${mark} : lire sa facture`, status: 'published', visibility: 'internal', keywords: ['facture'],
        body: `Facture incomprise ${mark} : la première ligne donne la période, la deuxième l'abonnement.`,
      });
      ok(art, 'article');
      state.article = art.body;
      const tok = await call('POST', '/tokens', { name: `e2e service ${mark}` });
      ok(tok, 'token');
      state.token = tok.body.token;
    });

    await step('service: a ringing call pops the gold contact on the agent\'s screen within 2 s', async () => {
      agentCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
      agentCtx.setDefaultTimeout(10000);
      agent = await agentCtx.newPage();
      state.errors = [];
      agent.on('pageerror', (e) => state.errors.push(e.message));
      // The pop listens once the agent is signed in (GET /service/queue says so): wait for its stream.
      const stream = agent.waitForRequest((r) => r.url().includes('/api/v1/service/stream'), { timeout: 15000 });
      await loginAs(agent, base, state.agentEmail, state.password);
      await stream;
      await agent.waitForTimeout(700);
      const r = await page.evaluate(async ({ token, body }) => {
        const res = await fetch('/api/v1/calls/events', {
          method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token }, body: JSON.stringify(body),
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      }, { token: state.token, body: { call_id: `e2e-${mark}`, event: 'ringing', caller: state.phone, extension: '201' } });
      ok(r, 'call event');
      const pop = agent.getByTestId('screen-pop');
      await pop.getByText(state.contactName).waitFor({ timeout: 2000 });
      const text = flat(await pop.innerText());
      expect(text.includes('Appel entrant'), 'pop title: ' + text);
      expect(/\bOr\b/.test(text), 'the gold tier in words: ' + text);
      expect(text.includes(`06 ${digits.slice(0, 2)} ${digits.slice(2, 4)}`), 'number written in French: ' + text);
      expect(text.includes(`Chaufferie Dorée ${mark}`), 'the company: ' + text);
      await shot(agent, 'service-screen-pop-1280');
    });

    await step('service: « Nouvelle demande » opens a case for the contact', async () => {
      await agent.getByTestId('screen-pop').getByRole('button', { name: 'Nouvelle demande' }).first().click();
      await agent.waitForURL(/\/cases\/\d+$/);
      state.caseUrl = agent.url();
      state.caseId = Number(state.caseUrl.split('/').pop());
      await agent.getByTestId('case-composer').waitFor();
      // The case names the contact (a link to the contact's page).
      await agent.locator('.record-page').getByRole('link', { name: state.contactName }).first().waitFor();
      // The pop stays until it is closed.
      await agent.getByTestId('screen-pop').getByRole('button', { name: 'Fermer' }).click();
      expect(await agent.getByTestId('screen-pop').count() === 0, 'the pop closes');
    });

    await step('service: the agent replies to the customer and adds an internal note', async () => {
      const composer = agent.getByTestId('case-composer');
      await composer.getByRole('tab', { name: 'Répondre au client' }).click();
      await composer.getByTestId('composer-body').fill('Bonjour, un technicien va vous rappeler. Cordialement.');
      await composer.getByTestId('composer-send').click();
      const reply = agent.locator('.conversation [data-kind="reply"]');
      await reply.getByText('un technicien va vous rappeler').waitFor();
      await composer.getByRole('tab', { name: 'Note interne' }).click();
      await composer.getByTestId('composer-body').fill('Client pressé, chaudière de 2009.');
      await composer.getByTestId('composer-send').click();
      const note = agent.locator('.conversation [data-kind="note"]');
      await note.getByText('chaudière de 2009').waitFor();
      expect(flat(await note.innerText()).includes('Note interne'), 'the note is marked « Note interne »');
      const bg = await note.evaluate((el) => getComputedStyle(el).backgroundColor);
      const replyBg = await reply.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg !== replyBg && bg === 'rgb(255, 248, 197)', `the note is yellow (${bg}), unlike a reply (${replyBg})`);
    });

    await step('service: the SLA panel shows the first response « Respecté »', async () => {
      const clock = agent.getByTestId('sla-panel').locator('[data-clock="first_response"]');
      await clock.waitFor();
      await agent.waitForFunction(() => {
        const el = document.querySelector('[data-clock="first_response"]');
        return el && /Respecté/.test(el.textContent || '');
      }, null, { timeout: 5000 }).catch(() => {});
      const text = flat(await clock.innerText());
      expect(text.includes('Respecté'), 'first response: ' + text);
      expect(!/\b(met|running|breached)\b/.test(text), 'no raw code: ' + text);
      await shot(agent, 'service-case-1280');
    });

    await step('service: the call script asks one question at a time, follows its branch and saves the answers', async () => {
      const runner = agent.getByTestId('script-runner');
      await runner.getByTestId('script-select').selectOption(String(state.script.id));
      await runner.getByRole('button', { name: 'Commencer' }).click();
      await runner.getByText('La chaudière chauffe-t-elle encore ?').waitFor();
      expect(await runner.getByText('Quel code erreur').count() === 0, 'one question at a time');
      await runner.getByLabel('Non').check();
      await runner.getByRole('button', { name: 'Suivant' }).click();
      await runner.getByText('Quel code erreur s’affiche ?').waitFor();
      await runner.locator('.script-step input').fill('E133');
      await runner.getByRole('button', { name: 'Suivant' }).click();
      await runner.getByText('Fin du script').waitFor();
      await runner.getByTestId('script-save').click();
      await agent.getByText('Réponses enregistrées.').waitFor();
      await agent.locator('.conversation [data-kind="script"]').getByText('E133').waitFor();
      // The server's refusal (a number expected) is shown beside its question.
      await runner.getByTestId('script-select').selectOption(String(state.script2.id));
      await runner.getByRole('button', { name: 'Commencer' }).click();
      await runner.locator('.script-step input').fill('douze');
      await runner.getByRole('button', { name: 'Suivant' }).click();
      await runner.getByTestId('script-save').click();
      const err = runner.locator('.script-step .field-error');
      await err.waitFor();
      const msg = flat(await err.innerText());
      expect(!/must be|answers\./.test(msg), 'the error in French: ' + msg);
      await runner.locator('.script-step input').fill('12');
      await runner.getByRole('button', { name: 'Suivant' }).click();
      await runner.getByTestId('script-save').click();
      await agent.locator('.conversation [data-kind="script"]').getByText('Quel index affiche le compteur ?').waitFor();
    });

    await step('service: an intervention is booked for tomorrow 10:00–11:00', async () => {
      await agent.getByRole('button', { name: 'Planifier une intervention' }).click();
      const form = agent.getByTestId('intervention-form');
      await form.waitFor();
      await form.locator('[data-field="technician_id"] select').selectOption({ label: state.agentName });
      await form.locator('[data-field="starts_at"] input').fill(parisLocal(1, 10));
      await form.locator('[data-field="ends_at"] input').fill(parisLocal(1, 11));
      await form.getByRole('button', { name: 'Planifier' }).click();
      const done = agent.getByText('Intervention planifiée.');
      const refused = form.locator('.field-error, [data-testid="intervention-error"]').first();
      await Promise.race([done.waitFor(), refused.waitFor()]);
      if (await refused.isVisible().catch(() => false)) throw new Error('intervention refused: ' + flat(await form.innerText()));
      await agent.getByTestId('case-interventions').waitFor();
      const text = flat(await agent.getByTestId('case-interventions').innerText());
      expect(/10:00/.test(text) && /11:00/.test(text), 'the intervention at 10:00–11:00: ' + text);
    });

    await step('service: the case is set « Résolu »', async () => {
      const select = agent.getByTestId('case-status');
      await select.selectOption('solved');
      const label = flat(await select.locator('option:checked').innerText());
      expect(/^Résolu/.test(label), 'the status label: ' + label);
      await agent.getByRole('button', { name: 'Changer l\'état' }).click();
      await agent.getByText('État modifié.').waitFor();
      const r = await pageApi(agent)('GET', `/cases/${state.caseId}`);
      expect(r.body.status === 'solved', 'case status: ' + r.body.status);
    });

    await step('service: the intervention\'s page shows its invitation and takes a report', async () => {
      await agent.goto(state.caseUrl);
      await agent.getByTestId('case-interventions').getByRole('link').first().click();
      await agent.waitForURL(/\/interventions\/\d+$/);
      const inv = flat(await agent.getByTestId('invitation-status').innerText());
      expect(inv.length > 0 && !/\b(planned|done|queued|sent|none)\b|_/.test(inv), 'invitation in French: ' + inv);
      const details = flat(await agent.locator('.record-page .dl').first().innerText());
      expect(!/no_mailbox|no_address|queued|@gazelle/.test(details), 'no code nor uid in the details: ' + details);
      const form = agent.getByTestId('report-form');
      await form.getByLabel('Travaux réalisés').fill('Pompe remplacée, chaudière relancée.');
      await form.getByLabel('Réalisée').check();
      await form.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
      const done = agent.getByText('Compte rendu enregistré.');
      const refused = agent.locator('.iv-report .alert.error, .iv-report .field-error').first();
      await Promise.race([done.waitFor(), refused.waitFor()]);
      if (await refused.isVisible().catch(() => false)) throw new Error('report refused: ' + flat(await refused.innerText()));
      await shot(agent, 'service-intervention-1280');
    });

    await step('service: « Créer un article à partir de cette demande » opens the draft with its votes', async () => {
      await agent.goto(state.caseUrl);
      await agent.getByRole('button', { name: 'Créer un article à partir de cette demande' }).click();
      await agent.waitForURL(/\/kb_articles\/\d+$/);
      const votes = agent.getByTestId('kb-votes');
      await votes.waitFor();
      expect(flat(await votes.innerText()).includes('Utile'), 'votes shown');
      await agent.getByText(/Révision 1/).waitFor();
      await agent.locator('.kb-votes').getByRole('button', { name: /^👍 Utile$/ }).click();
      await agent.getByText('Merci pour votre vote.').waitFor();
      await agent.waitForFunction(() => /1/.test(document.querySelector('[data-testid="kb-votes"] .figure-value')?.textContent || ''));
    });

    await step('service: « Fusionner dans… » merges another case of the contact into this one', async () => {
      const other = await call('POST', '/cases', { subject: `Doublon ${mark}`, contact_id: state.contact.id, channel: 'phone' });
      ok(other, 'second case');
      const first = await pageApi(agent)('GET', `/cases/${state.caseId}`);
      await agent.goto(`${base}/cases/${other.body.id}`);
      await agent.getByRole('button', { name: 'Fusionner dans…' }).click();
      await agent.getByLabel('Numéro de la demande à conserver').fill(first.body.number);
      await agent.getByRole('button', { name: 'Chercher' }).click();
      await agent.getByRole('button', { name: new RegExp('Fusionner dans ' + first.body.number) }).click();
      await agent.waitForURL(new RegExp(`/cases/${state.caseId}$`));
      const merged = await pageApi(agent)('GET', `/cases/${other.body.id}`);
      expect(merged.body.merged_into_id === state.caseId, 'merged into: ' + JSON.stringify(merged.body.merged_into_id));
    });

    await step('service: the queue page shows the availability switch in French', async () => {
      await agent.goto(base + '/service/queue');
      const av = agent.getByTestId('availability');
      await av.waitFor();
      const text = flat(await av.innerText());
      for (const w of ['Disponible', 'Occupé', 'Absent', 'Hors ligne']) expect(text.includes(w), `${w} in ${text}`);
      await av.getByRole('button', { name: 'Occupé' }).click();
      await agent.waitForFunction(() => document.querySelector('[data-testid="availability"] .av-busy')?.getAttribute('aria-pressed') === 'true');
      await av.getByRole('button', { name: 'Disponible' }).click();
      await shot(agent, 'service-queue-1280');
    });

    await step('service: a case waiting in the queue is offered to the available agent, who accepts it', async () => {
      const c = await call('POST', '/cases', { subject: `Facture incomprise ${mark}`, contact_id: state.contact.id, channel: 'web' });
      ok(c, 'queued case');
      await agent.goto(base + '/service/queue');
      // The dispatcher offers it (at once or at its next run, every 30 s); the page refreshes itself.
      const item = agent.locator('[data-testid="queue-offered"] .queue-item', { hasText: c.body.number });
      await item.waitFor({ timeout: 45000 });
      const text = flat(await item.innerText());
      expect(/reste|en retard/.test(text) || /Dans les délais|Sans engagement/.test(text), 'the SLA of the item: ' + text);
      await item.getByRole('button', { name: 'Accepter' }).click();
      await agent.waitForURL(new RegExp(`/cases/${c.body.id}$`));
      const r = await pageApi(agent)('GET', `/cases/${c.body.id}`);
      expect(r.body.assignee_id === state.agentUser.id, 'assigned to the agent: ' + r.body.assignee_id);
      // The knowledge base suggests the article; « Insérer dans la réponse » puts its text in the reply.
      const sugg = agent.getByTestId('kb-suggestions').locator('li', { hasText: state.article.title });
      await sugg.waitFor();
      await sugg.getByRole('button', { name: 'Insérer dans la réponse' }).click();
      await agent.waitForFunction(() => /la première ligne donne la période/.test(document.querySelector('[data-testid="composer-body"]')?.value || ''));
      await sugg.getByRole('button', { name: /Utile/ }).click();
      await agent.getByText('Merci pour votre vote.').waitFor();
    });

    await step('service: an unknown number pops « Numéro inconnu »; « Associer à un contact » adds it to the contact', async () => {
      const unknown = `077${String((Date.now() + 4321) % 10000000).padStart(7, '0')}`;
      const r = await page.evaluate(async ({ token, body }) => {
        const res = await fetch('/api/v1/calls/events', {
          method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token }, body: JSON.stringify(body),
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      }, { token: state.token, body: { call_id: `e2e-unknown-${mark}`, event: 'ringing', caller: unknown, extension: '201' } });
      ok(r, 'call event');
      const pop = agent.locator(`[data-testid="screen-pop"][data-call="e2e-unknown-${mark}"]`);
      await pop.getByText('Numéro inconnu').first().waitFor({ timeout: 3000 });
      expect(await pop.getByRole('button', { name: 'Nouveau contact' }).isVisible(), '« Nouveau contact »');
      await pop.getByRole('button', { name: 'Associer à un contact' }).click();
      await pop.getByLabel('Chercher un contact').fill(`Doré ${mark}`);
      await pop.getByRole('button', { name: state.contactName }).click();
      await agent.waitForURL(new RegExp(`/contacts/${state.contact.id}$`));
      const c = await pageApi(agent)('GET', `/contacts/${state.contact.id}`);
      expect(c.body.phones.length === 2, 'the number joined the contact\'s phones: ' + JSON.stringify(c.body.phones));
      await pop.getByRole('button', { name: 'Fermer' }).click();
    });

    await step('service: the case page fits a 375 px phone', async () => {
      const phone = await browser.newContext({
        viewport: { width: 375, height: 812 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', isMobile: true, hasTouch: true,
        storageState: await agentCtx.storageState(),
      });
      try {
        const p = await phone.newPage();
        await p.goto(state.caseUrl);
        await p.getByTestId('conversation').waitFor();
        await p.getByTestId('sla-panel').waitFor();
        const wide = await p.evaluate(() => document.documentElement.scrollWidth);
        expect(wide <= 376, 'no horizontal scrolling at 375 px: ' + wide);
        await shot(p, 'service-case-375');
        await p.goto(base + '/service/queue');
        await p.getByTestId('availability').waitFor();
        expect(await p.evaluate(() => document.documentElement.scrollWidth) <= 376, 'the queue fits 375 px');
        await shot(p, 'service-queue-375');
      } finally {
        await phone.close();
      }
    });

    await step('service: the supervisor\'s queue lists the agents with their availability', async () => {
      await page.goto(base + '/service/queue');
      const agents = page.getByTestId('queue-agents');
      await agents.waitFor();
      const row = flat(await agents.locator('tr', { hasText: state.agentName }).innerText());
      expect(row.includes('Disponible'), 'agent row: ' + row);
    });

    await step('service: the supervisor\'s dashboard counts the agent\'s solved case', async () => {
      await page.goto(base + '/service/dashboard');
      await page.getByRole('heading', { level: 1, name: 'Tableau de bord du service' }).waitFor();
      const table = page.getByTestId('dash-agents');
      await table.waitFor();
      const row = table.locator('tr', { hasText: state.agentName });
      await row.waitFor();
      const solved = flat(await row.getByTestId('agent-solved').innerText());
      expect(solved === '1', 'solved by the agent: ' + solved);
      const body = flat(await page.locator('main').innerText());
      expect(!/\b(waiting_customer|first_response|attainment_pct|undefined|NaN)\b/.test(body), 'no raw code: ' + body.slice(0, 500));
      await shot(page, 'service-dashboard-1280');
      const phone = await browser.newContext({
        viewport: { width: 375, height: 812 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', isMobile: true, hasTouch: true,
        storageState: await page.context().storageState(),
      });
      try {
        const p = await phone.newPage();
        await p.goto(base + '/service/dashboard');
        await p.getByTestId('dash-agents').waitFor();
        expect(await p.evaluate(() => document.documentElement.scrollWidth) <= 376, 'the dashboard fits 375 px');
        await shot(p, 'service-dashboard-375');
      } finally {
        await phone.close();
      }
      expect(state.errors.length === 0, 'page errors: ' + state.errors.join('; '));
    });
  } finally {
    if (agentCtx) await agentCtx.close().catch(() => {});
  }
}

// run.mjs's E2E_STEPS hook.
export const steps = serviceSteps;
