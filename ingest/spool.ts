// The ingest write-ahead spool. A request is acknowledged only after its rows are written
// and fdatasync'd here, so a 2xx survives `kill -9` (and power loss) even before ClickHouse
// has the rows. Concurrent requests share one fsync (group commit); the active segment is
// sealed when it is big or old enough, and sealed segments are handed to the flusher, which
// deletes them once ClickHouse has committed them. Segments left by a previous process are
// returned by `open()` for replay.
//
// File format: frames of one header line `#{json}\n` followed by `b` bytes of JSONEachRow
// rows. A frame cut short by a crash was never acknowledged; replay drops it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** What a request with an Idempotency-Key answered, kept with its rows. */
export interface IdempotencyRecord {
  key: string;
  sha256: string;
  /** The JSON response body. */
  response: string;
  atMs: number;
}

export interface Frame {
  requestId: string;
  rowCount: number;
  rows: Buffer;
  idempotency?: IdempotencyRecord;
}

export interface Segment {
  id: string;
  file: string;
  frames: Frame[];
  bytes: number;
  rowCount: number;
}

interface FrameHeader {
  r: string;
  n: number;
  b: number;
  i?: IdempotencyRecord;
}

export interface SpoolOptions {
  dir: string;
  /** Seal the active segment at this size; default 16 MiB. A larger single request stays whole. */
  segmentBytes?: number;
  /** Seal a non-empty active segment after this long; default 200 ms. */
  segmentAgeMs?: number;
  onSealed: (segment: Segment) => void;
}

interface Pending {
  frame: Frame;
  encoded: Buffer[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Spool {
  private active: (Segment & { handle: FileHandle; openedAt: number }) | null = null;
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly segmentBytes: number;
  private readonly segmentAgeMs: number;
  /** Bytes acknowledged (or being written) and not yet released by the flusher. */
  backlogBytes = 0;
  backlogSegments = 0;

  constructor(private readonly opts: SpoolOptions) {
    this.segmentBytes = opts.segmentBytes ?? 16 * 1024 * 1024;
    this.segmentAgeMs = opts.segmentAgeMs ?? 200;
  }

  /** Creates the directory and returns segments a previous process left behind, oldest first. */
  async open(): Promise<Segment[]> {
    mkdirSync(this.opts.dir, { recursive: true });
    const names = (await readdir(this.opts.dir)).filter((n) => n.endsWith('.wal')).sort();
    const leftovers: Segment[] = [];
    for (const name of names) {
      const file = path.join(this.opts.dir, name);
      const segment = decodeSegment(name.slice(0, -'.wal'.length), file, await readFile(file));
      if (segment.frames.length === 0) {
        await unlink(file);
        continue;
      }
      this.backlogBytes += segment.bytes;
      this.backlogSegments += 1;
      leftovers.push(segment);
    }
    this.timer = setInterval(() => void this.sealIfOld(), Math.max(10, Math.floor(this.segmentAgeMs / 2)));
    this.timer.unref();
    return leftovers;
  }

  /** Resolves once the frame is on disk (fdatasync'd). */
  append(frame: Frame): Promise<void> {
    if (this.closed) return Promise.reject(new Error('spool is closed'));
    const header: FrameHeader = { r: frame.requestId, n: frame.rowCount, b: frame.rows.length, ...(frame.idempotency && { i: frame.idempotency }) };
    const encoded = [Buffer.from(`#${JSON.stringify(header)}\n`), frame.rows];
    this.backlogBytes += frame.rows.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ frame, encoded, resolve, reject });
      this.kick();
    });
  }

  /** The flusher calls this once ClickHouse holds a segment's rows. */
  async release(segment: Segment): Promise<void> {
    await unlink(segment.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    this.backlogBytes -= segment.bytes;
    this.backlogSegments -= 1;
  }

  /** Moves a segment ClickHouse cannot take aside (kept for an operator) and forgets it. */
  async quarantine(segment: Segment): Promise<string> {
    const dir = path.join(this.opts.dir, 'quarantine');
    await mkdir(dir, { recursive: true });
    await rename(segment.file, path.join(dir, path.basename(segment.file)));
    this.backlogBytes -= segment.bytes;
    this.backlogSegments -= 1;
    return dir;
  }

  /** Writes what is queued, seals the active segment and stops accepting frames. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.writing) await this.writing;
    await this.seal();
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      if (this.queue.length) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      try {
        const seg = await this.activeSegment();
        await seg.handle.writev(batch.flatMap((p) => p.encoded));
        await seg.handle.datasync();
        for (const p of batch) {
          seg.frames.push(p.frame);
          seg.bytes += p.frame.rows.length;
          seg.rowCount += p.frame.rowCount;
        }
        for (const p of batch) p.resolve();
        if (seg.bytes >= this.segmentBytes) await this.seal();
      } catch (err) {
        for (const p of batch) {
          this.backlogBytes -= p.frame.rows.length;
          p.reject(err as Error);
        }
      }
    }
  }

  private async activeSegment() {
    if (this.active) return this.active;
    const id = `${Date.now().toString().padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
    const file = path.join(this.opts.dir, `${id}.wal`);
    const handle = await open(file, 'wx');
    syncDir(this.opts.dir);
    this.backlogSegments += 1;
    this.active = { id, file, frames: [], bytes: 0, rowCount: 0, handle, openedAt: Date.now() };
    return this.active;
  }

  private async sealIfOld(): Promise<void> {
    if (this.writing || !this.active || this.active.frames.length === 0) return;
    if (Date.now() - this.active.openedAt >= this.segmentAgeMs) await this.seal();
  }

  private async seal(): Promise<void> {
    const seg = this.active;
    if (!seg) return;
    this.active = null;
    await seg.handle.close();
    if (seg.frames.length === 0) {
      this.backlogSegments -= 1;
      await unlink(seg.file);
      return;
    }
    const { handle: _h, openedAt: _o, ...sealed } = seg;
    this.opts.onSealed(sealed);
  }
}

/** Parses a segment file; a frame cut short at the end (never acknowledged) is dropped. */
export function decodeSegment(id: string, file: string, data: Buffer): Segment {
  const frames: Frame[] = [];
  let pos = 0;
  while (pos < data.length) {
    const nl = data.indexOf(0x0a, pos);
    if (data[pos] !== 0x23 /* # */ || nl === -1) break;
    let header: FrameHeader;
    try {
      header = JSON.parse(data.subarray(pos + 1, nl).toString('utf8')) as FrameHeader;
    } catch {
      break;
    }
    const end = nl + 1 + header.b;
    if (end > data.length) break;
    frames.push({ requestId: header.r, rowCount: header.n, rows: data.subarray(nl + 1, end), idempotency: header.i });
    pos = end;
  }
  return {
    id,
    file,
    frames,
    bytes: frames.reduce((s, f) => s + f.rows.length, 0),
    rowCount: frames.reduce((s, f) => s + f.rowCount, 0),
  };
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
