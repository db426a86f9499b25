import { fileURLToPath } from 'node:url';

/** The server's bundle: what build.ts writes and `npm start` runs (`node dist/main.js`). */
export const SERVER_BUNDLE = fileURLToPath(new URL('./dist/main.js', import.meta.url));
