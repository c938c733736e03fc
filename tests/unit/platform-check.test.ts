import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPlatformCatalog, type PlatformFile } from '../../functions/domain/platform-check.js';
import { PlatformId } from '../../functions/domain/platform.js';

const dir = new URL('../../templates/platforms', import.meta.url).pathname;
const shipped: PlatformFile[] = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, data: JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown }));

type Words = Record<string, unknown> & { steps: string[] };
/** A fresh copy of the shipped files, with `change` applied to the one named. */
function withFile(name: string, change: (data: Words) => void): PlatformFile[] {
  return structuredClone(shipped).map((file) => {
    if (file.name === name) change(file.data as Words);
    return file;
  });
}
const without = (name: string) => structuredClone(shipped).filter((file) => file.name !== name);
const problemsOf = (files: PlatformFile[]) => readPlatformCatalog(files).problems;
const where = (files: PlatformFile[]) => problemsOf(files).map((p) => `${p.file} ${p.field}`);

describe('readPlatformCatalog', () => {
  it('passes the platform files that ship, one per platform in PlatformId order, with their German words', () => {
    const { platforms, problems } = readPlatformCatalog(shipped);
    expect(problems).toEqual([]);
    expect(platforms.map((p) => p.id)).toEqual(PlatformId.options);
    for (const platform of platforms) expect(Object.keys(platform.translations as object)).toEqual(['de']);
  });

  it('refuses a url that is not https, naming the file and the field', () => {
    const files = withFile('facebook.json', (data) => (data.url = 'http://www.facebook.com/help/contact/712876720715583'));
    const [problem, ...rest] = problemsOf(files);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'templates/platforms/facebook.json', field: 'url' });
  });

  it('refuses a url on a host none of the sources is on', () => {
    const files = withFile('x.json', (data) => (data.url = 'https://x-settings.example/grok'));
    const [problem] = problemsOf(files);
    expect(problem).toMatchObject({ file: 'templates/platforms/x.json', field: 'url' });
    expect(problem?.message).toContain('x-settings.example');
  });

  it('refuses an unchecked link written into the words, in English or in German', () => {
    const english = withFile('chatgpt.json', (data) => (data.steps[0] = 'Open https://chatgpt.example/settings now.'));
    expect(where(english)).toEqual(['templates/platforms/chatgpt.json steps[0]']);
    const german = withFile('claude.de.json', (data) => (data.note = 'Siehe http://privacy.anthropic.com/.'));
    const problems = problemsOf(german);
    expect(problems).toEqual([{ file: 'templates/platforms/claude.de.json', field: 'note', message: 'links to http://privacy.anthropic.com/, which is not https' }]);
  });

  it('accepts a link at the end of a sentence on a source host', () => {
    const files = withFile('gemini.json', (data) => (data.note = `${String(data.note)} See https://myactivity.google.com/product/gemini.`));
    expect(problemsOf(files)).toEqual([]);
  });

  it('refuses a platform without its German file, naming the file it needs', () => {
    const problems = problemsOf(without('claude.de.json'));
    expect(problems).toEqual([{ file: 'templates/platforms/claude.de.json', field: '(file)', message: 'is missing: every platform needs its words in de' }]);
  });

  it('refuses a platform without its file', () => {
    expect(where(without('whatsapp.json'))).toEqual(['templates/platforms/whatsapp.json (file)']);
  });

  it('refuses a file for a platform the service does not know', () => {
    const files = [...structuredClone(shipped), { name: 'tiktok.json', data: { ...(shipped[0]!.data as object), id: 'tiktok' } }];
    const problems = problemsOf(files);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'templates/platforms/tiktok.json', field: '(file)' });
    expect(problems[0]?.message).toContain('names no platform the service knows');
  });

  it('refuses a translation into a language the guides do not have, and English in a file of its own', () => {
    const source = shipped.find((file) => file.name === 'x.de.json')!;
    const files = [...structuredClone(shipped), { name: 'x.fr.json', data: source.data }, { name: 'x.en.json', data: source.data }];
    expect(where(files)).toEqual(['templates/platforms/x.fr.json (file)', 'templates/platforms/x.en.json (file)']);
  });

  it('tells a field the German file misses against the German file', () => {
    const files = withFile('google.de.json', (data) => delete data.today);
    expect(where(files)).toEqual(['templates/platforms/google.de.json today']);
  });

  it('refuses a field the German file may not set, such as a link of its own', () => {
    const files = withFile('linkedin.de.json', (data) => (data.url = 'https://www.linkedin.com/'));
    expect(where(files)).toEqual(['templates/platforms/linkedin.de.json (file)']);
  });

  it('refuses a form without its url, and an id that is not its file name', () => {
    expect(where(withFile('instagram.json', (data) => delete data.url))).toEqual(['templates/platforms/instagram.json url']);
    expect(where(withFile('threads.json', (data) => (data.id = 'instagram')))).toEqual(['templates/platforms/threads.json id']);
  });

  it('refuses a company no platform belongs to any more', () => {
    const problems = problemsOf(withFile('claude.json', (data) => (data.company = 'openai')));
    expect(problems).toEqual([{ file: 'templates/platforms', field: 'company', message: 'no platform belongs to anthropic: check the company of each platform' }]);
  });

  it('refuses two platforms of one name, in the language where they clash', () => {
    const files = withFile('meta-ai.de.json', (data) => (data.name = 'WhatsApp'));
    expect(where(files)).toEqual(['templates/platforms/meta-ai.de.json name']);
  });
});
