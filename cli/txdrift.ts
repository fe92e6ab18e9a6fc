// `txdrift <command>`: the command-line entry point, run by bin/txdrift.mjs through tsx (no
// build step). Each command is a module exporting `run(argv, io) → exit status`; add new
// commands to COMMANDS.
import { DETECT_HELP, DETECT_SUMMARY, detect } from './detect';
import type { Io } from './io';
import { SIMULATE_HELP, SIMULATE_SUMMARY, simulate } from './simulate';

interface Command {
  summary: string;
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  detect: { summary: DETECT_SUMMARY, help: DETECT_HELP, run: detect },
  simulate: { summary: SIMULATE_SUMMARY, help: SIMULATE_HELP, run: simulate },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: txdrift <command> [options]

Commands:
${list}

Run "txdrift <command> --help" for a command's options.
Exit status: 0 success, 2 bad usage or bad input, 1 unexpected failure.
`;
}

const processIo = (): Io => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** Runs a command line (without `node` and the script); resolves to the exit status. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    io.stdout.write(command ? command.help : usage());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`txdrift: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}
