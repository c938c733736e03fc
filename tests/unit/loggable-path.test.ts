import { describe, expect, it } from 'vitest';
import { loggablePath } from '../../functions/web/app.js';

describe('loggablePath', () => {
  it('replaces the token of every link path, and leaves other paths as they are', () => {
    expect(loggablePath('/confirm/abc.def')).toBe('/confirm/:token');
    expect(loggablePath('/objected/x')).toBe('/objected/:token');
    expect(loggablePath('/unsubscribe/eyJhbGciOi')).toBe('/unsubscribe/:token');
    expect(loggablePath('/preferences/eyJhbGciOi/data')).toBe('/preferences/:token/data');
    expect(loggablePath('/c/meta-ai-2025')).toBe('/c/meta-ai-2025');
    expect(loggablePath('/admin/stats')).toBe('/admin/stats');
  });

  it('hides any long opaque segment or address that a client put in an unknown path', () => {
    expect(loggablePath('/nope/aVeryLongOpaqueSegmentThatMayBeAToken')).toBe('/nope/:token');
    expect(loggablePath('/person@example.org')).toBe('/:token');
  });
});
