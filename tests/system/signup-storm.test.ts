import { describe, expect, it, onTestFinished } from 'vitest';
import { createTestStack, inbox, manualClock, privateSes, signUp, tableSnapshot, testAddress } from '../support/stack.js';

const START = '2025-05-14T08:00:00Z';

describe('a storm of sign-ups', () => {
  it('stores each of 40 addresses once and sends each one confirmation, from 200 concurrent requests', async () => {
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    // A storm comes from many networks: each request names its own (one network's sign-ups queue
    // behind each other on its rate limit, which is not what this test is about).
    const stack = await createTestStack({
      clock: manualClock(START).clock,
      env: { SES_ENDPOINT: ses.endpoint, IP_SIGNUP_LIMIT: '100000' },
      app: { clientIp: (c) => c.req.header('X-Test-Network') ?? '198.51.100.7' },
    });
    const emails = Array.from({ length: 40 }, () => testAddress('storm'));
    // Five requests per address, spelt as people type them: the same address each time.
    const spellings = (email: string) => [email, email.toUpperCase(), ` ${email}`, `${email} `, email.replace(/^./, (c) => c.toUpperCase())];
    const requests = emails.flatMap((email, i) =>
      spellings(email).map((spelling, j) => {
        const headers = { Accept: 'application/json', 'X-Test-Network': `203.0.113.${5 * i + j}` };
        return (i + j) % 2
          ? signUp(stack.app, { email: spelling, platforms: ['facebook', 'threads'], consent: 'yes' }, headers)
          : stack.app.request('/subscribe', {
              method: 'POST',
              headers: { ...headers, 'Content-Type': 'application/json' },
              body: JSON.stringify({ email: spelling, platforms: ['instagram'], consent: true }),
            });
      }),
    );
    const responses = await Promise.all(requests.sort(() => Math.random() - 0.5));
    expect(responses.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);

    const items = (await tableSnapshot(stack)).split('\n').map((line) => JSON.parse(line) as Record<string, { S?: string; L?: { M?: { id?: { S?: string } } }[] }>);
    // One person per address, holding only platforms that were picked.
    const persons = items.filter((item) => item.pk?.S?.startsWith('PERSON#') && item.sk?.S === 'PERSON');
    expect(persons.map((item) => item.email?.S).sort()).toEqual([...emails].sort());
    for (const person of persons) {
      const ids = (person.platforms?.L ?? []).map((entry) => entry.M?.id?.S);
      expect(ids.length, person.email?.S).toBeGreaterThan(0);
      expect(ids.every((id) => id === 'facebook' || id === 'threads' || id === 'instagram'), `${person.email?.S}: ${ids.join(', ')}`).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    }

    const delivered = new Map<string, number>();
    for (const mail of await inbox('storm-', ses.endpoint)) for (const to of mail.destination.to) delivered.set(to, (delivered.get(to) ?? 0) + 1);
    expect(emails.filter((email) => (delivered.get(email) ?? 0) > 1)).toEqual([]);
    expect(stack.transport.messages).toHaveLength(delivered.size);
    // Each stored sign-up got its confirmation: none lost in the race.
    expect(delivered.size).toBe(40);
  });
});
