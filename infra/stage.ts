// What differs between stages: the domain the service answers and mails from, and the protections.

/** The domain whose DNS zone is in Route 53 of the account deployed to; set OPTOUT_DOMAIN to use another. */
const ROOT_DOMAIN = 'optout-countdown.org';

export const isProduction = $app.stage === 'production';

/** Production serves and mails from the root domain; every other stage from its own subdomain. */
export const domain = process.env.OPTOUT_DOMAIN ?? (isProduction ? ROOT_DOMAIN : `${$app.stage}.${ROOT_DOMAIN}`);

/** The From header of every email (MAIL_FROM of functions/config.ts). */
export const mailFrom = `optout-countdown <countdown@${domain}>`;

/**
 * Set where the domain's DNS is not in Route 53 of the account: the ARN of an ACM certificate for
 * the domain, already issued in eu-central-1. SST then creates no DNS record (the operator adds
 * them, docs/deploying.md) and the API serves the domain with this certificate.
 */
export const certificateArn = process.env.OPTOUT_CERTIFICATE_ARN || undefined;
