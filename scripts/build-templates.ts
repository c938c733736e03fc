/**
 * Compiles the MJML email templates to HTML, and their plain-text part from that HTML, once, at
 * build time, so that no Lambda loads the MJML compiler or an HTML parser; bundles the campaign
 * and platform files with them. Writes functions/generated/templates.ts, campaigns.ts and platforms.ts.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { convert } from 'html-to-text';
import { campaignProblems } from '../functions/domain/campaign-check.js';
import { PLATFORMS_DIR, readPlatformCatalog, type PlatformFile, type PlatformProblem } from '../functions/domain/platform-check.js';
import { compileMjml } from './compile-mjml.js';
import { buildNewsletters } from './newsletter-build.js';

const root = new URL('..', import.meta.url).pathname;
const templatesDir = join(root, 'templates');
const campaignsDir = join(templatesDir, 'campaigns');
const platformsDir = join(root, PLATFORMS_DIR);
const outDir = join(root, 'functions', 'generated');

/**
 * The plain-text part, made once from the compiled HTML by html-to-text. The mustache tags pass
 * through as text; a step list becomes a mustache loop with its own numbers.
 */
function textTemplateOf(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'title', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'ol.steps', format: 'stepList' },
    ],
    formatters: {
      stepList: (_element, _walk, builder) => {
        builder.openBlock({ leadingLineBreaks: 1 });
        for (const line of ['{{#steps}}', '{{n}}. {{text}}', '{{/steps}}']) {
          builder.addLiteral(line);
          builder.addLineBreak();
        }
        builder.closeBlock({ trailingLineBreaks: 1 });
      },
    },
  });
}

async function compileTemplate(file: string): Promise<{ subject: string; html: string; text: string }> {
  const path = join(templatesDir, file);
  const html = await compileMjml(await readFile(path, 'utf8'), path, templatesDir);
  const subject = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1]?.trim();
  if (!subject) throw new Error(`${file}: an <mj-title> gives the subject line; none found.`);
  return { subject, html, text: textTemplateOf(html) };
}

const templateFiles = (await readdir(templatesDir)).filter((f) => f.endsWith('.mjml')).sort();
const templates: Record<string, { subject: string; html: string; text: string }> = {};
for (const file of templateFiles) templates[file.replace(/\.mjml$/, '')] = await compileTemplate(file);
console.log(`newsletters: ${(await buildNewsletters()).join(', ') || 'none'}`);

// A campaign is <id>.json (facts and English words) plus <id>.<locale>.json per other language.
const campaignFiles = (await readdir(campaignsDir)).filter((f) => f.endsWith('.json')).sort();
const campaigns: Record<string, unknown>[] = [];
for (const file of campaignFiles.filter((f) => /^[a-z0-9-]+\.json$/.test(f))) {
  const id = file.replace(/\.json$/, '');
  const translations: Record<string, unknown> = {};
  for (const translation of campaignFiles) {
    const locale = new RegExp(`^${id}\\.([a-z]{2})\\.json$`).exec(translation)?.[1];
    if (locale) translations[locale] = JSON.parse(await readFile(join(campaignsDir, translation), 'utf8'));
  }
  campaigns.push({ ...JSON.parse(await readFile(join(campaignsDir, file), 'utf8')), translations });
}

// A campaign that would fail at cold start, or send a reader to a link nobody checked, stops the build here.
const problems = campaigns.flatMap(campaignProblems);
if (problems.length) {
  for (const problem of problems) console.error(`templates/campaigns/${problem.campaign}: ${problem.field} ${problem.message}`);
  console.error(`build refused: ${problems.length} problem(s) in the campaign files`);
  process.exit(1);
}

// A platform is <id>.json (facts and English words) plus <id>.<locale>.json per other language; the
// catalog needs every platform, in every language, with every link on a source's host.
const platformFiles: PlatformFile[] = [];
const unreadable: PlatformProblem[] = [];
for (const name of (await readdir(platformsDir)).filter((f) => f.endsWith('.json')).sort()) {
  try {
    platformFiles.push({ name, data: JSON.parse(await readFile(join(platformsDir, name), 'utf8')) });
  } catch (error) {
    unreadable.push({ file: `${PLATFORMS_DIR}/${name}`, field: '(file)', message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
}
const catalog = readPlatformCatalog(platformFiles);
const platformProblems = [...unreadable, ...catalog.problems];
if (platformProblems.length) {
  for (const problem of platformProblems) console.error(`${problem.file}: ${problem.field} ${problem.message}`);
  console.error(`build refused: ${platformProblems.length} problem(s) in the platform files`);
  process.exit(1);
}

await mkdir(outDir, { recursive: true });
// Two files, so that the API (which reads campaigns but renders no email) bundles no template.
await writeFile(
  join(outDir, 'templates.ts'),
  `// Generated by scripts/build-templates.ts from templates/. Do not edit.\n` +
    `export const compiledTemplates = ${JSON.stringify(templates, null, 2)} as const;\n`,
);
await writeFile(
  join(outDir, 'campaigns.ts'),
  `// Generated by scripts/build-templates.ts from templates/campaigns/. Do not edit.\n` +
    `export const campaignSources: unknown[] = ${JSON.stringify(campaigns, null, 2)};\n`,
);
await writeFile(
  join(outDir, 'platforms.ts'),
  `// Generated by scripts/build-templates.ts from templates/platforms/. Do not edit.\n` +
    `export const platformSources: unknown[] = ${JSON.stringify(catalog.platforms, null, 2)};\n`,
);
console.log(`platforms: ${catalog.platforms.map((p) => `${String(p.id)} (${['en', ...Object.keys(p.translations as object)].join(', ')})`).join('; ')}`);
console.log(`templates: ${Object.keys(templates).join(', ')}; campaigns: ${campaigns.map((c) => `${String(c.id)} (${['en', ...Object.keys(c.translations as object)].join(', ')})`).join('; ')}`);
