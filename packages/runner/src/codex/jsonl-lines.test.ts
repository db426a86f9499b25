import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonlLines } from './jsonl-lines';

async function linesOf(chunks: Array<string | Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of jsonlLines(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(line);
  return out;
}

describe('jsonl lines', () => {
  it('splits at each newline, a CRLF as one, and keeps a last line without one', async () => {
    expect(await linesOf(['{"a":1}\n{"b":2}\r\n\n{"c":3}'])).toEqual(['{"a":1}', '{"b":2}', '', '{"c":3}']);
  });

  it('puts a line cut across chunks back together, a character split between them too', async () => {
    const line = JSON.stringify({ text: `${'x'.repeat(70_000)}é€😀` });
    const bytes = Buffer.from(`${line}\n{"next":true}\n`);
    // Cut inside the 4-byte emoji and inside the 3-byte euro sign.
    const emoji = bytes.indexOf(Buffer.from('😀'));
    const euro = bytes.indexOf(Buffer.from('€'));
    const chunks = [
      bytes.subarray(0, 30_000),
      bytes.subarray(30_000, euro + 1),
      bytes.subarray(euro + 1, emoji + 2),
      bytes.subarray(emoji + 2),
    ];
    expect(await linesOf(chunks)).toEqual([line, '{"next":true}']);
  });

  it('reads what the stream held before the first line was asked for', async () => {
    const stream = Readable.from([Buffer.from('one\ntwo\n')]);
    const lines = jsonlLines(stream);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const out: string[] = [];
    for await (const line of lines) out.push(line);
    expect(out).toEqual(['one', 'two']);
  });
});
