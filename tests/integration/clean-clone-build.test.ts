import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeneratedFiles, HANDLERS } from '../../infra/bundling.js';
import { bundleHandlers, bundlesOf } from '../../scripts/lambda-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const GENERATED = ['templates.ts', 'campaigns.ts', 'newsletters.ts'];

/**
 * What `git clone` gives: the files Git would commit (tracked, and new ones not ignored), so no
 * functions/generated/, no dist/, no .data/. node_modules is linked, as `npm install` would make it.
 */
function cleanClone(): string {
  const clone = mkdtempSync(join(tmpdir(), 'optout-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    // A file deleted in the work tree but not yet in the index is not in the next commit either.
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(clone, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  return clone;
}

describe('a deploy from a clean clone', () => {
  let clone: string;
  beforeAll(() => {
    clone = cleanClone();
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it('has no generated files, and SST\'s bundler alone could not build a handler from it', async () => {
    expect(existsSync(join(clone, 'functions', 'generated'))).toBe(false);
    await expect(bundleHandlers(clone, join(clone, 'dist'), ['api'])).rejects.toThrow(/generated/);
  });

  it('builds the generated files in sst.config.ts\'s run(), then bundles every handler the way SST does', async () => {
    // The checkout is what ships: a title changed in the clone reaches the bundle.
    const campaignFile = join(clone, 'templates', 'campaigns', 'meta-ai-2025.json');
    const marker = `checked out ${Date.now()}`;
    writeFileSync(campaignFile, readFileSync(campaignFile, 'utf8').replace('"title": "Meta AI training objection 2025"', `"title": "Meta AI training objection 2025, ${marker}"`));

    // What sst.config.ts does first, on every deploy.
    buildGeneratedFiles(clone);
    for (const file of GENERATED) expect(existsSync(join(clone, 'functions', 'generated', file)), file).toBe(true);

    // One bundle per handler file, every handler infra/ deploys among them.
    const served = bundlesOf(clone).flatMap((bundle) => bundle.handlers);
    expect(served.sort()).toEqual(Object.values(HANDLERS).sort());
    const bundles = await bundleHandlers(clone, join(clone, 'dist'));
    for (const { name, file, metafile } of bundles) {
      const inputs = Object.keys(metafile.inputs);
      // Built from the clone's sources and generated files (paths relative to the work tree), never the work tree's own.
      expect(inputs.filter((input) => input.startsWith('functions/')), name).toEqual([]);
      expect(inputs.some((input) => input.includes(`${basename(clone)}/functions/`)), name).toBe(true);
      // As SST deploys it: the AWS SDK inside the bundle, and SST's banner on top.
      expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/')), `${name} bundles the AWS SDK`).toBe(true);
      expect(readFileSync(file, 'utf8').startsWith("import { createRequire as topLevelCreateRequire } from 'module';\n"), name).toBe(true);
    }
    expect(readFileSync(join(clone, 'dist', 'api.mjs'), 'utf8')).toContain(marker);
  }, 120_000);
});
