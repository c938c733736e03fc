import type { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { SendClaims, type ClaimOutcome, type Lease } from './send-claims.js';

/**
 * One item per (issue, person): claimed before the copy is sent, marked sent after, so that a
 * run killed mid-way, a repeated run or two runs at once send every copy once. The same lease
 * rules as the countdown's steps. The items hold ids only and expire with the campaign's data.
 */
export class NewsletterStore {
  private readonly claims: SendClaims;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    // The commands share one output shape for what the claims read.
    this.claims = new SendClaims((command) => db.send(command as GetCommand), tableName);
  }

  /**
   * Claims one copy. 'claimed' for exactly one caller; 'sent' when it went out before; 'busy'
   * while another run holds it; 'taken-over' when a dead run's lease ran out, with when it claimed.
   */
  claimCopy(issueId: string, personId: string, runId: string, lease: Lease, expires: Date): Promise<ClaimOutcome> {
    return this.claims.claim(keys.newsletterCopy(issueId, personId), runId, lease, expires);
  }

  /** Whether a copy went out already, for a dry run's count of what is left to send. */
  wasSent(issueId: string, personId: string): Promise<boolean> {
    return this.claims.wasSent(keys.newsletterCopy(issueId, personId));
  }

  /** Records a copy as sent, for good. */
  markCopySent(issueId: string, personId: string, sentAt: Date): Promise<void> {
    return this.claims.markSent(keys.newsletterCopy(issueId, personId), sentAt);
  }

  /** Gives a claim back after a failed send, so that the next run retries that copy. */
  releaseCopy(issueId: string, personId: string, runId: string): Promise<void> {
    return this.claims.release(keys.newsletterCopy(issueId, personId), runId);
  }
}
