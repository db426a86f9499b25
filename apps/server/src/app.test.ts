import { expect, it } from 'vitest';
import { createApp } from './app';

it('answers GET /healthz', async () => {
  const res = await createApp().request('/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});
