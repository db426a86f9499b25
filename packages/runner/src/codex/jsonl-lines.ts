import { type EventEmitter, on } from 'node:events';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Chunks read ahead of the reader before the stream is paused. */
const READ_AHEAD_CHUNKS = 64;

/**
 * The lines of a byte stream, taken from it from the moment this is called (a quick process
 * may have written everything and exited before the first line is asked for). A `\n` or
 * `\r\n` ends a line; a last line without one counts. Not readline: Codex prints lines of
 * 50 KB and more, which readline's regex split and string concatenation copy several times
 * over; here a line's bytes are found with `indexOf` and decoded once, as UTF-8. A character
 * split across chunks is whole again before it is decoded: lines are cut only at newline bytes.
 */
export function jsonlLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  // Listening at once; a stream error ends the lines with that error.
  const events = on(stream as EventEmitter, 'data', {
    close: ['end', 'close'],
    highWaterMark: READ_AHEAD_CHUNKS,
  }) as AsyncIterableIterator<[Buffer | string]>;
  return splitLines(events);
}

async function* splitLines(events: AsyncIterable<[Buffer | string]>): AsyncGenerator<string> {
  // The start of a line whose end has not arrived yet.
  let partial: Buffer[] = [];
  for await (const [chunk] of events) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, end);
      start = end + 1;
      if (partial.length === 0) {
        yield decodeLine(piece);
      } else {
        partial.push(piece);
        const whole = Buffer.concat(partial);
        partial = [];
        yield decodeLine(whole);
      }
    }
    if (start < bytes.length) partial.push(bytes.subarray(start));
  }
  if (partial.length > 0) yield decodeLine(Buffer.concat(partial));
}

function decodeLine(bytes: Buffer): string {
  const end =
    bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}
