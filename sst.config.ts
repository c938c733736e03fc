/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    const isProduction = input.stage === 'production';
    return {
      name: 'optout-countdown',
      home: 'aws',
      // The CLI refuses to run a different SST than the one the platform code was checked against.
      version: '4.17.1',
      // Production keeps its table and refuses `sst remove`; other stages clean up after themselves.
      removal: isProduction ? 'retain' : 'remove',
      protect: isProduction,
      providers: { aws: { region: 'eu-central-1' } },
    };
  },
  async run() {
    const { buildGeneratedFiles, FUNCTION_ARCHITECTURE, FUNCTION_NODEJS, FUNCTION_RUNTIME } = await import('./infra/bundling');
    // SST's bundler runs esbuild only: the templates and campaigns every handler imports
    // (functions/generated/, not in Git) are built here, on every run, from what is checked out.
    buildGeneratedFiles($cli.paths.root);

    // Every function is built and run alike; `npm run build` bundles with the same options.
    $transform(sst.aws.Function, (args) => {
      args.runtime ??= FUNCTION_RUNTIME;
      args.architecture ??= FUNCTION_ARCHITECTURE;
      args.nodejs ??= FUNCTION_NODEJS;
    });

    await import('./infra/secrets');
    await import('./infra/storage');
    await import('./infra/email');
    await import('./infra/mailer');
    await import('./infra/newsletter');
    const { api } = await import('./infra/api');
    await import('./infra/scheduler');
    await import('./infra/link-check');
    // Last: it alarms on what the files above created.
    await import('./infra/monitoring');

    const { mailSweep } = await import('./infra/mailer');
    // The sweep's function name, for the operator's runbook (docs/operating.md).
    return { api: api.url, mailSweep: mailSweep.nodes.function.name };
  },
});
