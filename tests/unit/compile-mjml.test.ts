import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMjml } from '../../scripts/compile-mjml.js';

const templatesDir = new URL('../../templates', import.meta.url).pathname;
const page = (body: string) => `<mjml><mj-body>${body}</mj-body></mjml>`;

describe('compileMjml', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mjml-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Writes `source` into the scratch folder (MJML wants the file to exist) and compiles it. */
  async function compile(name: string, source: string) {
    const path = join(dir, name);
    await writeFile(path, source);
    return compileMjml(source, path, dir);
  }

  it('compiles every template in templates/ at the strict level', async () => {
    const files = (await readdir(templatesDir)).filter((file) => file.endsWith('.mjml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const path = join(templatesDir, file);
      expect(await compileMjml(await readFile(path, 'utf8'), path, templatesDir)).toContain('<!doctype html>');
    }
  });

  it('refuses an unknown attribute', async () => {
    await expect(compile('attribute.mjml', page('<mj-section><mj-column><mj-text colr="red">Hi</mj-text></mj-column></mj-section>'))).rejects.toThrow(
      /Attribute colr is illegal/,
    );
  });

  it('refuses a component in the wrong parent', async () => {
    await expect(compile('parent.mjml', page('<mj-section><mj-text>Hi</mj-text></mj-section>'))).rejects.toThrow(/mj-text cannot be used inside mj-section/);
  });

  it('refuses an invalid partial, naming the partial', async () => {
    await writeFile(join(dir, 'bad-partial.mjml'), '<mj-section><mj-column><mj-button hreff="#">Go</mj-button></mj-column></mj-section>');
    await expect(compile('with-partial.mjml', page('<mj-include path="./bad-partial.mjml" />'))).rejects.toThrow(/bad-partial\.mjml[\s\S]*Attribute hreff is illegal/);
  });
});
