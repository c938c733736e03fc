import { DUE_INDEX, TTL_ATTRIBUTE } from '../functions/store/keys';
import { isProduction } from './stage';

/** The single table: keys in functions/store/keys.ts, the same shape ensureTable() creates locally. */
export const table = new sst.aws.Dynamo('Table', {
  fields: { pk: 'string', sk: 'string', duePk: 'string', dueSk: 'string' },
  primaryIndex: { hashKey: 'pk', rangeKey: 'sk' },
  // Sparse: only subscribers with an email due carry duePk/dueSk; send-due reads keys, then items.
  globalIndexes: { [DUE_INDEX]: { hashKey: 'duePk', rangeKey: 'dueSk', projection: 'keys-only' } },
  ttl: TTL_ATTRIBUTE,
  // The mailer drains mail jobs from the stream (infra/mailer.ts); it reads new images only.
  stream: 'new-image',
  deletionProtection: isProduction,
  transform: {
    table: (args) => {
      // SST turns point-in-time recovery on for every stage; only production's data is worth paying for.
      args.pointInTimeRecovery = { enabled: isProduction };
    },
  },
});
