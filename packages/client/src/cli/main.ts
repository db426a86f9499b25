import { createRetraceClient } from '../index';
import { UsageError, usageOf } from './command';
import { COMMANDS } from './commands';
import { errorLines } from './errors';
import { parseCommandLine } from './parse';

/** A reader that stopped reading (`retrace runs demo | head -3`) has what it wanted: end quietly. */
function endQuietlyWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Resolves with the exit code: 0 done, 1 it failed (or the run did), 2 a mistake in the command line. */
async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv, COMMANDS);
  if (line.kind === 'help') {
    console.log(line.text);
    return 0;
  }
  if (line.kind === 'mistake') {
    console.error(`retrace: ${line.message}\n${line.usage}`);
    return 2;
  }
  const { command, args, values } = line;
  const url = values.url ?? process.env.RETRACE_URL ?? 'http://127.0.0.1:8787';
  // No --token: RETRACE_TOKEN, else the runtime file a server on this machine wrote for that port.
  const client = createRetraceClient({ url, token: values.token });
  try {
    return await command.run({ client, args, values });
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`retrace: ${error.message}\n${usageOf([command])}`);
      return 2;
    }
    for (const text of errorLines(error, url)) console.error(text);
    return 1;
  }
}

endQuietlyWhenReaderLeaves(process.stdout);
endQuietlyWhenReaderLeaves(process.stderr);
process.exitCode = await main(process.argv.slice(2));
