import { parseArgs } from 'node:util';
import { createRetraceClient, TRPCClientError } from '../index';
import { runCommand, USAGE } from './commands';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    'learn-from': { type: 'string' },
    from: { type: 'string' },
    profile: { type: 'string' },
    verify: { type: 'string' },
    source: { type: 'string' },
    'base-prompt': { type: 'string' },
    injected: { type: 'boolean' },
    'auto-learn': { type: 'boolean' },
    attempts: { type: 'string' },
    note: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length === 0) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const url = values.url ?? process.env.RETRACE_URL ?? 'http://127.0.0.1:8787';
// No --token: RETRACE_TOKEN, else the runtime file a server on this machine wrote for that port.
const client = createRetraceClient({ url, token: values.token });

try {
  process.exitCode = await runCommand(client, positionals, values);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`retrace: ${message}`);
  if (/fetch failed|ECONNREFUSED/.test(message))
    console.error(`Is Retrace running at ${url}? Start it with npm start.`);
  if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED')
    console.error(
      `Pass the server's token with --token or RETRACE_TOKEN (it is in the file "token" of its data dir).`,
    );
  process.exitCode = 1;
}
