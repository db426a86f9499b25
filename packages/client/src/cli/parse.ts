import { parseArgs } from 'node:util';
import { argSyntax, type Command, helpOf, overview, usageOf } from './command';
import { GLOBAL_OPTIONS, isOptionName, OPTIONS, type OptionName, type Values } from './options';

/** What the command line asks for: a text to print, a mistake to name (exit 2), or a command to run. */
export type CommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'mistake'; message: string; usage: string }
  | { kind: 'command'; command: Command; args: Record<string, string>; values: Values };

/** The command named by the first words, a two-word one ("projects create") before a one-word one. */
function findCommand(commands: readonly Command[], words: string[]): Command | undefined {
  const named = (n: number) => commands.find((c) => c.name === words.slice(0, n).join(' '));
  return (words.length >= 2 ? named(2) : undefined) ?? named(1);
}

/** A one-word command's help covers its family ("projects", "projects create"). */
function familyOf(commands: readonly Command[], command: Command): Command[] {
  if (command.name.includes(' ')) return [command];
  return commands.filter((c) => c.name === command.name || c.name.startsWith(`${command.name} `));
}

export function parseCommandLine(argv: string[], commands: readonly Command[]): CommandLine {
  // Lenient first: an unknown flag is named below, with the usage, rather than thrown.
  const { positionals, tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const asksHelp = tokens.some((t) => t.kind === 'option' && t.name === 'help');
  const [first, ...afterFirst] = positionals;
  const words = first === 'help' ? afterFirst : positionals;
  const command = findCommand(commands, words);
  const general = overview(commands);

  if (first === 'help' || asksHelp) {
    if (words.length === 0) return { kind: 'help', text: general };
    if (!command) return { kind: 'mistake', message: `unknown command "${words[0]}"`, usage: general };
    return { kind: 'help', text: helpOf(familyOf(commands, command)) };
  }
  if (!first) return { kind: 'mistake', message: 'name a command', usage: general };
  if (!command) return { kind: 'mistake', message: `unknown command "${first}"`, usage: general };

  const usage = usageOf(familyOf(commands, command));
  const mistake = (message: string): CommandLine => ({ kind: 'mistake', message, usage });
  const allowed = new Set<OptionName>([...command.options, ...GLOBAL_OPTIONS]);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = isOptionName(token.name) && allowed.has(token.name) ? OPTIONS[token.name] : undefined;
    if (!spec) return mistake(`unknown option ${token.rawName} for "${command.name}"`);
    if (spec.type === 'string' && token.value === undefined)
      return mistake(`${token.rawName} for "${command.name}" needs a value`);
    if (spec.type === 'string' && !token.inlineValue && /^-./.test(token.value ?? ''))
      return mistake(
        `${token.rawName} for "${command.name}" needs a value (one that starts with "-" goes as ${token.rawName}=${token.value})`,
      );
    if (spec.type === 'boolean' && token.inlineValue)
      return mistake(`${token.rawName} for "${command.name}" takes no value`);
  }
  for (const name of command.required ?? [])
    if (!tokens.some((t) => t.kind === 'option' && t.name === name))
      return mistake(`missing --${name} for "${command.name}"`);

  const given = positionals.slice(command.name.split(' ').length);
  const missing = command.args[given.length];
  if (missing !== undefined) return mistake(`missing ${argSyntax(missing)} for "${command.name}"`);
  const extra = given[command.args.length];
  if (extra !== undefined) return mistake(`unexpected argument "${extra}" for "${command.name}"`);

  // Checked: the strict parse now gives typed values and cannot throw.
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const args = Object.fromEntries(command.args.map((name, i) => [name, given[i] ?? '']));
  return { kind: 'command', command, args, values };
}
