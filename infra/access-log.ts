/**
 * The API stage's access log line. SST's default keeps the caller's IP, user agent and path for a
 * month, and link tokens are path segments (`/preferences/<token>`, `/unsubscribe/<token>`): this
 * one keeps what an operator reads a failure by (route key, status, latency) and nothing of the
 * person. The route key of our one route is `$default`, never the path. Plain data, no SST
 * globals, so tests/unit/access-log.test.ts reads it as infra/api.ts does.
 */
export const API_ACCESS_LOG_FORMAT = JSON.stringify({
  requestTime: '"$context.requestTime"',
  requestId: '"$context.requestId"',
  httpMethod: '"$context.httpMethod"',
  routeKey: '"$context.routeKey"',
  // Numbers stay unquoted, as in SST's own format.
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '"$context.integration.latency"',
  integrationStatus: '"$context.integration.status"',
  // THROTTLED, INTEGRATION_FAILURE…: why API Gateway answered by itself.
  errorType: '"$context.error.responseType"',
});
