/**
 * The use cases' structured log: one JSON line per event, never an address, token or IP (callers
 * pass ids, counts and error names only).
 */
type Fields = Record<string, unknown>;

function line(level: 'info' | 'warn' | 'error', msg: string, fields: Fields): void {
  const text = JSON.stringify({ level, msg, ...fields });
  if (level === 'error') console.error(text);
  else if (level === 'warn') console.warn(text);
  else console.log(text);
}

export const logger = {
  info: (msg: string, fields: Fields = {}) => line('info', msg, fields),
  warn: (msg: string, fields: Fields = {}) => line('warn', msg, fields),
  error: (msg: string, fields: Fields = {}) => line('error', msg, fields),
};
