#!/usr/bin/env node
// The `throughline` command. The project runs TypeScript directly (the Prisma client is
// generated as .ts), so the CLI loads through tsx's loader; but when npm install has built it
// (scripts/build-cli.ts) and every source of that build is older than it, the build runs
// instead, without tsx (a start costs about 0.4 s less CPU). A source edited since, or no build:
// the sources, through tsx, as always.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'node_modules/.cache/throughline-cli');

function builtIsCurrent() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(built, 'manifest.json'), 'utf8'));
    return existsSync(path.join(built, 'main.mjs')) && inputs.length > 0 && inputs.every((input) => statSync(path.join(root, input)).mtimeMs <= builtAt);
  } catch {
    return false; // not built, or a source is gone
  }
}

if (builtIsCurrent()) {
  await import(pathToFileURL(path.join(built, 'main.mjs')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../lib/cli/main.ts');
}
