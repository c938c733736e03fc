/**
 * The esbuild options SST uses for a Node.js function when it deploys, so that `npm run build`, the
 * bench and the clean-clone test measure the files Lambda loads. Read from SST's Go builder,
 * pkg/runtime/node/build.go at v4.17.0 (the Go source is not in the npm package; the platform
 * code installed for 4.17.1 is v4.17.0's), with the `nodejs` options our sst.config.ts gives every
 * function (infra/bundling.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { FUNCTION_NODEJS, FUNCTION_RUNTIME, HANDLERS } from '../infra/bundling.js';

/** build.go's `forceExternal`: the only packages SST never bundles. */
const FORCE_EXTERNAL = ['sharp', 'pg-native'];

/** build.go's `targetMap`: the language level per runtime. */
const TARGETS: Record<string, string> = { 'nodejs24.x': 'es2024', 'nodejs22.x': 'es2023', 'nodejs20.x': 'es2023' };

/** build.go's ESM banner, joined with "\n" and followed by `nodejs.banner` (empty here). */
const BANNER = [
  "import { createRequire as topLevelCreateRequire } from 'module';",
  'const require = topLevelCreateRequire(import.meta.url);',
  'import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"',
  'const __filename = topLevelFileUrlToPath(import.meta.url)',
  'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))',
  '',
].join('\n');

/** The `nodejs` options of a function, as far as they change the bundle. */
export interface NodejsOptions {
  minify?: boolean;
  banner?: string;
  install?: Record<string, string>;
  esbuild?: { external?: string[]; keepNames?: boolean };
}

/**
 * One function's esbuild options, as SST builds it for a deploy (not `sst dev`): ESM, bundled,
 * SDK included, names kept, a linked source map (left out of the zip), module before main.
 *
 * @example
 * await build(sstBuildOptions({ entry: 'functions/api.ts', outfile: 'dist/api.mjs' }));
 */
export function sstBuildOptions(options: { entry: string; outfile: string; runtime?: string; nodejs?: NodejsOptions }): BuildOptions & { metafile: true } {
  const nodejs: NodejsOptions = options.nodejs ?? FUNCTION_NODEJS;
  const runtime = options.runtime ?? FUNCTION_RUNTIME;
  return {
    entryPoints: [options.entry],
    outfile: options.outfile,
    platform: 'node',
    format: 'esm',
    bundle: true,
    external: [...FORCE_EXTERNAL, ...Object.keys(nodejs.install ?? {}), ...(nodejs.esbuild?.external ?? [])],
    keepNames: nodejs.esbuild?.keepNames ?? true,
    sourcemap: 'linked',
    target: TARGETS[runtime] ?? 'es2023',
    mainFields: ['module', 'main'],
    banner: { js: `${BANNER}${nodejs.banner ?? ''}` },
    minify: nodejs.minify === true,
    metafile: true,
    write: true,
    logLevel: 'silent',
  };
}

/** The source file of a handler (`functions/api.handler` → `<root>/functions/api.ts`), found the way SST looks. */
export function entryOf(root: string, handler: string): string {
  const base = join(root, handler.slice(0, handler.lastIndexOf('.')));
  const file = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx'].map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`Handler not found: ${handler}`);
  return file;
}

/** One bundle per handler file: the name of its bundle (the file's), its entry, and which handlers it serves. */
export function bundlesOf(root: string): { name: string; entry: string; handlers: string[] }[] {
  const byEntry = new Map<string, string[]>();
  for (const handler of Object.values(HANDLERS)) {
    const entry = entryOf(root, handler);
    byEntry.set(entry, [...(byEntry.get(entry) ?? []), handler]);
  }
  return [...byEntry.entries()].map(([entry, handlers]) => ({ name: entry.slice(entry.lastIndexOf('/') + 1).replace(/\.[^.]+$/, ''), entry, handlers }));
}

/**
 * Bundles every handler file of `root` into `outdir/<name>.mjs` as SST would, one esbuild run each
 * (as SST runs one per function). Throws with esbuild's errors, as `sst deploy` stops on them.
 */
export async function bundleHandlers(root: string, outdir: string, only?: readonly string[]): Promise<{ name: string; file: string; metafile: Metafile }[]> {
  const wanted = bundlesOf(root).filter((bundle) => !only || only.includes(bundle.name));
  return Promise.all(
    wanted.map(async ({ name, entry }) => {
      const file = join(outdir, `${name}.mjs`);
      const result = await build(sstBuildOptions({ entry, outfile: file })).catch((error: unknown) => {
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      return { name, file, metafile: result.metafile };
    }),
  );
}
