import { parseArgs } from 'node:util';
import { check } from './commands/check';
import { importCommand } from './commands/import';
import { summary } from './commands/summary';
import { EXIT_USAGE, jsonError, UsageError } from './errors';
import { processOutput, type Output } from './io';
import { USAGE } from './usage';
import { packageVersion } from './version';

export { ENGINE_V8_FLAGS, engineEnv } from '../server/engineProcess';

// Entry point of the `seqmodel` command. Every command returns its exit code; only this file
// touches process.exit, so the commands are testable in-process.

type Command = (args: string[], io: Output) => Promise<number> | number;

const COMMANDS: Record<string, Command> = {
  summary: (args, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('summary takes exactly one .seqmodel file.');
    return summary({ file: positionals[0], model: values.model, json: !!values.json }, io);
  },
  check: (args, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    return check({ files: positionals, json: !!values.json }, io);
  },
  import: (args, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } });
    if (positionals.length !== 1) throw new UsageError('import takes exactly one file: a .py, .ipynb, .json (model.to_json()) or .keras file.');
    return importCommand({ file: positionals[0], output: values.output }, io);
  },
  train: async (args, io) => {
    const { runTrainCommand } = await import('./commands/train');
    return runTrainCommand(args, io);
  },
  lsp: async (args) => {
    const { values } = parseArgs({ args, options: { stdio: { type: 'boolean', default: false } } });
    if (!values.stdio) throw new UsageError('lsp needs --stdio: seqmodel lsp --stdio');
    const { startServer } = await import('../server/nodeServer');
    startServer('stdio');
    return new Promise<number>(() => undefined); // runs until the client closes the connection
  },
};

export async function run(argv: string[], io: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(packageVersion());
    return 0;
  }
  const command = COMMANDS[name];
  // Asked for JSON, a caller gets JSON on stdout whatever goes wrong (the exit code is as without).
  const json = rest.includes('--json');
  try {
    if (!command) throw new UsageError(`Unknown command '${name}'.`);
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const message = (e as Error).message;
      if (json) io.out(jsonError(e instanceof UsageError ? e.code : 'usage', message));
      io.err(`seqmodel: ${message}`);
      if (!(e instanceof UsageError) || !command) io.err(`Run 'seqmodel --help' for usage.`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** Runs the CLI on this process's arguments and sets its exit code. */
export function main(): void {
  run(process.argv.slice(2), processOutput).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`seqmodel: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 70;
    },
  );
}

if (require.main === module) main();
