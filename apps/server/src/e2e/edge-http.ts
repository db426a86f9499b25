import { request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = { error: { code: string; message: string } }>(): T;
}

/**
 * One HTTP request with exactly the headers given, Host included (fetch replaces Host), and
 * a body sent with a Content-Length, or chunked when `chunked` (as a stream has no length).
 */
export function send(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunked?: boolean;
  } = {},
): Promise<Answer> {
  const { method = 'GET', headers = {}, body, chunked = false } = options;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined && !chunked) req.setHeader('content-length', Buffer.byteLength(body));
    if (body === undefined) req.end();
    else if (!chunked) req.end(body);
    else {
      // Written in pieces: no Content-Length, Transfer-Encoding: chunked.
      const bytes = Buffer.from(body);
      for (let at = 0; at < bytes.length; at += 64 * 1024) req.write(bytes.subarray(at, at + 64 * 1024));
      req.end();
    }
  });
}
