import { AUDIENCE_INDEX, DUE_INDEX, TTL_ATTRIBUTE } from '../functions/store/keys';
import { isProduction } from './stage';

/** The single table: keys in functions/store/keys.ts, the same shape ensureTable() creates locally. */
export const table = new sst.aws.Dynamo('Table', {
  fields: { pk: 'string', sk: 'string', duePk: 'string', dueSk: 'string', audPk: 'string', audSk: 'string' },
  primaryIndex: { hashKey: 'pk', rangeKey: 'sk' },
  // Sparse: only subscribers with an email due carry duePk/dueSk; send-due reads keys, then items.
  // Sparse too: a confirmed subscription sits under its campaign, a watch under its platform, so a
  // newsletter or an announcement reads its own people without a scan.
  globalIndexes: {
    [DUE_INDEX]: { hashKey: 'duePk', rangeKey: 'dueSk', projection: 'keys-only' },
    [AUDIENCE_INDEX]: { hashKey: 'audPk', rangeKey: 'audSk', projection: 'keys-only' },
  },
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
