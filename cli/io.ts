// The streams a command reads and writes (process.stdin/stdout/stderr when run as `txdrift`).
import type { Readable, Writable } from 'node:stream';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}
