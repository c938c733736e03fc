/**
 * A server for the bench's sign-up figure, in its own process so that autocannon (in the bench
 * process) does not share an event loop with it. `real`: the Hono app as `npm run dev` serves it,
 * against DynamoDB Local and the SES emulator. `bare`: a Hono route doing one PutItem on the same
 * DynamoDB Local, the baseline. Prints "listening <port>" once it answers.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import * as z from 'zod';
import { loadConfig } from '../functions/config.js';
import { createNewsletterSender } from '../functions/app/newsletter-send.js';
import { createService } from '../functions/app/composition-root.js';
import { createDynamoClient } from '../functions/store/client.js';
import { createApp } from '../functions/web/app.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const kind = z.enum(['real', 'bare']).parse(process.argv[2]);
const config = loadConfig(process.env);

function bareApp(): Hono {
  const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const app = new Hono();
  app.post('/subscribe', async (c) => {
    const body = await c.req.parseBody();
    const email = z.string().parse(body.email);
    await db.send(new PutCommand({ TableName: config.TABLE_NAME, Item: { pk: `BARE#${email}`, sk: 'BARE', at: new Date().toISOString() } }));
    return c.json({ status: 'stored' });
  });
  return app;
}

const app =
  kind === 'bare'
    ? bareApp()
    : serveService();

/** The real app, wired as functions/api.ts wires it. */
function serveService() {
  const service = createService(config);
  return createApp({ ...service, newsletters: createNewsletterSender(service, config), config, clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown' });
}
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`listening ${info.port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
