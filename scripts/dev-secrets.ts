import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

const DevSecrets = z.object({ SIGNING_SECRET: z.string().min(32), ADMIN_TOKEN: z.string().min(16) });

/**
 * Local secrets, made once and kept beside the data, so that links in the local inbox keep
 * working after a restart. Production reads real secrets from SST instead.
 */
export function devSecrets(dataDir: string): z.infer<typeof DevSecrets> {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return DevSecrets.parse(JSON.parse(readFileSync(file, 'utf8')));
  const secrets = { SIGNING_SECRET: randomBytes(32).toString('base64url'), ADMIN_TOKEN: randomBytes(24).toString('base64url') };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
