import { Layout, OPERATOR_LANGUAGE } from './layout.js';

/** The operator's sign-in: the admin token once, then an HttpOnly session cookie. */
export function AdminLoginPage(props: { error?: string; retryAfterSeconds?: number }) {
  const wait = props.retryAfterSeconds;
  return (
    <Layout title="Operator sign-in" {...OPERATOR_LANGUAGE}>
      <h1>Operator sign-in</h1>
      <p>These pages are for the operator of the service: sign in with the admin token.</p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {wait !== undefined ? (
        <p class="error" role="alert">
          {`Too many failed sign-ins. Try again in ${wait < 120 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}; a script with the Bearer token is not held up.`}
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
