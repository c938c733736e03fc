/**
 * The browser tests' common ground: Debian's Chromium (never a downloaded one) and the real app
 * served over HTTP on a free port, with DynamoDB Local and the SES emulator behind it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import type { TestStack } from './stack.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export interface ServedApp {
  baseURL: string;
  stack: TestStack;
  browser: Browser;
  /** A fresh browser profile (pointed at the server unless told otherwise), closed with the rest. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Serves a test stack's app over HTTP and launches Chromium. The server listens first and hands
 * requests to the app once it exists, so `makeStack` may put the server's address in its links.
 */
export async function serveAppInChromium(makeStack: (baseURL: string) => Promise<TestStack>): Promise<ServedApp> {
  let stack: TestStack | undefined;
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = serve(
      {
        fetch: (request, env) => (stack ? stack.app.fetch(request, env) : new Response('starting', { status: 503 })),
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(listening),
    ) as Server;
    listening.once('error', reject);
  });
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ready = (stack = await makeStack(baseURL));
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    baseURL,
    stack: ready,
    browser,
    async newContext(options = {}) {
      const context = await browser.newContext({ baseURL, ...options });
      contexts.push(context);
      return context;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ready.dynamo.destroy();
    },
  };
}
