import * as z from 'zod';
import { Platform, PlatformId } from './domain/platform.js';
import { platformSources } from './generated/platforms.js';

/**
 * Every platform from templates/platforms/, validated once at load, one per PlatformId in PlatformId
 * order: a bad or missing file stops the cold start (the build refuses it first, naming the file).
 */
export const platforms: readonly Platform[] = z
  .array(Platform)
  .refine((list) => list.map((p) => p.id).join() === PlatformId.options.join(), {
    message: `The catalog needs exactly one platform per PlatformId, in its order: ${PlatformId.options.join(', ')}.`,
  })
  .parse(platformSources);
