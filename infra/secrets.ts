/** Signs link tokens and keys address hashes: `sst secret set SigningSecret "$(openssl rand -base64 48)"`. */
export const signingSecret = new sst.Secret('SigningSecret');

/** The bearer token of the operator endpoints under /admin/. */
export const adminToken = new sst.Secret('AdminToken');

/** One config module serves every function, so each links both. */
export const secrets = [signingSecret, adminToken];
