import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { queuedJobIdOf } from '../../functions/app/mailer.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/dynamodb-stream-mail-jobs.json', import.meta.url), 'utf8')) as { Records: unknown[] };

describe('which stream records the mailer drains', () => {
  it('takes the queued jobs of a real stream event', () => {
    expect(fixture.Records.map(queuedJobIdOf)).toEqual(['confirm#lambda-fixture-person#1', expect.any(String)]);
  });

  it('passes over any other item, even one the SDK cannot unmarshall, so it cannot break the batch', () => {
    const record = (NewImage: unknown) => ({ eventName: 'MODIFY', dynamodb: { SequenceNumber: '1', NewImage } });
    // DynamoDB Local's stream hands an empty map over as an attribute with no type at all.
    const person = { pk: { S: 'PERSON#abc' }, sk: { S: 'SUB#meta-ai-2025' }, objections: {}, status: { S: 'queued' } };
    const sentJob = { pk: { S: 'PERSON#p' }, sk: { S: 'JOB#confirm#p#g#1' }, jobId: { S: 'confirm#p#g#1' }, status: { S: 'sent' } };
    const parkedMarker = { pk: { S: 'JOBS#FAILED' }, sk: { S: 'JOB#confirm#p#g#1' }, jobId: { S: 'confirm#p#g#1' }, status: { S: 'queued' } };
    expect([record(person), record(sentJob), record(parkedMarker), record(undefined), { dynamodb: 'nonsense' }, null].map(queuedJobIdOf)).toEqual(Array(6).fill(undefined));
  });
});
