import { logger, setMetricsQuiet } from '../../functions/observability.js';

/**
 * The JSON lines written to stdout and stderr while `run` runs: Powertools' Logger and Metrics
 * write there directly, as in Lambda, not through `console`. Every level is logged meanwhile
 * and metrics are written (the test run keeps only warnings otherwise); output still passes through.
 */
export async function captureLogLines(run: () => Promise<unknown> | unknown): Promise<Record<string, unknown>[]> {
  const level = logger.getLevelName();
  logger.setLogLevel('DEBUG');
  setMetricsQuiet(false);
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, index) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return writes[index]!(chunk, ...rest);
    }) as typeof stream.write;
  });
  try {
    await run();
  } finally {
    streams.forEach((stream, index) => (stream.write = writes[index]!));
    logger.setLogLevel(level);
    setMetricsQuiet(process.env.OPTOUT_METRICS_QUIET === '1');
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
