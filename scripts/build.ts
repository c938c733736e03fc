/**
 * `npm run build`: compiles the MJML templates, then bundles each Lambda handler file into
 * dist/<name>.mjs with the esbuild options SST deploys with (scripts/lambda-bundle.ts: the AWS SDK
 * bundled, minified, SST's banner) and prints the sizes, which are those of the code Lambda loads.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildGeneratedFiles } from '../infra/bundling.js';
import { bundleHandlers } from './lambda-bundle.js';

const root = new URL('..', import.meta.url).pathname;
buildGeneratedFiles(root);

const outdir = process.env.BUILD_OUTDIR ?? join(root, 'dist');
const bundles = await bundleHandlers(root, outdir, process.env.BUILD_ONLY?.split(','));

for (const { name, file, metafile } of bundles) {
  // The MJML compiler must never reach a Lambda: templates are compiled above.
  const mjmlInputs = Object.keys(metafile.inputs).filter((input) => /node_modules\/mjml/.test(input));
  if (mjmlInputs.length > 0 || /mjml2html/.test(readFileSync(file, 'utf8'))) throw new Error(`${name}.mjs contains the MJML compiler`);
  console.log(`dist/${name}.mjs  ${(statSync(file).size / 1024).toFixed(1)} KB`);
}
