import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One item a successful write request put, updated or deleted. */
export interface WrittenItem {
  command: string;
  table: string;
  pk: string;
  sk: string;
}

/** Each write request that succeeded, with the items it changed, in the order they returned. */
export class WriteLog {
  readonly items: WrittenItem[] = [];
  private jobsTaken = 0;

  /** How many items were written so far: a mark for `since`. */
  mark(): number {
    return this.items.length;
  }

  /** The items written since `mark`. */
  since(mark: number): WrittenItem[] {
    return this.items.slice(mark);
  }

  /**
   * The ids of the mail jobs written since the last call (a new job, a retry by the operator, a
   * job a test wrote itself): what the table's stream would bring to the mailer.
   */
  takeJobIds(): string[] {
    const written = this.items.slice(this.jobsTaken);
    this.jobsTaken = this.items.length;
    const ids = written.filter((item) => item.pk.startsWith('PERSON#') && item.sk.startsWith('JOB#')).map((item) => item.sk.slice('JOB#'.length));
    return [...new Set(ids)];
  }
}

/** A key attribute as either client hands it over: plain (document client) or `{ S }` (low level). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return '';
}

type Key = Record<string, unknown> | undefined;
const item = (command: string, table: unknown, key: Key): WrittenItem => ({ command, table: String(table ?? ''), pk: text(key?.pk), sk: text(key?.sk) });

/** The document client's commands by the name of the request they make. */
const REQUEST_OF: Record<string, string> = {
  PutCommand: 'PutItemCommand',
  UpdateCommand: 'UpdateItemCommand',
  DeleteCommand: 'DeleteItemCommand',
  TransactWriteCommand: 'TransactWriteItemsCommand',
  BatchWriteCommand: 'BatchWriteItemCommand',
};

/** The items a write request changes, read from its input; nothing for a read. */
function itemsOf(commandName: string, input: Record<string, unknown>): WrittenItem[] {
  const command = REQUEST_OF[commandName] ?? commandName;
  switch (command) {
    case 'PutItemCommand':
      return [item(command, input.TableName, input.Item as Key)];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [item(command, input.TableName, input.Key as Key)];
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems ?? []) as Record<string, { TableName?: string; Item?: Key; Key?: Key } | undefined>[]).flatMap((entry) => {
        if (entry.Put) return [item(command, entry.Put.TableName, entry.Put.Item)];
        const change = entry.Update ?? entry.Delete;
        return change ? [item(command, change.TableName, change.Key)] : [];
      });
    case 'BatchWriteItemCommand':
      return Object.entries((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Key }; DeleteRequest?: { Key?: Key } }[]>).flatMap(([table, requests]) =>
        requests.map((request) => item(command, table, request.PutRequest?.Item ?? request.DeleteRequest?.Key)),
      );
    default:
      return [];
  }
}

/** Every test file's logs by table, and the clients whose writes are not recorded. */
interface Registry {
  /** Each table's logs: a stack's, and a test's own. */
  logs: Map<string, WriteLog[]>;
  unrecorded: WeakSet<object>;
}

const KEY = Symbol.for('optout-countdown.table-writes');
type Patched = { [KEY]?: Registry };

/**
 * Records, from now on, every write that any DynamoDB client of this process makes to `tableName`
 * and DynamoDB accepts: a refused condition or a cancelled transaction wrote nothing and is not
 * recorded. The clients' `send` is wrapped once per process (the SDK's own commands, whichever
 * part of the service made the client: a store, a handler, a second deploy), so tests learn which
 * mail jobs were written and whether a request wrote anything, without reading the table.
 *
 * @example
 * const writes = recordTableWrites(config.TABLE_NAME);
 * const mark = writes.mark(); await app.request(...); expect(writes.since(mark)).toEqual([]);
 */
export function recordTableWrites(tableName: string): WriteLog {
  const log = new WriteLog();
  const logs = registry().logs;
  logs.set(tableName, [...(logs.get(tableName) ?? []), log]);
  return log;
}

/** Stops recording the writes to `tableName` (a dropped table: a worker runs file after file). */
export function forgetTableWrites(tableName: string): void {
  registry().logs.delete(tableName);
}

/** Leaves out the writes of `client` (the test's own mailer: its claims and marks are not new mail). */
export function leaveUnrecorded(client: object): void {
  registry().unrecorded.add(client);
}

function registry(): Registry {
  const shared = globalThis as typeof globalThis & Patched;
  if (shared[KEY]) return shared[KEY];
  const made: Registry = { logs: new Map(), unrecorded: new WeakSet() };
  shared[KEY] = made;
  for (const Client of [DynamoDBClient, DynamoDBDocumentClient]) {
    const proto = Client.prototype as unknown as { send: (this: object, command: unknown, ...rest: unknown[]) => unknown };
    const send = proto.send;
    proto.send = function (this: object, command: unknown, ...rest: unknown[]) {
      const result = send.call(this, command, ...rest);
      if (made.unrecorded.has(this) || !(result instanceof Promise)) return result;
      return result.then((output: unknown) => {
        const { input } = command as { input: Record<string, unknown> };
        for (const written of itemsOf((command as object).constructor.name, input)) for (const log of made.logs.get(written.table) ?? []) log.items.push(written);
        return output;
      });
    };
  }
  return made;
}
