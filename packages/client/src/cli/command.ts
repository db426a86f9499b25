import type { RetraceClient } from '../index';
import { GLOBAL_OPTIONS, OPTIONS, type OptionName, optionSyntax, type Values } from './options';

export interface CommandInput<A extends string> {
  client: RetraceClient;
  /** Its arguments by name, each given. */
  args: Record<A, string>;
  values: Values;
}

/** One command: what the parser checks, what its usage says, and what it does. */
export interface Command<A extends string = string> {
  /** The words after `retrace` that name it: "runs", "projects create". */
  name: string;
  /** Its arguments, in order; each is required. */
  args: readonly A[];
  /** The flags it takes besides the global ones. */
  options: readonly OptionName[];
  /** Those of its flags it cannot do without. */
  required?: readonly OptionName[];
  about: string;
  /** Resolves with the process exit code. */
  run(input: CommandInput<A>): Promise<number>;
}

export const defineCommand = <const A extends string>(command: Command<A>): Command<A> => command;

/** A mistake in how a command was called: exit 2, with that command's usage. */
export class UsageError extends Error {}

const ARG_SYNTAX: Record<string, string> = { prompt: '"<prompt>"', verdict: 'approve|reject' };
export const argSyntax = (arg: string) => ARG_SYNTAX[arg] ?? `<${arg}>`;

/** `run <project> "<prompt>" [--from <run>] …`: the command as typed. */
export function synopsis(command: Command): string {
  const flags = command.options.map((name) =>
    command.required?.includes(name) ? optionSyntax(name) : `[${optionSyntax(name)}]`,
  );
  return [command.name, ...command.args.map(argSyntax), ...flags].join(' ');
}

export const REFERENCES = `<project> is a project id or name. <run> is a run id, or <project>#<number> (e.g. demo#2);
inside a project's command, --learn-from and --from also take a bare run number of that project.`;

/** What a mistake prints after naming it: the usage of the command(s) meant. */
export function usageOf(commands: readonly Command[]): string {
  const lines = commands.map((command, i) => `${i === 0 ? 'usage:' : '      '} retrace ${synopsis(command)}`);
  const first = commands[0];
  return first ? [...lines, `(retrace help ${first.name.split(' ')[0]} explains it)`].join('\n') : '';
}

/** `retrace help <command>`: its usage, what it does, and each of its flags. */
export function helpOf(commands: readonly Command[]): string {
  const names = [...new Set([...commands.flatMap((c) => c.options), ...GLOBAL_OPTIONS])];
  const width = Math.max(...names.map((n) => optionSyntax(n).length));
  const mentionsRefs = commands.some((c) =>
    [...c.args, ...c.options].some((x) => ['project', 'run', 'learn-from', 'from'].includes(x)),
  );
  return [
    ...commands.flatMap((command) => [`retrace ${synopsis(command)}`, `    ${command.about}`]),
    '',
    ...names.map((name) => `  ${optionSyntax(name).padEnd(width)}  ${OPTIONS[name].about}`),
    ...(mentionsRefs ? ['', REFERENCES] : []),
  ].join('\n');
}

/** `retrace --help`: every command, then what every command takes. */
export function overview(commands: readonly Command[]): string {
  const width = Math.max(...GLOBAL_OPTIONS.map((n) => optionSyntax(n).length));
  return [
    'retrace — drive a Retrace server from the terminal',
    '',
    'Usage:',
    ...commands.flatMap((command) => [`  retrace ${synopsis(command)}`, `      ${command.about}`]),
    '  retrace help <command>',
    "      that command's usage and flags (so does retrace <command> --help)",
    '',
    REFERENCES,
    '',
    'Every command takes:',
    ...GLOBAL_OPTIONS.map((name) => `  ${optionSyntax(name).padEnd(width)}  ${OPTIONS[name].about}`),
  ].join('\n');
}
