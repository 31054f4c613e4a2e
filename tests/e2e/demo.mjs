// End-to-end steps of the demo company (docs/demo.md), run by tests/e2e/run.mjs right after the
// admin's first login: "Ma journée" is not empty on the first visit (follow-ups overdue and due
// today, recent activity of their own), and every role has a demo user who can log in with the
// documented password.
//
//   await demoSteps(page, { base, step, shot, expect })

// The demo users of docs/demo.md, one per role.
const DEMO_USERS = [
  ['admin@demo.gazelle.fr', 'admin'],
  ['claire.dubois@demo.gazelle.fr', 'manager'],
  ['hugo.lefevre@demo.gazelle.fr', 'sales'],
  ['helene.roux@demo.gazelle.fr', 'service'],
  ['noemie.gerard@demo.gazelle.fr', 'marketing'],
  ['paul.bernard@demo.gazelle.fr', 'read_only'],
];

export async function demoSteps(page, { base, step, shot, expect }) {
  await step('demo: the admin\'s "Ma journée" has follow-ups and recent activity on first login', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Ma journée' }).waitFor();
    const overdue = page.locator('.overdue-card .task-title');
    await overdue.first().waitFor();
    expect((await overdue.count()) >= 2, `overdue follow-ups of the admin: ${await overdue.count()}`);
    expect((await page.getByText('Rien en retard').count()) === 0, 'no "nothing overdue" message');
    // Today's follow-ups: those due later today (or already past if the day is nearly over).
    const all = await page.locator('.task-title').allInnerTexts();
    expect(all.length >= 5, `the admin's follow-ups on "Ma journée": ${all.length}`);
    const recent = page.locator('ol.timeline li');
    await recent.first().waitFor();
    expect((await recent.count()) >= 3, `recent activity: ${await recent.count()} items`);
    await shot(page, 'demo-myday-admin-1280');
  });

  await step('demo: every role has a demo user who logs in with the documented password', async () => {
    for (const [email, role] of DEMO_USERS) {
      const res = await fetch(base + '/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'gazelle-demo' }),
      });
      expect(res.status === 200, `${email} logs in: ${res.status}`);
      const body = await res.json();
      const who = body.user ?? body;
      expect(who.role === role, `${email} has the role ${role}, got ${who.role}`);
    }
  });
}
