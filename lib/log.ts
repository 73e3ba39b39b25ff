import pino from 'pino';
import { env } from './env.ts';

// Structured logs on stdout. Secrets must never reach a log line: the redaction list covers the
// headers and fields that carry them.
export const log = pino({
  level: env().LOG_LEVEL,
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.secret', '*.token', '*.password'],
    censor: '[redacted]',
  },
});
