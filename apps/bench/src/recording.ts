import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A recorded Codex JSONL of 10,000 items: commands (every tenth with 50 KB of output) and messages. */
export function recordedJsonl(items: number): string {
  // What a verbose command prints (a test log, a grep over a tree): varied lines, not one repeated letter.
  const big = Array.from(
    { length: 800 },
    (_, n) =>
      `src/module_${n % 37}/file_${n}.ts:${n * 7}:  const value${n} = compute(input, ${n}); // checked`,
  )
    .join('\n')
    .slice(0, 50_000);
  const lines = ['{"type":"thread.started","thread_id":"bench"}', '{"type":"turn.started"}'];
  for (let i = 0; i < items; i++) {
    const id = `item_${i}`;
    if (i % 5 === 4) {
      lines.push(
        JSON.stringify({
          type: 'item.completed',
          item: { id, type: 'agent_message', text: `Looked at part ${i}.` },
        }),
      );
      continue;
    }
    const command = `/bin/bash -lc 'grep -n "symbol_${i}" src/file_${i % 50}.ts'`;
    lines.push(
      JSON.stringify({
        type: 'item.started',
        item: {
          id,
          type: 'command_execution',
          command,
          aggregated_output: '',
          exit_code: null,
          status: 'in_progress',
        },
      }),
    );
    const output = i % 10 === 0 ? big : `src/file_${i % 50}.ts:${i}: symbol_${i}\n`;
    lines.push(
      JSON.stringify({
        type: 'item.completed',
        item: {
          id,
          type: 'command_execution',
          command,
          aggregated_output: output,
          exit_code: 0,
          status: 'completed',
        },
      }),
    );
  }
  lines.push(
    '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * A stand-in for the Codex binary that prints a recorded JSONL: all at once (how fast can
 * the pipeline go), or paced, `linesPerSecond`, as a live agent would (how long does a
 * line take to reach a subscriber when the pipeline keeps up).
 */
export function replayScript(dir: string, jsonlPath: string, linesPerSecond: number | null): string {
  const script = join(dir, 'recorded-codex.mjs');
  const perTick = linesPerSecond ? Math.max(1, Math.round(linesPerSecond / 100)) : 0;
  writeFileSync(
    script,
    linesPerSecond
      ? `#!${process.execPath}
import { readFileSync } from 'node:fs';
const lines = readFileSync(${JSON.stringify(jsonlPath)}, 'utf8').split('\\n');
let at = 0;
const timer = setInterval(() => {
  const chunk = lines.slice(at, at + ${perTick});
  at += ${perTick};
  if (chunk.length) process.stdout.write(chunk.join('\\n') + '\\n');
  if (at >= lines.length) clearInterval(timer);
}, 10);
`
      : `#!/bin/sh\nexec cat ${JSON.stringify(jsonlPath)}\n`,
  );
  chmodSync(script, 0o755);
  return script;
}
