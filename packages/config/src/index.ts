export * from './env';
export { runnerModels } from './models';
export {
  discoverToken,
  findLocalServer,
  prepareRuntimeDir,
  pruneRuntimeFiles,
  removeRuntimeFile,
  runtimeDir,
  runtimeFilePath,
  type ServerRuntime,
  writeRuntimeFile,
} from './runtime-file';
export { bearerToken, sameSecret, secretMatcher } from './secrets';
export { readOrCreateToken, tokenFilePath } from './token-file';
