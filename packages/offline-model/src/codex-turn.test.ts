import { describe, expect, it } from 'vitest';
import { codexReply, type InputItem } from './codex-turn';

const prompt = (text: string): InputItem => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});
const ran = (n: number): InputItem[] => [
  { type: 'function_call', name: 'exec_command', call_id: `c${n}`, arguments: '{}' },
  { type: 'function_call_output', call_id: `c${n}`, output: 'Process exited with code 0\nOutput:\nok\n' },
];

describe('the Codex model’s closing message', () => {
  it('names every step of a short plan', () => {
    const input = [prompt('run: echo a\nrun: echo b'), ...ran(0), ...ran(1)];
    expect(codexReply(input)).toEqual({ kind: 'message', text: 'Done: ran `echo a`; ran `echo b`.' });
  });

  it('sums up a long plan instead of reciting it', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `run: echo ${i}`);
    const input = [prompt(lines.join('\n')), ...lines.flatMap((_, i) => ran(i))];
    const reply = codexReply(input);
    expect(reply.kind === 'message' && reply.text).toBe(
      'Done: ran `echo 0`; ran `echo 1`; ran `echo 2`; ran `echo 3`; ran `echo 4`; ran `echo 5`; ran `echo 6`; and 5 more.',
    );
  });

  it('waits on a command Codex stopped waiting for, then judges it by its exit code', () => {
    const started: InputItem[] = [
      prompt('run: sleep 100'),
      { type: 'function_call', name: 'exec_command', call_id: 'c0', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c0', output: 'Process running with session ID 7\nOutput:\n' },
    ];
    expect(codexReply(started)).toEqual({ kind: 'poll', sessionId: 7 });
    const ended: InputItem[] = [
      ...started,
      { type: 'function_call', name: 'write_stdin', call_id: 'c1', arguments: '{"session_id":7}' },
      { type: 'function_call_output', call_id: 'c1', output: 'Process exited with code 0\nOutput:\nslept\n' },
    ];
    expect(codexReply(ended)).toEqual({ kind: 'message', text: 'Done: ran `sleep 100`.' });
  });
});

const workflow = (variable: string, ...lines: string[]) =>
  [
    '<reference_workflow version="1" steps="2" truncated="false">',
    '<task>Repeat the reference workflow, replacing notes/a.txt with notes/b.txt</task>',
    `<variables>\n<var name="file_1" kind="file">${variable}</var>\n</variables>`,
    '<steps>',
    '<step n="1" kind="file_change">create {{file_1}}: "hello\\n"</step>',
    '<step n="2" kind="command">cat {{file_1}}</step>',
    '</steps>',
    ...lines,
    '</reference_workflow>',
  ].join('\n');
const patched: InputItem[] = [
  { type: 'custom_tool_call', name: 'apply_patch', call_id: 'p0', input: '' },
  { type: 'custom_tool_call_output', call_id: 'p0', output: 'Success. Updated the following files:\nA x\n' },
];

describe('the Codex model replaying a reference workflow', () => {
  it('refuses a value its steps do not hold, naming it and the values they do hold', () => {
    // Its task names notes/a.txt (the run it learned from replaced it), its steps only notes/b.txt.
    const replay = prompt('Repeat the reference workflow, replacing notes/a.txt with notes/d.txt');
    expect(codexReply([replay], workflow('notes/b.txt'))).toEqual({
      kind: 'fail',
      message:
        'offline model: the reference workflow holds no "notes/a.txt" to replace (its values: notes/b.txt)',
    });
  });

  it('fills a placeholder with the value of the run a replacement names', () => {
    const block = workflow('notes/a.txt | notes/b.txt');
    for (const from of ['notes/a.txt', 'notes/b.txt']) {
      const reply = codexReply(
        [prompt(`Repeat the reference workflow, replacing ${from} with notes/d.txt`)],
        block,
      );
      expect(reply).toEqual({
        kind: 'patch',
        patch: '*** Begin Patch\n*** Add File: notes/d.txt\n+hello\n*** End Patch\n',
      });
    }
    expect(codexReply([prompt('Repeat the reference workflow, replacing x.txt with y.txt')], block)).toEqual({
      kind: 'fail',
      message:
        'offline model: the reference workflow holds no "x.txt" to replace (its values: notes/a.txt, notes/b.txt)',
    });
  });

  it('does every step of a workflow with pitfalls, then passes the pitfalls on', () => {
    const block = workflow(
      'notes/b.txt',
      '<pitfalls>\n<pitfall>command `cat notes/x.txt` failed</pitfall>\n</pitfalls>',
    );
    const replay = prompt('Repeat the reference workflow, replacing notes/b.txt with notes/d.txt');
    expect(codexReply([replay], block)).toMatchObject({ kind: 'patch' });
    expect(codexReply([replay, ...patched], block)).toEqual({ kind: 'exec', command: 'cat notes/d.txt' });
    expect(codexReply([replay, ...patched, ...ran(1)], block)).toEqual({
      kind: 'message',
      text: 'Done: created notes/d.txt; ran `cat notes/d.txt`. The workflow warns of: command `cat notes/x.txt` failed',
    });
  });
});
