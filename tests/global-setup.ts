import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { freePort, startDynamo, startSes } from '../scripts/local-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

/** One DynamoDB Local and one SES emulator for the whole run, on free ports. */
export default async function setup(project: TestProject) {
  const [dynamo, ses] = await Promise.all([startDynamo({ port: await freePort() }), startSes({ port: await freePort() })]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}
