import { startOfflineModel } from './server';

// Standalone: `npm start -w @retrace/offline-model [port]` (OFFLINE_MODEL_PORT, default 8790).
const port = Number(process.argv[2] ?? process.env.OFFLINE_MODEL_PORT ?? 8790);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `offline model: port must be 0-65535, got ${process.argv[2] ?? process.env.OFFLINE_MODEL_PORT}`,
  );
  process.exit(1);
}
const model = await startOfflineModel({ port });
console.log(`Retrace offline model (a simulator, not an LLM) at ${model.baseURL}`);
const stop = () => void model.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
