import { Layout, OPERATOR_LANGUAGE } from './layout.js';

/** The operator's sign-in: the admin token once, then an HttpOnly session cookie. */
export function AdminLoginPage(props: { error?: string }) {
  return (
    <Layout title="Operator sign-in" {...OPERATOR_LANGUAGE}>
      <h1>Operator sign-in</h1>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/admin/login">
        <label for="token">Admin token</label>
        <input type="password" id="token" name="token" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <p class="hint">Scripts can send the token as "Authorization: Bearer …" instead.</p>
    </Layout>
  );
}
