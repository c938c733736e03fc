/**
 * `npm run build`: compiles the MJML templates, then bundles each Lambda with esbuild into
 * dist/<name>.mjs (ESM, minified, with the createRequire banner SST also adds) and prints sizes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build-templates.ts')], { stdio: 'inherit' });

export const LAMBDAS = (process.env.BUILD_ONLY?.split(',') ?? ['api', 'mailer', 'send-due', 'ses-feedback', 'send-newsletter']);

const result = await build({
  entryPoints: Object.fromEntries(LAMBDAS.map((name) => [name, join(root, 'functions', `${name}.ts`)])),
  outdir: process.env.BUILD_OUTDIR ?? join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The Lambda Node.js runtime ships AWS SDK v3: use it rather than bundle a second copy.
  external: ['@aws-sdk/*'],
  banner: { js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'mail-mime-types',
      // Nodemailer's full MIME type table is only for attachments, which our emails never have.
      setup(bundle) {
        bundle.onResolve({ filter: /\/mime-types\.js$/ }, (args) =>
          args.importer.includes('node_modules/nodemailer/') ? { path: join(root, 'scripts/bundle/mime-types.ts') } : undefined,
        );
      },
    },
  ],
});

for (const name of LAMBDAS) {
  const file = join(process.env.BUILD_OUTDIR ?? join(root, 'dist'), `${name}.mjs`);
  const bytes = statSync(file).size;
  // The MJML compiler must never reach a Lambda: templates are compiled above.
  const mjmlInputs = Object.keys(result.metafile.inputs).filter((input) => /node_modules\/mjml/.test(input));
  if (mjmlInputs.length > 0 || /mjml2html/.test(readFileSync(file, 'utf8'))) throw new Error(`${name}.mjs contains the MJML compiler`);
  console.log(`dist/${name}.mjs  ${(bytes / 1024).toFixed(1)} KB`);
}
