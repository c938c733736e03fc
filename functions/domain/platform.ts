import * as z from 'zod';

/** The platforms a person can pick on the form, across all campaigns. */
export const PlatformId = z.enum(['facebook', 'instagram', 'whatsapp', 'threads', 'linkedin', 'x', 'google', 'gemini']);
export type PlatformId = z.infer<typeof PlatformId>;

/** A family of platforms run by one company, asked about together on the form. */
export const PlatformGroup = z.enum(['meta', 'google', 'microsoft', 'x']);
export type PlatformGroup = z.infer<typeof PlatformGroup>;

/** Which family each platform belongs to: a person who uses Instagram thinks of it next to Facebook. */
export const PLATFORM_GROUPS: Readonly<Record<PlatformGroup, readonly PlatformId[]>> = {
  meta: ['facebook', 'instagram', 'whatsapp', 'threads'],
  google: ['google', 'gemini'],
  microsoft: ['linkedin'],
  x: ['x'],
};

/**
 * The given platforms in form order, grouped by family; groups left empty are dropped.
 *
 * @example
 * groupPlatforms(['gemini', 'x', 'google']) // [['google', ['google', 'gemini']], ['x', ['x']]]
 */
export function groupPlatforms(platforms: Iterable<PlatformId>): Array<[PlatformGroup, PlatformId[]]> {
  const wanted = new Set(platforms);
  return PlatformGroup.options
    .map((group): [PlatformGroup, PlatformId[]] => [group, PLATFORM_GROUPS[group].filter((id) => wanted.has(id))])
    .filter(([, ids]) => ids.length > 0);
}
