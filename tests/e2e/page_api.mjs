// Calls the API through the page's own session, as the web app does (its cookie and CSRF token):
// const call = pageApi(page); const { status, body } = await call('GET', '/contacts').
export function pageApi(page) {
  return (method, path, body) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const r = await fetch('/api/v1' + path, {
          method,
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('gazelle.csrf') || '' },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: r.status, body: r.status === 204 ? null : await r.json() };
      },
      { method, path, body },
    );
}
