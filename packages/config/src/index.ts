export * from './env';
export { runnerModels } from './models';
export { bearerToken, sameSecret } from './secrets';
