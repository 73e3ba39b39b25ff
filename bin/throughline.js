#!/usr/bin/env node
// The `throughline` command. The project runs TypeScript directly (the Prisma client is
// generated as .ts), so the CLI loads through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
