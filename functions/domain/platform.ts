import * as z from 'zod';

/** The platforms a person can pick on the form, across all campaigns. */
export const PlatformId = z.enum(['facebook', 'instagram', 'whatsapp', 'threads', 'linkedin']);
export type PlatformId = z.infer<typeof PlatformId>;
