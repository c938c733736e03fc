/**
 * Runs around every test file of the projects on the emulators. Their workers keep imported
 * modules from one file to the next (vitest.config.ts: `isolate: false`, so the service is
 * imported once per worker, not once per file): what a file started ends with it here.
 */
import { afterAll, beforeAll } from 'vitest';
import { endOfFile, startOfFile } from './stack.js';

beforeAll(startOfFile);
afterAll(endOfFile);
