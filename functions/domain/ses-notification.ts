import * as z from 'zod';

/**
 * One record of the event Lambda receives from an SNS subscription. `Message` is the SNS payload,
 * a JSON string; parse it with `SesNotificationMessage`. Fields SNS may add are kept out, not refused.
 */
export const SnsRecord = z.object({
  EventSource: z.literal('aws:sns'),
  EventVersion: z.string(),
  EventSubscriptionArn: z.string(),
  Sns: z.object({
    // A subscription confirmation never reaches Lambda; anything but a notification is not ours.
    Type: z.literal('Notification'),
    /** SNS keeps this id when it retries, so it is the key for handling a message once. */
    MessageId: z.string().min(1).max(100),
    TopicArn: z.string().startsWith('arn:'),
    Subject: z.string().nullish(),
    Message: z.string(),
    Timestamp: z.iso.datetime(),
  }),
});
export type SnsRecord = z.infer<typeof SnsRecord>;

/** The event as a batch: each record is validated on its own, so one bad record cannot sink the rest. */
export const SnsEvent = z.object({ Records: z.array(z.unknown()) });

const Address = z.string().trim().min(3).max(320);

/** The message SES sent, as the notification describes it. */
const Mail = z.object({
  messageId: z.string().min(1),
  timestamp: z.iso.datetime().optional(),
  source: z.string().optional(),
  destination: z.array(z.string()),
});

export const BounceType = z.enum(['Permanent', 'Transient', 'Undetermined']);
export type BounceType = z.infer<typeof BounceType>;

const BounceNotification = z.object({
  notificationType: z.literal('Bounce'),
  mail: Mail,
  bounce: z.object({
    bounceType: BounceType,
    bounceSubType: z.string(),
    bouncedRecipients: z.array(z.object({ emailAddress: Address })).min(1),
    timestamp: z.iso.datetime().optional(),
    feedbackId: z.string().optional(),
  }),
});

const ComplaintNotification = z.object({
  notificationType: z.literal('Complaint'),
  mail: Mail,
  complaint: z.object({
    complainedRecipients: z.array(z.object({ emailAddress: Address })).min(1),
    complaintFeedbackType: z.string().optional(),
    timestamp: z.iso.datetime().optional(),
    feedbackId: z.string().optional(),
  }),
});

const DeliveryNotification = z.object({
  notificationType: z.literal('Delivery'),
  mail: Mail,
  delivery: z.object({
    recipients: z.array(z.string()),
    timestamp: z.iso.datetime().optional(),
  }),
});

/**
 * An SES bounce, complaint or delivery notification. SES reserves the right to add fields, so
 * unknown fields are ignored; an unknown `notificationType` is refused.
 */
export const SesNotification = z.discriminatedUnion('notificationType', [BounceNotification, ComplaintNotification, DeliveryNotification]);
export type SesNotification = z.infer<typeof SesNotification>;

/**
 * SES has two feedback formats: identity notifications (`notificationType`) and event publishing
 * through a configuration set (`eventType`, what SST's Email component sets up). Same body, other key.
 */
function fromEventPublishing(message: unknown): unknown {
  if (typeof message !== 'object' || message === null || 'notificationType' in message || !('eventType' in message)) return message;
  return { ...message, notificationType: (message as { eventType: unknown }).eventType };
}

/** `Sns.Message` as it arrives: a JSON string holding an `SesNotification`. */
export const SesNotificationMessage = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      const message: unknown = JSON.parse(text);
      return fromEventPublishing(message);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'The SNS message is not JSON.', input: '' });
      return z.NEVER;
    }
  })
  .pipe(SesNotification);

/** What one recipient's feedback calls for, and why. */
export type FeedbackDecision =
  | { address: string; action: 'suppress'; reason: 'hard-bounce' | 'complaint' }
  | { address: string; action: 'count-transient'; reason: 'soft-bounce' }
  | { address: string; action: 'ignore'; reason: 'delivery' };
export type FeedbackAction = FeedbackDecision['action'];
export type FeedbackReason = FeedbackDecision['reason'];
/** Why an address is never mailed again: soft bounces suppress once they reach the limit. */
export type SuppressionReason = Exclude<FeedbackReason, 'delivery'>;

type Verdict = FeedbackDecision extends infer D ? (D extends unknown ? Omit<D, 'address'> : never) : never;

/**
 * The bare, lower-cased address, the way sign-up normalises it. A DSN's Final-Recipient may come
 * as `Name <a@b>`, so the part in angle brackets wins.
 */
export function normaliseAddress(address: string): string {
  const bracketed = /<([^<>]+)>\s*$/.exec(address)?.[1];
  return (bracketed ?? address).trim().toLowerCase();
}

/**
 * What to do about each recipient a notification names: a permanent bounce or a complaint
 * suppresses at once, a transient or undetermined bounce is counted, a delivery changes nothing.
 * Each address appears once.
 *
 * @example
 * classifyFeedback(notification) // [{ address: 'jane@example.org', action: 'suppress', reason: 'hard-bounce' }]
 */
export function classifyFeedback(notification: SesNotification): FeedbackDecision[] {
  const decide = (addresses: readonly string[], verdict: Verdict): FeedbackDecision[] => {
    const unique = [...new Set(addresses.map(normaliseAddress))].filter((address) => address !== '');
    return unique.map((address) => ({ address, ...verdict }));
  };
  switch (notification.notificationType) {
    case 'Bounce': {
      const { bounceType, bouncedRecipients } = notification.bounce;
      const addresses = bouncedRecipients.map((r) => r.emailAddress);
      return bounceType === 'Permanent'
        ? decide(addresses, { action: 'suppress', reason: 'hard-bounce' })
        : decide(addresses, { action: 'count-transient', reason: 'soft-bounce' });
    }
    case 'Complaint':
      return decide(
        notification.complaint.complainedRecipients.map((r) => r.emailAddress),
        { action: 'suppress', reason: 'complaint' },
      );
    case 'Delivery':
      return decide(notification.delivery.recipients, { action: 'ignore', reason: 'delivery' });
  }
}
