import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds of file time of the longest test files of the system and browser projects in two
 * clean-clone `.ci/run`s (2026-12-07, commits 1f825f8 and 1929789, the mean), two files sharing
 * the two cores. Only their order matters; every other file of those projects took under 20 s.
 */
const LONGEST: Record<string, number> = {
  'tests/system/faults.test.ts': 61,
  'tests/e2e/accessibility.test.ts': 55,
  'tests/system/newsletter-command.test.ts': 37,
  'tests/system/dev-command.test.ts': 31,
  'tests/system/every-call-fails.test.ts': 27,
  'tests/system/spike.test.ts': 26,
  'tests/e2e/cross-site-posts.test.ts': 25,
};

/**
 * The longest files first, whatever their project; then vitest's own order (project by project,
 * larger files first). Vitest runs project after project and knows no file's time on a clean
 * clone, so the longest files came last and one core idled at the end while the other ran them.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (file: TestSpecification) => LONGEST[relative(root, file.moduleId).split('\\').join('/')] ?? 0;
    const order = await super.sort(files);
    return order.map((file, index) => ({ file, index })).sort((a, b) => seconds(b.file) - seconds(a.file) || a.index - b.index).map(({ file }) => file);
  }
}
