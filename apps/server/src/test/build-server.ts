import { buildServer } from '../../build';

/** vitest globalSetup: the end-to-end tests start the server from a bundle of the sources as they are now. */
export default async function setup(): Promise<void> {
  await buildServer();
}
