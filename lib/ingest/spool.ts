import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { appendFile, mkdir, open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { db } from '../db/client.ts';
import { env } from '../env.ts';
import { log } from '../log.ts';
import { storeRawEvent, type EventSource, type RawEventInput } from './raw-events.ts';
import { isConnectionError, SpoolUnavailableError } from './spool-errors.ts';

// The spool: where a receiver puts an acknowledged delivery while PostgreSQL cannot be reached.
//
// Each process appends to a segment file of its own (`<created ms>-<host>-<pid>-<random>.open`),
// one JSON line per delivery, and answers 202 only after the line is written and fdatasync'd.
// Writes are serialized per process; appends that arrive while one is being synced go out together
// in the next write (group commit). A drainer (in the server and in `throughline worker`) moves
// the lines into the raw log once the database answers, oldest segment first and in file order,
// through storeRawEvent, whose ON CONFLICT makes a repeated line harmless. It first claims a
// segment by renaming it (`.draining-<host>-<pid>`) and deletes it only once every line is stored:
// a drainer that dies mid-segment leaves it to be claimed and drained again.
//
// A segment's writer seals it (`.sealed`) when its own drainer finds the database back, or when it
// grows past SEGMENT_BYTES; an `.open` or `.draining` segment whose process is gone (killed) is
// claimed as is. A line cut short by a crash mid-append has no newline (or no valid JSON): it was
// never acknowledged and is skipped.

const SEGMENT_BYTES = 64 * 1024 * 1024;
const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_');
const OWNER = `${HOST}-${process.pid}`;

/** One delivery as spooled: what storeRawEvent needs, with the time it arrived. */
export interface SpoolRecord extends RawEventInput {
  receivedAt: string;
}

export function spoolDir(): string {
  return path.resolve(env().THROUGHLINE_SPOOL_DIR ?? path.join(env().THROUGHLINE_DATA_DIR, 'spool'));
}

interface Pending {
  line: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Writer {
  dir: string;
  file?: { handle: FileHandle; path: string; size: number };
  queue: Pending[];
  chain: Promise<void>;
  /** Bytes in the spool folder at the last scan plus what this process appended since. */
  bytes: number;
  scanned: boolean;
}

// On globalThis: Next may load this module more than once in one process.
const state = globalThis as { throughlineSpool?: Writer };

function writer(): Writer {
  const dir = spoolDir();
  if (!state.throughlineSpool || state.throughlineSpool.dir !== dir) state.throughlineSpool = { dir, queue: [], chain: Promise.resolve(), bytes: 0, scanned: false };
  return state.throughlineSpool;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function spoolBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    total += (await stat(path.join(dir, name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

async function openSegment(w: Writer): Promise<NonNullable<Writer['file']>> {
  await mkdir(w.dir, { recursive: true });
  const name = `${String(Date.now()).padStart(15, '0')}-${OWNER}-${randomBytes(4).toString('hex')}.open`;
  const file = path.join(w.dir, name);
  const handle = await open(file, 'a', 0o600);
  await fsyncDir(w.dir); // the new name survives a power cut as well as the lines in it
  return { handle, path: file, size: 0 };
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  for (let offset = 0; offset < buffer.length; ) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/** Writes what is queued as one append and one fdatasync; settles each queued delivery. */
async function flush(w: Writer): Promise<void> {
  const batch = w.queue.splice(0);
  if (!batch.length) return;
  const buffer = Buffer.concat(batch.map((p) => p.line));
  try {
    if (!w.scanned) {
      w.bytes = await spoolBytes(w.dir);
      w.scanned = true;
    }
    if (w.bytes + buffer.length > env().THROUGHLINE_SPOOL_MAX_BYTES) throw new SpoolUnavailableError('The spool is full while the database is unreachable');
    if (w.file && w.file.size >= SEGMENT_BYTES) await sealSegment(w);
    w.file ??= await openSegment(w);
    const file = w.file;
    try {
      await writeAll(file.handle, buffer);
      await file.handle.datasync();
    } catch (error) {
      // Cut the segment back to its last whole line, or leave it to the drainer and start another:
      // a later append must never follow a partial one.
      await file.handle.truncate(file.size).catch(async () => {
        w.file = undefined;
        await file.handle.close().catch(() => {});
      });
      throw error;
    }
    file.size += buffer.length;
    w.bytes += buffer.length;
    for (const p of batch) p.resolve();
  } catch (error) {
    for (const p of batch) p.reject(error);
  }
}

async function sealSegment(w: Writer): Promise<void> {
  const file = w.file;
  if (!file) return;
  w.file = undefined;
  await file.handle.close().catch(() => {});
  if (file.size === 0) await unlink(file.path).catch(() => {});
  else await rename(file.path, file.path.replace(/\.open$/, '.sealed'));
}

/**
 * Appends a delivery to this process's segment and resolves once it is on disk (fdatasync'd):
 * only then may it be acknowledged. Rejects with SpoolUnavailableError when the spool is over its
 * bound, or with the file system's error.
 */
export function appendToSpool(record: SpoolRecord): Promise<void> {
  const w = writer();
  const line = Buffer.from(`${JSON.stringify(record)}\n`);
  return new Promise<void>((resolve, reject) => {
    w.queue.push({ line, resolve, reject });
    w.chain = w.chain.then(() => flush(w));
  });
}

/** Closes this process's segment for the drainer (after the appends queued before it). */
export function sealOwnSegment(): Promise<void> {
  const w = writer();
  const done = w.chain.then(() => sealSegment(w));
  w.chain = done.catch(() => {});
  return done;
}

// ---- draining ----

function segmentOwner(name: string): { host: string; pid: number } | null {
  const m = /^\d+-(.+)-(\d+)-[0-9a-f]+\.(?:open|sealed)$/.exec(name) ?? /\.draining-(.+)-(\d+)$/.exec(name);
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether this drainer may take segment `name`: sealed, or left by a process that is gone. */
function claimable(name: string): boolean {
  if (name.endsWith('.sealed')) return true;
  if (!name.endsWith('.open') && !name.includes('.draining-')) return false;
  const owner = name.endsWith('.open') ? segmentOwner(name) : segmentOwner(name.slice(name.indexOf('.draining-')));
  if (!owner) return false;
  if (owner.host !== HOST) return false; // another machine's process: it drains its own
  if (owner.pid === process.pid) return name.includes('.draining-'); // our own claim, interrupted
  return !alive(owner.pid);
}

/** Parses a segment's text: its complete, valid lines, and how many were skipped. */
export function parseSegment(text: string): { records: SpoolRecord[]; skipped: number } {
  const lines = text.split('\n');
  // The last piece has no newline: empty after a clean append, else a torn (unacknowledged) one.
  let skipped = lines.pop() ? 1 : 0;
  const records: SpoolRecord[] = [];
  for (const line of lines) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as SpoolRecord;
      if (typeof r.orgId === 'string' && typeof r.deliveryId === 'string' && typeof r.receivedAt === 'string') records.push(r);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

export interface DrainResult {
  segments: number;
  stored: number;
  duplicates: number;
  skipped: number;
  /** False when the database went away mid-drain (what is left stays for the next pass). */
  complete: boolean;
}

let draining: Promise<DrainResult> | undefined;
const MAX_LINE_FAILURES = 5;
const rejections = new Map<string, number>();

/**
 * Moves every claimable segment into the raw log, oldest first, line by line in order; deletes a
 * segment once all its lines are stored. Stops (complete: false) at the first connection error.
 * One pass at a time per process.
 */
export function drainSpool(): Promise<DrainResult> {
  draining ??= drainOnce().finally(() => (draining = undefined));
  return draining;
}

async function drainOnce(): Promise<DrainResult> {
  const w = writer();
  const result: DrainResult = { segments: 0, stored: 0, duplicates: 0, skipped: 0, complete: true };
  const names = await readdir(w.dir).catch(() => [] as string[]);
  if (!names.length) {
    w.bytes = 0;
    w.scanned = true;
    return result;
  }
  // Our own open segment is sealed once the database answers again.
  if (w.file) {
    try {
      await storeProbe();
    } catch (error) {
      if (isConnectionError(error)) return { ...result, complete: false };
      throw error;
    }
    await sealOwnSegment();
  }
  const segments = (await readdir(w.dir)).filter(claimable).sort();
  for (const name of segments) {
    const claimed = name.includes('.draining-') && name.endsWith(`.draining-${OWNER}`) ? name : `${name.replace(/\.(open|sealed)$|\.draining-.*$/, '')}.draining-${OWNER}`;
    const file = path.join(w.dir, claimed);
    try {
      if (claimed !== name) await rename(path.join(w.dir, name), file);
    } catch {
      continue; // another drainer claimed it first
    }
    const { records, skipped } = parseSegment(await readFile(file, 'utf8'));
    if (skipped) log.warn({ segment: claimed, skipped }, 'spool: skipped lines never acknowledged (cut short by a crash)');
    result.skipped += skipped;
    for (const record of records) {
      try {
        const { stored } = await storeRawEvent({ ...record, source: record.source as EventSource }, { receivedAt: new Date(record.receivedAt) });
        if (stored) result.stored++;
        else result.duplicates++;
      } catch (error) {
        if (isConnectionError(error)) {
          result.complete = false;
          return result;
        }
        // The database refused this line itself (say, its org was deleted): after a few passes it
        // is set aside in rejected.ndjson, kept for an operator, so one bad line never blocks the rest.
        const key = `${claimed}\n${record.orgId}\n${record.deliveryId}`;
        const failures = (rejections.get(key) ?? 0) + 1;
        rejections.set(key, failures);
        if (failures < MAX_LINE_FAILURES) throw error;
        log.error({ err: error, orgId: record.orgId, deliveryId: record.deliveryId }, 'spool: the raw log refuses this delivery; set aside in rejected.ndjson');
        await appendFile(path.join(w.dir, 'rejected.ndjson'), `${JSON.stringify(record)}\n`);
        rejections.delete(key);
      }
    }
    await unlink(file);
    result.segments++;
  }
  w.bytes = await spoolBytes(w.dir);
  w.scanned = true;
  if (result.stored || result.segments) log.info(result, 'spool drained into the raw log');
  return result;
}

async function storeProbe(): Promise<void> {
  await db().$queryRaw`SELECT 1`;
}

/**
 * Drains the spool every `intervalMs` (and at once when kicked), for the life of the process; the
 * server and `throughline worker` start it. Errors are logged and the next pass tries again.
 */
export function startSpoolDrainer({ intervalMs = 1000 }: { intervalMs?: number } = {}): () => void {
  const g = globalThis as { throughlineSpoolDrainer?: () => void };
  if (g.throughlineSpoolDrainer) return g.throughlineSpoolDrainer;
  let failing = false;
  const pass = () =>
    void drainSpool().then(
      () => (failing = false),
      (error: unknown) => {
        if (!failing) log.error({ err: error }, 'spool drain failed; retrying');
        failing = true;
      },
    );
  const timer = setInterval(pass, intervalMs).unref();
  pass();
  g.throughlineSpoolDrainer = () => {
    clearInterval(timer);
    g.throughlineSpoolDrainer = undefined;
  };
  return g.throughlineSpoolDrainer;
}
