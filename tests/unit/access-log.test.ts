import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ACCESS_LOG_FORMAT } from '../../infra/access-log.js';

/** The `$context` variables a format writes, each with the field it lands in. */
function variablesOf(format: string): Array<[field: string, variable: string]> {
  const fields = JSON.parse(format) as Record<string, string>;
  return Object.entries(fields).flatMap(([field, value]) => [...value.matchAll(/\$context\.[A-Za-z.]+/g)].map((match): [string, string] => [field, match[0]]));
}

describe('the API access log', () => {
  it('keeps no IP, user agent or path: link tokens are path segments', () => {
    const variables = variablesOf(API_ACCESS_LOG_FORMAT).map(([, variable]) => variable);
    // The caller (sourceIp, userAgent, …), the path and any URL, and the domain a person came through.
    expect(variables.filter((variable) => /identity|path|uri|url|domain|authorizer/i.test(variable))).toEqual([]);
    // SST's default names them so: none of its fields is left.
    for (const field of ['ip', 'userAgent', 'path']) expect(Object.keys(JSON.parse(API_ACCESS_LOG_FORMAT))).not.toContain(field);
    expect(API_ACCESS_LOG_FORMAT).not.toMatch(/sourceIp|userAgent|\$context\.path/);
  });

  it('keeps what a failure is read by: route key, status and latency', () => {
    expect(variablesOf(API_ACCESS_LOG_FORMAT)).toEqual(
      expect.arrayContaining([
        ['routeKey', '$context.routeKey'],
        ['status', '$context.status'],
        ['responseLatency', '$context.responseLatency'],
      ]),
    );
  });

  it('is the format the deployed stage writes (infra/api.ts replaces SST\'s default with it)', () => {
    const api = readFileSync(new URL('../../infra/api.ts', import.meta.url), 'utf8');
    expect(api).toContain('args.accessLogSettings = { destinationArn, format: API_ACCESS_LOG_FORMAT }');
  });
});
