import * as z from 'zod';

/** The platforms a person can pick on the form. */
export const PlatformId = z.enum(['facebook', 'instagram', 'whatsapp', 'threads']);
export type PlatformId = z.infer<typeof PlatformId>;
