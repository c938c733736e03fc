import * as z from 'zod';
import { Campaign } from './domain/campaign.js';
import { campaignSources } from './generated/campaigns.js';

/** Every campaign from templates/campaigns/, validated once at load: a bad file stops the cold start. */
export const campaigns: readonly Campaign[] = z.array(Campaign).min(1).parse(campaignSources);
