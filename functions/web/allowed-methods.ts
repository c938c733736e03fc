import type { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods an app's routes answer on a path, from the app's own route table: the one place
 * that tells "no such page" (404) from "not with this method" (405 with Allow). Middleware
 * (`app.use`, method ALL) does not count. Built on first use, once every route is registered.
 *
 * @example
 * const allowed = allowedMethodsOf(app); allowed('/subscribe') // ['POST']
 */
export function allowedMethodsOf(app: Hono): (path: string) => string[] {
  let router: TrieRouter<string> | undefined;
  const build = () => {
    const built = new TrieRouter<string>();
    for (const route of app.routes) if (route.method !== 'ALL') built.add(route.method, route.path, route.method);
    return built;
  };
  return (path) => {
    router ??= build();
    const found = router;
    const methods: string[] = METHODS.filter((method) => found.match(method, path)[0].length > 0);
    // Hono answers HEAD with the GET route.
    return methods.includes('GET') ? ['GET', 'HEAD', ...methods.filter((method) => method !== 'GET')] : methods;
  };
}
