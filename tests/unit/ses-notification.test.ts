import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BounceType,
  classifyFeedback,
  SesNotification,
  SesNotificationMessage,
  SnsEvent,
  SnsRecord,
} from '../../functions/domain/ses-notification.js';

const PLACEHOLDER = 'recipient@example.org';
type Fixture = 'ses-bounce-permanent' | 'ses-bounce-transient' | 'ses-complaint' | 'ses-delivery';

/** A fixture event, with the placeholder address replaced. */
function fixture(name: Fixture, address = PLACEHOLDER): { Records: [{ Sns: { Message: string } & Record<string, unknown> } & Record<string, unknown>] } {
  const text = readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8');
  return JSON.parse(text.replaceAll(PLACEHOLDER, address));
}

/** The SES notification inside a fixture, as a plain object to change. */
function notificationOf(name: Fixture, address?: string): Record<string, any> {
  return JSON.parse(fixture(name, address).Records[0].Sns.Message);
}

const parse = (notification: unknown) => SesNotification.parse(notification);

describe('the SNS record of SES feedback', () => {
  it.each(['ses-bounce-permanent', 'ses-bounce-transient', 'ses-complaint', 'ses-delivery'] as const)('reads the %s fixture, record and message', (name) => {
    const event = SnsEvent.parse(fixture(name));
    const record = SnsRecord.parse(event.Records[0]);
    expect(record.Sns.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(SesNotificationMessage.safeParse(record.Sns.Message).success).toBe(true);
  });

  it('refuses a subscription confirmation and anything not from SNS', () => {
    const [record] = fixture('ses-complaint').Records;
    expect(SnsRecord.safeParse({ ...record, Sns: { ...record.Sns, Type: 'SubscriptionConfirmation' } }).success).toBe(false);
    expect(SnsRecord.safeParse({ ...record, EventSource: 'aws:sqs' }).success).toBe(false);
    expect(SnsRecord.safeParse({ ...record, Sns: { ...record.Sns, MessageId: '' } }).success).toBe(false);
  });

  it('refuses a message that is not JSON, and a notification of a kind it does not know', () => {
    expect(SesNotificationMessage.safeParse('not json {').success).toBe(false);
    expect(SesNotificationMessage.safeParse(JSON.stringify({ ...notificationOf('ses-delivery'), notificationType: 'Received' })).success).toBe(false);
  });

  it('reads the event-publishing format (eventType), which the SST Email component sets up, like a notification', () => {
    const { notificationType: _, ...published } = notificationOf('ses-complaint');
    expect(SesNotificationMessage.parse(JSON.stringify({ ...published, eventType: 'Complaint' }))).toMatchObject({ notificationType: 'Complaint' });
    expect(SesNotificationMessage.safeParse(JSON.stringify({ ...published, eventType: 'Open' })).success).toBe(false);
  });

  it('refuses a bounce without recipients or of an unknown type', () => {
    const bounce = notificationOf('ses-bounce-permanent');
    expect(SesNotification.safeParse({ ...bounce, bounce: { ...bounce.bounce, bouncedRecipients: [] } }).success).toBe(false);
    expect(SesNotification.safeParse({ ...bounce, bounce: { ...bounce.bounce, bounceType: 'Soft' } }).success).toBe(false);
  });

  it('takes fields SES adds later in its stride', () => {
    const bounce = notificationOf('ses-bounce-permanent');
    const extended = { ...bounce, newTopLevel: { a: 1 }, bounce: { ...bounce.bounce, newField: 'x' } };
    expect(classifyFeedback(parse(extended))).toEqual(classifyFeedback(parse(bounce)));
  });
});

describe('classifyFeedback', () => {
  it('suppresses the address of a permanent bounce, lower-cased as sign-up stores it', () => {
    expect(classifyFeedback(parse(notificationOf('ses-bounce-permanent', 'Jane.Doe@Example.ORG')))).toEqual([
      { address: 'jane.doe@example.org', action: 'suppress', reason: 'hard-bounce' },
    ]);
  });

  it('suppresses the address of a complaint', () => {
    expect(classifyFeedback(parse(notificationOf('ses-complaint')))).toEqual([{ address: PLACEHOLDER, action: 'suppress', reason: 'complaint' }]);
  });

  it('counts a transient or undetermined bounce instead of suppressing it', () => {
    const transient = notificationOf('ses-bounce-transient');
    expect(classifyFeedback(parse(transient))).toEqual([{ address: PLACEHOLDER, action: 'count-transient', reason: 'soft-bounce' }]);
    const undetermined = { ...transient, bounce: { ...transient.bounce, bounceType: 'Undetermined', bounceSubType: 'Undetermined' } };
    expect(classifyFeedback(parse(undetermined))).toEqual([{ address: PLACEHOLDER, action: 'count-transient', reason: 'soft-bounce' }]);
  });

  it('changes nothing for a delivery', () => {
    expect(classifyFeedback(parse(notificationOf('ses-delivery')))).toEqual([{ address: PLACEHOLDER, action: 'ignore', reason: 'delivery' }]);
  });

  it('names every recipient of one notification once, and reads an address in angle brackets', () => {
    const bounce = notificationOf('ses-bounce-permanent');
    const bouncedRecipients = [
      { emailAddress: 'a@example.org' },
      { emailAddress: 'A@Example.org ' },
      { emailAddress: 'Bea Example <b@example.org>' },
    ];
    expect(classifyFeedback(parse({ ...bounce, bounce: { ...bounce.bounce, bouncedRecipients } })).map((d) => d.address)).toEqual([
      'a@example.org',
      'b@example.org',
    ]);
  });

  it('suppresses exactly on a permanent bounce, whatever the case of the address', () => {
    const bounce = notificationOf('ses-bounce-permanent');
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom(...BounceType.options), fc.boolean(), (email, bounceType, shout) => {
        const address = shout ? email.toUpperCase() : email;
        const [decision] = classifyFeedback(parse({ ...bounce, bounce: { ...bounce.bounce, bounceType, bouncedRecipients: [{ emailAddress: address }] } }));
        expect(decision?.address).toBe(email.toLowerCase());
        expect(decision?.action).toBe(bounceType === 'Permanent' ? 'suppress' : 'count-transient');
      }),
    );
  });
});
