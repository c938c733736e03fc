/**
 * How every function is built, in one place for sst.config.ts (through `$transform` and the
 * handlers in infra/) and for the builds that measure what it deploys (`npm run build`, the bench,
 * tests/integration/clean-clone-build.test.ts). No SST globals here, so plain Node imports it too.
 */
import { execFileSync } from 'node:child_process';

/** Every function runs the same Node.js on Graviton (cheaper per GB-second). */
export const FUNCTION_RUNTIME = 'nodejs22.x';
export const FUNCTION_ARCHITECTURE = 'arm64';

/**
 * The `nodejs` options of every function. SST's Go builder (pkg/runtime/node/build.go) minifies
 * only when `minify` is set, whatever its docs give as the default, and it bundles the AWS SDK
 * (only `sharp` and `pg-native` are forced external): the SDK deployed is the one the tests ran.
 */
export const FUNCTION_NODEJS = { minify: true };

/** Every handler infra/ deploys: `<file>.<export>`, as SST takes it. `npm run build` bundles each file once. */
export const HANDLERS = {
  api: 'functions/api.handler',
  mailer: 'functions/mailer.handler',
  'mailer-wake': 'functions/mailer.wake',
  'sweep-mail': 'functions/sweep-mail.handler',
  'send-due': 'functions/send-due.handler',
  'ses-feedback': 'functions/ses-feedback.handler',
  'send-newsletter': 'functions/send-newsletter.handler',
  'check-links': 'functions/check-links.handler',
} as const;

/**
 * Writes functions/generated/ (the compiled templates, campaigns and newsletters every handler
 * imports; not in Git) under `root`. SST's bundler runs esbuild only, never an npm script, so
 * sst.config.ts calls this at the start of every run: a deploy ships what is checked out, never
 * missing or older files. Throws with the build's own output when it fails.
 */
export function buildGeneratedFiles(root: string): void {
  try {
    execFileSync('npm', ['run', '--silent', 'build:templates'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    const problems = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`npm run build:templates failed; nothing was deployed.\n${output}${problems}`, { cause: error });
  }
}
