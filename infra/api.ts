import { API_ACCESS_LOG_FORMAT } from './access-log';
import { HANDLERS } from './bundling';
import { newsletterSender } from './newsletter';
import { secrets } from './secrets';
import { certificateArn, domain, mailFrom } from './stage';
import { table } from './storage';

/**
 * The HTTP API. An API Gateway HTTP API rather than a bare function URL: its address is known
 * before the function exists, so the function can be told its own PUBLIC_URL (a function URL
 * can't be passed to its own function), and it serves the stage's domain with a certificate.
 */
export const api = new sst.aws.ApiGatewayV2('Api', {
  // DNS elsewhere: SST can create no records there, and needs a certificate already issued.
  domain: certificateArn ? { name: domain, dns: false, cert: certificateArn } : { name: domain },
  // The pages and forms are same-origin; nothing calls the API from another site.
  cors: false,
  transform: {
    stage: (args) => {
      // Each sign-up is a transaction and a queued email: cap what one burst of traffic can spend.
      args.defaultRouteSettings = { throttlingRateLimit: 50, throttlingBurstLimit: 100 };
      // SST's log group, our line: no IP, user agent or path (infra/access-log.ts).
      const destinationArn = $output(args.accessLogSettings).apply((settings) => {
        if (!settings?.destinationArn) throw new Error('SST created no access log group for the API stage.');
        return settings.destinationArn;
      });
      args.accessLogSettings = { destinationArn, format: API_ACCESS_LOG_FORMAT };
    },
  },
});

api.route('$default', {
  handler: HANDLERS.api,
  // Linking the newsletter sender lets the API invoke it. No email link: the API never sends, the mailer does.
  link: [table, newsletterSender, ...secrets],
  environment: {
    POWERTOOLS_SERVICE_NAME: 'api',
    TABLE_NAME: table.name,
    PUBLIC_URL: api.url,
    MAIL_FROM: mailFrom,
    NEWSLETTER_FUNCTION_NAME: newsletterSender.name,
  },
  memory: '512 MB',
  // API Gateway gives up after 30 seconds; the function must answer well before.
  timeout: '20 seconds',
});
