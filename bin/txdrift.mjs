#!/usr/bin/env node
// The `txdrift` command (package.json "bin"; `npx txdrift …` from the repository). Runs the
// TypeScript CLI, cli/txdrift.ts, in this process through tsx's loader: no build step and
// no second Node process. The tsconfig is pinned so the `@/` alias resolves from any
// working directory; `server-only` is mapped to an empty module as for the server scripts.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import '../scripts/server-only-hook.mjs';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
register({ tsconfig: path.join(root, 'tsconfig.json') });

// `txdrift detect | head`: a closed pipe is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const { main } = await import(pathToFileURL(path.join(root, 'cli/txdrift.ts')).href);
process.exitCode = await main(process.argv.slice(2));
