// Builds the `throughline` command (lib/cli/main.ts and what it imports from this project) into plain ES modules
// in node_modules/.cache/throughline-cli, with a manifest of the sources it was built from. bin/throughline.js
// runs that build while it is newer than every one of those sources, and otherwise the sources through tsx: a
// start without tsx's loader costs about 0.4 s less CPU, which on `import git` of a small history is most of the
// command. npm install runs this (postinstall, after prisma generate). Packages stay outside the build, loaded
// from node_modules as they are without it, but for those in BUNDLED_PACKAGES.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Esbuild from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'node_modules/.cache/throughline-cli');

// esbuild as tsx installs it (tsx transforms the sources with it): the same compiler, no dependency of its own.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild') as typeof Esbuild;

// A module that reads import.meta (paths next to it: ROOT, the migrations, the vendored .proto files, the
// Prisma client's folder) gets its source file's URL, not that of the chunk it is bundled into.
const sourceImportMeta: Esbuild.Plugin = {
  name: 'source-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const url = JSON.stringify(path.relative(OUT, args.path).split(path.sep).join('/'));
      const header = `import { fileURLToPath as __sourceFileURLToPath } from 'node:url';
const __sourceUrl = new URL(${url}, import.meta.url).href;
const __sourceFilename = __sourceFileURLToPath(__sourceUrl);
const __sourceDirname = __sourceFileURLToPath(new URL('.', __sourceUrl)).replace(/[\\\\/]$/, '');
`;
      const contents = header + source.replaceAll('import.meta.url', '__sourceUrl').replaceAll('import.meta.filename', '__sourceFilename').replaceAll('import.meta.dirname', '__sourceDirname');
      const unmapped = source.split('\n').find((line) => /import\.meta\.(?!url|filename|dirname)/.test(line) && !/^\s*(\/\/|\*)/.test(line));
      if (unmapped) throw new Error(`${args.path}: import.meta as the build does not map it: ${unmapped.trim()}`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

// Pure ES modules that only this project's code imports (no package shares their instances) and that load in
// half the time from one file: zod's 50-odd modules take about 60 ms of every start otherwise (lib/env.ts reads
// the environment with it).
const BUNDLED_PACKAGES = new Set(['zod']);

const externalPackages: Esbuild.Plugin = {
  name: 'external-packages',
  setup(build) {
    // Bare specifiers (packages and node: builtins), not relative paths nor tsconfig's '@/…' alias.
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@/')) return undefined;
      const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

const startedAt = Date.now();
try {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'lib/cli/main.ts' },
    outdir: OUT,
    outExtension: { '.js': '.mjs' }, // ES modules whatever package.json is nearest
    bundle: true,
    splitting: true, // each command's modules (and the packages they import) load when it runs, as from the sources
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    plugins: [externalPackages, sourceImportMeta],
    logLevel: 'warning',
  });
  // Written last: a build stopped half way has no manifest, and the command runs the sources.
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes(':') && !input.startsWith('node_modules/'));
  writeFileSync(path.join(OUT, 'manifest.json'), `${JSON.stringify({ builtAt: startedAt, inputs }, null, 1)}\n`);
  console.log(`built the throughline command from ${inputs.length} sources into ${path.relative(ROOT, OUT)}`);
} catch (error) {
  // The command works without the build (through tsx): an install does not fail for it.
  rmSync(OUT, { recursive: true, force: true });
  console.warn(`throughline: the command could not be built, it will run through tsx: ${error instanceof Error ? error.message : String(error)}`);
}
