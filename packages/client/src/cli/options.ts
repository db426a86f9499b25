interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** What a string option takes, as the usage shows it. */
  value?: string;
  /** One line for a command's --help. */
  about: string;
}

/** Every flag the CLI knows, declared once: the parser, each command's usage and its --help read it. */
export const OPTIONS = {
  'learn-from': {
    type: 'string',
    value: '<runs>',
    about: 'learn from these runs, comma-separated: one pattern distilled from them all',
  },
  'auto-learn': { type: 'boolean', about: 'let Retrace pick the best-fitting pattern, or none, and say why' },
  from: { type: 'string', value: '<run>', about: "continue that run's workspace (.git included)" },
  profile: {
    type: 'string',
    value: 'batch|readonly',
    about: 'batch (the default) may change the workspace; readonly may only read and run commands',
  },
  verify: {
    type: 'string',
    value: '<cmd>',
    about: "a command that checks a run's work: it passed = verified",
  },
  source: { type: 'string', value: '<repo>', about: 'the repository each run starts from (git URL or path)' },
  'base-prompt': { type: 'string', value: '<text>', about: 'what every run of the project is told first' },
  injected: { type: 'boolean', about: 'the pattern the run was given, not the one it teaches' },
  attempts: { type: 'string', value: '<n>', about: 'runs per arm' },
  note: { type: 'string', value: '<text>', about: 'why: shown with the verdict' },
  name: {
    type: 'string',
    value: '<branch>',
    about: 'the branch to make (default retrace/<project>/<number>)',
  },
  push: { type: 'boolean', about: "also push it to the repository's origin" },
  json: {
    type: 'boolean',
    about:
      "print the API's JSON and nothing else: one pretty-printed document (a live run: an event per line)",
  },
  url: { type: 'string', value: '<url>', about: 'the server (RETRACE_URL, default http://127.0.0.1:8787)' },
  token: {
    type: 'string',
    value: '<token>',
    about: "the server's token (RETRACE_TOKEN; on the server's machine it is found in its runtime file)",
  },
  help: { type: 'boolean', short: 'h', about: "print the command's usage and flags" },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

export const isOptionName = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

/** The flags as parsed: a string option's value, or true for a boolean one. */
export type Values = {
  [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

/** Taken by every command. */
export const GLOBAL_OPTIONS = ['json', 'url', 'token', 'help'] as const satisfies readonly OptionName[];

/** `--from <run>`, `--json`: a flag as a usage line shows it. */
export function optionSyntax(name: OptionName): string {
  const spec: OptionSpec = OPTIONS[name];
  return spec.value ? `--${name} ${spec.value}` : `--${name}`;
}
