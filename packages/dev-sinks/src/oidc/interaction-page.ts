const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The development login form. It is deliberately plain so it can be driven headless: POST
 * `email` and `name` (application/x-www-form-urlencoded) to the form's action.
 */
export function loginPage(uid: string, error?: string): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ordersystem dev login</title></head>
<body>
  <h1>Development sign-in</h1>
  <p>Local OpenID provider for development only: any email signs in, no password.</p>
  ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="${escapeHtml(action)}">
    <label>Email <input type="email" name="email" required autofocus></label>
    <label>Name <input type="text" name="name" maxlength="200"></label>
    <button type="submit">Sign in</button>
  </form>
</body></html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>Login error</h1><p>${escapeHtml(message)}</p></body></html>`;
}
