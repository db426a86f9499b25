export { type ChatReply, chatReply } from './chat';
export { type CodexReply, codexReply } from './codex-turn';
export { type Action, PLAN_LANGUAGE, type Plan, parsePlan } from './plan';
export {
  AGENT_MODEL,
  CODEX_MODEL,
  createOfflineModelApp,
  type OfflineModel,
  type RecordedRequest,
  startOfflineModel,
} from './server';
