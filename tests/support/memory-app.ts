import type { Hono } from 'hono';
import { createService } from '../../functions/app/composition-root.js';
import { createNewsletterSender } from '../../functions/app/newsletter-send.js';
import type { Clock } from '../../functions/clock.js';
import { loadConfig, type Config } from '../../functions/config.js';
import { createApp } from '../../functions/web/app.js';

/** The site's address in every test's links. */
export const PUBLIC_URL = 'https://optout.example';

/** The app with no table behind it, and the DynamoDB requests its routes tried to make. */
export interface MemoryApp {
  app: Hono;
  config: Config;
  /** Every DynamoDB request a route tried (each failed: there is no table). */
  tableRequests: string[];
}

/**
 * The whole app in memory, for routes that need no table: no emulator is started, and a route that
 * reaches for DynamoDB gets an error (and shows in `tableRequests`), as if the table were gone.
 *
 * @example
 * const { app, tableRequests } = createMemoryApp();
 * expect((await app.request('/health')).status).toBe(200);
 * expect(tableRequests).toEqual([]);
 */
export function createMemoryApp(options: { clock?: Clock; env?: Record<string, string> } = {}): MemoryApp {
  const config = loadConfig({
    TABLE_NAME: 'no-table-here',
    // Never reached: the middleware below answers first.
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    PUBLIC_URL,
    ...options.env,
  });
  const tableRequests: string[] = [];
  const service = createService(config, options.clock ? { clock: options.clock } : {});
  service.db.middlewareStack.add(
    (_next, context) => async () => {
      tableRequests.push(context.commandName ?? '?');
      throw Object.assign(new Error(`${context.commandName ?? 'a request'}: this test has no table`), { name: 'NoTableInThisTest' });
    },
    { step: 'initialize', name: 'noTable' },
  );
  const app = createApp({ ...service, newsletters: createNewsletterSender(service, config), config, clientIp: () => '198.51.100.7' });
  return { app, config, tableRequests };
}
