/**
 * The progress line of `npm run newsletter -- send`: a bar, counts, the rate and the time left.
 * Counts only, never an address. On a terminal it redraws one line; otherwise (a log, a pipe) it
 * prints a plain line every tenth of the way, or every few seconds, and at the end.
 */
import type { NewsletterProgress } from '../functions/app/newsletter-send.js';

/** "1:05" for 65 seconds; "–" when it cannot be known yet. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * One progress line.
 *
 * @example
 * formatProgress({ total: 10, handled: 4, queued: 4, alreadyQueued: 0, failed: 0, toSend: 0, elapsedMs: 2000 }, { bar: true })
 * // "[##########--------------]  40%  4/10 · queued 4 · queued before 0 · failed 0 · 2.0/s · ETA 0:03"
 */
export function formatProgress(p: NewsletterProgress, options: { bar: boolean; width?: number } = { bar: true }): string {
  const width = options.width ?? 24;
  const share = p.total === 0 ? 1 : p.handled / p.total;
  const filled = Math.round(share * width);
  const bar = options.bar ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.queued / seconds : 0;
  const handledRate = seconds > 0 ? p.handled / seconds : 0;
  const eta = p.handled >= p.total ? 0 : handledRate > 0 ? ((p.total - p.handled) / handledRate) * 1000 : undefined;
  return (
    `${bar}${String(Math.floor(share * 100)).padStart(3)}%  ${p.handled}/${p.total}` +
    // A dry run writes nothing: it counts what a real run would write.
    (p.toSend > 0 ? ` · to send ${p.toSend}` : '') +
    ` · queued ${p.queued} · queued before ${p.alreadyQueued} · failed ${p.failed}` +
    ` · ${rate.toFixed(1)}/s · ETA ${formatDuration(eta)}`
  );
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A progress callback that draws on `stream` (stderr), as a redrawn bar on a terminal or plain lines elsewhere. */
export function progressReporter(stream: ProgressStream, options: { plainEveryMs?: number; redrawEveryMs?: number; realClock?: () => number } = {}) {
  const now = options.realClock ?? Date.now;
  const plainEveryMs = options.plainEveryMs ?? 5000;
  const redrawEveryMs = options.redrawEveryMs ?? 100;
  let lastAt = -Infinity;
  let lastTenth = -1;
  return (p: NewsletterProgress): void => {
    const done = p.handled >= p.total;
    const at = now();
    if (stream.isTTY) {
      if (!done && at - lastAt < redrawEveryMs) return;
      lastAt = at;
      stream.write(`\r${formatProgress(p, { bar: true })}\x1b[K${done ? '\n' : ''}`);
      return;
    }
    const tenth = p.total === 0 ? 10 : Math.floor((p.handled / p.total) * 10);
    if (!done && tenth === lastTenth && at - lastAt < plainEveryMs) return;
    if (done && lastTenth === 10) return;
    lastTenth = done ? 10 : tenth;
    lastAt = at;
    stream.write(`newsletter: ${formatProgress(p, { bar: false })}\n`);
  };
}
