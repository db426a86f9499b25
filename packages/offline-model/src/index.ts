export { codexModelCatalog } from './codex-catalog';
export {
  AGENT_MODEL,
  CODEX_MODEL,
  type OfflineModel,
  type RecordedRequest,
  startOfflineModel,
} from './server';
