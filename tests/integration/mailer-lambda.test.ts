import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { newMailJob } from '../../functions/domain/mail-job.js';
import { createDynamoClient } from '../../functions/store/client.js';
import { MailJobs } from '../../functions/store/mail-jobs.js';
import { createMailPipeline } from '../../functions/app/mail-pipeline.js';
import { createMailerTable, readJob, testComposer } from '../support/mailer.js';

/** The records of a stream event. */
const recordsOf = (event: unknown) => (event as { Records: unknown[] }).Records;

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));

// The handler reads its configuration from the environment at cold start, as in Lambda.
const env = {
  TABLE_NAME: `mailer-lambda-${randomUUID()}`,
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  SES_ENDPOINT: inject('sesEndpoint'),
  SIGNING_SECRET: 'lambda-test-secret-0123456789abcdef0123',
  ADMIN_TOKEN: 'lambda-admin-token-0123456789',
  MAIL_INLINE_WAIT_MS: '0',
};
const config = loadConfig(env);
const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });

describe('mailer Lambda', () => {
  beforeAll(async () => {
    Object.assign(process.env, env);
    await createMailerTable(config);
  });

  it('takes a stream batch and settles a job whose person is no longer stored without sending anything', async () => {
    const jobId = 'confirm#lambda-fixture-person#1';
    await new MailJobs(db, config.TABLE_NAME).enqueue(newMailJob({ jobId, kind: 'confirm', personId: 'lambda-fixture-person', now: new Date() }));
    const { handler } = await import('../../functions/mailer.js');
    expect(await handler(fixture('dynamodb-stream-mail-jobs'))).toEqual({ batchItemFailures: [] });
    expect(await readJob(db, config, jobId)).toMatchObject({ status: 'sent', dropped: 'person_gone', attempts: 0 });
  });

  it('reports the records whose job it could not handle as batch item failures, so only they are retried', async () => {
    // A table that is not there: every claim throws, as when DynamoDB is unreachable.
    const broken = createMailPipeline({ ...config, TABLE_NAME: `missing-${randomUUID()}` }, { composer: testComposer });
    const { batchItemFailures } = await broken.mailer.handleStreamRecords(recordsOf(fixture('dynamodb-stream-mail-jobs')));
    expect(batchItemFailures).toEqual([{ itemIdentifier: '44215845000000000174504391' }, { itemIdentifier: '44215845000000000174504392' }]);
    broken.db.destroy();
  });

  it('wakes nothing when nothing is due', async () => {
    const { wake } = await import('../../functions/mailer.js');
    expect(await wake()).toEqual({ woken: 0 });
  });
});
