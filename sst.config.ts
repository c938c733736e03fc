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
    // Every function of the app runs the same Node.js on Graviton (cheaper per GB-second).
    $transform(sst.aws.Function, (args) => {
      args.runtime ??= 'nodejs22.x';
      args.architecture ??= 'arm64';
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

    return { api: api.url };
  },
});
