import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands';
import { parseCommandLine } from './parse';

const parse = (...argv: string[]) => parseCommandLine(argv, COMMANDS);

describe('the command line', () => {
  it('names an unknown flag for the command it was given to, with that command’s usage', () => {
    expect(parse('run', 'demo', 'x', '--learnfrom', '1')).toEqual({
      kind: 'mistake',
      message: 'unknown option --learnfrom for "run"',
      usage: expect.stringMatching(/^usage: retrace run <project> "<prompt>" \[--learn-from <runs>\]/),
    });
    expect(parse('runs', 'demo', '-x')).toMatchObject({ message: 'unknown option -x for "runs"' });
    expect(parse('run', 'demo', 'x', '--json=yes')).toMatchObject({
      message: '--json for "run" takes no value',
    });
    expect(parse('review', 'demo#1', 'approve', '--note', '-ish')).toMatchObject({
      message: '--note for "review" needs a value (one that starts with "-" goes as --note=-ish)',
    });
  });

  it('gives the arguments by name and the flags typed, a two-word command before a one-word one', () => {
    expect(parse('projects', 'create', 'demo', '--verify', 'true')).toMatchObject({
      kind: 'command',
      command: { name: 'projects create' },
      args: { name: 'demo' },
      values: { verify: 'true' },
    });
    expect(parse('review', 'demo#2', 'reject', '--note=-ish')).toMatchObject({
      args: { run: 'demo#2', verdict: 'reject' },
      values: { note: '-ish' },
    });
    expect(parse('projects', 'creat', 'demo')).toMatchObject({
      message: 'unexpected argument "creat" for "projects"',
    });
  });

  it('prints help for a command, its family, or them all; an unknown one is a mistake', () => {
    expect(parse('help', 'retry')).toEqual({
      kind: 'help',
      text: expect.stringMatching(/^retrace retry <run>\n/),
    });
    expect(parse('retry', 'demo#1', '--help')).toEqual(parse('help', 'retry'));
    const family = parse('help', 'projects');
    expect(family.kind === 'help' && family.text).toMatch(
      /^retrace projects\n[\s\S]*^retrace projects create <name>/m,
    );
    expect(parse('--help')).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('retrace help <command>'),
    });
    expect(parse('help', 'nosuch')).toMatchObject({ kind: 'mistake', message: 'unknown command "nosuch"' });
    expect(parse()).toMatchObject({ kind: 'mistake' });
  });
});
