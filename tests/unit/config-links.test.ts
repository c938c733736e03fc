import { describe, expect, it, vi } from 'vitest';

// sst reads linked resources once per process, so this file holds only the linked case; every other
// test runs unlinked, configured by the environment alone.
describe('configuration from SST links', () => {
  it('takes the table and secrets from linked resources, as a Lambda in AWS sees them', async () => {
    vi.stubEnv('SST_RESOURCE_Table', JSON.stringify({ type: 'sst.aws.Dynamo', name: 'optout-production-table' }));
    vi.stubEnv('SST_RESOURCE_SigningSecret', JSON.stringify({ type: 'sst.sst.Secret', value: 's'.repeat(40) }));
    vi.stubEnv('SST_RESOURCE_AdminToken', JSON.stringify({ type: 'sst.sst.Secret', value: 'a'.repeat(24) }));
    vi.resetModules();
    const { configFromLinks, loadConfig } = await import('../../functions/config.js');
    const config = loadConfig({ ...configFromLinks(), PUBLIC_URL: 'https://optout.example' });
    expect(config).toMatchObject({ TABLE_NAME: 'optout-production-table', SIGNING_SECRET: 's'.repeat(40), ADMIN_TOKEN: 'a'.repeat(24) });
    vi.unstubAllEnvs();
  });
});
