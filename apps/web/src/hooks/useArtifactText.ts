import { useEffect, useState } from 'react';

/** More than this is not read into the page: a long run's JSONL can be hundreds of megabytes. */
export const ARTIFACT_READ_BYTES = 2 * 1024 * 1024;

export interface ArtifactText {
  text: string | null;
  /** The file goes on past what was read. */
  cut: boolean;
  error: Error | null;
}

async function readStart(response: Response, maxBytes: number): Promise<{ text: string; cut: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: await response.text(), cut: false };
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), cut: false };
    const room = maxBytes - read;
    text += decoder.decode(value.subarray(0, room), { stream: true });
    read += value.byteLength;
    if (read >= maxBytes) {
      await reader.cancel();
      return { text, cut: read > maxBytes };
    }
  }
}

/**
 * The start of an artifact's text, read from its URL (the session cookie signs the request),
 * while `enabled`; read again when its size changes (a running run's log grows).
 */
export function useArtifactText(url: string, size: number, enabled: boolean): ArtifactText {
  const [state, setState] = useState<ArtifactText>({ text: null, cut: false, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new size is a new file to read.
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    fetch(url, { signal: abort.signal })
      .then(async (response) => {
        if (!response.ok) {
          const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
        }
        const { text, cut } = await readStart(response, ARTIFACT_READ_BYTES);
        setState({ text, cut, error: null });
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted)
          setState({
            text: null,
            cut: false,
            error: error instanceof Error ? error : new Error(String(error)),
          });
      });
    return () => abort.abort();
  }, [url, size, enabled]);
  return state;
}
