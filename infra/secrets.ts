/** Signs link tokens and keys address hashes: `sst secret set SigningSecret "$(openssl rand -base64 48)"`. */
export const signingSecret = new sst.Secret('SigningSecret');

/** The bearer token of the operator endpoints under /admin/. */
export const adminToken = new sst.Secret('AdminToken');

/** One config module serves every function, so each links both. */
export const secrets = [signingSecret, adminToken];

/**
 * Where the alarms go (infra/monitoring.ts): `sst secret set OperatorEmail you@example.org`. A
 * secret rather than a shell variable, so that every deploy, from any shell, keeps the
 * subscription; `sst deploy` stops and names it while it has no value. No function links it.
 */
export const operatorEmail = new sst.Secret('OperatorEmail');
