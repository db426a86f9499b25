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
