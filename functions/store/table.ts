import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { AUDIENCE_INDEX, DUE_INDEX, TTL_ATTRIBUTE } from './keys.js';

/**
 * Creates the table with its due index and TTL when it is missing (local stack and tests;
 * in AWS the infrastructure creates it).
 *
 * `stream: false` makes it without a stream (a test whose mailer is fed without one).
 *
 * `timeToLive: false` turns DynamoDB Local's deletion of expired items off: it runs on real
 * time, so under a simulated clock (tests, `npm run dev -- --now`) it would delete what the
 * simulated clock still keeps. Reads ignore expired items themselves, which is what counts.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, options: { timeToLive?: boolean; stream?: boolean } = {}): Promise<void> {
  const timeToLive = options.timeToLive ?? true;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!timeToLive) await setTimeToLive(client, tableName, false);
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'duePk', AttributeType: 'S' },
          { AttributeName: 'dueSk', AttributeType: 'S' },
          { AttributeName: 'audPk', AttributeType: 'S' },
          { AttributeName: 'audSk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        // The mailer drains mail jobs from the table's stream, locally as in AWS. (A test that feeds
        // its mailer itself goes without: DynamoDB Local works harder for a table with a stream.)
        ...(options.stream === false ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
        GlobalSecondaryIndexes: [
          {
            IndexName: DUE_INDEX,
            KeySchema: [
              { AttributeName: 'duePk', KeyType: 'HASH' },
              { AttributeName: 'dueSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
          {
            IndexName: AUDIENCE_INDEX,
            KeySchema: [
              { AttributeName: 'audPk', KeyType: 'HASH' },
              { AttributeName: 'audSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
  } catch (error) {
    // Two processes starting at once: the other one created it.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  if (timeToLive) await setTimeToLive(client, tableName, true);
}

async function setTimeToLive(client: DynamoDBClient, tableName: string, enabled: boolean): Promise<void> {
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: enabled },
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof Error && /already (enabled|disabled)|TimeToLive is already/i.test(error.message))) throw error;
  });
}
