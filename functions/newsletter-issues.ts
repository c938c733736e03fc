import * as z from 'zod';
import { NewsletterIssue } from './domain/newsletter.js';
import { newsletterSources } from './generated/newsletters.js';

/** Every issue compiled from templates/newsletters/ at build time, validated once at load. */
export const newsletterIssues: readonly NewsletterIssue[] = z.array(NewsletterIssue).parse(newsletterSources);
