// End-to-end steps of the e-mail pages (web/src/modules/email/), run by tests/e2e/run.mjs as the
// demo admin:
// - a contact with an e-mail address gets a message handed over through the API
//   (POST /api/v1/email/inbound, an admin's API token, message/rfc822): it is on the contact's
//   360° timeline, and opens with its header in French (De, À, date, « Reçu ») and its text;
// - « Répondre » opens the composer from a mailbox whose SMTP server is unreachable
//   (smtp://127.0.0.1:9: the job fails later, the web shows « E-mail en cours d'envoi »); a 422
//   (no recipient on a new e-mail) is shown beside the field, in French;
// - « Écrire un e-mail » on the 360° prefills « À » with the contact's address;
// - an unknown sender's message waits in « Boîte de réception » and becomes a contact with
//   « Créer le contact » (prospect by default), leaving the inbox;
// - the mailbox page shows its reading state in French and « Relever maintenant »; its form has a
//   write-only password, sent only when typed;
// - the message and the inbox fit a 375 px phone.
//
//   await emailSteps(page, { base, step, shot, expect, browser, context })
import net from 'node:net';
import { pageApi } from './page_api.mjs';

// A customer's mail program, for the real-servers step: plain SMTP to the domain's MX (no login),
// one message, line by line (the test servers answer quickly).
function smtpSend(url, from, to, raw) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname);
    const script = [`EHLO client.example.test`, `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA',
      raw.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..') + '\r\n.', 'QUIT'];
    let buf = '';
    let i = 0;
    sock.setTimeout(20000, () => { sock.destroy(); reject(new Error('SMTP timeout: ' + buf)); });
    sock.on('data', (d) => {
      buf += d.toString();
      // A reply is complete when its last line has a space after the code.
      const lines = buf.split('\r\n').filter(Boolean);
      const last = lines[lines.length - 1] || '';
      if (!/^\d{3} /.test(last) || !buf.endsWith('\r\n')) return;
      if (!/^[23]/.test(last)) { sock.destroy(); reject(new Error('SMTP refused: ' + last)); return; }
      buf = '';
      if (i < script.length) sock.write(script[i++] + '\r\n');
      else { sock.end(); resolve(); }
    });
    sock.on('error', reject);
  });
}

const flat = (s) => s.replace(/[\s\u202f\u00a0]+/g, ' ').trim();

function rawMessage({ from, to, subject, id, body }) {
  return `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n` +
    'Date: Thu, 03 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + body;
}

export async function emailSteps(page, { base, step, shot, expect, browser, context }) {
  const call = pageApi(page);
  const mark = Date.now().toString(36).slice(-6);
  const state = {};
  const inbound = (raw) =>
    page.evaluate(
      async ({ raw, token }) => {
        const r = await fetch('/api/v1/email/inbound', {
          method: 'POST',
          headers: { 'Content-Type': 'message/rfc822', Authorization: 'Bearer ' + token },
          body: raw,
        });
        return { status: r.status, body: await r.json() };
      },
      { raw, token: state.token },
    );

  await step('email: a message handed over by the API is on the contact\'s timeline', async () => {
    const tok = await call('POST', '/tokens', { name: `e2e courrier ${mark}` });
    expect(tok.status === 201 && tok.body.token, 'token: ' + JSON.stringify(tok));
    state.token = tok.body.token;
    const mb = await call('POST', '/mailboxes', {
      name: `Ventes e2e ${mark}`, address: `ventes-${mark}@notre-societe.fr`, kind: 'shared',
      smtp_url: 'smtp://127.0.0.1:9', imap_url: 'imap://127.0.0.1:9', username: 'ventes', password: 'secret',
    });
    expect(mb.status === 201, 'mailbox: ' + JSON.stringify(mb));
    state.mailbox = mb.body;
    state.address = `anne.courriel-${mark}@client-e2e.fr`;
    const c = await call('POST', '/contacts?allow_duplicate=true', {
      first_name: 'Anne', last_name: `Courriel ${mark}`, emails: [state.address], lifecycle_stage: 'customer',
    });
    expect(c.status === 201, 'contact: ' + JSON.stringify(c));
    state.contact = c.body;
    state.subject = `Demande de devis ${mark}`;
    const r = await inbound(rawMessage({
      from: `Anne Courriel <${state.address}>`, to: state.mailbox.address, subject: state.subject,
      id: `m-${mark}@client-e2e.fr`, body: 'Bonjour,\r\nPouvez-vous m\'envoyer un devis ?\r\nAnne\r\n',
    }));
    expect(r.status === 201 && r.body.interaction_id, 'inbound: ' + JSON.stringify(r));
    state.interactionId = r.body.interaction_id;
    state.emailId = r.body.email_id;
    await page.goto(`${base}/contacts/${state.contact.id}`);
    const link = page.getByTestId('timeline').getByRole('link', { name: state.subject });
    await link.waitFor();
  });

  await step('email: the message opens with its header in French and its text', async () => {
    await page.getByTestId('timeline').getByRole('link', { name: state.subject }).click();
    const msg = page.getByTestId('email-message');
    await msg.waitFor();
    const head = flat(await msg.locator('.email-head').innerText());
    expect(head.includes('De') && head.includes(state.address), 'from: ' + head);
    expect(head.includes('Reçu'), 'status in French: ' + head);
    expect(/\d{1,2} déc\.? 2026/.test(head), 'date in French: ' + head);
    const text = await page.getByTestId('email-text').innerText();
    expect(text.includes('Pouvez-vous'), 'text: ' + text);
    await shot(page, 'email-message-1280');
  });

  await step('email: « Répondre » sends through the composer (202: « E-mail en cours d\'envoi »)', async () => {
    await page.getByRole('button', { name: /^↩ Répondre$/ }).click();
    const dlg = page.getByTestId('email-composer');
    await dlg.waitFor();
    await dlg.getByRole('heading', { name: 'Répondre' }).waitFor();
    await dlg.locator('[data-field="mailbox_id"] select').selectOption(String(state.mailbox.id));
    const ph = await dlg.locator('[data-field="to"] input').getAttribute('placeholder');
    expect(ph === '(destinataires de l’e-mail d’origine)', 'to placeholder: ' + ph);
    await dlg.locator('[data-field="body"] textarea').fill('Bonjour Anne,\nVoici notre devis.\nCordialement');
    await shot(page, 'email-composer-1280');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/emails') && r.request().method() === 'POST'),
      dlg.getByRole('button', { name: 'Envoyer' }).click(),
    ]);
    expect(resp.status() === 202, 'POST /emails answered ' + resp.status());
    await page.getByText('E-mail en cours d’envoi').waitFor();
    const sent = await resp.json();
    expect(sent.to?.some((a) => a.address === state.address), 'the server filled the recipient: ' + JSON.stringify(sent.to));
  });

  await step('email: « Écrire un e-mail » prefills the contact\'s address; a refused send shows the field\'s error in French', async () => {
    await page.goto(`${base}/contacts/${state.contact.id}`);
    await page.getByRole('button', { name: /Écrire un e-mail/ }).click();
    const dlg = page.getByTestId('email-composer');
    await dlg.waitFor();
    const to = await dlg.locator('[data-field="to"] input').inputValue();
    expect(to === state.address, 'to prefilled: ' + to);
    await dlg.locator('[data-field="mailbox_id"] select').selectOption(String(state.mailbox.id));
    await dlg.locator('[data-field="to"] input').fill('pas-une-adresse');
    await dlg.locator('[data-field="subject"] input').fill(`Notre offre ${mark}`);
    await dlg.locator('[data-field="body"] textarea').fill('Bonjour,\nVoici notre offre.');
    await dlg.getByRole('button', { name: 'Envoyer' }).click();
    await dlg.locator('.field.invalid').first().waitFor();
    const err = flat(await dlg.locator('.field.invalid .field-error').first().innerText());
    expect(err.length > 0 && !/\b(is|must|invalid)\b/i.test(err), 'error in French: ' + err);
    await dlg.locator('[data-field="to"] input').fill(state.address);
    await dlg.getByRole('button', { name: 'Envoyer' }).click();
    await page.getByText('E-mail en cours d’envoi').waitFor();
  });

  await step('email: an unknown sender\'s message becomes a contact with « Créer le contact »', async () => {
    const unknown = `claire.nouvelle-${mark}@nouveau-client-e2e.fr`;
    state.unknownSubject = `Vos tarifs ? ${mark}`;
    const r = await inbound(rawMessage({
      from: `Claire Nouvelle <${unknown}>`, to: state.mailbox.address, subject: state.unknownSubject,
      id: `u-${mark}@nouveau-client-e2e.fr`, body: 'Bonjour,\r\nQuels sont vos tarifs ?\r\n',
    }));
    expect(r.status === 201 && r.body.outcome === 'inbox', 'inbound: ' + JSON.stringify(r));
    await page.goto(base + '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Boîte de réception', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Boîte de réception' }).waitFor();
    const item = page.getByTestId('inbox-item').filter({ hasText: state.unknownSubject });
    await item.waitFor();
    const txt = flat(await item.innerText());
    expect(txt.includes('Claire Nouvelle') && txt.includes(unknown) && txt.includes('Quels sont vos tarifs'), 'item: ' + txt);
    await shot(page, 'email-inbox-1280');
    await item.getByRole('button', { name: 'Créer le contact' }).click();
    expect(await item.locator('[data-field="first_name"] input').inputValue() === 'Claire', 'first name prefilled');
    expect(await item.locator('[data-field="last_name"] input').inputValue() === 'Nouvelle', 'last name prefilled');
    expect(await item.locator('[data-field="lifecycle_stage"] select').inputValue() === 'prospect', 'prospect by default');
    await item.getByRole('button', { name: 'Créer le contact' }).click();
    await page.getByText(/Contact .*Claire.* créé/).waitFor();
    await page.getByTestId('inbox-item').filter({ hasText: state.unknownSubject }).waitFor({ state: 'detached' });
    const mail = (await call('GET', `/emails/${r.body.email_id}`)).body;
    expect(mail.contacts?.length === 1 && mail.inbox_state !== 'waiting', 'the message has its contact: ' + JSON.stringify(mail.contacts));
    const made = (await call('GET', `/contacts/${mail.contacts[0].id}`)).body;
    expect((made.emails || []).includes(unknown) && made.lifecycle_stage === 'prospect' && made.first_name === 'Claire',
      'contact created: ' + JSON.stringify(made));
  });

  await step('email: the mailbox page shows its reading state in French, « Relever maintenant », and a write-only password', async () => {
    await page.goto(`${base}/mailboxes/${state.mailbox.id}`);
    const box = page.getByTestId('mailbox-state');
    await box.waitFor();
    const txt = flat(await box.innerText());
    expect(/Jamais relevée|Import en cours|À jour|Échec de la relève/.test(txt), 'state in French: ' + txt);
    await page.getByRole('button', { name: /Relever maintenant/ }).click();
    await page.getByText('Relève de la boîte demandée.').waitFor();
    await shot(page, 'email-mailbox-1280');
    await page.goto(`${base}/mailboxes/${state.mailbox.id}/edit`);
    const pw = page.getByLabel('Mot de passe (ou mot de passe d’application)');
    await pw.waitFor();
    expect(await pw.inputValue() === '', 'the password is never shown');
    await pw.fill('nouveau-secret');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/mailboxes/${state.mailbox.id}`) && r.request().method() === 'PATCH'),
      page.getByRole('button', { name: 'Enregistrer', exact: true }).click(),
    ]);
    expect(resp.ok(), 'PATCH answered ' + resp.status());
    expect(JSON.parse(resp.request().postData() || '{}').password === 'nouveau-secret', 'the typed password is sent');
  });

  // The walk against real servers (scripts/mail-servers.sh, started by run-tests.sh): a
  // quote sent from its page through Postfix, the customer's reply read back over IMAP from
  // Dovecot, threaded on the contact's timeline.
  const imap = process.env.GAZELLE_TEST_MAIL_IMAP, submission = process.env.GAZELLE_TEST_MAIL_SUBMISSION,
    mx = process.env.GAZELLE_TEST_MAIL_SMTP;
  if (imap && submission && mx) {
    await step('email: a quote sent from its page through Postfix, the reply read over IMAP on the timeline', async () => {
      const password = process.env.GAZELLE_TEST_MAIL_PASSWORD || 'secret';
      const mb = await call('POST', '/mailboxes', {
        name: `Commercial réel ${mark}`, address: 'sales@example.test', kind: 'shared', imap_url: imap, smtp_url: submission,
        username: 'sales@example.test', password, verify_tls: false, sent_folder: 'Sent',
      });
      expect(mb.status === 201, 'mailbox: ' + JSON.stringify(mb));
      const c = await call('POST', '/contacts?allow_duplicate=true', {
        first_name: 'Client', last_name: `Réel ${mark}`, emails: ['customer@example.test'], lifecycle_stage: 'customer',
      });
      expect(c.status === 201, 'contact: ' + JSON.stringify(c));
      const q = await call('POST', '/quotes', {
        title: `Vitrine ${mark}`, contact_id: c.body.id,
        lines: [{ description: 'Vitrine réfrigérée', quantity: 1, unit_price_cents: 250000 }],
      });
      expect(q.status === 201, 'quote: ' + JSON.stringify(q));
      await page.goto(`${base}/quotes/${q.body.id}`);
      await page.getByTestId('quote-send-email').click();
      const dlg = page.getByTestId('email-composer');
      await dlg.waitFor();
      await dlg.getByTestId('composer-quote-pdf').waitFor();
      await shot(page, 'email-quote-composer-1280');
      expect(await dlg.locator('[data-field="to"] input').inputValue() === 'customer@example.test', 'À shows the quote\'s contact');
      await dlg.getByLabel('De (boîte d’envoi)').selectOption(String(mb.body.id));
      await dlg.getByRole('button', { name: 'Envoyer' }).click();
      await page.getByText('Devis en cours d\'envoi par e-mail').waitFor();
      // The send job runs in the server: the message leaves through Postfix.
      let mail = null;
      for (let i = 0; i < 100; i++) {
        const view = (await call('GET', `/contacts/${c.body.id}/360`)).body;
        const it = (view.interactions || []).find((x) => x.channel === 'email' && (x.subject || '').startsWith('Devis '));
        if (it) mail = (await call('GET', `/interactions/${it.id}/email`)).body;
        if (mail && mail.status !== 'queued') break;
        await page.waitForTimeout(200);
      }
      expect(mail && mail.status === 'sent', 'sent through Postfix: ' + JSON.stringify(mail));
      expect((mail.attachments || []).some((a) => a.content_type === 'application/pdf'), 'the PDF is attached');
      // The customer answers from their own mail program.
      const reply = `From: Client Reel <customer@example.test>\r\nTo: sales@example.test\r\nSubject: Re: ${mail.subject}\r\n` +
        `Message-ID: <reponse-${mark}@example.test>\r\nIn-Reply-To: <${mail.message_id}>\r\nReferences: <${mail.message_id}>\r\n` +
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}\r\nMIME-Version: 1.0\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nMerci, c\'est d\'accord pour la vitrine.\r\n';
      await smtpSend(mx, 'customer@example.test', 'sales@example.test', reply);
      // « Relever maintenant » until the reply is read over IMAP.
      let found = false;
      for (let i = 0; i < 30 && !found; i++) {
        await call('POST', `/mailboxes/${mb.body.id}/sync`, {});
        await page.waitForTimeout(700);
        const thread = (await call('GET', `/emails/${mail.id}/thread`)).body;
        found = (thread.data || []).some((m) => m.direction === 'inbound' && m.subject === 'Re: ' + mail.subject);
      }
      expect(found, 'the reply is threaded with the quote');
      await page.goto(`${base}/contacts/${c.body.id}`);
      await page.getByTestId('timeline').getByRole('link', { name: 'Re: ' + mail.subject }).waitFor();
      await page.getByTestId('timeline').getByRole('link', { name: 'Re: ' + mail.subject }).click();
      await page.getByTestId('email-message').waitFor();
      await page.getByText('Merci, c\'est d\'accord pour la vitrine.').first().waitFor();
      await shot(page, 'email-real-reply-1280');
    });
  }

  await step('email: the message and the inbox fit a 375 px phone', async () => {
    const phoneCtx = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', isMobile: true, hasTouch: true });
    await phoneCtx.addCookies(await context.cookies());
    const phone = await phoneCtx.newPage();
    try {
      await phone.goto(base + '/');
      await phone.evaluate((csrf) => localStorage.setItem('gazelle.csrf', csrf), await page.evaluate(() => localStorage.getItem('gazelle.csrf')));
      await phone.goto(`${base}/email/interactions/${state.interactionId}`);
      await phone.getByTestId('email-message').waitFor();
      let overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `the message scrolls sideways by ${overflow} px`);
      await shot(phone, 'email-message-375');
      await phone.getByRole('button', { name: /^↩ Répondre$/ }).click();
      await phone.getByTestId('email-composer').waitFor();
      await shot(phone, 'email-composer-375');
      await phone.keyboard.press('Escape');
      await phone.goto(`${base}/email/inbox`);
      await phone.getByRole('heading', { level: 1, name: 'Boîte de réception' }).waitFor();
      overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `the inbox scrolls sideways by ${overflow} px`);
      await shot(phone, 'email-inbox-375');
    } finally {
      await phoneCtx.close();
    }
  });
}
