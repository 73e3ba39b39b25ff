import pino from 'pino';
import { env } from './env.ts';

// Structured logs on stdout. Secrets must never reach a log line: the redaction list covers the
// fields that carry them, at the top level and one level down.
const SECRET_FIELDS = ['authorization', 'cookie', 'secret', 'token', 'password', 'clientSecret', 'sessionToken', 'SAMLResponse'];

export const log = pino(
  {
    level: env().LOG_LEVEL,
    redact: {
      paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  },
  // Through process.stdout (not pino's direct fd writer) so a test can read what was logged.
  { write: (line: string) => process.stdout.write(line) },
);
