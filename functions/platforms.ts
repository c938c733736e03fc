import * as z from 'zod';
import { Platform } from './domain/platform.js';
import { platformSources } from './generated/platforms.js';

/** Every platform from templates/platforms/, validated once at load: a bad file stops the cold start. */
export const platforms: readonly Platform[] = z.array(Platform).min(1).parse(platformSources);
