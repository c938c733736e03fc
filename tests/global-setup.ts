import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { freePort, SHORT_LIVED_JVM, startDynamo, startSes, type RunningDynamo, type RunningSes } from '../scripts/local-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

interface Emulators {
  started: Promise<{ dynamo: RunningDynamo; ses: RunningSes }>;
  /** Projects of this run using them: the last one to finish stops them. */
  users: number;
}

/** Every project's global setup runs in the one main process: they share the emulators through it. */
const KEY = Symbol.for('optout-countdown.test-emulators');
const shared = globalThis as typeof globalThis & { [KEY]?: Emulators };

/**
 * One DynamoDB Local and one SES emulator on free ports, for every project of the run that needs
 * them (integration, system, browser); the unit and http projects start none.
 */
export default async function setup(project: TestProject) {
  const emulators = (shared[KEY] ??= {
    started: (async () => {
      const [dynamo, ses] = await Promise.all([startDynamo({ port: await freePort(), jvmOptions: SHORT_LIVED_JVM }), startSes({ port: await freePort() })]);
      return { dynamo, ses };
    })(),
    users: 0,
  });
  emulators.users += 1;
  const { dynamo, ses } = await emulators.started;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    emulators.users -= 1;
    if (emulators.users > 0) return;
    delete shared[KEY];
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}
